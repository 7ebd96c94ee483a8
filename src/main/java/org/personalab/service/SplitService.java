package org.personalab.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.personalab.cluster.ClusterMembers;
import org.personalab.cluster.ClusteringInfo;
import org.personalab.cluster.FeatureMatrix;
import org.personalab.cluster.SplitAssignment;
import org.personalab.cluster.SplitChecks;
import org.personalab.cluster.SplitMembers;
import org.personalab.cluster.SplitPlan;
import org.personalab.cluster.SplitSetInfo;
import org.personalab.cluster.Splitter;
import org.personalab.data.DatasetInfo;
import org.personalab.profile.ScoredDataset;
import org.personalab.store.StoreException;
import org.personalab.store.Workspace;
import org.personalab.task.TaskContext;

/**
 * Draws named, frozen split sets (train/test/…) from a stored clustering, checks their invariants
 * ({@link SplitChecks}) and stores them with their parameters and the run that made them, all or nothing. Stored
 * split sets are what later stages take their people from.
 */
public final class SplitService {

    /** Which clustering, which name, how, with what seed. */
    public record Request(String clustering, String name, SplitPlan plan, long seed) {
    }

    /** A stored split set with the split sizes it got. */
    public record Outcome(SplitSetInfo info, SplitAssignment assignment, Map<String, Integer> sizes, long runId) {
    }

    private final Workspace workspace;
    private final DatasetService datasets;

    public SplitService(Workspace workspace, DatasetService datasets) {
        this.workspace = workspace;
        this.datasets = datasets;
    }

    public SplitService(Workspace workspace) {
        this(workspace, new DatasetService(workspace));
    }

    public List<SplitSetInfo> list() {
        return workspace.read(tx -> tx.splits().list());
    }

    public SplitSetInfo require(String name) {
        return workspace.read(tx -> tx.splits().find(name)).orElseThrow(() -> new StoreException(
                "no split set named '" + name + "' in " + workspace.dir() + " (it has: "
                        + String.join(", ", list().stream().map(SplitSetInfo::name).toList()) + ")"));
    }

    /**
     * A split set drawn and checked but not stored: the clustering it comes from, everyone's cluster label (dataset
     * row order) and split. Drawing is deterministic, so {@link #split} with the same request stores exactly this.
     */
    public record Preview(ClusteringInfo clustering, ClusterMembers members, SplitAssignment assignment,
            Map<String, Integer> sizes) {
    }

    /** Draws a split set as {@link #split} would and checks its invariants, without storing anything. */
    public Preview preview(Request req, TaskContext ctx) {
        ClusteringInfo c = new ClusterService(workspace, datasets).require(req.clustering());
        Drawn d = draw(c, req, "the split set drawn from '" + c.name() + "'", ctx);
        return new Preview(c, d.members(), d.assignment(), sizes(d.assignment()));
    }

    /** The people of a stored split set with their split, ordered by respondent id. */
    public SplitMembers members(SplitSetInfo s) {
        return workspace.read(tx -> tx.splits().members(s.id()));
    }

    private record Drawn(DatasetInfo dataset, ClusterMembers members, SplitAssignment assignment) {
    }

