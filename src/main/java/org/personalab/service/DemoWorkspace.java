package org.personalab.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
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
 * (no real person's row is in it), scored, with cohort norms and levels, a clustering and a train/test split; the
 * offline experiment over the test part (template specs, psychometric respondent, evaluation, judged edits for the
 * review panel); and training data over the train part ({@value #TRAIN_SPEC_PEOPLE} template specs with edits judged
 * by the rubric judge, which {@code personalab export sft|dpo --split demo-split:train} turns into SFT and DPO files;
 * the test part's judgments are refused by the export's leakage guard). Needs no network, API key or GPU.
 * Building it twice is harmless: each stage is skipped when its result is stored already.
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
    /** The split part whose people may be trained on. */
    public static final String TRAIN_PART = SPLIT_SET + ":train";
    /** The held-out split part (specs, simulation, evaluation; the export guard refuses its people). */
    public static final String TEST_PART = SPLIT_SET + ":test";
    /**
     * Train-split people who get a template spec, an edited version and a rubric judgment of the two, so the demo
     * has training data ({@code personalab export sft|dpo --split demo-split:train}): the people of the train part
     * with the lowest ids. The synthetic population is drawn independently person by person, so the lowest ids are
     * a random sample of the train part; no centroid search is needed.
     */
    public static final int TRAIN_SPEC_PEOPLE = 100;

    private DemoWorkspace() {
    }

    /** The default demo folder: {@code workspaces/demo} under the working directory. */
    public static Path defaultDir() {
        return Path.of("workspaces", "demo");
    }

    /**
     * Creates (or completes) the demo workspace in {@code dir}. The stages share one {@link DatasetService}, so the
     * population is scored once (at import) rather than read back and rescored by every stage.
     */
    public static Workspace build(Path dir, TaskContext ctx) {
        Workspace ws = Workspace.openOrCreate(dir);
        DatasetService datasets = new DatasetService(ws);
        if (ws.read(tx -> tx.datasets().find(DATASET)).isPresent()) {
            complete(ws, datasets, ctx);
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
        ImportService.Outcome imported = new ImportService().importResponses(ws, people, DATASET, "synthetic",
                "Synthetic population of " + PEOPLE + " (seed " + SEED + ") drawn from parameters estimated from "
                        + p.source() + "; no real person's answers",
                params, 0, ctx);
        datasets.remember(imported.scored());
        complete(ws, datasets, ctx);
        return ws;
    }

    /**
     * Adds whatever later stage the demo lacks; each step is skipped when its result is stored already. The train
     * part's spec and judging runs are made before the test part's, so on a fresh build "latest" names the test
     * part's runs (the panels and {@code personalab simulate --specs latest} start there). A demo built before the
     * train part existed gets it on its next build, after its test runs.
     */
    private static void complete(Workspace ws, DatasetService datasets, TaskContext ctx) {
        addClustering(ws, datasets, ctx);
        long trainSpecs = addTrainSpecs(ws, ctx);
        long testSpecs = addSpecs(ws, ctx);
        addExperiment(ws, datasets, testSpecs, ctx);
        JudgeService judges = new JudgeService(ws, datasets);
        if (judges.latestOver(TRAIN_PART).isEmpty()) {
            ctx.message("Judging edited train-split specs (rubric)");
            judges.addDemoJudging(trainSpecs, TRAIN_PART, TRAIN_SPEC_PEOPLE, ctx);
        }
        if (judges.latestOver(TEST_PART).isEmpty()) {
            ctx.message("Judging edited demo specs (rubric)");
            judges.addDemoJudging(testSpecs, TEST_PART, JUDGED_PEOPLE, ctx);
        }
    }

    /** The demo clustering and its train/test split set, unless they exist. */
    private static void addClustering(Workspace ws, DatasetService datasets, TaskContext ctx) {
        ClusterService clusters = new ClusterService(ws, datasets);
        if (clusters.list().stream().noneMatch(c -> c.name().equals(CLUSTERING))) {
            ctx.message("Clustering the demo people (k = " + CLUSTERS + ")");
            clusters.cluster(new ClusterService.Request(DATASET, CLUSTERING, FeatureSpec.DEFAULT,
                    KMeansParams.of(CLUSTERS, SEED), Clustering.Options.DEFAULT), ctx);
        }
        SplitService splits = new SplitService(ws, datasets);
        if (splits.list().stream().noneMatch(s -> s.name().equals(SPLIT_SET))) {
            ctx.message("Drawing the demo train/test split");
            splits.split(new SplitService.Request(CLUSTERING, SPLIT_SET,
                    new SplitPlan.Representatives("test", TEST_PER_CENTROID, "train"), SEED), ctx);
        }
    }

    /** Template specs for the first {@value #TRAIN_SPEC_PEOPLE} people of the train part; returns their run. */
    private static long addTrainSpecs(Workspace ws, TaskContext ctx) {
        RunRecord r = trainSpecRun(ws);
        if (r != null) {
            return r.id();
        }
        ctx.message("Writing template specs for " + TRAIN_SPEC_PEOPLE + " people of the train split");
        return SpecService.generateTemplate(ws, SplitSelection.resolve(ws, TRAIN_PART), TRAIN_SPEC_PEOPLE, ctx)
                .runId();
    }

    /**
     * Template specs for the people of the test split, unless the demo has a spec run besides the train part's one
     * (a demo is never given other spec runs; a user's own runs come later); returns that run.
     */
    private static long addSpecs(Workspace ws, TaskContext ctx) {
        RunRecord train = trainSpecRun(ws);
        for (RunRecord r : ws.read(tx -> tx.runs().list()).reversed()) {
            if (r.kind().equals(SpecService.RUN_KIND) && RunRecord.SUCCEEDED.equals(r.status())
                    && (train == null || r.id() != train.id())) {
                return r.id();
            }
        }
        ctx.message("Writing template specs for the " + SPEC_PEOPLE + " people of the test split");
        return SpecService.generateTemplate(ws, SplitSelection.resolve(ws, TEST_PART), 0, ctx).runId();
    }

    /** The demo's template spec run over the train part, or null. */
    public static RunRecord trainSpecRun(Workspace ws) {
        for (RunRecord r : ws.read(tx -> tx.runs().list())) {
            if (r.kind().equals(SpecService.RUN_KIND) && RunRecord.SUCCEEDED.equals(r.status())) {
                JsonNode in = json(r.inputs());
                if (SPLIT_SET.equals(in.path("splitSet").asText()) && "train".equals(in.path("part").asText())) {
                    return r;
                }
            }
        }
        return null;
    }

    private static JsonNode json(String text) {
        try {
            return text == null ? MissingNode.getInstance() : Json.MAPPER.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }

    /**
     * The full offline experiment: the psychometric respondent answers the IPIP-NEO-120 as each test-split agent
     * (from the levels its template spec states, through the item model learned from the other people), then the
     * evaluation against the real answers with every baseline.
     */
    private static void addExperiment(Workspace ws, DatasetService datasets, long specRun, TaskContext ctx) {
        if (!hasRun(ws, SimulationService.RUN_KIND)) {
            ctx.message("Simulating the test-split agents (psychometric respondent)");
            new SimulationService(ws, null).simulate(SimulationService.Request.psychometric(SimSettings.standard())
                    .withSpecRun(Long.toString(specRun)), null, ctx);
        }
        if (!hasRun(ws, EvaluationService.RUN_KIND)) {
            ctx.message("Evaluating the agents against their people, with baselines");
            EvaluationService ev = new EvaluationService(ws, datasets);
            ev.evaluate(EvaluationService.Request.of(ev.resolveRun("latest"), 0), ctx);
        }
    }

    private static boolean hasRun(Workspace ws, String kind) {
        return ws.read(tx -> tx.runs().list()).stream().anyMatch(r -> r.kind().equals(kind)
                && RunRecord.SUCCEEDED.equals(r.status()));
    }
}
