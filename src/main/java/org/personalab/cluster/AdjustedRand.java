package org.personalab.cluster;

/** Adjusted Rand index of two labelings (Hubert and Arabie), from their contingency table. */
public final class AdjustedRand {

    private AdjustedRand() {
    }

    /** ARI of labelings with values 0..; 1 for identical partitions (up to renaming), about 0 for chance. */
    public static double of(int[] a, int[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("labelings differ in length: " + a.length + " vs " + b.length);
        }
        int n = a.length;
        int ka = max(a) + 1;
        int kb = max(b) + 1;
        long[] table = new long[ka * kb];
        long[] rows = new long[ka];
        long[] cols = new long[kb];
        for (int i = 0; i < n; i++) {
            table[a[i] * kb + b[i]]++;
            rows[a[i]]++;
            cols[b[i]]++;
        }
        double index = 0;
        for (long v : table) {
            index += pairs(v);
        }
        double sumA = 0;
        for (long v : rows) {
            sumA += pairs(v);
        }
        double sumB = 0;
        for (long v : cols) {
            sumB += pairs(v);
        }
        double total = pairs(n);
        if (total == 0) {
            return 1.0;
        }
        double expected = sumA * sumB / total;
        double maxIndex = (sumA + sumB) / 2;
        if (maxIndex == expected) {
            return 1.0; // both trivial (one cluster each, or all singletons): identical by convention, as sklearn
        }
        return (index - expected) / (maxIndex - expected);
    }

    private static double pairs(long v) {
        return v * (v - 1) / 2.0;
    }

    private static int max(int[] l) {
        int m = -1;
        for (int v : l) {
            if (v < 0) {
                throw new IllegalArgumentException("negative label " + v);
            }
            m = Math.max(m, v);
        }
        return m;
    }
}
