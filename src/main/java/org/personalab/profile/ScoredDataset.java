package org.personalab.profile;

import org.personalab.data.DatasetInfo;
import org.personalab.data.Responses;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;

/**
 * A dataset in memory with every respondent's 35 scores and levels and the norm group each was placed with.
 *
 * @param info      the dataset
 * @param responses its answers and demographics
 * @param scores    {@link Scale#COUNT} floats per respondent (NaN = missing)
 * @param placement levels and norm groups
 * @param norms     the norm set the levels come from
 */
public record ScoredDataset(DatasetInfo info, Responses responses, float[] scores, Norms.Placement placement,
        NormSet norms) {

    public int size() {
        return responses.size();
    }

    public float score(int row, Scale s) {
        return scores[row * Scale.COUNT + s.ordinal()];
    }

    public Level level(int row, Scale s) {
        return placement.level(row, s);
    }

    public byte levelCode(int row, Scale s) {
        return placement.levels()[row * Scale.COUNT + s.ordinal()];
    }

    public NormGroup normGroup(int row) {
        return placement.group(row);
    }

    /** The respondent's percentile on a scale within the group they are placed with (mid-rank), NaN if unknown. */
    public double percentile(int row, Scale s) {
        GroupNorms g = norms.norms(normGroup(row));
        return g == null ? Double.NaN : g.distribution(s).percentileRank(score(row, s));
    }

    /** Row of an external id, or -1. Linear scan: call from background work for large datasets. */
    public int rowOf(String id) {
        String[] ids = responses.idColumn();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i].equals(id)) {
                return i;
            }
        }
        return -1;
    }
}
