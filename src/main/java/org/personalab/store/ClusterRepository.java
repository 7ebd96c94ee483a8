package org.personalab.store;

import java.util.List;
import java.util.Optional;
import org.personalab.cluster.ClusterMembers;
import org.personalab.cluster.ClusteringInfo;
import org.personalab.task.TaskContext;

/** Clusterings of datasets: parameters and metrics, centroids, and each person's cluster and 2D position. */
public interface ClusterRepository {

    /** Inserts the clustering row with its {@code k × dims} centroids; returns it with its id. */
    ClusteringInfo insert(ClusteringInfo info, float[] centroids, int dims);

    /** Inserts everyone's cluster and projection, checking for cancellation. */
    void insertMembers(long clusteringId, ClusterMembers members, TaskContext context);

    Optional<ClusteringInfo> find(String name);

    Optional<ClusteringInfo> get(long id);

    /** All clusterings, oldest first. */
    List<ClusteringInfo> list();

    /** Members in respondent id order (= dataset row order). */
    ClusterMembers members(long clusteringId);

    /** The stored centroids, {@code k × d} row-major. */
    float[] centroids(long clusteringId);

    void delete(long clusteringId);
}
