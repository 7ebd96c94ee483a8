package org.personalab.cluster;

import java.time.Instant;

/**
 * A stored clustering as the workspace knows it.
 *
 * @param id           workspace id
 * @param name         unique name
 * @param datasetId    the dataset clustered
 * @param k            clusters
 * @param featuresJson feature spec, exact columns, means and scales used (JSON)
 * @param metricsJson  parameters and quality: inertia, iterations, sizes, silhouette, stability, PCA (JSON)
 * @param runId        the run that made it
 * @param createdAt    when
 */
public record ClusteringInfo(long id, String name, long datasetId, int k, String featuresJson, String metricsJson,
        long runId, Instant createdAt) {

    public ClusteringInfo withId(long newId) {
        return new ClusteringInfo(newId, name, datasetId, k, featuresJson, metricsJson, runId, createdAt);
    }

    @Override
    public String toString() {
        return name;
    }
}
