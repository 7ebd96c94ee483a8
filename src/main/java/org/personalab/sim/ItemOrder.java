package org.personalab.sim;

import java.util.SplittableRandom;

/**
 * The order items are put to an agent: the inventory's own ({@link #FIXED}) or shuffled per agent from a seed, so that
 * order effects can be measured and a run is reproducible (the same seed and agent give the same order).
 *
 * @param seed the shuffle seed, or null for the fixed order
 */
public record ItemOrder(Long seed) {

    public static final ItemOrder FIXED = new ItemOrder(null);

    public static ItemOrder shuffled(long seed) {
        return new ItemOrder(seed);
    }

    public boolean isShuffled() {
        return seed != null;
    }

    /** 0-based item indices in the order agent {@code agentKey} (its spec id) gets them. */
    public int[] order(int items, long agentKey) {
        int[] o = new int[items];
        for (int i = 0; i < items; i++) {
            o[i] = i;
        }
        if (seed != null) {
            SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ agentKey);
            for (int i = items - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = o[i];
                o[i] = o[j];
                o[j] = t;
            }
        }
        return o;
    }

    public String id() {
        return seed == null ? "fixed" : "shuffled:" + seed;
    }
}