    /** @param what names the split set in the message when it breaks its invariants */
    private Drawn draw(ClusteringInfo c, Request req, String what, TaskContext ctx) {
        DatasetInfo info = workspace.read(tx -> tx.datasets().get(c.datasetId())).orElseThrow(
                () -> new StoreException("clustering " + c.name() + " points at a missing dataset"));
        ClusterMembers members = workspace.read(tx -> tx.clusters().members(c.id()));
        long[] ids = workspace.read(tx -> tx.datasets().respondentIds(info.id()));
        if (members.size() != ids.length || (ids.length > 0 && members.respondentIds()[0] != ids[0])) {
            throw new StoreException("clustering " + c.name() + " does not cover dataset " + info.name()
                    + " row for row (" + members.size() + " members, " + ids.length + " people)");
        }
        float[] features = null;
        int d = 0;
        float[] centroids = null;
        if (req.plan() instanceof SplitPlan.Representatives) {
            ScoredDataset sd = datasets.load(info, ctx);
            FeatureMatrix f = ClusterService.features(sd, ClusterService.specOf(c), ctx);
            if (!f.columns().equals(ClusterService.columnsOf(c))) {
                throw new StoreException("the features of " + info.name() + " no longer match clustering "
                        + c.name() + " (columns " + f.columns() + " vs " + ClusterService.columnsOf(c) + ")");
            }
            features = f.data();
            d = f.cols();
            centroids = workspace.read(tx -> tx.clusters().centroids(c.id()));
        }
        ctx.message("Drawing " + what);
        SplitAssignment a = Splitter.draw(members.clusters(), c.k(), req.plan(), req.seed(), features, d,
                centroids);
        List<String> problems = SplitChecks.verify(a, members.clusters(), c.k(), req.plan(), features, d,
                centroids);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(what + " was not stored; it breaks its invariants: "
                    + String.join("; ", problems));
        }
        return new Drawn(info, members, a);
    }

    private static Map<String, Integer> sizes(SplitAssignment a) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        int[] sz = a.sizes();
        for (int s = 0; s < sz.length; s++) {
            sizes.put(a.names().get(s), sz[s]);
        }
        return sizes;
    }

    public Outcome split(Request req, TaskContext ctx) {
        Instant started = Instant.now();
        ClusterService clusters = new ClusterService(workspace, datasets);
        ClusteringInfo c = clusters.require(req.clustering());
        String name = req.name() == null || req.name().isBlank() ? c.name() + "-split-s" + req.seed()
                : req.name().strip();
        if (workspace.read(tx -> tx.splits().find(name)).isPresent()) {
            throw new StoreException("a split set named '" + name + "' already exists in " + workspace.dir()
                    + "; choose another name");
        }
        Drawn drawn = draw(c, req, "split set '" + name + "'", ctx);
        DatasetInfo info = drawn.dataset();
        ClusterMembers members = drawn.members();
        SplitAssignment a = drawn.assignment();
        Map<String, Integer> sizes = sizes(a);
        List<Long> rid = new ArrayList<>();
        List<String> rs = new ArrayList<>();
        for (int r = 0; r < a.split().length; r++) {
            if (a.split()[r] >= 0) {
                rid.add(members.respondentIds()[r]);
                rs.add(a.names().get(a.split()[r]));
            }
        }
        SplitMembers stored = new SplitMembers(rid.stream().mapToLong(Long::longValue).toArray(),
                rs.toArray(String[]::new));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("plan", req.plan().toMap());
        params.put("seed", req.seed());
        params.put("clustering", c.name());
        params.put("sizes", sizes);
        params.put("skippedClusters", a.skipped());
        params.put("checks", List.of("each person in at most one split", "per-cluster counts as planned",
                "split sizes", req.plan() instanceof SplitPlan.Representatives ? "nearest to centroid"
                        : "stratified by cluster"));
        Object[] out = new Object[2];
        workspace.write(tx -> {
            long runId = tx.runs().insertFinished("split", "Split " + c.name() + " into " + String.join("/",
                    a.names()), Json.compact(params), Json.compact(Map.of("clusteringId", c.id(), "datasetId",
                            info.id())), "{}", started);
            SplitSetInfo s = tx.splits().insert(new SplitSetInfo(0, name, info.id(), c.id(), Json.compact(params),
                    runId, started));
            tx.splits().insertMembers(s.id(), stored, ctx);
            tx.runs().finish(runId, "succeeded", Json.compact(Map.of("splitSetId", s.id(), "sizes", sizes)), null);
            out[0] = s;
            out[1] = runId;
            return null;
        });
        return new Outcome((SplitSetInfo) out[0], a, sizes, (Long) out[1]);
    }

    /** Writes {@code id,split} for the people of a split set (dataset ids, row order) atomically. */
    public void exportCsv(SplitSetInfo s, Path out, TaskContext ctx) throws IOException {
        SplitMembers m = workspace.read(tx -> tx.splits().members(s.id()));
        DatasetInfo info = workspace.read(tx -> tx.datasets().get(s.datasetId())).orElseThrow(
                () -> new StoreException("split set " + s.name() + " points at a missing dataset"));
        String[] ext = datasets.load(info, ctx).responses().idColumn();
        long first = workspace.read(tx -> tx.datasets().respondentIds(info.id()))[0];
        ClusterService.writeAtomically(out, os -> {
            StringBuilder sb = new StringBuilder(1 << 16);
            sb.append("id,split\n");
            for (int i = 0; i < m.size(); i++) {
                ClusterService.Csv.field(sb, ext[(int) (m.respondentIds()[i] - first)]);
                sb.append(',').append(m.splits()[i]).append('\n');
                if (sb.length() > 60_000) {
                    os.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                    sb.setLength(0);
                }
            }
            os.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        });
    }
}
