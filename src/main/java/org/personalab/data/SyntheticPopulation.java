package org.personalab.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;
import org.personalab.task.TaskContext;

/**
 * Synthetic respondents drawn from {@link SyntheticParameters}: realistic answers, sex, age and country without a
 * single real row, for the demo workspace and for scale tests (Johnson's file has 619,150 people).
 * <p>
 * <b>Model (Gaussian copula with ordinal margins).</b> For each respondent:
 * <ol>
 * <li>sex is male with probability {@code maleShare}, otherwise female; age and country are drawn from their
 * histograms, independently of each other and of sex;</li>
 * <li>a latent vector z ~ N(0, R) over the items is drawn as z = L·e, with e i.i.d. N(0, 1) and L the Cholesky
 * factor of the latent correlation matrix R (computed once per call);</li>
 * <li>the keyed answer to item i is the category c whose interval (t<sub>c-1</sub>, t<sub>c</sub>] holds
 * z<sub>i</sub>, where t<sub>c</sub> = Φ⁻¹(P(answer ≤ c)) under that sex's marginal probabilities for the item, so
 * each item has exactly its estimated per-sex distribution and the items correlate as in the source;</li>
 * <li>each answer is then set missing (0) with the item's missing rate, independently of everything else.</li>
 * </ol>
 * <b>Not modelled:</b> effects of age or country on answers (a 16-year-old and a 60-year-old answer alike), sex
 * differences in the correlations (one R for both sexes; only the marginals differ), dependence between the
 * demographics, dependence beyond the Gaussian copula (e.g. response styles that change tail behaviour), and
 * patterned missingness (real dropouts miss runs of items). Source quirks are inherited: the bundled parameters come
 * from 300 PAPI subjects chosen as k-means archetypes, which are more spread out than a random sample.
 * <p>
 * <b>Determinism and speed.</b> Rows are generated in blocks of {@value #BLOCK} rows; block b uses its own
 * {@link SplittableRandom} seeded from (seed, b), so the result depends only on the seed and n, never on how many
 * threads ran the blocks. Blocks run in parallel and write straight into the preallocated columns; within a block,
 * z = L·e is computed for {@value #LANES} people at a time so that the inner loop runs over people and vectorises.
 */
public final class SyntheticPopulation {

    /** Rows per block: the unit of seeding, parallelism, progress and cancellation. */
    public static final int BLOCK = 4096;
    /** People whose latent vectors are multiplied by L together (vectorises the inner loop). */
    private static final int LANES = 64;
    /** Length of one IPIP120.dat record, without the line feed. */
    public static final int JOHNSON120_RECORD = 151;

    private SyntheticPopulation() {
    }

    /**
     * Generates {@code n} respondents with ids "S000001", "S000002", …, keyed answers (inventory of the parameters),
     * reporting progress and checking cancellation once per block.
     */
    public static Responses generate(SyntheticParameters p, int n, long seed, TaskContext ctx) {
        if (n < 0) {
            throw new IllegalArgumentException("population size must not be negative, got " + n);
        }
        Inventory inv = Inventory.byName(p.inventory());
        int k = inv.size();
        if ((long) n * k > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("population of " + n + " is too large (at most "
                    + (Integer.MAX_VALUE - 16) / k + " for " + inv.name() + ")");
        }
        Model m = new Model(p, k);
        String[] ids = new String[n];
        byte[] sex = new byte[n];
        short[] age = new short[n];
        String[] country = new String[n];
        byte[] answers = new byte[n * k];
        int blocks = (n + BLOCK - 1) / BLOCK;
        AtomicInteger done = new AtomicInteger();
        int[] reported = new int[1];
        int idWidth = Math.max(6, Integer.toString(n).length());
        ctx.message("Generating " + n + " synthetic respondents (" + inv.name() + ", seed " + seed + ")");
        ctx.progress(0, blocks);
        IntStream.range(0, blocks).parallel().forEach(b -> {
            ctx.checkCancelled();
            SplittableRandom rng = new SplittableRandom(blockSeed(seed, b));
            float[][] e = new float[k][LANES];
            float[][] z = new float[k][LANES];
            int end = Math.min(n, (b + 1) * BLOCK);
            for (int row = b * BLOCK; row < end; row++) {
                ids[row] = id(row + 1, idWidth);
            }
            for (int from = b * BLOCK; from < end; from += LANES) {
                m.fill(rng, e, z, from, Math.min(LANES, end - from), sex, age, country, answers);
            }
            int d = done.incrementAndGet();
            synchronized (reported) {
                if (d > reported[0]) {
                    reported[0] = d;
                    ctx.progress(d, blocks);
                }
            }
        });
        return Responses.of(inv, AnswerEncoding.KEYED, ids, sex, age, country, answers);
    }

