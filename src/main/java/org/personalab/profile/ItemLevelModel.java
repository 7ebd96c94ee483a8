package org.personalab.profile;

import org.personalab.data.Responses;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;
import org.personalab.inventory.Item;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;

/**
 * An ordinal answer model estimated from a scored dataset: for every item and every level of the item's facet, the
 * distribution of raw answers (1..5, 5 = Very Accurate with the statement as written) among the people at that level.
 * It is what "the levels a spec states" predict about each answer, and it serves two purposes: the offline
 * psychometric respondent answers from it, and the profile-only ceiling baseline predicts each person's items from
 * their true facet levels with it.
 *
 * <p>Counts get add-{@value #PRIOR} smoothing so that a level nobody in the dataset holds still has a proper
 * distribution; people without a level for the facet, and missing answers, are left out.
 */
public final class ItemLevelModel {

    /** Pseudo-count added to every cell (Jeffreys-style smoothing). */
    public static final double PRIOR = 0.5;

    private static final int LEVELS = Level.values().length;

    private final Inventory inventory;
    /** [item][level][answer-1] probabilities. */
    private final double[][][] p;
    /** [item][level] people counted. */
    private final int[][] n;

    private ItemLevelModel(Inventory inventory, double[][][] p, int[][] n) {
        this.inventory = inventory;
        this.p = p;
        this.n = n;
    }

    /** Estimates the model from every row of {@code sd} (all rows count; pass a training subset to avoid leakage). */
    public static ItemLevelModel estimate(ScoredDataset sd) {
        int[] all = new int[sd.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return estimate(sd, all);
    }

    /** Estimates the model from the given rows of {@code sd} only. */
    public static ItemLevelModel estimate(ScoredDataset sd, int[] rows) {
        Responses r = sd.responses();
        Inventory inv = r.inventory();
        int items = inv.size();
        long[][][] counts = new long[items][LEVELS][5];
        Scale[] facetOf = new Scale[items];
        for (int i = 0; i < items; i++) {
            facetOf[i] = Scale.of(inv.items().get(i).facet());
        }
        AnswerEncoding enc = r.encoding();
        for (int row : rows) {
            for (int i = 0; i < items; i++) {
                byte code = sd.levelCode(row, facetOf[i]);
                if (code < 0) {
                    continue;
                }
                int raw = AnswerEncoding.raw(enc, inv.items().get(i).keying(), r.answer(row, i + 1));
                if (raw >= 1 && raw <= 5) {
                    counts[i][code][raw - 1]++;
                }
            }
        }
        double[][][] p = new double[items][LEVELS][5];
        int[][] n = new int[items][LEVELS];
        for (int i = 0; i < items; i++) {
            for (int l = 0; l < LEVELS; l++) {
                long total = 0;
                for (int a = 0; a < 5; a++) {
                    total += counts[i][l][a];
                }
                n[i][l] = (int) total;
                for (int a = 0; a < 5; a++) {
                    p[i][l][a] = (counts[i][l][a] + PRIOR) / (total + 5 * PRIOR);
                }
            }
        }
        return new ItemLevelModel(inv, p, n);
    }

    public Inventory inventory() {
        return inventory;
    }

    /** P(raw answer = a + 1) for item index {@code item} (0-based, inventory order) at {@code level}; a copy. */
    public double[] distribution(int item, Level level) {
        return p[item][level.ordinal()].clone();
    }

    /** The most likely raw answer (1..5); ties go to the answer nearer the middle, then the lower one. */
    public int mode(int item, Level level) {
        double[] d = p[item][level.ordinal()];
        int best = 0;
        for (int a = 1; a < 5; a++) {
            if (d[a] > d[best] + 1e-12
                    || (Math.abs(d[a] - d[best]) <= 1e-12 && Math.abs(a - 2) < Math.abs(best - 2))) {
                best = a;
            }
        }
        return best + 1;
    }

    /** The expected raw answer (1..5). */
    public double mean(int item, Level level) {
        double[] d = p[item][level.ordinal()];
        double m = 0;
        for (int a = 0; a < 5; a++) {
            m += (a + 1) * d[a];
        }
        return m;
    }

    /**
     * The median raw answer (1..5): the answer minimising the expected absolute difference, which makes it the best
     * single guess for mean-absolute-difference metrics.
     */
    public int median(int item, Level level) {
        double[] d = p[item][level.ordinal()];
        double c = 0;
        for (int a = 0; a < 5; a++) {
            c += d[a];
            if (c >= 0.5) {
                return a + 1;
            }
        }
        return 5;
    }

    /** How many people the estimate for this item and level rests on. */
    public int support(int item, Level level) {
        return n[item][level.ordinal()];
    }

    /**
     * Draws a raw answer (1..5) from the item's distribution at {@code level}, with {@code u} uniform in [0, 1) (the
     * caller owns the random stream, so draws are reproducible).
     */
    public int sample(int item, Level level, double u) {
        double[] d = p[item][level.ordinal()];
        double c = 0;
        for (int a = 0; a < 5; a++) {
            c += d[a];
            if (u < c) {
                return a + 1;
            }
        }
        return 5;
    }

    /**
     * This model carried over to another form of the inventory: an item both forms share (same IPIP-NEO-300 number)
     * keeps its estimate; an item the estimation data did not contain gets the mean distribution of the estimated
     * items of its facet with the same key (or, when there are none, the mirrored mean of those with the opposite
     * key) and a support of 0. So a model estimated from IPIP-NEO-120 answers also answers the 180 further items of
     * the IPIP-NEO-300, from its facet level alone.
     */
    public ItemLevelModel forInventory(Inventory target) {
        if (target == inventory) {
            return this;
        }
        java.util.Map<Integer, Integer> byFull = new java.util.HashMap<>();
        for (int i = 0; i < inventory.size(); i++) {
            byFull.put(inventory.items().get(i).ipip300(), i);
        }
        int items = target.size();
        double[][][] q = new double[items][LEVELS][5];
        int[][] m = new int[items][LEVELS];
        for (int t = 0; t < items; t++) {
            Item it = target.items().get(t);
            Integer src = byFull.get(it.ipip300());
            if (src != null) {
                for (int l = 0; l < LEVELS; l++) {
                    q[t][l] = p[src][l].clone();
                    m[t][l] = n[src][l];
                }
                continue;
            }
            for (int l = 0; l < LEVELS; l++) {
                q[t][l] = pooled(it, l);
            }
        }
        return new ItemLevelModel(target, q, m);
    }

    private double[] pooled(Item target, int level) {
        double[] same = new double[5];
        double[] opposite = new double[5];
        int ns = 0;
        int no = 0;
        for (int i = 0; i < inventory.size(); i++) {
            Item it = inventory.items().get(i);
            if (it.facet() != target.facet()) {
                continue;
            }
            boolean sameKey = it.keying() == target.keying();
            for (int a = 0; a < 5; a++) {
                if (sameKey) {
                    same[a] += p[i][level][a];
                } else {
                    opposite[4 - a] += p[i][level][a];
                }
            }
            if (sameKey) {
                ns++;
            } else {
                no++;
            }
        }
        double[] d = ns > 0 ? same : opposite;
        int k = ns > 0 ? ns : no;
        if (k == 0) {
            throw new IllegalStateException(inventory + " has no item of facet " + target.facet());
        }
        for (int a = 0; a < 5; a++) {
            d[a] /= k;
        }
        return d;
    }

    /** The item at index {@code item}. */
    public Item item(int item) {
        return inventory.items().get(item);
    }
}
