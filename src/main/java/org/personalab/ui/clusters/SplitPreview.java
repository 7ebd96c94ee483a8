package org.personalab.ui.clusters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.personalab.cluster.SplitAssignment;
import org.personalab.data.AgeGroup;
import org.personalab.data.Responses;
import org.personalab.data.Sex;
import org.personalab.service.SplitService;

/**
 * What a split set would look like before it is saved: the size of each split, and how many people of every
 * cluster and of every cohort (sex × age group) each split would get.
 *
 * @param request    exactly what saving stores (drawing is deterministic)
 * @param names      split names in order
 * @param sizes      people per split
 * @param unassigned people in no split
 * @param byCluster  one row per cluster, in cluster order
 * @param byCohort   one row per non-empty cohort: women, men, then unknown sex, each by age group
 * @param skipped    clusters that gave nobody because they were too small
 */
public record SplitPreview(SplitService.Request request, List<String> names, Map<String, Integer> sizes,
        int unassigned, List<Row> byCluster, List<Row> byCohort, List<Integer> skipped, SplitLayer layer) {

    /**
     * One line of a preview table.
     *
     * @param perSplit people in each split, in {@link #names} order
     * @param none     people of the group in no split
     */
    public record Row(String label, int people, int[] perSplit, int none) {
    }

    public int total() {
        return byCluster.stream().mapToInt(Row::people).sum();
    }

    /** Builds the tables of a drawn split set; {@code people} gives everyone's sex and age (row order). */
    public static SplitPreview of(SplitService.Request request, SplitService.Preview p, Responses people) {
        SplitAssignment a = p.assignment();
        int[] labels = p.members().clusters();
        int k = p.clustering().k();
        int ns = a.names().size();
        int[][] clusterCounts = new int[k][ns + 1];
        int nSex = Sex.values().length;
        int nAge = AgeGroup.values().length;
        int[][] cohortCounts = new int[nSex * nAge][ns + 1];
        int unassigned = 0;
        if (people.size() != labels.length) {
            throw new IllegalArgumentException("the split covers " + labels.length + " people, the dataset has "
                    + people.size());
        }
        for (int r = 0; r < labels.length; r++) {
            int s = a.split()[r];
            int col = s < 0 ? ns : s;
            if (s < 0) {
                unassigned++;
            }
            clusterCounts[labels[r]][col]++;
            cohortCounts[people.sex(r).ordinal() * nAge + AgeGroup.of(people.age(r)).ordinal()][col]++;
        }
        List<Row> byCluster = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            byCluster.add(row("Cluster " + c, clusterCounts[c], ns));
        }
        List<Row> byCohort = new ArrayList<>();
        for (Sex sex : new Sex[] {Sex.FEMALE, Sex.MALE, Sex.UNKNOWN}) {
            for (AgeGroup g : AgeGroup.values()) {
                int[] counts = cohortCounts[sex.ordinal() * nAge + g.ordinal()];
                Row row = row((sex == Sex.UNKNOWN ? "Unknown sex" : sex.label()) + " · " + g.label(), counts, ns);
                if (row.people() > 0) {
                    byCohort.add(row);
                }
            }
        }
        return new SplitPreview(request, a.names(), p.sizes(), unassigned, List.copyOf(byCluster),
                List.copyOf(byCohort), a.skipped(), SplitLayer.of(SplitLayer.PREVIEW, a));
    }

    private static Row row(String label, int[] counts, int ns) {
        int[] per = java.util.Arrays.copyOf(counts, ns);
        int people = 0;
        for (int v : counts) {
            people += v;
        }
        return new Row(label, people, per, counts[ns]);
    }
}
