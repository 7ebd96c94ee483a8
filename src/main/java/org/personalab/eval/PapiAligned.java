package org.personalab.eval;

import java.util.Arrays;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Inventory;
import org.personalab.inventory.Item;

/**
 * The "Aligned Score" of the PAPI benchmark (Zhu et al., "Personality Alignment of Large Language Models", ICLR 2025,
 * Eq. 2): for each Big Five domain, the mean |agent - person| answer difference over the domain's <em>held-out</em>
 * items — the 180 IPIP-NEO-300 items that are not in the IPIP-NEO-120 (PAPI trains on the 120 and tests on the other
 * 180; {@code mpi_300_split.json}'s {@code test_index}). The composite is the sum of the five domain scores (the
 * paper's Table 1: e.g. 1.02 + 0.83 + 0.81 + 0.80 + 0.96 = 4.42), so 0–20; lower is better.
 *
 * <p>Two deliberate departures from PAlign's code, both corrections: answers are compared as raw agreement with the
 * printed statement (PAlign compared model answers with already reverse-keyed person values on the 93 negatively keyed
 * test items), and a missing answer on either side is left out (PAlign scored a missing person answer as 0). The
 * per-domain mean over subjects of Eq. 2 is the mean of these per-agent values, which is what the summary reports.
 *
 * <p>An agent that answered a different inventory (the 120-item form) has no held-out items: every value is NaN.
 *
 * @param domains aligned score per domain in {@link Domain} order (N, E, O, A, C); NaN when no held-out item of the
 *                domain was answered by both
 * @param composite sum of the five; NaN when any domain is NaN
 */
public record PapiAligned(double[] domains, double composite) {

    /** Number of held-out items. */
    public static final int HELD_OUT_ITEMS = 180;

    private static final boolean[] IN_120 = new boolean[301];

    static {
        for (Item i : Inventory.IPIP_NEO_120.items()) {
            IN_120[i.ipip300()] = true;
        }
    }

    public static final PapiAligned NONE = new PapiAligned(nan5(), Double.NaN);

    /** Whether an item is one of PAPI's 180 held-out test items. */
    public static boolean isHeldOut(Item item) {
        return !IN_120[item.ipip300()];
    }

    /** Whether {@code inv} contains all 180 held-out items (the IPIP-NEO-300 does). */
    public static boolean covers(Inventory inv) {
        int n = 0;
        for (Item i : inv.items()) {
            if (isHeldOut(i)) {
                n++;
            }
        }
        return n == HELD_OUT_ITEMS;
    }

    /** Aligned scores of one agent's raw answers against the person's (both in {@code inv}'s order, 0 = missing). */
    public static PapiAligned of(Inventory inv, byte[] agentRaw, byte[] personRaw) {
        return compute(inv, personRaw, (i, v) -> agentRaw[i] == 0 ? Double.NaN : Math.abs(agentRaw[i] - v));
    }

    /**
     * Aligned scores of an agent whose |difference| on item {@code i} against person answer {@code v} is given by
     * {@code expected} (an expectation, for the uniform random baseline).
     */
    public static PapiAligned expected(Inventory inv, byte[] personRaw, ItemDifference expected) {
        return compute(inv, personRaw, expected);
    }

    /** |difference| (or its expectation) on item index {@code item} when the person answered {@code person} 1..5. */
    @FunctionalInterface
    public interface ItemDifference {
        /** NaN when the agent did not answer the item. */
        double of(int item, int person);
    }

    private static PapiAligned compute(Inventory inv, byte[] personRaw, ItemDifference diff) {
        if (!covers(inv)) {
            return NONE;
        }
        double[] sum = new double[5];
        int[] n = new int[5];
        for (int i = 0; i < inv.size(); i++) {
            Item item = inv.items().get(i);
            int v = personRaw[i];
            if (!isHeldOut(item) || v == 0) {
                continue;
            }
            double d = diff.of(i, v);
            if (!Double.isNaN(d)) {
                sum[item.domain().ordinal()] += d;
                n[item.domain().ordinal()]++;
            }
        }
        double[] domains = new double[5];
        double composite = 0;
        for (int d = 0; d < 5; d++) {
            domains[d] = n[d] == 0 ? Double.NaN : sum[d] / n[d];
            composite += domains[d];
        }
        return new PapiAligned(domains, composite);
    }

    public double domain(Domain d) {
        return domains[d.ordinal()];
    }

    private static double[] nan5() {
        double[] d = new double[5];
        Arrays.fill(d, Double.NaN);
        return d;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PapiAligned p && Arrays.equals(p.domains, domains)
                && Double.compare(p.composite, composite) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(domains) * 31 + Double.hashCode(composite);
    }

    @Override
    public String toString() {
        return "PapiAligned" + Arrays.toString(domains) + ", composite " + composite;
    }
}
