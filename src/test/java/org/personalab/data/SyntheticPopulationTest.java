package org.personalab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;
import org.personalab.inventory.Scale;
import org.personalab.inventory.Scorer;
import org.personalab.inventory.ScoringRule;
import org.personalab.task.TaskContext;

class SyntheticPopulationTest {

    /*
     * Tolerances of the fidelity test. The source has only 300 people (97 men), so its own figures carry sampling
     * error: about ±0.1 for an item mean (SD ≈ 0.9 / √300 ≈ 0.05, two SEs; ±0.18 for the men), about ±0.11 for a
     * correlation (2 / √300). The synthetic sample (20,000) adds little on top. A synthetic population that is
     * "as good as another sample of the source population" must therefore sit within these bands; a broken model
     * (wrong keying, thresholds, sex handling or correlation structure) misses them by far more.
     */
    /** Largest allowed |synthetic − source| item mean (pooled and per sex). */
    static final double ITEM_MEAN_TOLERANCE = 0.15;
    /** Largest allowed |synthetic − source| domain-score correlation (5×5). */
    static final double DOMAIN_CORRELATION_TOLERANCE = 0.15;
    /** Largest allowed |synthetic − source| share of men (the synthetic share has SE ≈ 0.003 at n = 20,000). */
    static final double SEX_SHARE_TOLERANCE = 0.02;
    /** Largest allowed |synthetic − source| mean age in years (plausible ages 10..90 only). */
    static final double MEAN_AGE_TOLERANCE = 1.0;
    /**
     * Largest allowed |re-estimated − generating| category probability when 50,000 generated people are estimated
     * again: the SE of a proportion among ~16,000 men is at most 0.004, so 0.02 is five SEs.
     */
    static final double MARGINAL_RECOVERY_TOLERANCE = 0.02;

    static final Path PAPI_CSV = Path.of(System.getProperty("personalab.shared", "../shared"), "data",
            "papi_test300_ipip120_keyed.csv");

    private static final SyntheticParameters BUNDLED = SyntheticParameters.bundled();

    private static Responses source() throws IOException {
        return Files.exists(PAPI_CSV) ? SyntheticParametersTool.readPapiCsv(PAPI_CSV) : null;
    }

    @Test
    void sameSeedGivesSameRespondentsWhateverTheThreadCount() throws Exception {
        int n = 3 * SyntheticPopulation.BLOCK + 17;
        Responses a = SyntheticPopulation.generate(BUNDLED, n, 42, TaskContext.none());
        Responses b;
        ForkJoinPool single = new ForkJoinPool(1);
        try {
            b = single.submit(() -> SyntheticPopulation.generate(BUNDLED, n, 42, TaskContext.none())).get();
        } finally {
            single.shutdown();
        }
        assertArrayEquals(a.answerMatrix(), b.answerMatrix());
        assertArrayEquals(a.sexColumn(), b.sexColumn());
        assertArrayEquals(a.ageColumn(), b.ageColumn());
        assertArrayEquals(a.countryColumn(), b.countryColumn());
        assertArrayEquals(a.idColumn(), b.idColumn());

        Responses c = SyntheticPopulation.generate(BUNDLED, n, 43, TaskContext.none());
        int same = 0;
        for (int i = 0; i < a.answerMatrix().length; i++) {
            same += a.answerMatrix()[i] == c.answerMatrix()[i] ? 1 : 0;
        }
        // two independent draws agree on roughly 35-45 % of answers (the chance of equal categories), never all
        assertTrue(same < 0.6 * a.answerMatrix().length, "different seeds agree on " + same + " answers");
        assertFalse(java.util.Arrays.equals(a.sexColumn(), c.sexColumn()));
    }

