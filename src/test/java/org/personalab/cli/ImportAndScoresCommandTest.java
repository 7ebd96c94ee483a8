package org.personalab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.store.Workspace;
import org.personalab.support.Shared;

/**
 * The acceptance path of the foundation: import the real ../shared files through the command line, export scores,
 * and compare every score and level with an independent computation written here from the raw answers.
 */
class ImportAndScoresCommandTest {

    @TempDir
    Path dir;

    static final String[] SCALES = {"N1", "N2", "N3", "N4", "N5", "N6", "E1", "E2", "E3", "E4", "E5", "E6", "O1", "O2",
        "O3", "O4", "O5", "O6", "A1", "A2", "A3", "A4", "A5", "A6", "C1", "C2", "C3", "C4", "C5", "C6", "N", "E", "O",
        "A", "C"};
    static final String[] LEVELS = {"Very Low", "Low", "Medium", "High", "Very High"};

    @Test
    void papiIpip120RawCsvScoresEqualIndependentComputation() throws Exception {
        Path ws = dir.resolve("ws");
        Path raw = Shared.data("papi_test300_ipip120_raw.csv");
        CliTestSupport.Result r = CliTestSupport.run("import", "--workspace", ws.toString(), "--format", "csv",
                "--raw", "--name", "papi120", raw.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("respondents: 300 of 300 records (0 skipped)"), r.out());
        Path out = dir.resolve("scores.csv");
        CliTestSupport.Result s = CliTestSupport.run("scores", "--workspace", ws.toString(), "--dataset", "papi120",
                "--out", out.toString());
        assertEquals(0, s.code(), s.err());
        checkAgainstIndependent(out, Shared.csv(raw), "I", 120, 3, false);

        // the keyed file of the same people, imported as keyed, gives the same CSV byte for byte
        assertEquals(0, CliTestSupport.run("import", "--workspace", ws.toString(), "--format", "csv", "--keyed",
                "--name", "papi120k", Shared.data("papi_test300_ipip120_keyed.csv").toString()).code());
        Path out2 = dir.resolve("scores2.csv");
        assertEquals(0, CliTestSupport.run("scores", "--workspace", ws.toString(), "--dataset", "papi120k", "--out",
                out2.toString()).code());
        assertEquals(Files.readString(out), Files.readString(out2));
    }

    @Test
    void papiTestSetJsonScoresEqualIndependentComputationOnAll300Items() throws Exception {
        Path ws = dir.resolve("ws");
        CliTestSupport.Result r = CliTestSupport.run("import", "--workspace", ws.toString(), "--format", "papi",
                Shared.data("palign_PAPI_Test-set.json").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("IPIP-NEO-300, answers keyed"), r.out());
        Path out = dir.resolve("scores.csv");
        assertEquals(0, CliTestSupport.run("scores", "--workspace", ws.toString(), "--dataset",
                "palign_PAPI_Test-set", "--out", out.toString()).code());
        // independent: keyed answers from the flattened CSV, facets of 10 items, at least 8 answered
        checkAgainstIndependent(out, Shared.csv(Shared.data("papi_test300_ipip300_keyed.csv")), "i", 300, 8, true);
    }

