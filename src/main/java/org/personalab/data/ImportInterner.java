package org.personalab.data;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Shares one String per distinct value (countries): the 619,150 rows of a Johnson file name about 200 countries.
 * The byte-range form looks values up without creating a String per row.
 */
final class ImportInterner {

    private byte[][] keys = new byte[256][];
    private String[] values = new String[256];
    private int count;
    private final Map<String, String> strings = new HashMap<>();

    /** The shared String for {@code text}. */
    String intern(String text) {
        String old = strings.putIfAbsent(text, text);
        return old != null ? old : text;
    }

    /** The shared String for bytes {@code b[from..to)}; {@code decoded} makes it when first seen. */
    String intern(byte[] b, int from, int to, Decoder decoded) {
        int h = 1;
        for (int i = from; i < to; i++) {
            h = 31 * h + b[i];
        }
        int mask = keys.length - 1;
        int slot = mix(h) & mask;
        while (keys[slot] != null) {
            if (Arrays.equals(keys[slot], 0, keys[slot].length, b, from, to)) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        String s = intern(decoded.decode(b, from, to));
        keys[slot] = Arrays.copyOfRange(b, from, to);
        values[slot] = s;
        if (++count * 2 > keys.length) {
            grow();
        }
        return s;
    }

    private void grow() {
        byte[][] oldKeys = keys;
        String[] oldValues = values;
        keys = new byte[oldKeys.length * 2][];
        values = new String[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            byte[] k = oldKeys[i];
            if (k == null) {
                continue;
            }
            int h = 1;
            for (byte x : k) {
                h = 31 * h + x;
            }
            int slot = mix(h) & mask;
            while (keys[slot] != null) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = k;
            values[slot] = oldValues[i];
        }
    }

    private static int mix(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /** Makes the String for a byte range seen for the first time. */
    @FunctionalInterface
    interface Decoder {
        String decode(byte[] b, int from, int to);
    }
}
