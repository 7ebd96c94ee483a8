package org.personalab.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.personalab.data.DatasetInfo;
import org.personalab.eval.AgentScorer;
import org.personalab.eval.AgentScores;
import org.personalab.eval.Baseline;
import org.personalab.eval.Baselines;
import org.personalab.eval.Bootstrap;
import org.personalab.eval.Comparison;
import org.personalab.eval.Estimate;
import org.personalab.eval.Metric;
import org.personalab.eval.PairedComparison;
import org.personalab.eval.PersonTarget;
import org.personalab.eval.Report;
import org.personalab.eval.ScaleMatrix;
import org.personalab.eval.ScaleMetric;
import org.personalab.eval.Source;
import org.personalab.eval.SummaryRow;
import org.personalab.inventory.Scale;
import org.personalab.inventory.ScoringRule;
import org.personalab.profile.ScoredDataset;
import org.personalab.store.SimAnswerRepository.AgentAnswers;
import org.personalab.store.SimAnswerRepository.RunAnswers;
import org.personalab.store.SimAnswerRepository.RunSummary;
import org.personalab.store.SimAnswerRepository.SimRun;
import org.personalab.store.SimAnswerRepository.StatusCounts;
import org.personalab.store.StoreException;
import org.personalab.store.Workspace;
import org.personalab.task.RunRecord;
import org.personalab.task.TaskContext;

/**
 * Evaluates a simulation run against the real people its agents reproduce (spec → respondent → the dataset's
 * answers, scores and levels), with the {@link Baseline}s on the same people, an optional second run compared agent
 * by agent, and bootstrap intervals over agents. Each evaluation is stored as a run (kind {@value #RUN_KIND}) with
 * its parameters (seed, resamples, …), inputs (simulation runs, spec runs, dataset, norm set) and outputs: the
 * summary of every source, the paired comparisons and the facet/domain heatmaps, so the results panel reads them
 * back ({@link #summary(long)}, {@link #heatmap(long, ScaleMetric)}) without recomputing.
 *
 * <p>Several samples per item: each sample is scored as a full answer sheet and the agent's metrics are the mean
 * over its samples. Several agents (specs) of one person: each is a row of the run; the paired comparisons use
 * their mean.
 */
public final class EvaluationService {

    public static final String RUN_KIND = "evaluation";
    static final String SIMULATION_KIND = "simulation";

    /**
     * What to evaluate and how.
     *
     * @param run          the simulation run
     * @param vs           a second simulation run to compare with agent by agent, or 0
     * @param seed         seeds the bootstrap, the permutations and the uniform baseline's random sheets
     * @param resamples    bootstrap resamples
     * @param uniformDraws random answer sheets per person for the uniform baseline's scale metrics
     * @param folds        cross-fitting folds of the data-driven baselines
     * @param permutations random sign flips of the permutation test (beyond exact enumeration)
     */
    public record Request(long run, long vs, long seed, int resamples, int uniformDraws, int folds,
            int permutations) {

        public Request {
            if (run <= 0) {
                throw new IllegalArgumentException("give the simulation run to evaluate");
            }
            if (vs == run) {
                throw new IllegalArgumentException("--vs names the same run as --run (" + run + ")");
            }
            if (permutations < 100) {
                throw new IllegalArgumentException("permutations must be at least 100, got " + permutations);
            }
        }

        public static Request of(long run, long vs) {
            return new Request(run, vs, 42, Bootstrap.DEFAULT_RESAMPLES, Baselines.Params.DEFAULT.uniformDraws(),
                    Baselines.Params.DEFAULT.folds(), PairedComparison.DEFAULT_PERMUTATIONS);
        }

        Bootstrap bootstrap() {
            return new Bootstrap(resamples, Bootstrap.DEFAULT_LEVEL, seed);
        }
    }

    /**
     * One simulation run, evaluated.
     *
     * @param sim     what the run administered
     * @param dataset the dataset of its people
     * @param source  its per-agent scores (key {@code run:ID})
     * @param persons the distinct people of its agents, in dataset row order
     * @param counts  answer statuses over the whole run
     * @param status  the run's journal status (running, succeeded, failed, cancelled): an unfinished run is
     *                evaluated on the answers it has
     */
    public record RunEvaluation(SimRun sim, DatasetInfo dataset, Source source, List<PersonTarget> persons,
            StatusCounts counts, String status) {

        public boolean finished() {
            return RunRecord.SUCCEEDED.equals(status);
        }
    }

