package org.personalab.inventory;

import java.util.stream.IntStream;

/**
 * Facet and domain scoring of IPIP-NEO answers, by the rule stated in {@link ScoringRule}.
 * Output is {@link Scale#COUNT} floats per respondent in {@link Scale} order; NaN marks a missing score.
 */
public final class Scorer {

    private final Inventory inventory;
    private final ScoringRule rule;
    /** Per item: true when the stored value must be reversed to become trait-aligned. */
    private final boolean[] reverseStored;
    private final int[][] facetItems;
    private final int[] minAnswered;

    public Scorer(Inventory inventory, AnswerEncoding encoding, ScoringRule rule) {
        this.inventory = inventory;
        this.rule = rule;
        int k = inventory.size();
        reverseStored = new boolean[k];
        for (int i = 0; i < k; i++) {
            reverseStored[i] = encoding == AnswerEncoding.RAW && inventory.items().get(i).reversed();
        }
        facetItems = inventory.facetItemIndices();
        minAnswered = new int[30];
        for (int f = 0; f < 30; f++) {
            minAnswered[f] = rule.minAnswered(facetItems[f].length);
        }
    }

    public Inventory inventory() {
        return inventory;
    }

    public ScoringRule rule() {
        return rule;
    }

    /** Scores one respondent whose stored answers start at {@code offset} of {@code answers}; writes 35 floats. */
    public void score(byte[] answers, int offset, float[] out, int outOffset) {
        double domainSum = 0; // facet means summed exactly in double, rounded to float once
        boolean domainOk = true;
        for (int f = 0; f < 30; f++) {
            int[] idx = facetItems[f];
            int sum = 0;
            int answered = 0;
            for (int i : idx) {
                int v = answers[offset + i];
                if (v != 0) {
                    sum += reverseStored[i] ? 6 - v : v;
                    answered++;
                }
            }
            if (answered >= minAnswered[f]) {
                double mean = (double) sum / answered;
                out[outOffset + f] = (float) mean;
                domainSum += mean;
            } else {
                out[outOffset + f] = Float.NaN;
                domainOk = false;
            }
            if (f % 6 == 5) {
                out[outOffset + 30 + f / 6] = domainOk ? (float) (domainSum / 6) : Float.NaN;
                domainSum = 0;
                domainOk = true;
            }
        }
    }

    /** Scores one respondent (answers indexed from item 1 at index 0). */
    public float[] score(byte[] answers) {
        float[] out = new float[Scale.COUNT];
        score(answers, 0, out, 0);
        return out;
    }

    /** Scores {@code n} respondents of a row-major answer matrix, in parallel. */
    public float[] scoreAll(byte[] answerMatrix, int n) {
        int k = inventory.size();
        float[] out = new float[n * Scale.COUNT];
        int chunk = 8192;
        IntStream.range(0, (n + chunk - 1) / chunk).parallel().forEach(c -> {
            int end = Math.min(n, (c + 1) * chunk);
            for (int r = c * chunk; r < end; r++) {
                score(answerMatrix, r * k, out, r * Scale.COUNT);
            }
        });
        return out;
    }

    /** Checks that every value is 0..5; returns the offending index or -1. */
    public static int firstInvalid(byte[] answers) {
        for (int i = 0; i < answers.length; i++) {
            if (answers[i] < 0 || answers[i] > 5) {
                return i;
            }
        }
        return -1;
    }
}