    @Test
    void idsDemographicsAndValuesAreSane() {
        int n = 10_000;
        Responses r = SyntheticPopulation.generate(BUNDLED, n, 7, TaskContext.none());
        assertEquals(n, r.size());
        assertEquals(Inventory.IPIP_NEO_120, r.inventory());
        assertEquals(AnswerEncoding.KEYED, r.encoding());
        assertEquals("S000001", r.id(0));
        assertEquals("S010000", r.id(n - 1));
        assertEquals(n, new HashSet<>(List.of(r.idColumn())).size());
        Set<String> countries = BUNDLED.country().keySet();
        Set<String> seenCountries = new HashSet<>();
        int zeros = 0;
        for (int row = 0; row < n; row++) {
            assertTrue(r.sex(row) == Sex.MALE || r.sex(row) == Sex.FEMALE, "row " + row);
            assertTrue(BUNDLED.age().containsKey(r.age(row)), "age " + r.age(row) + " not in the age histogram");
            assertTrue(countries.contains(r.country(row)), r.country(row));
            seenCountries.add(r.country(row));
        }
        for (byte v : r.answerMatrix()) {
            assertTrue(v >= 0 && v <= 5, "value " + v);
            zeros += v == 0 ? 1 : 0;
        }
        assertTrue(r.age(0) >= SyntheticParameters.MIN_AGE && r.age(0) <= SyntheticParameters.MAX_AGE);
        assertTrue(seenCountries.contains("USA") && seenCountries.contains("Other"), seenCountries.toString());
        double expectedZeros = 0;
        for (double m : BUNDLED.missingRate()) {
            expectedZeros += m * n;
        }
        assertTrue(expectedZeros > 20, "the bundled source has some missing answers");
        assertEquals(expectedZeros, zeros, 5 * Math.sqrt(expectedZeros), "missing answers");
        assertEquals(0, SyntheticPopulation.generate(BUNDLED, 0, 1, TaskContext.none()).size());
        assertThrows(IllegalArgumentException.class, () -> SyntheticPopulation.generate(BUNDLED, -1, 1,
                TaskContext.none()));
    }

    @Test
    void syntheticPopulationMatchesTheSourceWithinStatedTolerances() throws IOException {
        Responses src = source();
        double[] srcMean;
        double[] srcMale;
        double[] srcFemale;
        double[][] srcDomain;
        double srcMaleShare;
        double srcAge;
        if (src != null) {
            double[][] m = itemMeans(src);
            srcMean = m[0];
            srcMale = m[1];
            srcFemale = m[2];
            srcDomain = domainCorrelations(src);
            srcMaleShare = maleShare(src);
            srcAge = meanAge(src);
        } else { // ../shared absent: compare with the source statistics stored next to the parameters
            srcMean = BUNDLED.reference().itemMean();
            srcMale = BUNDLED.reference().maleItemMean();
            srcFemale = BUNDLED.reference().femaleItemMean();
            srcDomain = BUNDLED.reference().domainCorrelation();
            srcMaleShare = BUNDLED.maleShare();
            srcAge = BUNDLED.reference().meanAge();
        }
        Responses syn = SyntheticPopulation.generate(BUNDLED, 20_000, 2024, TaskContext.none());
        double[][] m = itemMeans(syn);
        assertWithin(srcMean, m[0], ITEM_MEAN_TOLERANCE, "item mean");
        assertWithin(srcMale, m[1], ITEM_MEAN_TOLERANCE, "male item mean");
        assertWithin(srcFemale, m[2], ITEM_MEAN_TOLERANCE, "female item mean");
        double[][] d = domainCorrelations(syn);
        for (int i = 0; i < 5; i++) {
            assertWithin(srcDomain[i], d[i], DOMAIN_CORRELATION_TOLERANCE, "domain correlation row " + i);
        }
        assertEquals(srcMaleShare, maleShare(syn), SEX_SHARE_TOLERANCE, "share of men");
        assertEquals(srcAge, meanAge(syn), MEAN_AGE_TOLERANCE, "mean age");
        // the sex difference of the source survives (e.g. item 1, "Worry about things": women higher)
        assertTrue(m[2][0] - m[1][0] > 0.3, "female − male mean of item 1: " + (m[2][0] - m[1][0]));
        // the domain correlations have the source's signs where the source's are clearly non-zero
        assertTrue(d[0][1] < -0.4 && d[0][4] < -0.4 && d[3][4] > 0.25, "N–E, N–C, A–C correlations");
    }

