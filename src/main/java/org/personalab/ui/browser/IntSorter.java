package org.personalab.ui.browser;

/** Stable merge sort of an {@code int[]} with a primitive comparator: no boxing, for row indices. */
final class IntSorter {

    /** Compares two ints; the contract of {@link java.util.Comparator}. */
    @FunctionalInterface
    interface IntComparator {
        int compare(int a, int b);
    }

    private static final int INSERTION = 24;

    private IntSorter() {
    }

    static void sort(int[] a, IntComparator cmp) {
        if (a.length < 2) {
            return;
        }
        int[] buf = a.clone();
        mergeSort(buf, a, 0, a.length, cmp);
    }

    /** Sorts src[from, to) into dst[from, to); both start with the same content. */
    private static void mergeSort(int[] src, int[] dst, int from, int to, IntComparator cmp) {
        int len = to - from;
        if (len <= INSERTION) {
            for (int i = from + 1; i < to; i++) {
                int v = dst[i];
                int j = i - 1;
                while (j >= from && cmp.compare(dst[j], v) > 0) {
                    dst[j + 1] = dst[j];
                    j--;
                }
                dst[j + 1] = v;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(dst, src, from, mid, cmp);
        mergeSort(dst, src, mid, to, cmp);
        if (cmp.compare(src[mid - 1], src[mid]) <= 0) {
            System.arraycopy(src, from, dst, from, len);
            return;
        }
        for (int i = from, p = from, q = mid; i < to; i++) {
            if (q >= to || (p < mid && cmp.compare(src[p], src[q]) <= 0)) {
                dst[i] = src[p++];
            } else {
                dst[i] = src[q++];
            }
        }
    }
}
