package org.personalab.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SplitterTest {

    /** Cluster sizes 100, 50, 30 (rows interleaved). */
    private static int[] labels() {
        int[] l = new int[180];
        int[] left = {100, 50, 30};
        for (int r = 0, c = 0; r < l.length; c = (c + 1) % 3) {
            if (left[c] > 0) {
                l[r++] = c;
                left[c]--;
            }
        }
        return l;
    }

    private static <V> Map<String, V> map(String a, V va, String b, V vb) {
        Map<String, V> m = new LinkedHashMap<>();
        m.put(a, va);
        m.put(b, vb);
        return m;
    }

    @Test
    void perClusterCountsAreExactDisjointAndSkipClustersThatAreTooSmall() {
        int[] l = labels();
        SplitPlan plan = new SplitPlan.PerCluster(map("train", 20, "test", 20));
        SplitAssignment a = Splitter.draw(l, 3, plan, 42, null, 0, null);
        assertEquals(List.of(2), a.skipped(), "30 people cannot give 20 + 20");
        int[][] by = a.byCluster(l, 3);
        assertArrayEquals(new int[] {20, 20}, by[0]);
        assertArrayEquals(new int[] {20, 20}, by[1]);
        assertArrayEquals(new int[] {0, 0}, by[2]);
        assertArrayEquals(new int[] {40, 40}, a.sizes());
        assertTrue(SplitChecks.verify(a, l, 3, plan, null, 0, null).isEmpty());
        // the same seed draws the same people, another seed others
        assertArrayEquals(a.split(), Splitter.draw(l, 3, plan, 42, null, 0, null).split());
        assertFalse(Arrays.equals(a.split(), Splitter.draw(l, 3, plan, 43, null, 0, null).split()));
    }

    @Test
    void fractionsKeepEveryClustersShareWithinOnePerson() {
        int[] l = labels();
        SplitPlan plan = new SplitPlan.Fractions(map("train", 0.8, "test", 0.2));
        SplitAssignment a = Splitter.draw(l, 3, plan, 1, null, 0, null);
        int[][] by = a.byCluster(l, 3);
        assertArrayEquals(new int[] {80, 20}, by[0]);
        assertArrayEquals(new int[] {40, 10}, by[1]);
        assertArrayEquals(new int[] {24, 6}, by[2]);
        assertTrue(Arrays.stream(a.split()).allMatch(s -> s >= 0), "fractions adding up to 1 place everyone");
        assertTrue(SplitChecks.verify(a, l, 3, plan, null, 0, null).isEmpty());
        SplitPlan third = new SplitPlan.Fractions(map("a", 1 / 3.0, "b", 1 / 3.0));
        SplitAssignment t = Splitter.draw(l, 3, third, 1, null, 0, null);
        assertTrue(SplitChecks.verify(t, l, 3, third, null, 0, null).isEmpty());
        assertEquals(120, Arrays.stream(t.sizes()).sum());
    }

    @Test
    void proportionalTotalsAreMetExactlyAndSharedBySize() {
        int[] l = labels();
        SplitPlan plan = new SplitPlan.Proportional(map("train", 90, "test", 36));
        SplitAssignment a = Splitter.draw(l, 3, plan, 5, null, 0, null);
        assertArrayEquals(new int[] {90, 36}, a.sizes());
        int[][] by = a.byCluster(l, 3);
        assertArrayEquals(new int[] {50, 20}, by[0]);
        assertArrayEquals(new int[] {25, 10}, by[1]);
        assertArrayEquals(new int[] {15, 6}, by[2]);
        assertTrue(SplitChecks.verify(a, l, 3, plan, null, 0, null).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> Splitter.draw(l, 3,
                new SplitPlan.Proportional(map("a", 100, "b", 81)), 5, null, 0, null));
    }

    @Test
    void representativesAreTheirCentroidsNearestPeopleAndTheRestGoesToTheRestSplit() {
        ClusterTestData t = ClusterTestData.blobs(900, 4, 3, 10, 3);
        KMeansResult km = KMeans.fit(t.x, t.n, t.d, new KMeansParams(3, 2, 300, 1e-4, 1),
                org.personalab.task.TaskContext.none());
        SplitPlan plan = new SplitPlan.Representatives("test", 2, "dev");
        SplitAssignment a = Splitter.draw(km.labels(), 3, plan, 0, t.x, t.d, km.centroids());
        assertArrayEquals(new int[] {6, 894}, a.sizes());
        for (int c = 0; c < 3; c++) {
            double worstChosen = 0;
            double bestOther = Double.POSITIVE_INFINITY;
            for (int r = 0; r < t.n; r++) {
                if (km.labels()[r] != c) {
                    continue;
                }
                double dist = Kernels.exactSq(t.x, r * t.d, km.centroids(), c * t.d, t.d);
                if (a.split()[r] == 0) {
                    worstChosen = Math.max(worstChosen, dist);
                } else {
                    bestOther = Math.min(bestOther, dist);
                }
            }
            assertTrue(worstChosen <= bestOther, "cluster " + c);
        }
        assertTrue(SplitChecks.verify(a, km.labels(), 3, plan, t.x, t.d, km.centroids()).isEmpty());
        // without a rest split, only the representatives are placed
        SplitAssignment only = Splitter.draw(km.labels(), 3, new SplitPlan.Representatives("test", 1, null), 0, t.x,
                t.d, km.centroids());
        assertArrayEquals(new int[] {3}, only.sizes());
    }

    @Test
    void checksCatchABrokenSplitSet() {
        int[] l = labels();
        SplitPlan plan = new SplitPlan.PerCluster(map("train", 10, "test", 5));
        SplitAssignment a = Splitter.draw(l, 3, plan, 42, null, 0, null);
        int moved = -1;
        for (int r = 0; r < l.length && moved < 0; r++) {
            if (a.split()[r] == 1) {
                moved = r;
            }
        }
        a.split()[moved] = 0; // one test person moved to train: stratification and sizes break
        List<String> problems = SplitChecks.verify(a, l, 3, plan, null, 0, null);
        assertFalse(problems.isEmpty());
        assertTrue(problems.get(0).contains("cluster " + l[moved]), problems.toString());

        ClusterTestData t = ClusterTestData.blobs(300, 3, 2, 10, 1);
        KMeansResult km = KMeans.fit(t.x, t.n, t.d, new KMeansParams(2, 1, 300, 1e-4, 1),
                org.personalab.task.TaskContext.none());
        SplitPlan rep = new SplitPlan.Representatives("test", 1, null);
        SplitAssignment ra = Splitter.draw(km.labels(), 2, rep, 0, t.x, t.d, km.centroids());
        int chosen = -1;
        int other = -1;
        for (int r = 0; r < t.n; r++) {
            if (km.labels()[r] == 0 && ra.split()[r] == 0) {
                chosen = r;
            } else if (km.labels()[r] == 0 && other < 0) {
                other = r;
            }
        }
        ra.split()[chosen] = -1;
        ra.split()[other] = 0; // someone farther represents cluster 0
        assertTrue(SplitChecks.verify(ra, km.labels(), 2, rep, t.x, t.d, km.centroids()).stream()
                .anyMatch(p -> p.contains("farther")));
    }

    @Test
    void plansRefuseBadNamesAndImpossibleShares() {
        assertThrows(IllegalArgumentException.class, () -> new SplitPlan.PerCluster(Map.of("has space", 3)));
        assertThrows(IllegalArgumentException.class, () -> new SplitPlan.PerCluster(Map.of("train", 0)));
        assertThrows(IllegalArgumentException.class, () -> new SplitPlan.Fractions(map("a", 0.7, "b", 0.4)));
        assertThrows(IllegalArgumentException.class, () -> new SplitPlan.Representatives("test", 0, null));
        assertThrows(IllegalArgumentException.class, () -> new SplitPlan.Representatives("test", 1, "test"));
        assertEquals(List.of("train", "test"), new SplitPlan.PerCluster(map("train", 1, "test", 2)).names());
    }
}
