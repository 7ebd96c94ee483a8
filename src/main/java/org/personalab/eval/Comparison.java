package org.personalab.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link PairedComparison} of two sources on one metric, over the people both evaluated. Agents are paired by the
 * person they reproduce (workspace respondent id, or the external id when there is none); a source with several
 * agents for one person (several specs) enters with their mean.
 *
 * @param a      key of the first source (differences are a - b)
 * @param b      key of the second source
 * @param metric the metric compared
 * @param result the test results
 */
public record Comparison(String a, String b, Metric metric, PairedComparison result) {

    /** Which source the mean difference favours given the metric's direction: a's key, b's key, or "" on a tie. */
    public String favours() {
        double d = result.meanDifference();
        if (Double.isNaN(d) || d == 0) {
            return "";
        }
        boolean aHigher = d > 0;
        return aHigher == (metric.direction() == Metric.Direction.HIGHER) ? a : b;
    }

    /** Compares {@code a} with {@code b} on every metric both have values for. */
    public static List<Comparison> of(Source a, Source b, int permutations, Bootstrap bootstrap) {
        Map<String, List<AgentScores>> byA = byPerson(a);
        Map<String, List<AgentScores>> byB = byPerson(b);
        List<String> shared = new ArrayList<>();
        for (String k : byA.keySet()) {
            if (byB.containsKey(k)) {
                shared.add(k);
            }
        }
        List<Comparison> out = new ArrayList<>();
        for (Metric m : Metric.values()) {
            double[] va = new double[shared.size()];
            double[] vb = new double[shared.size()];
            for (int i = 0; i < shared.size(); i++) {
                va[i] = mean(byA.get(shared.get(i)), m);
                vb[i] = mean(byB.get(shared.get(i)), m);
            }
            PairedComparison r = PairedComparison.of(va, vb, permutations, bootstrap);
            if (r.n() > 0) {
                out.add(new Comparison(a.key(), b.key(), m, r));
            }
        }
        return out;
    }

    /** How many people both sources evaluated. */
    public static int sharedPeople(Source a, Source b) {
        Map<String, List<AgentScores>> byB = byPerson(b);
        return (int) byPerson(a).keySet().stream().filter(byB::containsKey).count();
    }

    private static Map<String, List<AgentScores>> byPerson(Source s) {
        Map<String, List<AgentScores>> m = new LinkedHashMap<>();
        for (AgentScores a : s.agents()) {
            String key = a.respondentId() > 0 ? "r" + a.respondentId() : "id:" + a.id();
            m.computeIfAbsent(key, k -> new ArrayList<>()).add(a);
        }
        return m;
    }

    private static double mean(List<AgentScores> l, Metric m) {
        return AgentScores.nanMean(l.stream().mapToDouble(x -> x.get(m)).toArray());
    }
}
