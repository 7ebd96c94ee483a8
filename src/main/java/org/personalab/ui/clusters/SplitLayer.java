package org.personalab.ui.clusters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.personalab.cluster.SplitAssignment;
import org.personalab.cluster.SplitMembers;

/**
 * Which split each person of the shown clustering is in, for colouring and hover labels: a stored split set or a
 * previewed one.
 *
 * @param name       the split set's name (or "preview")
 * @param names      split names in order
 * @param splitOfRow per dataset row: index into {@code names}, or -1 when in no split
 */
public record SplitLayer(String name, List<String> names, int[] splitOfRow) {

    /** The name of a layer drawn by the split builder and not saved. */
    public static final String PREVIEW = "(preview)";

    /** The split of a row by name, or null when the row is in none. */
    public String splitOf(int row) {
        int s = splitOfRow[row];
        return s < 0 ? null : names.get(s);
    }

    /**
     * A stored split set mapped onto rows.
     *
     * @param rowIds the workspace ids of the rows, ascending
     * @param order  split names in the order the split set was planned (others follow as met)
     */
    public static SplitLayer of(String name, SplitMembers members, long[] rowIds, List<String> order) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (String s : order) {
            index.putIfAbsent(s, index.size());
        }
        int[] split = new int[rowIds.length];
        Arrays.fill(split, -1);
        for (int i = 0; i < members.size(); i++) {
            int row = Arrays.binarySearch(rowIds, members.respondentIds()[i]);
            if (row < 0) {
                throw new IllegalArgumentException("split set " + name + " has respondent #"
                        + members.respondentIds()[i] + ", who is not in the clustering shown");
            }
            split[row] = index.computeIfAbsent(members.splits()[i], s -> index.size());
        }
        return new SplitLayer(name, List.copyOf(new ArrayList<>(index.keySet())), split);
    }

    /** A drawn (maybe unsaved) assignment, already in row order. */
    public static SplitLayer of(String name, SplitAssignment a) {
        return new SplitLayer(name, a.names(), a.split().clone());
    }
}