    /** The block's seed: a strong mix of (seed, block), so neighbouring blocks' streams never overlap in practice. */
    static long blockSeed(long seed, int block) {
        return mix64(seed ^ mix64(block * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L));
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    private static String id(int number, int width) {
        char[] c = new char[width + 1];
        c[0] = 'S';
        for (int i = width; i >= 1; i--) {
            c[i] = (char) ('0' + number % 10);
            number /= 10;
        }
        return new String(c);
    }

    /** What one generate call precomputes: packed Cholesky columns, thresholds, missing rates, demographics. */
    private static final class Model {
        private final int k;
        /** l[i] = row i of the Cholesky factor L, entries 0..i. */
        private final float[][] l;
        /** thresholds[g][item * 4 + c - 1] = t_c for sex group g (0 male, 1 female). */
        private final float[][] thresholds = new float[2][];
        private final int[] missingItems;
        private final double[] missingRates;
        private final double maleShare;
        private final short[] ages;
        private final double[] ageCum;
        private final String[] countries;
        private final double[] countryCum;

        Model(SyntheticParameters p, int k) {
            this.k = k;
            double[][] chol = LatentGaussian.cholesky(p.latentCorrelation());
            if (chol == null) {
                throw new IllegalArgumentException("synthetic parameters: latent correlation matrix is not positive "
                        + "definite");
            }
            l = new float[k][];
            for (int i = 0; i < k; i++) {
                l[i] = new float[i + 1];
                for (int j = 0; j <= i; j++) {
                    l[i][j] = (float) chol[i][j];
                }
            }
            double[][][] cats = {p.maleCategories(), p.femaleCategories()};
            for (int g = 0; g < 2; g++) {
                thresholds[g] = new float[k * 4];
                for (int i = 0; i < k; i++) {
                    double[] t = LatentGaussian.thresholds(cats[g][i]);
                    for (int c = 1; c <= 4; c++) {
                        thresholds[g][i * 4 + c - 1] = (float) t[c];
                    }
                }
            }
            missingItems = IntStream.range(0, k).filter(i -> p.missingRate()[i] > 0).toArray();
            missingRates = Arrays.stream(missingItems).mapToDouble(i -> p.missingRate()[i]).toArray();
            maleShare = p.maleShare();
            ages = new short[p.age().size()];
            ageCum = new double[ages.length];
            int a = 0;
            for (Map.Entry<Integer, Double> e : p.age().entrySet()) {
                ages[a] = e.getKey().shortValue();
                ageCum[a] = (a == 0 ? 0 : ageCum[a - 1]) + e.getValue();
                a++;
            }
            countries = p.country().keySet().toArray(String[]::new);
            countryCum = new double[countries.length];
            a = 0;
            for (double v : p.country().values()) {
                countryCum[a] = (a == 0 ? 0 : countryCum[a - 1]) + v;
                a++;
            }
        }

        /**
         * Fills rows from..from+count-1 (count ≤ LANES): demographics and latent normals person by person (this
         * fixes the order of random draws), then z = L·e for all of them at once, then answers and missingness.
         */
        void fill(SplittableRandom rng, float[][] e, float[][] z, int from, int count, byte[] sex, short[] age,
                String[] country, byte[] answers) {
            for (int b = 0; b < count; b++) {
                int row = from + b;
                sex[row] = (byte) (rng.nextDouble() < maleShare ? 1 : 2);
                age[row] = ages.length == 0 ? 0 : ages[pick(ageCum, rng.nextDouble())];
                country[row] = countries[pick(countryCum, rng.nextDouble())];
                for (int j = 0; j < k; j++) {
                    e[j][b] = (float) rng.nextGaussian();
                }
            }
            multiply(e, z);
            for (int b = 0; b < count; b++) {
                int row = from + b;
                float[] t = thresholds[sex[row] - 1];
                int base = row * k;
                for (int i = 0; i < k; i++) {
                    float v = z[i][b];
                    int q = i * 4;
                    int c = 1 + (v > t[q] ? 1 : 0) + (v > t[q + 1] ? 1 : 0) + (v > t[q + 2] ? 1 : 0)
                            + (v > t[q + 3] ? 1 : 0);
                    answers[base + i] = (byte) c;
                }
                for (int m = 0; m < missingItems.length; m++) {
                    if (rng.nextDouble() < missingRates[m]) {
                        answers[base + missingItems[m]] = 0;
                    }
                }
            }
        }

        /** z[i][·] = Σ_{j ≤ i} L[i][j]·e[j][·] over all LANES people; four columns of L per pass over z[i]. */
        private void multiply(float[][] e, float[][] z) {
            for (int i = 0; i < k; i++) {
                float[] zi = z[i];
                float[] li = l[i];
                Arrays.fill(zi, 0f);
                int j = 0;
                for (; j + 3 <= i; j += 4) {
                    float l0 = li[j];
                    float l1 = li[j + 1];
                    float l2 = li[j + 2];
                    float l3 = li[j + 3];
                    float[] e0 = e[j];
                    float[] e1 = e[j + 1];
                    float[] e2 = e[j + 2];
                    float[] e3 = e[j + 3];
                    for (int b = 0; b < LANES; b++) {
                        zi[b] += l0 * e0[b] + l1 * e1[b] + l2 * e2[b] + l3 * e3[b];
                    }
                }
                for (; j <= i; j++) {
                    float lj = li[j];
                    float[] ej = e[j];
                    for (int b = 0; b < LANES; b++) {
                        zi[b] += lj * ej[b];
                    }
                }
            }
        }

        /** First index whose cumulative weight exceeds u·total (weights need not sum exactly to 1). */
        private static int pick(double[] cum, double u) {
            double x = u * cum[cum.length - 1];
            int lo = 0;
            int hi = cum.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cum[mid] > x) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        }
    }

