package org.personalab.cluster;

import java.time.Instant;

/**
 * A stored, frozen split set.
 *
 * @param id           workspace id
 * @param name         unique name
 * @param datasetId    the dataset its people come from
 * @param clusteringId the clustering it was drawn from, or 0
 * @param paramsJson   how it was made, the sizes obtained and the checks passed (JSON)
 * @param runId        the run that made it
 * @param createdAt    when
 */
public record SplitSetInfo(long id, String name, long datasetId, long clusteringId, String paramsJson, long runId,
        Instant createdAt) {

    public SplitSetInfo withId(long newId) {
        return new SplitSetInfo(newId, name, datasetId, clusteringId, paramsJson, runId, createdAt);
    }

    @Override
    public String toString() {
        return name;
    }
}
