package org.personalab.eval;

import java.util.Arrays;
import java.util.List;
import org.personalab.inventory.Scale;

/**
 * One agent's (or one baseline's, for one person) evaluation: every {@link Metric} and, per facet and domain, every
 * {@link ScaleMetric}. Values are NaN where they cannot be computed. Built by {@link AgentScorer}; immutable.
 *
 * @param id           the person's external id (the agent reproduces this person)
 * @param specId       the agent's spec (0 for baselines)
 * @param respondentId workspace respondent id of the person (0 when hand-built)
 * @param metrics      one value per {@link Metric}, in ordinal order
 * @param scales       {@code scales[scaleMetric][scale]}, {@link Scale#COUNT} values per {@link ScaleMetric}
 */
public record AgentScores(String id, long specId, long respondentId, double[] metrics, double[][] scales) {

    public AgentScores {
        if (metrics.length != Metric.COUNT || scales.length != ScaleMetric.values().length) {
            throw new IllegalArgumentException("agent " + id + ": wrong number of metrics");
        }
        for (double[] s : scales) {
            if (s.length != Scale.COUNT) {
                throw new IllegalArgumentException("agent " + id + ": need " + Scale.COUNT + " scale values");
            }
        }
    }

    public double get(Metric m) {
        return metrics[m.ordinal()];
    }

    public double scale(ScaleMetric m, Scale s) {
        return scales[m.ordinal()][s.ordinal()];
    }

    /** A copy with one metric replaced. */
    public AgentScores with(Metric m, double value) {
        double[] copy = metrics.clone();
        copy[m.ordinal()] = value;
        return new AgentScores(id, specId, respondentId, copy, scales);
    }

    /**
     * The element-wise mean of several evaluations of the same person (several samples of one agent, or several
     * random answer sheets); NaN values are left out of each mean, and a value that is NaN everywhere stays NaN.
     */
    public static AgentScores average(List<AgentScores> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to average");
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        AgentScores first = parts.get(0);
        int np = parts.size();
        double[] column = new double[np];
        double[] m = new double[Metric.COUNT];
        for (int i = 0; i < m.length; i++) {
            for (int q = 0; q < np; q++) {
                column[q] = parts.get(q).metrics[i];
            }
            m[i] = nanMean(column);
        }
        double[][] s = new double[ScaleMetric.values().length][Scale.COUNT];
        for (int a = 0; a < s.length; a++) {
            for (int b = 0; b < Scale.COUNT; b++) {
                for (int q = 0; q < np; q++) {
                    column[q] = parts.get(q).scales[a][b];
                }
                s[a][b] = nanMean(column);
            }
        }
        return new AgentScores(first.id, first.specId, first.respondentId, m, s);
    }

    /** Mean of the non-NaN values; NaN when there are none. */
    static double nanMean(double[] v) {
        double sum = 0;
        int n = 0;
        for (double x : v) {
            if (!Double.isNaN(x)) {
                sum += x;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AgentScores a && a.id.equals(id) && a.specId == specId && a.respondentId == respondentId
                && Arrays.equals(a.metrics, metrics) && Arrays.deepEquals(a.scales, scales);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + Arrays.hashCode(metrics);
    }

    @Override
    public String toString() {
        return "AgentScores[" + id + ", spec " + specId + ", exact " + get(Metric.EXACT_ACCURACY) + ", mad "
                + get(Metric.MAD) + "]";
    }
}
