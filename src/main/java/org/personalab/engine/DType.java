package org.personalab.engine;

/**
 * The floating-point element types of a safetensors file that the engine reads and writes, with their exact
 * conversions to and from {@code float}. Everything is decoded in Java: DJL's PyTorch binding has no bfloat16 case
 * and aborts the JVM on a BFLOAT16 array (STACK.md), so bf16 never reaches the engine.
 */
public enum DType {
    /** IEEE 754 binary32. */
    F32(4),
    /** IEEE 754 binary16 (half precision). */
    F16(2),
    /** bfloat16: the upper 16 bits of a binary32, so decoding is exact ({@code bits << 16}). */
    BF16(2);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The dtype named in a safetensors header ("F32", "F16", "BF16"), or null when the engine cannot read it. */
    public static DType fromHeader(String name) {
        return switch (name) {
            case "F32" -> F32;
            case "F16" -> F16;
            case "BF16" -> BF16;
            default -> null;
        };
    }

    /** The float a bf16 bit pattern stands for (exact). */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** The nearest bf16 to {@code v}, ties to even (as PyTorch rounds); NaN stays a quiet NaN. */
    public static short floatToBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int lsb = (bits >>> 16) & 1;
        return (short) ((bits + 0x7fff + lsb) >>> 16);
    }
}
