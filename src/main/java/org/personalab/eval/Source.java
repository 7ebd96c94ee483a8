package org.personalab.eval;

import java.util.List;

/**
 * One row of an evaluation: a model run or a baseline, with the per-agent scores it got.
 *
 * @param key    stable name, e.g. {@code run:12} or {@code baseline:uniform_random}
 * @param label  display name, e.g. "run 12 (psychometric)" or "Uniform random (chance)"
 * @param agents per-agent (for baselines: per-person) scores
 */
public record Source(String key, String label, List<AgentScores> agents) {

    public Source {
        agents = List.copyOf(agents);
    }

    /** The values of one metric, one per agent, in agent order (NaN where undefined). */
    public double[] values(Metric m) {
        return agents.stream().mapToDouble(a -> a.get(m)).toArray();
    }

    /** The values of one scale metric on one scale, one per agent. */
    public double[] values(ScaleMetric m, org.personalab.inventory.Scale s) {
        return agents.stream().mapToDouble(a -> a.scale(m, s)).toArray();
    }

    public boolean isBaseline() {
        return key.startsWith("baseline:");
    }
}
