package org.personalab.eval;

import java.time.Instant;
import java.util.Arrays;
import java.util.function.IntBinaryOperator;
import org.personalab.data.DatasetInfo;
import org.personalab.data.Responses;
import org.personalab.data.Sex;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;
import org.personalab.inventory.Item;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;
import org.personalab.inventory.Scorer;
import org.personalab.inventory.ScoringRule;
import org.personalab.profile.GroupNorms;
import org.personalab.profile.NormGroup;
import org.personalab.profile.NormSet;
import org.personalab.profile.NormSpec;
import org.personalab.profile.Norms;
import org.personalab.profile.ScaleDistribution;
import org.personalab.profile.ScoredDataset;

/** Hand-built people, answer sheets, norms and datasets for the evaluation tests. */
final class EvalFixtures {

    static final Inventory I120 = Inventory.IPIP_NEO_120;
    static final Inventory I300 = Inventory.IPIP_NEO_300;

    private EvalFixtures() {
    }

    /** Raw answers whose trait-aligned (keyed) value on item i is {@code keyed.applyAsInt(i, facetOrdinal)}. */
    static byte[] keyedSheet(Inventory inv, IntBinaryOperator keyed) {
        byte[] out = new byte[inv.size()];
        for (int i = 0; i < out.length; i++) {
            Item it = inv.items().get(i);
            int k = keyed.applyAsInt(i, it.facet().ordinal());
            out[i] = (byte) (k == 0 ? 0 : it.reversed() ? 6 - k : k);
        }
        return out;
    }

    /** Every item answered {@code raw} as printed. */
    static byte[] constant(Inventory inv, int raw) {
        byte[] b = new byte[inv.size()];
        Arrays.fill(b, (byte) raw);
        return b;
    }

    /**
     * Norms where every scale's distribution is the scores 1, 2, 3, 4, 5 once each: cuts at the 10/30/70/90th
     * percentiles are 1.4, 2.2, 3.8 and 4.6, so below 1.4 is Very Low, below 2.2 Low, below 3.8 Medium, below 4.6
     * High, and 4.6 or more Very High.
     */
    static GroupNorms flatNorms() {
        ScaleDistribution[] d = new ScaleDistribution[Scale.COUNT];
        Arrays.fill(d, new ScaleDistribution(new float[] {1, 2, 3, 4, 5}, new int[] {1, 1, 1, 1, 1}));
        return GroupNorms.of(5, d, NormSpec.DEFAULT);
    }

    /** A hand-built person with the given raw answers, scored like a dataset person and levelled with {@code g}. */
    static PersonTarget person(String id, Inventory inv, byte[] raw, GroupNorms g) {
        float[] scores = new Scorer(inv, AnswerEncoding.RAW, ScoringRule.DEFAULT).score(raw);
        byte[] levels = new byte[Scale.COUNT];
        for (int s = 0; s < Scale.COUNT; s++) {
            levels[s] = g == null ? Level.NONE : g.levelCode(s, scores[s]);
        }
        return new PersonTarget(id, 0, -1, raw, scores, levels, NormGroup.EVERYONE, g);
    }

    /** A scored dataset of these people (all of unknown sex and age: everyone is normed with everyone). */
    static ScoredDataset dataset(Inventory inv, AnswerEncoding enc, byte[][] stored) {
        Responses.Builder b = new Responses.Builder(inv, enc, stored.length);
        for (int i = 0; i < stored.length; i++) {
            b.add("p" + i, Sex.UNKNOWN, 0, "", stored[i]);
        }
        Responses r = b.build();
        float[] scores = new Scorer(inv, enc, ScoringRule.DEFAULT).scoreAll(r.answerMatrix(), r.size());
        NormSet norms = Norms.build("t", r, scores, NormSpec.DEFAULT);
        DatasetInfo info = new DatasetInfo(1, "t", "csv", inv, enc, r.size(), 0.75, null, 0, null, "test", 1, 1,
                Instant.now());
        return new ScoredDataset(info, r, scores, Norms.place(norms, r, scores), norms);
    }
}
