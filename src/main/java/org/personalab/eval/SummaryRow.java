package org.personalab.eval;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The summary of one {@link Source}: every metric's mean over agents with its bootstrap interval.
 *
 * @param key       the source's key
 * @param label     its display name
 * @param agents    number of agents (people, for baselines)
 * @param estimates one estimate per metric
 */
public record SummaryRow(String key, String label, int agents, Map<Metric, Estimate> estimates) {

    public SummaryRow {
        estimates = Collections.unmodifiableMap(new EnumMap<>(estimates));
    }

    /** Summarises a source with {@code bootstrap} (each metric resampled with the same seed). */
    public static SummaryRow of(Source s, Bootstrap bootstrap) {
        Map<Metric, Estimate> e = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) {
            e.put(m, bootstrap.mean(s.values(m)));
        }
        return new SummaryRow(s.key(), s.label(), s.agents().size(), e);
    }

    public Estimate get(Metric m) {
        return estimates.getOrDefault(m, Estimate.EMPTY);
    }
}
