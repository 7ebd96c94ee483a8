package org.personalab.store;

/** Answers 0..5 packed two per byte: item i in the low nibble of byte i/2 when i is even, else the high nibble. */
final class AnswerPacking {

    private AnswerPacking() {
    }

    static byte[] pack(byte[] src, int offset, int count) {
        byte[] out = new byte[(count + 1) / 2];
        for (int i = 0; i < count; i++) {
            int v = src[offset + i] & 0x0f;
            out[i >> 1] |= (byte) ((i & 1) == 0 ? v : v << 4);
        }
        return out;
    }

    static void unpack(byte[] packed, byte[] dst, int offset, int count) {
        if (packed.length != (count + 1) / 2) {
            throw new StoreException("packed answers have " + packed.length + " bytes, expected " + (count + 1) / 2);
        }
        for (int i = 0; i < count; i++) {
            int b = packed[i >> 1];
            dst[offset + i] = (byte) ((i & 1) == 0 ? b & 0x0f : (b >> 4) & 0x0f);
        }
    }
}