    /**
     * Recomputes scores and levels from the source rows: facet membership and keys from ipip_neo_300_item_key.csv,
     * levels from numpy-style percentiles of each sex × age-group cohort, falling back (fewer than 100 people) to the
     * same sex at all ages, then everyone.
     */
    private void checkAgainstIndependent(Path scoresCsv, List<String[]> source, String prefix, int items,
            int minAnswered, boolean keyed) throws Exception {
        List<String[]> key = Shared.csv(Shared.data("ipip_neo_300_item_key.csv"));
        String[] kh = key.get(0);
        Map<String, List<int[]>> facetItems = new HashMap<>();
        for (String[] k : key.subList(1, key.size())) {
            String num = k[Shared.col(kh, items == 120 ? "ipip120_item" : "ipip300_item")];
            if (num.isEmpty()) {
                continue;
            }
            facetItems.computeIfAbsent(k[Shared.col(kh, "facet")], x -> new ArrayList<>())
                    .add(new int[] {Integer.parseInt(num), Integer.parseInt(k[Shared.col(kh, "keyed")])});
        }
        String[] h = source.get(0);
        int n = source.size() - 1;
        double[][] expected = new double[n][35];
        for (int p = 0; p < n; p++) {
            String[] row = source.get(p + 1);
            for (int f = 0; f < 30; f++) {
                double sum = 0;
                int answered = 0;
                for (int[] it : facetItems.get(SCALES[f])) {
                    int v = Integer.parseInt(row[Shared.col(h, prefix + it[0])]);
                    if (v != 0) {
                        sum += keyed || it[1] == 1 ? v : 6 - v;
                        answered++;
                    }
                }
                expected[p][f] = answered >= minAnswered ? sum / answered : Double.NaN;
            }
            for (int d = 0; d < 5; d++) {
                double sum = 0;
                for (int f = d * 6; f < d * 6 + 6; f++) {
                    sum += expected[p][f];
                }
                expected[p][30 + d] = sum / 6; // NaN when a facet is unscored
            }
        }
        // cohorts
        String[] cohort = new String[n];
        String[] sexOf = new String[n];
        Map<String, Integer> cohortSize = new HashMap<>();
        for (int p = 0; p < n; p++) {
            String[] row = source.get(p + 1);
            int age = Integer.parseInt(row[Shared.col(h, "age")]);
            String group = age < 18 ? "teen" : age <= 24 ? "young" : age <= 49 ? "adult" : age <= 64 ? "older"
                    : "senior";
            sexOf[p] = row[Shared.col(h, "sex")];
            cohort[p] = sexOf[p] + "/" + group;
            cohortSize.merge(cohort[p], 1, Integer::sum);
            cohortSize.merge(sexOf[p] + "/*", 1, Integer::sum);
        }
        List<String[]> ours = Shared.csv(scoresCsv);
        String[] oh = ours.get(0);
        assertEquals("id,sex,age,country," + String.join(",", SCALES) + ","
                + String.join(",", Arrays.stream(SCALES).map(x -> x + "_level").toArray(String[]::new)),
                String.join(",", oh));
        assertEquals(n + 1, ours.size());
        int levelChecks = 0;
        for (int p = 0; p < n; p++) {
            String[] o = ours.get(p + 1);
            assertEquals(source.get(p + 1)[0], o[0], "row order follows the file");
            assertEquals(sexOf[p].equals("1") ? "male" : "female", o[1]);
            String group = cohortSize.get(cohort[p]) >= 100 ? cohort[p]
                    : cohortSize.get(sexOf[p] + "/*") >= 100 ? sexOf[p] + "/*" : "*";
            for (int s = 0; s < 35; s++) {
                double e = expected[p][s];
                String cell = o[Shared.col(oh, SCALES[s])];
                if (Double.isNaN(e)) {
                    assertEquals("", cell, SCALES[s] + " of " + o[0]);
                    continue;
                }
                assertEquals(e, Double.parseDouble(cell), 0.00005 + 1e-9, SCALES[s] + " of " + o[0]);
                // level: percentiles of the person's group
                List<Double> vals = new ArrayList<>();
                for (int q = 0; q < n; q++) {
                    boolean in = group.equals("*") || cohort[q].equals(group)
                            || (group.endsWith("/*") && sexOf[q].equals(sexOf[p]));
                    if (in && !Double.isNaN(expected[q][s])) {
                        vals.add((double) (float) expected[q][s]);
                    }
                }
                double[] xs = vals.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                double[] cuts = new double[4];
                double[] pct = {10, 30, 70, 90};
                for (int c = 0; c < 4; c++) {
                    double hh = (xs.length - 1) * pct[c] / 100;
                    int lo = (int) Math.floor(hh);
                    int hi = Math.min(xs.length - 1, lo + 1);
                    cuts[c] = (float) (xs[lo] + (hh - lo) * (xs[hi] - xs[lo]));
                }
                float v = (float) e;
                int level = v < cuts[0] ? 0 : v < cuts[1] ? 1 : v < cuts[2] ? 2 : v < cuts[3] ? 3 : 4;
                assertEquals(LEVELS[level], o[Shared.col(oh, SCALES[s] + "_level")], SCALES[s] + " level of " + o[0]);
                levelChecks++;
            }
        }
        assertTrue(levelChecks > n * 30, "levels were checked");
        assertEquals("ok", Workspace.open(dir.resolve("ws")).integrityCheck());
    }
}
