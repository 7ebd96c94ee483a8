package org.personalab.eval;

import java.util.Arrays;
import org.personalab.data.Responses;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;
import org.personalab.inventory.Item;
import org.personalab.inventory.Scale;
import org.personalab.profile.GroupNorms;
import org.personalab.profile.NormGroup;
import org.personalab.profile.ScoredDataset;

/**
 * The real person an agent is compared with: their raw answers laid out in the <em>agent's</em> inventory order,
 * and their facet and domain scores and levels as the dataset has them (the same scores and levels the agent's spec
 * was written from), with the norm group they were placed in. The agent's answers are scored by the same rule and
 * placed with this same group, so agent and person levels are comparable.
 *
 * @param id           the person's external id (dataset column {@code id})
 * @param respondentId workspace respondent id (0 for hand-built targets)
 * @param row          row in the dataset (-1 for hand-built targets)
 * @param rawAnswers   raw agreement 1..5 (5 = Very Accurate with the statement as printed), 0 = missing, in the
 *                     agent inventory's item order; items the person's inventory lacks are 0
 * @param scores       {@link Scale#COUNT} scores (NaN = not scored)
 * @param levels       {@link Scale#COUNT} level codes ({@link org.personalab.inventory.Level#NONE} = none)
 * @param group        the norm group the person was placed with
 * @param norms        that group's norms (null: no levels can be placed)
 */
public record PersonTarget(String id, long respondentId, int row, byte[] rawAnswers, float[] scores, byte[] levels,
        NormGroup group, GroupNorms norms) {

    public PersonTarget {
        if (scores.length != Scale.COUNT || levels.length != Scale.COUNT) {
            throw new IllegalArgumentException("person " + id + ": need " + Scale.COUNT + " scores and levels");
        }
        int bad = org.personalab.inventory.Scorer.firstInvalid(rawAnswers);
        if (bad >= 0) {
            throw new IllegalArgumentException("person " + id + ", item " + (bad + 1) + ": answer "
                    + rawAnswers[bad] + " is not 0..5");
        }
    }

    /** The person at {@code row} of a scored dataset, with answers aligned to {@code agentInventory}. */
    public static PersonTarget of(ScoredDataset sd, int row, long respondentId, Inventory agentInventory) {
        float[] scores = new float[Scale.COUNT];
        byte[] levels = new byte[Scale.COUNT];
        for (Scale s : Scale.values()) {
            scores[s.ordinal()] = sd.score(row, s);
            levels[s.ordinal()] = sd.levelCode(row, s);
        }
        NormGroup g = sd.normGroup(row);
        return new PersonTarget(sd.responses().id(row), respondentId, row,
                rawAnswers(sd.responses(), row, agentInventory), scores, levels, g, sd.norms().norms(g));
    }

    /**
     * One respondent's raw answers (1..5, 0 = missing) in the order of {@code target}: items are matched by their
     * IPIP-NEO-300 number, so a 300-item dataset serves 120-item agents; items the dataset lacks are 0.
     */
    public static byte[] rawAnswers(Responses r, int row, Inventory target) {
        int[] from = itemMap(r.inventory(), target);
        AnswerEncoding enc = r.encoding();
        byte[] out = new byte[target.size()];
        for (int i = 0; i < out.length; i++) {
            if (from[i] >= 0) {
                Item item = target.items().get(i);
                out[i] = (byte) AnswerEncoding.raw(enc, item.keying(), r.answer(row, from[i] + 1));
            }
        }
        return out;
    }

    /** For each item of {@code to} (0-based), the 0-based index of the same item in {@code from}, or -1. */
    public static int[] itemMap(Inventory from, Inventory to) {
        int[] byFull = new int[301];
        Arrays.fill(byFull, -1);
        for (int i = 0; i < from.size(); i++) {
            byFull[from.items().get(i).ipip300()] = i;
        }
        int[] out = new int[to.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = byFull[to.items().get(i).ipip300()];
        }
        return out;
    }

    /** Re-lays a sheet in {@code from}'s order out in {@code to}'s order (0 where {@code from} lacks the item). */
    public static byte[] align(byte[] sheet, Inventory from, Inventory to) {
        if (from == to) {
            return sheet.clone();
        }
        int[] map = itemMap(from, to);
        byte[] out = new byte[to.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = map[i] < 0 ? 0 : sheet[map[i]];
        }
        return out;
    }
}
