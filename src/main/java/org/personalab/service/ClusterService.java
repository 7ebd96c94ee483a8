package org.personalab.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.personalab.cluster.ClusterMembers;
import org.personalab.cluster.ClusteringInfo;
import org.personalab.cluster.Clustering;
import org.personalab.cluster.FeatureBuilder;
import org.personalab.cluster.FeatureMatrix;
import org.personalab.cluster.FeatureSpec;
import org.personalab.cluster.KMeansParams;
import org.personalab.cluster.KMeansResult;
import org.personalab.cluster.KSelection;
import org.personalab.data.DatasetInfo;
import org.personalab.profile.ScoredDataset;
import org.personalab.store.StoreException;
import org.personalab.store.Workspace;
import org.personalab.task.TaskContext;

/**
 * Clusters datasets of a workspace and keeps the results: features built by a {@link FeatureSpec}, k-means with
 * stability (by default from the fit's own restarts, see {@link Clustering}) and silhouette, the 2D projection, all
 * stored in one transaction with the run that made them (the exact feature columns, means and scales go with it).
 * Also computes the k-selection curve and exports members.
 */
public final class ClusterService {

    /** What to cluster and how. */
    public record Request(String dataset, String name, FeatureSpec spec, KMeansParams params,
            Clustering.Options options) {
    }

    /** A stored clustering with everything computed for it. */
    public record Outcome(ClusteringInfo info, Clustering.Result result, ScoredDataset data, long runId,
            double seconds) {
    }

    private final Workspace workspace;
    private final DatasetService datasets;

    public ClusterService(Workspace workspace, DatasetService datasets) {
        this.workspace = workspace;
        this.datasets = datasets;
    }

    public ClusterService(Workspace workspace) {
        this(workspace, new DatasetService(workspace));
    }

    public static String defaultName(String dataset, KMeansParams p) {
        return dataset + "-k" + p.k() + "-s" + p.seed();
    }

    public List<ClusteringInfo> list() {
        return workspace.read(tx -> tx.clusters().list());
    }

    public ClusteringInfo require(String name) {
        return workspace.read(tx -> tx.clusters().find(name)).orElseThrow(() -> new StoreException(
                "no clustering named '" + name + "' in " + workspace.dir() + " (it has: "
                        + String.join(", ", list().stream().map(ClusteringInfo::name).toList()) + ")"));
    }

    /** The feature matrix of a loaded dataset. */
    public static FeatureMatrix features(ScoredDataset sd, FeatureSpec spec, TaskContext ctx) {
        return FeatureBuilder.build(sd.responses(), sd.scores(), spec, ctx);
    }

    public Outcome cluster(Request req, TaskContext ctx) {
        String name = nameFor(req.name(), req.dataset(), req.params());
        requireFreeName(name);
        return save(name, compute(req.dataset(), req.spec(), req.params(), req.options(), ctx), ctx);
    }

    /**
     * A clustering computed but not stored (yet): what {@link #compute} gives and {@link #save} stores, so a view
     * can show a result first and keep exactly that result later.
     */
    public record Computed(DatasetInfo dataset, ScoredDataset data, FeatureSpec spec, KMeansParams params,
            Clustering.Options options, Clustering.Result result, Instant started, double seconds) {
    }

    /** A stored clustering read back with its dataset: everyone's cluster and 2D position, in dataset row order. */
    public record Loaded(ClusteringInfo info, DatasetInfo dataset, ScoredDataset data, ClusterMembers members) {
    }

    private static String nameFor(String requested, String dataset, KMeansParams params) {
        return requested == null || requested.isBlank() ? defaultName(dataset, params) : requested.strip();
    }

    private void requireFreeName(String name) {
        if (workspace.read(tx -> tx.clusters().find(name)).isPresent()) {
            throw new StoreException("a clustering named '" + name + "' already exists in " + workspace.dir()
                    + "; choose another name");
        }
    }

