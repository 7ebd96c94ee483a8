package org.personalab.ui.clusters;

import java.util.ArrayList;
import java.util.List;
import org.personalab.data.AgeGroup;
import org.personalab.data.Responses;
import org.personalab.data.Sex;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;
import org.personalab.profile.ScoredDataset;
import org.personalab.task.TaskContext;

/**
 * The colour of every point (opaque ARGB, dataset row order) for one {@link ColorMode}, with the legend that
 * explains it. Computed off the FX thread; the scatter only copies these colours into its raster.
 *
 * @param domain the domain whose level colours the points in {@link ColorMode#LEVEL}, else null
 * @param argb   per row
 * @param order  the order to draw the rows in: the biggest group first, so small groups (a test split, the
 *               extreme levels) stay visible on top; null for clusters, which are drawn interleaved in row order
 */
public record Coloring(ColorMode mode, Domain domain, int[] argb, List<Entry> legend, int[] order) {

    /** One legend line: what a colour means and how many people have it. */
    public record Entry(String label, int argb, int count) {
    }

    /** Colours the people of {@code p} by {@code mode} ({@code domain} is used for {@link ColorMode#LEVEL}). */
    public static Coloring of(ClusterPicture p, ColorMode mode, Domain domain, TaskContext ctx) {
        int n = p.size();
        int[] argb = new int[n];
        List<Entry> legend = new ArrayList<>();
        ScoredDataset data = p.data();
        Responses r = data.responses();
        switch (mode) {
            case CLUSTER -> {
                int[] count = new int[p.k()];
                for (int i = 0; i < n; i++) {
                    argb[i] = ClusterPalette.cluster(p.labels()[i]);
                    count[p.labels()[i]]++;
                }
                for (int c = 0; c < p.k(); c++) {
                    legend.add(new Entry("Cluster " + c, ClusterPalette.cluster(c), count[c]));
                }
            }
            case SPLIT -> {
                SplitLayer s = p.split();
                int none = 0;
                int[] count = new int[s == null ? 0 : s.names().size()];
                for (int i = 0; i < n; i++) {
                    int idx = s == null ? -1 : s.splitOfRow()[i];
                    argb[i] = ClusterPalette.split(idx);
                    if (idx < 0) {
                        none++;
                    } else {
                        count[idx]++;
                    }
                }
                for (int i = 0; i < count.length; i++) {
                    legend.add(new Entry(s.names().get(i), ClusterPalette.split(i), count[i]));
                }
                if (none > 0) {
                    legend.add(new Entry(s == null ? "No split set" : "In no split", ClusterPalette.NONE, none));
                }
            }
            case LEVEL -> {
                Domain d = domain == null ? Domain.N : domain;
                Scale scale = Scale.of(d);
                int[] count = new int[Level.values().length + 1];
                for (int i = 0; i < n; i++) {
                    Level l = data.level(i, scale);
                    argb[i] = ClusterPalette.level(l);
                    count[l == null ? Level.values().length : l.ordinal()]++;
                }
                for (Level l : Level.values()) {
                    legend.add(new Entry(d.displayName() + " " + l.label(), ClusterPalette.level(l),
                            count[l.ordinal()]));
                }
                if (count[Level.values().length] > 0) {
                    legend.add(new Entry("No level", ClusterPalette.NONE, count[Level.values().length]));
                }
                ctx.checkCancelled();
                return new Coloring(mode, d, argb, List.copyOf(legend), bySize(argb));
            }
            case SEX -> {
                int[] count = new int[Sex.values().length];
                for (int i = 0; i < n; i++) {
                    Sex s = r.sex(i);
                    argb[i] = ClusterPalette.sex(s);
                    count[s.ordinal()]++;
                }
                for (Sex s : new Sex[] {Sex.FEMALE, Sex.MALE, Sex.UNKNOWN}) {
                    if (s != Sex.UNKNOWN || count[s.ordinal()] > 0) {
                        legend.add(new Entry(s.label(), ClusterPalette.sex(s), count[s.ordinal()]));
                    }
                }
            }
            case AGE_GROUP -> {
                int[] count = new int[AgeGroup.values().length];
                for (int i = 0; i < n; i++) {
                    AgeGroup g = AgeGroup.of(r.age(i));
                    argb[i] = ClusterPalette.ageGroup(g);
                    count[g.ordinal()]++;
                }
                for (AgeGroup g : AgeGroup.values()) {
                    if (g != AgeGroup.UNKNOWN || count[g.ordinal()] > 0) {
                        legend.add(new Entry(g.label(), ClusterPalette.ageGroup(g), count[g.ordinal()]));
                    }
                }
            }
            default -> throw new IllegalArgumentException("colour mode " + mode);
        }
        ctx.checkCancelled();
        return new Coloring(mode, null, argb, List.copyOf(legend), mode == ColorMode.CLUSTER ? null : bySize(argb));
    }

    /** Rows grouped by colour, the most frequent colour first (ties by colour), row order within a colour. */
    static int[] bySize(int[] argb) {
        java.util.Map<Integer, Integer> count = new java.util.HashMap<>();
        for (int c : argb) {
            count.merge(c, 1, Integer::sum);
        }
        List<Integer> colours = new ArrayList<>(count.keySet());
        colours.sort((a, b) -> !count.get(a).equals(count.get(b)) ? Integer.compare(count.get(b), count.get(a))
                : Integer.compare(a, b));
        java.util.Map<Integer, Integer> start = new java.util.HashMap<>();
        int at = 0;
        for (int c : colours) {
            start.put(c, at);
            at += count.get(c);
        }
        int[] order = new int[argb.length];
        for (int i = 0; i < argb.length; i++) {
            int pos = start.merge(argb[i], 1, Integer::sum) - 1;
            order[pos] = i;
        }
        return order;
    }
}