    /**
     * A finished evaluation.
     *
     * @param runId       the stored evaluation run
     * @param main        the evaluated run
     * @param vs          the compared run, or null
     * @param sources     the run, the compared run, then the baselines, in table order
     * @param summary     one row per source
     * @param comparisons run vs compared run, then run vs each baseline
     * @param heatmaps    one matrix per {@link ScaleMetric}
     */
    public record Outcome(long runId, RunEvaluation main, RunEvaluation vs, List<Source> sources,
            List<SummaryRow> summary, List<Comparison> comparisons, Map<ScaleMetric, ScaleMatrix> heatmaps) {
    }

    /** The files {@link #write} made. */
    public record Files(Path agents, Path summary, Path comparisons) {
    }

    private final Workspace ws;
    private final DatasetService datasets;

    public EvaluationService(Workspace ws, DatasetService datasets) {
        this.ws = ws;
        this.datasets = datasets;
    }

    public EvaluationService(Workspace ws) {
        this(ws, new DatasetService(ws));
    }

    /** A simulation run by id, or "latest" for the newest one; a clear error otherwise. */
    public long resolveRun(String text) {
        String t = text == null ? "" : text.strip();
        if (t.equalsIgnoreCase("latest")) {
            List<RunSummary> runs = ws.read(tx -> tx.simAnswers().runs());
            if (runs.isEmpty()) {
                throw new StoreException(ws.dir() + " has no simulation runs yet (personalab simulate ...)");
            }
            return runs.get(0).run().runId();
        }
        long id;
        try {
            id = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("run must be a run id or 'latest', got '" + text + "'");
        }
        if (ws.read(tx -> tx.simAnswers().run(id)).isEmpty()) {
            String what = ws.read(tx -> tx.runs().get(id)).map(r -> "a run of kind '" + r.kind() + "' (" + r.title()
                    + ")").orElse("no run at all");
            throw new StoreException("run " + id + " in " + ws.dir() + " is not a simulation run: it is " + what);
        }
        return id;
    }

    /** Evaluates, stores the evaluation run and returns everything it computed. */
    public Outcome evaluate(Request req, TaskContext ctx) {
        Instant started = Instant.now();
        Bootstrap boot = req.bootstrap();
        ctx.message("Scoring the agents of run " + req.run());
        RunEvaluation main = evaluateRun(req.run(), ctx);
        RunEvaluation vs = req.vs() > 0 ? evaluateRun(req.vs(), ctx) : null;
        if (vs != null && Comparison.sharedPeople(main.source(), vs.source()) == 0) {
            throw new IllegalArgumentException("runs " + req.run() + " and " + req.vs() + " share no people: "
                    + "nothing to compare agent by agent");
        }
        ScoredDataset sd = datasets.load(main.dataset(), ctx);
        AgentScorer scorer = new AgentScorer(main.sim().inventory(), new ScoringRule(main.dataset().scoringRule()));
        Map<Baseline, List<AgentScores>> base = Baselines.evaluate(sd, main.persons(), scorer,
                new Baselines.Params(req.seed(), req.uniformDraws(), req.folds()), ctx);
        List<Source> sources = new ArrayList<>();
        sources.add(main.source());
        if (vs != null) {
            sources.add(vs.source());
        }
        for (Baseline b : Baseline.values()) {
            sources.add(new Source(b.source(), b.label(), base.get(b)));
        }
        ctx.message("Confidence intervals");
        List<SummaryRow> summary = new ArrayList<>();
        for (Source s : sources) {
            ctx.checkCancelled();
            summary.add(SummaryRow.of(s, boot));
        }
        ctx.message("Paired comparisons");
        List<Comparison> comparisons = new ArrayList<>();
        for (Source s : sources.subList(1, sources.size())) {
            ctx.checkCancelled();
            comparisons.addAll(Comparison.of(main.source(), s, req.permutations(), boot));
        }
        Map<ScaleMetric, ScaleMatrix> heatmaps = new EnumMap<>(ScaleMetric.class);
        for (ScaleMetric m : ScaleMetric.values()) {
            ctx.checkCancelled();
            heatmaps.put(m, ScaleMatrix.of(m, sources, boot));
        }
        long runId = store(req, main, vs, sources, summary, comparisons, heatmaps, started);
        return new Outcome(runId, main, vs, List.copyOf(sources), List.copyOf(summary), List.copyOf(comparisons),
                heatmaps);
    }

