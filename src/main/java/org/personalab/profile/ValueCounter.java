package org.personalab.profile;

import java.util.Arrays;

/** Counts occurrences of float values (open addressing on the float bits); NaN is ignored. Not thread-safe. */
final class ValueCounter {

    private static final int EMPTY = 0x7fc00001; // a NaN payload that Float.floatToRawIntBits of real data never has
    private int[] keys;
    private int[] counts;
    private int size;

    ValueCounter() {
        keys = new int[64];
        Arrays.fill(keys, EMPTY);
        counts = new int[64];
    }

    void add(float v) {
        if (v != v) {
            return;
        }
        if (v == 0f) {
            v = 0f; // fold -0.0 into 0.0
        }
        int k = Float.floatToRawIntBits(v);
        int mask = keys.length - 1;
        int i = mix(k) & mask;
        while (true) {
            int cur = keys[i];
            if (cur == k) {
                counts[i]++;
                return;
            }
            if (cur == EMPTY) {
                keys[i] = k;
                counts[i] = 1;
                if (++size * 2 > keys.length) {
                    grow();
                }
                return;
            }
            i = (i + 1) & mask;
        }
    }

    void addCount(float v, int count) {
        if (count <= 0) {
            return;
        }
        add(v);
        int k = Float.floatToRawIntBits(v == 0f ? 0f : v);
        int mask = keys.length - 1;
        int i = mix(k) & mask;
        while (keys[i] != k) {
            i = (i + 1) & mask;
        }
        counts[i] += count - 1;
    }

    void mergeInto(ValueCounter target) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                target.addCount(Float.intBitsToFloat(keys[i]), counts[i]);
            }
        }
    }

    ScaleDistribution toDistribution() {
        float[] vals = new float[size];
        int j = 0;
        for (int key : keys) {
            if (key != EMPTY) {
                vals[j++] = Float.intBitsToFloat(key);
            }
        }
        Arrays.sort(vals);
        int[] cs = new int[size];
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                cs[Arrays.binarySearch(vals, Float.intBitsToFloat(keys[i]))] = counts[i];
            }
        }
        return new ScaleDistribution(vals, cs);
    }

    private void grow() {
        int[] ok = keys;
        int[] oc = counts;
        keys = new int[ok.length * 2];
        Arrays.fill(keys, EMPTY);
        counts = new int[ok.length * 2];
        size = 0;
        for (int i = 0; i < ok.length; i++) {
            if (ok[i] != EMPTY) {
                addCount(Float.intBitsToFloat(ok[i]), oc[i]);
            }
        }
    }

    private static int mix(int k) {
        int h = k * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
