package org.personalab.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How a split set is drawn from a clustering. A person lands in at most one split.
 */
public sealed interface SplitPlan {

    /** Split names, in order. */
    List<String> names();

    /** Parameters for the run record. */
    Map<String, Object> toMap();

    /**
     * The seed paper's sampling: every cluster gives exactly {@code counts[s]} people to split s, drawn at random;
     * a cluster with fewer people than the counts add up to gives none and is reported (the seed code checked only
     * the first count).
     */
    record PerCluster(Map<String, Integer> counts) implements SplitPlan {
        public PerCluster {
            counts = checked(counts, "per-cluster count");
        }

        @Override
        public List<String> names() {
            return List.copyOf(counts.keySet());
        }

        @Override
        public Map<String, Object> toMap() {
            return Map.of("mode", "per-cluster", "counts", counts);
        }
    }

    /** Stratified totals: split s gets {@code totals[s]} people, shared among clusters in proportion to their size. */
    record Proportional(Map<String, Integer> totals) implements SplitPlan {
        public Proportional {
            totals = checked(totals, "total");
        }

        @Override
        public List<String> names() {
            return List.copyOf(totals.keySet());
        }

        @Override
        public Map<String, Object> toMap() {
            return Map.of("mode", "proportional", "totals", totals);
        }
    }

    /** Stratified fractions: within every cluster, split s gets {@code fractions[s]} of its people (rounded). */
    record Fractions(Map<String, Double> fractions) implements SplitPlan {
        public Fractions {
            Map<String, Double> m = new LinkedHashMap<>();
            double sum = 0;
            for (Map.Entry<String, Double> e : fractions.entrySet()) {
                name(e.getKey());
                double v = e.getValue();
                if (!(v > 0 && v <= 1)) {
                    throw new IllegalArgumentException("fraction of split '" + e.getKey() + "' must be in (0, 1]");
                }
                sum += v;
                m.put(e.getKey(), v);
            }
            if (m.isEmpty() || sum > 1 + 1e-9) {
                throw new IllegalArgumentException("fractions must name at least one split and add up to at most 1");
            }
            fractions = java.util.Collections.unmodifiableMap(m);
        }

        @Override
        public List<String> names() {
            return List.copyOf(fractions.keySet());
        }

        @Override
        public Map<String, Object> toMap() {
            return Map.of("mode", "fractions", "fractions", fractions);
        }
    }

    /**
     * PAlign's test set: the {@code perCentroid} people nearest to each centroid (among its cluster's members, so
     * nobody is chosen twice) form {@code split}; everyone else forms {@code rest} when it is given.
     */
    record Representatives(String split, int perCentroid, String rest) implements SplitPlan {
        public Representatives {
            name(split);
            if (rest != null) {
                name(rest);
                if (rest.equals(split)) {
                    throw new IllegalArgumentException("the rest needs a name other than '" + split + "'");
                }
            }
            if (perCentroid < 1) {
                throw new IllegalArgumentException("people per centroid must be at least 1");
            }
        }

        @Override
        public List<String> names() {
            return rest == null ? List.of(split) : List.of(split, rest);
        }

        @Override
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mode", "representatives");
            m.put("split", split);
            m.put("perCentroid", perCentroid);
            m.put("rest", rest);
            m.put("nearest", "Euclidean distance in the clustering's feature space, within the cluster");
            return m;
        }
    }

    Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,39}");

    private static String name(String s) {
        if (s == null || !NAME.matcher(s).matches()) {
            throw new IllegalArgumentException("split name '" + s + "' must be 1-40 letters, digits, '_', '.' or '-'");
        }
        return s;
    }

    private static Map<String, Integer> checked(Map<String, Integer> in, String what) {
        if (in == null || in.isEmpty()) {
            throw new IllegalArgumentException("name at least one split, e.g. train=1250,test=1250");
        }
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : in.entrySet()) {
            name(e.getKey());
            if (e.getValue() == null || e.getValue() < 1) {
                throw new IllegalArgumentException(what + " of split '" + e.getKey() + "' must be at least 1");
            }
            m.put(e.getKey(), e.getValue());
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