    /** Scores every agent of one simulation run against its person. */
    RunEvaluation evaluateRun(long simRunId, TaskContext ctx) {
        SimRun sim = ws.read(tx -> tx.simAnswers().run(simRunId)).orElseThrow(() -> new StoreException(
                "run " + simRunId + " in " + ws.dir() + " is not a simulation run"));
        RunAnswers answers = ws.read(tx -> tx.simAnswers().answers(simRunId));
        if (answers.agents().isEmpty()) {
            throw new StoreException("simulation run " + simRunId + " has no answers stored yet");
        }
        DatasetInfo info = datasetOf(sim, answers);
        long first = firstRespondent(info);
        ScoredDataset sd = datasets.load(info, ctx);
        AgentScorer scorer = new AgentScorer(sim.inventory(), new ScoringRule(info.scoringRule()));
        Map<Integer, PersonTarget> persons = new TreeMap<>();
        List<AgentScores> scores = new ArrayList<>();
        int done = 0;
        for (AgentAnswers a : answers.agents()) {
            long row = a.respondentId() - first;
            if (row < 0 || row >= info.size()) {
                throw new StoreException("simulation run " + simRunId + ", spec " + a.specId() + ": its person "
                        + "(respondent " + a.respondentId() + ") is not in dataset " + info.name()
                        + ", which the other agents come from");
            }
            PersonTarget p = persons.computeIfAbsent((int) row,
                    r -> PersonTarget.of(sd, r, a.respondentId(), sim.inventory()));
            List<AgentScores> samples = new ArrayList<>(a.samples().length);
            for (byte[] sheet : a.samples()) {
                samples.add(scorer.score(a.specId(), sheet, p));
            }
            AgentScores s = AgentScores.average(samples)
                    .with(Metric.UNPARSEABLE_RATE, a.counts().total() == 0 ? Double.NaN
                            : a.counts().unparseableRate())
                    .with(Metric.REFUSAL_RATE, a.counts().total() == 0 ? Double.NaN : a.counts().refusalRate());
            scores.add(s);
            if ((++done & 63) == 0) {
                ctx.checkCancelled();
                ctx.progress(done, answers.agents().size());
            }
        }
        String label = "run " + simRunId + " (" + sim.engine() + ")";
        String status = ws.read(tx -> tx.runs().get(simRunId)).map(RunRecord::status).orElse("unknown");
        return new RunEvaluation(sim, info, new Source("run:" + simRunId, label, scores),
                List.copyOf(persons.values()), answers.counts(), status);
    }

    /** The dataset of a run's people: the one its spec run names, else the one whose respondents they are. */
    private DatasetInfo datasetOf(SimRun sim, RunAnswers answers) {
        if (sim.specRunId() > 0) {
            RunRecord spec = ws.read(tx -> tx.runs().get(sim.specRunId())).orElse(null);
            if (spec != null) {
                long id = readJson(spec.inputs(), "spec run " + spec.id()).path("datasetId").asLong(0);
                if (id > 0) {
                    DatasetInfo d = ws.read(tx -> tx.datasets().get(id)).orElse(null);
                    if (d != null) {
                        return d;
                    }
                }
            }
        }
        long probe = answers.agents().get(0).respondentId();
        for (DatasetInfo d : ws.read(tx -> tx.datasets().list())) {
            long first = firstRespondent(d);
            if (probe >= first && probe < first + d.size()) {
                return d;
            }
        }
        throw new StoreException("simulation run " + sim.runId() + ": no dataset in " + ws.dir() + " holds its "
                + "people (respondent " + probe + "); was the dataset deleted?");
    }

    private long firstRespondent(DatasetInfo d) {
        long[] ids = ws.read(tx -> tx.datasets().respondentIds(d.id()));
        return ids.length == 0 ? 0 : ids[0];
    }

