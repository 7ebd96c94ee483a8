package org.personalab.engine.train;

/**
 * One training sequence: token ids and, per position, the label the loss uses ({@code -100}, as in Hugging Face,
 * where the position is not trained: prompt, system and user tokens). Position t's logits predict label t + 1.
 */
public record Sequence(int[] ids, int[] labels) {

    public static final int IGNORE = -100;

    public Sequence {
        if (ids.length != labels.length || ids.length == 0) {
            throw new IllegalArgumentException("a sequence needs as many labels as ids, and at least one id");
        }
    }

    /** Positions that count in the loss (the first position never does: nothing predicts it). */
    public int labelled() {
        int n = 0;
        for (int t = 1; t < labels.length; t++) {
            if (labels[t] != IGNORE) {
                n++;
            }
        }
        return n;
    }

    /** The same sequence cut to its first {@code max} tokens. */
    Sequence truncate(int max) {
        return ids.length <= max ? this
                : new Sequence(java.util.Arrays.copyOf(ids, max), java.util.Arrays.copyOf(labels, max));
    }

    /** The same sequence cut to its last {@code max} tokens (the beginning of the prompt goes first). */
    Sequence truncateStart(int max) {
        return ids.length <= max ? this
                : new Sequence(java.util.Arrays.copyOfRange(ids, ids.length - max, ids.length),
                        java.util.Arrays.copyOfRange(labels, labels.length - max, labels.length));
    }
}