    /** {@link #writeJohnson120(Responses, Path, TaskContext)} without progress reporting. */
    public static void writeJohnson120(Responses r, Path file) throws IOException {
        writeJohnson120(r, file, TaskContext.none());
    }

    /**
     * Writes IPIP-NEO-120 respondents in the fixed-width layout of Johnson's {@code IPIP120.dat}: 151 characters and
     * a line feed per record. CASE (cols 1–6, right-aligned) is the id when it is a number of at most 6 digits, else
     * the row number + 1 ("S000001" in row 0 → 1); SEX col 7 (0/1/2); AGE cols 8–9 (capped at 99); SEC, MIN, HOUR,
     * DAY, MONTH (2 cols each) and YEAR (3 cols) are the fixed time 12:00:00 on 1 January 2005 (0, 0, 12, 1, 0,
     * 105); COUNTRY cols 23–31 left-aligned, padded with spaces and truncated to 9 (non-ASCII → '?'); I1..I120 cols
     * 32–151, one keyed digit each, 0 = missing. Numbers are space-padded. The file is written to a temporary file
     * and moved into place, so it is never left half-written.
     */
    public static void writeJohnson120(Responses r, Path file, TaskContext ctx) throws IOException {
        if (r.inventory() != Inventory.IPIP_NEO_120) {
            throw new IllegalArgumentException("IPIP120.dat holds the IPIP-NEO-120, not " + r.inventory().name());
        }
        Responses keyed = r.withEncoding(AnswerEncoding.KEYED);
        byte[] ans = keyed.answerMatrix();
        int k = keyed.items();
        int n = keyed.size();
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            byte[] rec = new byte[JOHNSON120_RECORD + 1];
            Arrays.fill(rec, (byte) ' ');
            put(rec, 9, 2, 0);
            put(rec, 11, 2, 0);
            put(rec, 13, 2, 12);
            put(rec, 15, 2, 1);
            put(rec, 17, 2, 0);
            put(rec, 19, 3, 105);
            rec[JOHNSON120_RECORD] = '\n';
            Map<String, byte[]> countryBytes = new HashMap<>();
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
                for (int row = 0; row < n; row++) {
                    if (row % BLOCK == 0) {
                        ctx.checkCancelled();
                        ctx.progress(row, n);
                    }
                    put(rec, 0, 6, caseNumber(keyed.id(row), row));
                    rec[6] = (byte) ('0' + Math.max(0, Math.min(9, keyed.sexCode(row))));
                    put(rec, 7, 2, Math.min(99, keyed.age(row)));
                    System.arraycopy(countryBytes.computeIfAbsent(keyed.country(row), SyntheticPopulation::country9),
                            0, rec, 22, 9);
                    int base = row * k;
                    for (int i = 0; i < k; i++) {
                        rec[31 + i] = (byte) ('0' + ans[base + i]);
                    }
                    out.write(rec);
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            ctx.progress(n, n);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private static int caseNumber(String id, int row) {
        if (id != null && !id.isEmpty() && id.length() <= 6 && id.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return Integer.parseInt(id);
        }
        if (row + 1 > 999_999) {
            throw new IllegalArgumentException("row " + (row + 1) + " has no numeric id of at most 6 digits, and its "
                    + "row number does not fit IPIP120.dat's 6-digit CASE field");
        }
        return row + 1;
    }

    private static byte[] country9(String name) {
        byte[] b = new byte[9];
        Arrays.fill(b, (byte) ' ');
        String s = name == null ? "" : name;
        for (int i = 0; i < Math.min(9, s.length()); i++) {
            char c = s.charAt(i);
            b[i] = c >= 32 && c < 127 ? (byte) c : (byte) '?';
        }
        return b;
    }

    /** Writes {@code value} right-aligned, space-padded, into {@code width} bytes at {@code at}. */
    private static void put(byte[] rec, int at, int width, int value) {
        int v = value;
        for (int i = at + width - 1; i >= at; i--) {
            rec[i] = (byte) (v == 0 && i < at + width - 1 ? ' ' : '0' + v % 10);
            v /= 10;
        }
    }
}