    /** Features, k-means, stability, silhouette and projection of a dataset, without storing anything. */
    public Computed compute(String dataset, FeatureSpec spec, KMeansParams params, Clustering.Options options,
            TaskContext ctx) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        DatasetInfo info = datasets.require(dataset);
        ScoredDataset sd = datasets.load(info, ctx);
        ctx.checkCancelled();
        FeatureMatrix f = features(sd, spec, ctx);
        Clustering.Result res = Clustering.run(f, params, options, ctx);
        return new Computed(info, sd, spec, params, options, res, started, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Stores a computed clustering under {@code name} (blank: {@link #defaultName}) with its run, in one
     * transaction; refuses a name that is taken.
     */
    public Outcome save(String name, Computed c, TaskContext ctx) {
        DatasetInfo info = c.dataset();
        Clustering.Result res = c.result();
        FeatureMatrix f = res.features();
        String clusteringName = nameFor(name, info.name(), c.params());
        requireFreeName(clusteringName);
        double seconds = c.seconds();
        String featuresJson = Json.compact(featuresMap(f));
        String metricsJson = Json.compact(metricsMap(res, seconds));
        ctx.message("Storing clustering " + clusteringName);
        long[] ids = workspace.read(tx -> tx.datasets().respondentIds(info.id()));
        if (ids.length != f.rows()) {
            throw new StoreException("dataset " + info.name() + " has " + ids.length + " respondents stored but "
                    + f.rows() + " loaded");
        }
        int n = f.rows();
        float[] x = new float[n];
        float[] y = new float[n];
        for (int r = 0; r < n; r++) {
            x[r] = res.xy()[2 * r];
            y[r] = res.xy()[2 * r + 1];
        }
        ClusterMembers members = new ClusterMembers(ids, res.kmeans().labels(), x, y);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("features", c.spec().toMap());
        params.put("kmeans", c.params().toMap());
        params.put("silhouetteSample", c.options().silhouetteSample());
        params.put("stabilitySeeds", c.options().stabilitySeeds());
        params.put("stability", c.options().stabilitySeeds() > 0
                ? "ARI of the kept fit against whole fits with seeds seed+1 … seed+" + c.options().stabilitySeeds()
                : "ARI of the kept restart against each other restart of the same fit");
        params.put("pcaRows", c.options().pcaRows());
        Map<String, Object> inputs = Map.of("datasetId", info.id(), "dataset", info.name(), "people", n);
        Object[] out = new Object[2];
        workspace.write(tx -> {
            long runId = tx.runs().insertFinished("clustering", "Cluster " + info.name() + " (k = "
                    + c.params().k() + ")", Json.compact(params), Json.compact(inputs), "{}", c.started());
            ClusteringInfo stored = tx.clusters().insert(new ClusteringInfo(0, clusteringName, info.id(),
                    c.params().k(), featuresJson, metricsJson, runId, c.started()), res.kmeans().centroids(),
                    f.cols());
            tx.clusters().insertMembers(stored.id(), members, ctx);
            Map<String, Object> outputs = new LinkedHashMap<>();
            outputs.put("clusteringId", stored.id());
            outputs.put("inertia", res.kmeans().inertia());
            outputs.put("silhouette", finite(res.silhouette()));
            tx.runs().finish(runId, "succeeded", Json.compact(outputs), null);
            ctx.checkCancelled();
            out[0] = stored;
            out[1] = runId;
            return null;
        });
        return new Outcome((ClusteringInfo) out[0], res, c.data(), (Long) out[1], seconds);
    }

    /**
     * Reads a stored clustering back with its dataset (scored, from the cache when it is there); checks that its
     * members cover the dataset row for row.
     */
    public Loaded load(ClusteringInfo c, TaskContext ctx) {
        DatasetInfo info = workspace.read(tx -> tx.datasets().get(c.datasetId())).orElseThrow(
                () -> new StoreException("clustering " + c.name() + " points at a missing dataset"));
        ctx.message("Reading clustering " + c.name());
        ClusterMembers m = workspace.read(tx -> tx.clusters().members(c.id()));
        ctx.checkCancelled();
        ScoredDataset sd = datasets.load(info, ctx);
        long[] ids = workspace.read(tx -> tx.datasets().respondentIds(info.id()));
        if (m.size() != ids.length || (ids.length > 0 && m.respondentIds()[0] != ids[0])) {
            throw new StoreException("clustering " + c.name() + " does not cover dataset " + info.name()
                    + " row for row (" + m.size() + " members, " + ids.length + " people)");
        }
        for (int label : m.clusters()) {
            if (label < 0 || label >= c.k()) {
                throw new StoreException("clustering " + c.name() + " has a member in cluster " + label
                        + ", outside 0.." + (c.k() - 1));
            }
        }
        return new Loaded(c, info, sd, m);
    }

    static Map<String, Object> featuresMap(FeatureMatrix f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spec", f.spec().toMap());
        m.put("text", f.spec().describe());
        m.put("columns", f.columns());
        m.put("countries", f.countries());
        m.put("mean", f.mean());
        m.put("scale", f.scale());
        m.put("rows", f.rows());
        return m;
    }

    static Map<String, Object> metricsMap(Clustering.Result res, double seconds) {
        KMeansResult km = res.kmeans();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("params", res.params().toMap());
        m.put("inertia", km.inertia());
        m.put("iterations", km.iterations());
        m.put("converged", km.converged());
        m.put("sizes", km.sizes());
        m.put("bestRestart", km.bestRestart());
        m.put("restartInertias", km.restartInertias());
        m.put("distanceFraction", km.distanceFraction());
        m.put("silhouette", finite(res.silhouette()));
        List<Double> ari = new ArrayList<>();
        for (double v : res.stability()) {
            ari.add(v);
        }
        Map<String, Object> stab = new LinkedHashMap<>();
        stab.put("basis", res.stabilityBasis().key());
        if (res.stabilityBasis() == Clustering.StabilityBasis.SEEDS) {
            stab.put("seeds", java.util.stream.LongStream.rangeClosed(1, ari.size())
                    .map(i -> res.params().seed() + i).boxed().toList());
        } else if (res.stabilityBasis() == Clustering.StabilityBasis.RESTARTS) {
            stab.put("restarts", res.comparedRestarts());
        }
        stab.put("ari", ari);
        stab.put("meanAri", finite(res.meanStability()));
        m.put("stability", stab);
        Map<String, Object> pca = new LinkedHashMap<>();
        double[] ratio = res.pca().explainedRatio();
        pca.put("explainedRatio", java.util.Arrays.copyOf(ratio, Math.min(10, ratio.length)));
        pca.put("explained2d", res.pca().explained(2));
        pca.put("rowsUsed", res.pca().rowsUsed());
        pca.put("axes", new double[][] {res.pca().components()[0],
            res.pca().components().length > 1 ? res.pca().components()[1] : new double[0]});
        m.put("pca", pca);
        m.put("seconds", seconds);
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /**
     * Inertia and silhouette for each k in {@code from..to} (all fitted together), recorded as a run of kind
     * "k-selection" with the curve as its output.
     */
    public List<KSelection.Point> selectK(String dataset, FeatureSpec spec, int from, int to, KMeansParams base,
            int silhouetteSample, TaskContext ctx) {
        Instant started = Instant.now();
        DatasetInfo info = datasets.require(dataset);
        ScoredDataset sd = datasets.load(info, ctx);
        FeatureMatrix f = features(sd, spec, ctx);
        ctx.message("Fitting k = " + from + " … " + to);
        List<KSelection.Point> pts = KSelection.compute(f.data(), f.rows(), f.cols(), from, to, base,
                silhouetteSample, ctx);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("features", spec.toMap());
        params.put("kmeans", base.toMap());
        params.put("kFrom", from);
        params.put("kTo", to);
        params.put("silhouetteSample", silhouetteSample);
        List<Map<String, Object>> curve = new ArrayList<>();
        for (KSelection.Point p : pts) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("k", p.k());
            e.put("inertia", p.inertia());
            e.put("silhouette", finite(p.silhouette()));
            e.put("iterations", p.iterations());
            curve.add(e);
        }
        workspace.write(tx -> tx.runs().insertFinished("k-selection", "Choose k for " + info.name(),
                Json.compact(params), Json.compact(Map.of("datasetId", info.id(), "dataset", info.name())),
                Json.compact(Map.of("curve", curve, "columns", f.columns())), started));
        return pts;
    }

    /** The feature choices a clustering was made with, read back from its record. */
    public static FeatureSpec specOf(ClusteringInfo c) {
        return FeatureSpec.fromMap(map(c.featuresJson(), "spec", c));
    }

    /** The exact feature columns a clustering was made with. */
    @SuppressWarnings("unchecked")
    public static List<String> columnsOf(ClusteringInfo c) {
        try {
            Map<String, Object> m = Json.MAPPER.readValue(c.featuresJson(), Map.class);
            return (List<String>) m.get("columns");
        } catch (JsonProcessingException e) {
            throw new StoreException("clustering " + c.name() + " has damaged feature records: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(String json, String key, ClusteringInfo c) {
        try {
            Map<String, Object> m = Json.MAPPER.readValue(json, Map.class);
            Object v = m.get(key);
            if (!(v instanceof Map)) {
                throw new StoreException("clustering " + c.name() + " lacks '" + key + "' in its records");
            }
            return (Map<String, Object>) v;
        } catch (JsonProcessingException e) {
            throw new StoreException("clustering " + c.name() + " has damaged records: " + e.getMessage(), e);
        }
    }

    /** Writes {@code id,cluster,x,y} (dataset ids, row order) atomically. */
    public void exportCsv(ClusteringInfo c, Path out, TaskContext ctx) throws IOException {
        ClusterMembers m = workspace.read(tx -> tx.clusters().members(c.id()));
        DatasetInfo info = workspace.read(tx -> tx.datasets().get(c.datasetId())).orElseThrow(
                () -> new StoreException("clustering " + c.name() + " points at a missing dataset"));
        String[] ext = datasets.load(info, ctx).responses().idColumn();
        long first = workspace.read(tx -> tx.datasets().respondentIds(info.id()))[0];
        writeAtomically(out, os -> {
            StringBuilder sb = new StringBuilder(1 << 16);
            sb.append("id,cluster,x,y\n");
            for (int i = 0; i < m.size(); i++) {
                Csv.field(sb, ext[(int) (m.respondentIds()[i] - first)]);
                sb.append(',').append(m.clusters()[i]).append(',').append(m.x()[i]).append(',').append(m.y()[i])
                        .append('\n');
                if (sb.length() > 60_000) {
                    os.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                    sb.setLength(0);
                }
            }
            os.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        });
    }

    /** Body of a file write. */
    interface Writer {
        void write(OutputStream os) throws IOException;
    }

    static void writeAtomically(Path out, Writer w) throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + out.getFileName(), ".part");
        try {
            try (OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
                w.write(os);
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** CSV quoting as RFC 4180. */
    static final class Csv {
        private Csv() {
        }

        static void field(StringBuilder sb, String s) {
            if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
                sb.append(s);
            } else {
                sb.append('"').append(s.replace("\"", "\"\"")).append('"');
            }
        }
    }
}