    private long store(Request req, RunEvaluation main, RunEvaluation vs, List<Source> sources,
            List<SummaryRow> summary, List<Comparison> comparisons, Map<ScaleMetric, ScaleMatrix> heatmaps,
            Instant started) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("seed", req.seed());
        params.put("resamples", req.resamples());
        params.put("confidence", Bootstrap.DEFAULT_LEVEL);
        params.put("interval", "percentile bootstrap over agents");
        params.put("uniformDraws", req.uniformDraws());
        params.put("folds", req.folds());
        params.put("permutations", req.permutations());
        params.put("scoringRule", main.dataset().scoringRule());
        params.put("samples", "each sample scored as an answer sheet; the agent's metrics are their mean");
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("simulationRunId", main.sim().runId());
        inputs.put("specRunId", main.sim().specRunId());
        inputs.put("inventory", main.sim().inventory().name());
        inputs.put("datasetId", main.dataset().id());
        inputs.put("dataset", main.dataset().name());
        inputs.put("normSetId", main.dataset().normSetId());
        inputs.put("agents", main.source().agents().size());
        inputs.put("people", main.persons().size());
        inputs.put("simulationStatus", main.status());
        if (vs != null) {
            inputs.put("vsRunId", vs.sim().runId());
            inputs.put("vsSpecRunId", vs.sim().specRunId());
            inputs.put("vsDatasetId", vs.dataset().id());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("counts", Map.of("answered", main.counts().answered(), "unparseable", main.counts().unparseable(),
                "refused", main.counts().refused(), "failed", main.counts().failed()));
        out.put("summary", summary.stream().map(EvaluationService::summaryJson).toList());
        out.put("comparisons", comparisons.stream().map(EvaluationService::comparisonJson).toList());
        Map<String, Object> maps = new LinkedHashMap<>();
        heatmaps.forEach((m, x) -> maps.put(m.key(), matrixJson(x)));
        out.put("heatmaps", maps);
        String title = "Evaluate run " + main.sim().runId() + (vs == null ? "" : " vs run " + vs.sim().runId());
        return ws.write(tx -> tx.runs().insertFinished(RUN_KIND, title, Json.compact(params), Json.compact(inputs),
                Json.compact(out), started));
    }

    private static Map<String, Object> summaryJson(SummaryRow r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", r.key());
        m.put("label", r.label());
        m.put("agents", r.agents());
        Map<String, Object> metrics = new LinkedHashMap<>();
        for (Metric x : Metric.values()) {
            metrics.put(x.column(), estimateJson(r.get(x)));
        }
        m.put("metrics", metrics);
        return m;
    }

    private static Map<String, Object> estimateJson(Estimate e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", finite(e.mean()));
        m.put("low", finite(e.low()));
        m.put("high", finite(e.high()));
        m.put("n", e.n());
        return m;
    }

    private static Map<String, Object> comparisonJson(Comparison c) {
        PairedComparison p = c.result();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", c.a());
        m.put("b", c.b());
        m.put("metric", c.metric().column());
        m.put("n", p.n());
        m.put("meanDifference", finite(p.meanDifference()));
        m.put("low", finite(p.difference().low()));
        m.put("high", finite(p.difference().high()));
        m.put("permutationP", finite(p.permutationP()));
        m.put("permutationExact", p.exact());
        m.put("wilcoxonZ", finite(p.z()));
        m.put("wilcoxonP", finite(p.wilcoxonP()));
        m.put("cohensDz", finite(p.cohensDz()));
        m.put("rankBiserial", finite(p.rankBiserial()));
        m.put("favours", c.favours());
        return m;
    }