    @Test
    void bundledParametersAreWhatTheToolEstimatesFromTheSource() throws IOException {
        Assumptions.assumeTrue(Files.exists(PAPI_CSV), "../shared/data is absent");
        SyntheticParameters fresh = SyntheticParameters.estimate(SyntheticParametersTool.readPapiCsv(PAPI_CSV),
                SyntheticParametersTool.SOURCE_DESCRIPTION);
        ObjectMapper om = new ObjectMapper();
        String committed;
        try (InputStream in = SyntheticParameters.class.getResourceAsStream(SyntheticParameters.BUNDLED_RESOURCE)) {
            committed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // 2e-4: one rounding step at the 4th decimal, in case a platform's exp/log differs in the last bit
        assertJsonClose(om.readTree(committed), om.readTree(fresh.toJson()), 2e-4, "$");
        assertEquals(300, BUNDLED.respondents());
        assertFalse(committed.contains("172481"), "no case id of a real subject in the resource");
    }

    @Test
    void estimatingGeneratedDataRecoversTheModel() {
        SyntheticParameters p = BUNDLED;
        SyntheticParameters q = SyntheticParameters.estimate(SyntheticPopulation.generate(p, 50_000, 99,
                TaskContext.none()));
        double worst = 0;
        for (int i = 0; i < 120; i++) {
            for (int g = 0; g < 2; g++) {
                double[] want = normalised(g == 0 ? p.maleCategories()[i] : p.femaleCategories()[i]);
                double[] got = g == 0 ? q.maleCategories()[i] : q.femaleCategories()[i];
                for (int c = 0; c < 5; c++) {
                    worst = Math.max(worst, Math.abs(want[c] - got[c]));
                }
            }
            assertEquals(p.missingRate()[i], q.missingRate()[i], 0.003, "missing rate of item " + (i + 1));
        }
        assertTrue(worst <= MARGINAL_RECOVERY_TOLERANCE, "largest category-probability error " + worst);
        assertEquals(p.maleShare(), q.maleShare(), 0.01);
        for (Map.Entry<Integer, Double> e : p.age().entrySet()) {
            assertEquals(e.getValue(), q.age().getOrDefault(e.getKey(), 0.0), 0.005, "P(age " + e.getKey() + ")");
        }
        assertEquals(p.country().get("USA"), q.country().get("USA"), 0.01);
        // the latent correlations come back too (after undoing the estimator's own shrinkage); the attenuation
        // correction is first-order, so allow a little bias on top of sampling error (SE ≈ 0.005)
        double sum = 0;
        double max = 0;
        for (int i = 0; i < 120; i++) {
            for (int j = 0; j < i; j++) {
                double d = Math.abs(q.latentCorrelation()[i][j] / (1 - q.shrinkage()) - p.latentCorrelation()[i][j]);
                sum += d;
                max = Math.max(max, d);
            }
        }
        assertTrue(sum / 7140 < 0.01 && max < 0.08, "latent correlation error: mean " + sum / 7140 + ", max " + max);
    }

    @Test
    void johnson120FileHasTheFixedWidthLayoutAndRoundTrips(@TempDir Path dir) throws IOException {
        Responses r = SyntheticPopulation.generate(BUNDLED, 5_000, 5, TaskContext.none());
        Path file = dir.resolve("IPIP120.dat");
        SyntheticPopulation.writeJohnson120(r, file);
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(5_000L * 152, bytes.length);
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        assertEquals(5_000, lines.size());
        for (int row = 0; row < lines.size(); row++) {
            String line = lines.get(row);
            assertEquals(151, line.length(), "line " + (row + 1));
            assertEquals(row + 1, Integer.parseInt(line.substring(0, 6).trim()));
            assertEquals(r.sexCode(row), line.charAt(6) - '0');
            assertEquals(r.age(row), Integer.parseInt(line.substring(7, 9).trim()));
            assertEquals(105, Integer.parseInt(line.substring(19, 22).trim()), "YEAR");
            String country = r.country(row);
            assertEquals(country.length() > 9 ? country.substring(0, 9) : country, line.substring(22, 31).trim());
            for (int i = 1; i <= 120; i++) {
                assertEquals(r.answer(row, i), line.charAt(30 + i) - '0', "row " + row + " item " + i);
            }
        }
        assertEquals(List.of(file), listDir(dir), "no temporary file left behind");
    }

    @Test
    void johnson120WriterKeepsNumericIdsCapsAgeTruncatesCountryAndKeysRawData(@TempDir Path dir) throws IOException {
        Inventory inv = Inventory.IPIP_NEO_120;
        byte[] raw = new byte[120];
        for (int i = 0; i < 120; i++) {
            raw[i] = (byte) (i % 6); // includes 0 = missing
        }
        Responses r = new Responses.Builder(inv, AnswerEncoding.RAW, 2)
                .add("172481", Sex.MALE, 120, "United Kingdom", raw)
                .add("P-7", Sex.UNKNOWN, 0, "Côte d'Ivoire", raw).build();
        Path file = dir.resolve("out.dat");
        SyntheticPopulation.writeJohnson120(r, file);
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        assertEquals("172481", lines.get(0).substring(0, 6));
        assertEquals("     2", lines.get(1).substring(0, 6), "non-numeric id → row number + 1");
        assertEquals("199", lines.get(0).substring(6, 9), "sex 1, age capped at 99");
        assertEquals("0 0", lines.get(1).substring(6, 9), "unknown sex and age");
        assertEquals("United Ki", lines.get(0).substring(22, 31));
        assertEquals("C?te d'Iv", lines.get(1).substring(22, 31));
        for (int i = 1; i <= 120; i++) {
            int v = raw[i - 1];
            int keyed = v == 0 || !inv.item(i).reversed() ? v : 6 - v;
            assertEquals(keyed, lines.get(0).charAt(30 + i) - '0', "item " + i);
        }
        Responses r300 = new Responses.Builder(Inventory.IPIP_NEO_300, AnswerEncoding.KEYED, 1).build();
        assertThrows(IllegalArgumentException.class, () -> SyntheticPopulation.writeJohnson120(r300,
                dir.resolve("x.dat")));
    }

    @Test
    void progressIsReportedAndCancellationStopsGeneration() {
        List<Double> seen = new ArrayList<>();
        TaskContext recording = new TaskContext() {
            @Override
            public synchronized void progress(double done, double total) {
                seen.add(done / total);
            }

            @Override
            public void message(String message) {
            }

            @Override
            public boolean isCancelled() {
                return false;
            }
        };
        SyntheticPopulation.generate(BUNDLED, 10 * SyntheticPopulation.BLOCK, 1, recording);
        assertEquals(1.0, seen.get(seen.size() - 1));
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) > seen.get(i - 1), "progress goes forward: " + seen);
        }
        AtomicInteger blocks = new AtomicInteger();
        TaskContext cancelling = new TaskContext() {
            @Override
            public void progress(double done, double total) {
                blocks.incrementAndGet();
            }

            @Override
            public void message(String message) {
            }

            @Override
            public boolean isCancelled() {
                return blocks.get() >= 3;
            }
        };
        assertThrows(CancellationException.class, () -> SyntheticPopulation.generate(BUNDLED,
                100 * SyntheticPopulation.BLOCK, 1, cancelling));
        assertTrue(blocks.get() < 100, "stopped early, after " + blocks.get() + " progress reports");
    }

    @Test
    void parametersSurviveJsonAndBadJsonIsRejected() {
        SyntheticParameters back = SyntheticParameters.fromJson(BUNDLED.toJson());
        assertEquals(BUNDLED.toJson(), back.toJson());
        assertTrue(java.util.Arrays.deepEquals(BUNDLED.latentCorrelation(), back.latentCorrelation()));
        assertEquals(BUNDLED.country(), back.country());
        assertEquals(BUNDLED.age(), back.age());
        String json = BUNDLED.toJson();
        // a matrix row per line, plain arrays on one line
        assertTrue(json.lines().count() < 600, "compact layout, " + json.lines().count() + " lines");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SyntheticParameters.fromJson(json.replace("\"IPIP-NEO-120\"", "\"IPIP-NEO-300\"")));
        assertTrue(e.getMessage().contains("expected 300 items"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SyntheticParameters.fromJson("{\"source\": 1"));
    }

    @Test
    void estimateWorksOnRawDataAndGivesAPositiveDefiniteCorrelation() throws IOException {
        Responses keyed = SyntheticPopulation.generate(BUNDLED, 2_000, 3, TaskContext.none());
        SyntheticParameters a = SyntheticParameters.estimate(keyed);
        SyntheticParameters b = SyntheticParameters.estimate(keyed.withEncoding(AnswerEncoding.RAW));
        assertEquals(a.toJson(), b.toJson(), "raw and keyed input give the same keyed parameters");
        double[][] r = a.latentCorrelation();
        assertNotNull(LatentGaussian.cholesky(r));
        for (int i = 0; i < r.length; i++) {
            assertEquals(1.0, r[i][i]);
            for (int j = 0; j < i; j++) {
                assertEquals(r[i][j], r[j][i]);
            }
        }
        // eigenvalue repair: an indefinite "correlation" matrix becomes positive definite, a good one barely moves
        double[][] bad = {{1, 0.9, 0.9}, {0.9, 1, -0.9}, {0.9, -0.9, 1}};
        assertNull(LatentGaussian.cholesky(bad));
        double[][] fixed = LatentGaussian.clipEigenvalues(bad, 0.01);
        assertNotNull(LatentGaussian.cholesky(fixed));
        assertEquals(1.0, fixed[1][1], 1e-12);
        double[][] good = {{1, 0.5, 0.2}, {0.5, 1, 0.3}, {0.2, 0.3, 1}};
        double[][] same = LatentGaussian.clipEigenvalues(good, 0.01);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(good[i], same[i], 1e-9);
        }
        assertEquals(1.959963984540054, LatentGaussian.inverseNormalCdf(0.975), 1e-12);
        assertEquals(-3.090232306167813, LatentGaussian.inverseNormalCdf(0.001), 1e-12);
        assertEquals(-6.361340902404056, LatentGaussian.inverseNormalCdf(1e-10), 1e-9);
        assertEquals(-0.5244005127080407, LatentGaussian.inverseNormalCdf(0.3), 1e-12);
        Responses src = source();
        if (src != null) { // the source's rows never appear in the parameters' JSON
            assertFalse(SyntheticParameters.estimate(src).toJson().contains(src.id(0)));
        }
    }

    // ---- helpers ----

    /** [pooled, male, female][item] means over answered items. */
    static double[][] itemMeans(Responses r) {
        Responses k = r.withEncoding(AnswerEncoding.KEYED);
        double[][] sum = new double[3][120];
        double[][] cnt = new double[3][120];
        for (int row = 0; row < k.size(); row++) {
            for (int i = 0; i < 120; i++) {
                int v = k.answer(row, i + 1);
                if (v > 0) {
                    sum[0][i] += v;
                    cnt[0][i]++;
                    int g = k.sex(row) == Sex.MALE ? 1 : k.sex(row) == Sex.FEMALE ? 2 : -1;
                    if (g > 0) {
                        sum[g][i] += v;
                        cnt[g][i]++;
                    }
                }
            }
        }
        for (int g = 0; g < 3; g++) {
            for (int i = 0; i < 120; i++) {
                sum[g][i] /= cnt[g][i];
            }
        }
        return sum;
    }

    static double[][] domainCorrelations(Responses r) {
        Responses k = r.withEncoding(AnswerEncoding.KEYED);
        float[] s = new Scorer(Inventory.IPIP_NEO_120, AnswerEncoding.KEYED, ScoringRule.DEFAULT)
                .scoreAll(k.answerMatrix(), k.size());
        List<double[]> rows = new ArrayList<>();
        for (int row = 0; row < k.size(); row++) {
            double[] d = new double[5];
            boolean ok = true;
            for (int j = 0; j < 5; j++) {
                d[j] = s[row * Scale.COUNT + 30 + j];
                ok &= !Double.isNaN(d[j]);
            }
            if (ok) {
                rows.add(d);
            }
        }
        double[][] out = new double[5][5];
        for (int a = 0; a < 5; a++) {
            for (int b = 0; b < 5; b++) {
                double ma = 0;
                double mb = 0;
                for (double[] d : rows) {
                    ma += d[a];
                    mb += d[b];
                }
                ma /= rows.size();
                mb /= rows.size();
                double sab = 0;
                double saa = 0;
                double sbb = 0;
                for (double[] d : rows) {
                    sab += (d[a] - ma) * (d[b] - mb);
                    saa += (d[a] - ma) * (d[a] - ma);
                    sbb += (d[b] - mb) * (d[b] - mb);
                }
                out[a][b] = sab / Math.sqrt(saa * sbb);
            }
        }
        return out;
    }

    static double maleShare(Responses r) {
        int men = 0;
        int known = 0;
        for (int row = 0; row < r.size(); row++) {
            men += r.sex(row) == Sex.MALE ? 1 : 0;
            known += r.sex(row) != Sex.UNKNOWN ? 1 : 0;
        }
        return (double) men / known;
    }

    static double meanAge(Responses r) {
        double sum = 0;
        int n = 0;
        for (int row = 0; row < r.size(); row++) {
            if (r.age(row) >= 10 && r.age(row) <= 90) {
                sum += r.age(row);
                n++;
            }
        }
        return sum / n;
    }

    private static double[] normalised(double[] p) {
        double t = 0;
        for (double v : p) {
            t += v;
        }
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i] / t;
        }
        return out;
    }

    private static void assertWithin(double[] want, double[] got, double tol, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tol, what + " " + (i + 1));
        }
    }

    private static void assertJsonClose(JsonNode want, JsonNode got, double tol, String path) {
        if (want.isNumber()) {
            assertTrue(got.isNumber(), path);
            assertEquals(want.asDouble(), got.asDouble(), tol, path);
        } else if (want.isContainerNode()) {
            assertEquals(want.size(), got.size(), path + " size");
            if (want.isArray()) {
                for (int i = 0; i < want.size(); i++) {
                    assertJsonClose(want.get(i), got.get(i), tol, path + "[" + i + "]");
                }
            } else {
                for (Iterator<String> it = want.fieldNames(); it.hasNext(); ) {
                    String f = it.next();
                    assertTrue(got.has(f), path + "." + f + " missing");
                    assertJsonClose(want.get(f), got.get(f), tol, path + "." + f);
                }
            }
        } else {
            assertEquals(want, got, path);
        }
    }

    private static List<Path> listDir(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.toList();
        }
    }
}
