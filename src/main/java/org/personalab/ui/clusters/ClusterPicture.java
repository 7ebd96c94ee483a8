package org.personalab.ui.clusters;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.personalab.cluster.ClusteringInfo;
import org.personalab.cluster.Clustering;
import org.personalab.cluster.FeatureSpec;
import org.personalab.cluster.KMeansParams;
import org.personalab.data.DatasetInfo;
import org.personalab.profile.ScoredDataset;
import org.personalab.service.ClusterService;
import org.personalab.service.Json;
import org.personalab.task.TaskContext;

/**
 * Everything the cluster panel shows about one clustering, built off the FX thread: the people (dataset rows) with
 * their cluster and 2D position, the cluster table, the hover index, the split set drawn on top (if any) and the
 * clustering's parameters and quality. Either a stored clustering ({@link #stored} set) or a fresh, unsaved
 * recompute ({@link #computed} set, which "Save clustering" stores as it is).
 *
 * @param rowIds workspace respondent ids of the dataset rows, ascending
 * @param x      first projection axis per row
 * @param y      second projection axis per row
 */
public record ClusterPicture(String title, ClusteringInfo stored, ClusterService.Computed computed,
        DatasetInfo dataset, ScoredDataset data, long[] rowIds, int k, int[] labels, float[] x, float[] y,
        List<ClusterSummary> clusters, PointIndex index, SplitLayer split, FeatureSpec spec, KMeansParams params,
        String quality) {

    public int size() {
        return labels.length;
    }

    public boolean isSaved() {
        return stored != null;
    }

    /** The same picture with another split set drawn on it (null: none). */
    public ClusterPicture withSplit(SplitLayer s) {
        return new ClusterPicture(title, stored, computed, dataset, data, rowIds, k, labels, x, y, clusters, index,
                s, spec, params, quality);
    }

    /** The same picture, now stored as {@code info}. */
    public ClusterPicture saved(ClusteringInfo info) {
        return new ClusterPicture(info.name(), info, null, dataset, data, rowIds, k, labels, x, y, clusters, index,
                split, spec, params, quality);
    }

    /** A stored clustering read back, with the split set to show on it (or null). */
    public static ClusterPicture of(ClusterService.Loaded l, SplitLayer split, TaskContext ctx) {
        ClusteringInfo c = l.info();
        int[] labels = l.members().clusters();
        ctx.message("Indexing " + String.format("%,d", labels.length) + " points");
        PointIndex index = PointIndex.build(l.members().x(), l.members().y());
        ctx.checkCancelled();
        List<ClusterSummary> sums = ClusterSummary.of(l.data(), labels, c.k());
        JsonNode metrics = read(c.metricsJson());
        KMeansParams params = paramsOf(metrics, c.k());
        String quality = quality(number(metrics.path("silhouette")),
                number(metrics.path("stability").path("meanAri")), number(metrics.path("pca").path("explained2d")));
        return new ClusterPicture(c.name(), c, null, l.dataset(), l.data(), l.members().respondentIds(), c.k(),
                labels, l.members().x(), l.members().y(), sums, index, split, ClusterService.specOf(c), params,
                quality);
    }

    /** A computed, unsaved clustering; {@code rowIds} are its dataset's workspace respondent ids. */
    public static ClusterPicture of(ClusterService.Computed c, long[] rowIds, TaskContext ctx) {
        Clustering.Result r = c.result();
        int n = r.features().rows();
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.xy()[2 * i];
            y[i] = r.xy()[2 * i + 1];
        }
        ctx.message("Indexing " + String.format("%,d", n) + " points");
        PointIndex index = PointIndex.build(x, y);
        ctx.checkCancelled();
        int k = c.params().k();
        int[] labels = r.kmeans().labels();
        String title = "Unsaved: " + c.dataset().name() + ", k = " + k + ", seed " + c.params().seed();
        return new ClusterPicture(title, null, c, c.dataset(), c.data(), rowIds, k, labels, x, y,
                ClusterSummary.of(c.data(), labels, k), index, null, c.spec(), c.params(),
                quality(r.silhouette(), r.meanStability(), r.pca().explained(2)));
    }

    static String quality(double silhouette, double stability, double explained) {
        StringBuilder sb = new StringBuilder();
        if (Double.isFinite(silhouette)) {
            sb.append(String.format("silhouette %.3f", silhouette));
        }
        if (Double.isFinite(stability)) {
            sb.append(sb.isEmpty() ? "" : " · ").append(String.format("stability (ARI) %.2f", stability));
        }
        if (Double.isFinite(explained)) {
            sb.append(sb.isEmpty() ? "" : " · ")
                    .append(String.format("2D projection keeps %.0f %% of the variance", 100 * explained));
        }
        return sb.toString();
    }

    private static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json == null ? "{}" : json);
        } catch (Exception e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    private static double number(JsonNode n) {
        return n != null && n.isNumber() ? n.asDouble() : Double.NaN;
    }

    private static KMeansParams paramsOf(JsonNode metrics, int k) {
        JsonNode p = metrics.path("params");
        try {
            return new KMeansParams(k, p.path("nInit").asInt(KMeansParams.DEFAULT_N_INIT),
                    p.path("maxIter").asInt(KMeansParams.DEFAULT_MAX_ITER), p.path("tol").asDouble(
                            KMeansParams.DEFAULT_TOL), p.path("seed").asLong(0));
        } catch (IllegalArgumentException e) {
            return KMeansParams.of(k, p.path("seed").asLong(0));
        }
    }
}