    private static Map<String, Object> matrixJson(ScaleMatrix x) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("unit", x.metric().unit().label());
        m.put("keys", x.keys());
        m.put("labels", x.labels());
        m.put("columns", x.columns().stream().map(Scale::name).toList());
        List<List<Map<String, Object>>> rows = new ArrayList<>();
        for (Estimate[] row : x.cells()) {
            List<Map<String, Object>> cells = new ArrayList<>();
            for (Estimate e : row) {
                cells.add(estimateJson(e));
            }
            rows.add(cells);
        }
        m.put("cells", rows);
        return m;
    }

    private static Double finite(double x) {
        return Double.isFinite(x) ? x : null;
    }

    private static double number(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? Double.NaN : n.asDouble();
    }

    private static Estimate estimate(JsonNode n) {
        return new Estimate(number(n.get("mean")), number(n.get("low")), number(n.get("high")),
                n.path("n").asInt(0));
    }

    private static JsonNode readJson(String json, String what) {
        try {
            return Json.MAPPER.readTree(json == null ? "{}" : json);
        } catch (JsonProcessingException e) {
            throw new StoreException(what + ": its stored JSON is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    private JsonNode outputs(long evaluationRunId) {
        RunRecord r = ws.read(tx -> tx.runs().get(evaluationRunId)).orElseThrow(() -> new StoreException(
                "no run " + evaluationRunId + " in " + ws.dir()));
        if (!RUN_KIND.equals(r.kind())) {
            throw new StoreException("run " + evaluationRunId + " is a " + r.kind() + " run, not an evaluation");
        }
        return readJson(r.outputs(), "evaluation run " + evaluationRunId);
    }

    /** The stored summary of an evaluation run: every source (run, compared run, baselines) with every metric. */
    public List<SummaryRow> summary(long evaluationRunId) {
        List<SummaryRow> out = new ArrayList<>();
        for (JsonNode r : outputs(evaluationRunId).path("summary")) {
            Map<Metric, Estimate> e = new EnumMap<>(Metric.class);
            r.path("metrics").properties().forEach(en -> {
                try {
                    e.put(Metric.ofColumn(en.getKey()), estimate(en.getValue()));
                } catch (IllegalArgumentException unknown) {
                    // a metric of a newer version: not shown here
                }
            });
            out.add(new SummaryRow(r.path("key").asText(), r.path("label").asText(), r.path("agents").asInt(), e));
        }
        return out;
    }

    /**
     * The stored heatmap of an evaluation run: rows = the run, the compared run and the baselines; columns = the 30
     * facets and 5 domains; cells = the metric's mean over agents with its interval.
     */
    public ScaleMatrix heatmap(long evaluationRunId, ScaleMetric metric) {
        JsonNode m = outputs(evaluationRunId).path("heatmaps").path(metric.key());
        if (m.isMissingNode()) {
            throw new StoreException("evaluation run " + evaluationRunId + " has no " + metric.key() + " heatmap");
        }
        List<String> keys = new ArrayList<>();
        m.path("keys").forEach(k -> keys.add(k.asText()));
        List<String> labels = new ArrayList<>();
        m.path("labels").forEach(k -> labels.add(k.asText()));
        List<Scale> columns = new ArrayList<>();
        m.path("columns").forEach(k -> columns.add(Scale.valueOf(k.asText())));
        Estimate[][] cells = new Estimate[keys.size()][columns.size()];
        for (int r = 0; r < keys.size(); r++) {
            JsonNode row = m.path("cells").path(r);
            for (int c = 0; c < columns.size(); c++) {
                cells[r][c] = estimate(row.path(c));
            }
        }
        return new ScaleMatrix(metric, keys, labels, columns, cells);
    }

    /** Evaluation runs, newest first. */
    public List<RunRecord> list() {
        return ws.read(tx -> tx.runs().list()).stream().filter(r -> RUN_KIND.equals(r.kind())).toList();
    }

    /**
     * Writes {@code out} (one row per agent of the evaluated run), {@code OUT-summary.csv} (every source with every
     * metric and its interval) and, when there are comparisons, {@code OUT-comparison.csv}; each file atomically.
     */
    public static Files write(Outcome o, Path out) throws IOException {
        String name = out.getFileName().toString();
        String stem = name.toLowerCase(java.util.Locale.ROOT).endsWith(".csv") ? name.substring(0, name.length() - 4)
                : name;
        Path summary = out.resolveSibling(stem + "-summary.csv");
        Path comparison = out.resolveSibling(stem + "-comparison.csv");
        writeText(out, sb -> Report.writeAgents(sb, o.main().source().agents()));
        writeText(summary, sb -> Report.writeSummary(sb, o.summary()));
        if (!o.comparisons().isEmpty()) {
            writeText(comparison, sb -> Report.writeComparisons(sb, o.comparisons()));
        }
        return new Files(out, summary, o.comparisons().isEmpty() ? null : comparison);
    }

    private interface Text {
        void write(StringBuilder sb);
    }

    private static void writeText(Path file, Text t) throws IOException {
        StringBuilder sb = new StringBuilder(1 << 16);
        t.write(sb);
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        ClusterService.writeAtomically(file, os -> os.write(bytes));
    }
}
