package org.personalab.service;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.personalab.cluster.Clustering;
import org.personalab.cluster.FeatureSpec;
import org.personalab.cluster.KMeansParams;
import org.personalab.cluster.SplitPlan;
import org.personalab.data.Responses;
import org.personalab.data.SyntheticParameters;
import org.personalab.data.SyntheticPopulation;
import org.personalab.sim.SimSettings;
import org.personalab.store.Workspace;
import org.personalab.task.RunRecord;
import org.personalab.task.TaskContext;

/**
 * The built-in demo workspace: a synthetic population drawn from parameters estimated from real IPIP-NEO answers
 * (no real person's row is in it), scored, with cohort norms and levels. Needs no network, API key or GPU.
 * Building it twice is harmless: an existing demo dataset is kept.
 */
public final class DemoWorkspace {

    public static final String DATASET = "demo-synthetic";
    public static final int PEOPLE = 10_000;
    public static final long SEED = 42;
    /** People of the demo dataset who get template specs: the test split. */
    public static final int SPEC_PEOPLE = 200;
    /** The demo's stored clustering: k-means over keyed answers and demographics. */
    public static final String CLUSTERING = "demo-k20";
    public static final int CLUSTERS = 20;
    /** The demo's split set: the 10 people nearest each centroid form "test", everyone else "train". */
    public static final String SPLIT_SET = "demo-split";
    public static final int TEST_PER_CENTROID = 10;
    /** Test-split people whose spec gets an edited version, judged against the original by the rubric judge. */
    public static final int JUDGED_PEOPLE = 60;

    private DemoWorkspace() {
    }

    /** The default demo folder: {@code workspaces/demo} under the working directory. */
    public static Path defaultDir() {
        return Path.of("workspaces", "demo");
    }

    /** Creates (or completes) the demo workspace in {@code dir}. */
    public static Workspace build(Path dir, TaskContext ctx) {
        Workspace ws = Workspace.openOrCreate(dir);
        if (ws.read(tx -> tx.datasets().find(DATASET)).isPresent()) {
            complete(ws, ctx);
            return ws;
        }
        ctx.message("Generating " + PEOPLE + " synthetic respondents");
        SyntheticParameters p = SyntheticParameters.bundled();
        Responses people = SyntheticPopulation.generate(p, PEOPLE, SEED, ctx);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("generator", "Gaussian copula over item answers");
        params.put("parameters", p.source());
        params.put("people", PEOPLE);
        params.put("seed", SEED);
        new ImportService().importResponses(ws, people, DATASET, "synthetic",
                "Synthetic population of " + PEOPLE + " (seed " + SEED + ") drawn from parameters estimated from "
                        + p.source() + "; no real person's answers",
                params, 0, ctx);
        complete(ws, ctx);
        return ws;
    }

    /** Adds whatever later stage the demo lacks; each step is skipped when its result is stored already. */
    private static void complete(Workspace ws, TaskContext ctx) {
        addClustering(ws, ctx);
        addSpecs(ws, ctx);
        addExperiment(ws, ctx);
        if (!hasRun(ws, JudgeService.RUN_KIND)) {
            ctx.message("Judging edited demo specs (rubric)");
            new JudgeService(ws).addDemoJudging(SPLIT_SET + ":test", JUDGED_PEOPLE, ctx);
        }
    }

    /** The demo clustering and its train/test split set, unless they exist. */
    private static void addClustering(Workspace ws, TaskContext ctx) {
        ClusterService clusters = new ClusterService(ws);
        if (clusters.list().stream().noneMatch(c -> c.name().equals(CLUSTERING))) {
            ctx.message("Clustering the demo people (k = " + CLUSTERS + ")");
            clusters.cluster(new ClusterService.Request(DATASET, CLUSTERING, FeatureSpec.DEFAULT,
                    KMeansParams.of(CLUSTERS, SEED), Clustering.Options.DEFAULT), ctx);
        }
        SplitService splits = new SplitService(ws);
        if (splits.list().stream().noneMatch(s -> s.name().equals(SPLIT_SET))) {
            ctx.message("Drawing the demo train/test split");
            splits.split(new SplitService.Request(CLUSTERING, SPLIT_SET,
                    new SplitPlan.Representatives("test", TEST_PER_CENTROID, "train"), SEED), ctx);
        }
    }

    /** Template specs for the people of the test split, unless a spec run exists already. */
    private static void addSpecs(Workspace ws, TaskContext ctx) {
        if (!hasRun(ws, SpecService.RUN_KIND)) {
            ctx.message("Writing template specs for the " + SPEC_PEOPLE + " people of the test split");
            SpecService.generateTemplate(ws, SplitSelection.resolve(ws, SPLIT_SET + ":test"), 0, ctx);
        }
    }

    /**
     * The full offline experiment: the psychometric respondent answers the IPIP-NEO-120 as each test-split agent
     * (from the levels its template spec states, through the item model learned from the other people), then the
     * evaluation against the real answers with every baseline.
     */
    private static void addExperiment(Workspace ws, TaskContext ctx) {
        if (!hasRun(ws, SimulationService.RUN_KIND)) {
            ctx.message("Simulating the test-split agents (psychometric respondent)");
            long specRun = SpecService.resolveRun(ws, SpecService.RUN_KIND, "latest").id();
            new SimulationService(ws, null).simulate(SimulationService.Request.psychometric(SimSettings.standard())
                    .withSpecRun(Long.toString(specRun)), null, ctx);
        }
        if (!hasRun(ws, EvaluationService.RUN_KIND)) {
            ctx.message("Evaluating the agents against their people, with baselines");
            EvaluationService ev = new EvaluationService(ws);
            ev.evaluate(EvaluationService.Request.of(ev.resolveRun("latest"), 0), ctx);
        }
    }

    private static boolean hasRun(Workspace ws, String kind) {
        return ws.read(tx -> tx.runs().list()).stream().anyMatch(r -> r.kind().equals(kind)
                && RunRecord.SUCCEEDED.equals(r.status()));
    }
}
