package org.personalab.inventory;

/**
 * How the answer values of a dataset are stored.
 * <ul>
 * <li>{@link #RAW}: each value is the agreement with the printed statement (5 = Very Accurate), whatever the key.</li>
 * <li>{@link #KEYED}: negatively keyed items are already reversed (6 - raw), so every value is trait-aligned.
 * Johnson's IPIP120.dat/IPIP300.dat and the PAPI test set are stored this way.</li>
 * </ul>
 * 0 means missing in both encodings and is never converted.
 */
public enum AnswerEncoding {
    RAW, KEYED;

    /** The trait-aligned value (1..5) of a stored value, 0 when missing. */
    public static int keyed(AnswerEncoding encoding, Keying keying, int stored) {
        if (stored == 0 || encoding == KEYED || keying == Keying.PLUS) {
            return stored;
        }
        return 6 - stored;
    }

    /** The raw agreement (1..5, 5 = Very Accurate) of a stored value, 0 when missing. */
    public static int raw(AnswerEncoding encoding, Keying keying, int stored) {
        if (stored == 0 || encoding == RAW || keying == Keying.PLUS) {
            return stored;
        }
        return 6 - stored;
    }

    /** Converts a stored value from this encoding to {@code target}. */
    public int convert(AnswerEncoding target, Keying keying, int stored) {
        return target == KEYED ? keyed(this, keying, stored) : raw(this, keying, stored);
    }
}
