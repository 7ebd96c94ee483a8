package org.personalab.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.personalab.data.DatasetInfo;
import org.personalab.eval.AgentScorer;
import org.personalab.eval.AgentScores;
import org.personalab.eval.PersonTarget;
import org.personalab.inventory.Inventory;
import org.personalab.inventory.ScoringRule;
import org.personalab.judge.BehaviouralJudge;
import org.personalab.judge.Judge;
import org.personalab.judge.JudgeInput;
import org.personalab.judge.JudgeResult;
import org.personalab.judge.JudgedPair;
import org.personalab.judge.PairBuilder;
import org.personalab.judge.PairSource;
import org.personalab.judge.ReviewSummary;
import org.personalab.judge.SpecPair;
import org.personalab.judge.Verdict;
import org.personalab.judge.VerdictOverride;
import org.personalab.profile.Profile;
import org.personalab.profile.ScoredDataset;
import org.personalab.spec.AgentFile;
import org.personalab.spec.SpecFormatException;
import org.personalab.spec.TinyTroupeFiles;
import org.personalab.store.JudgmentRepository.FlagRow;
import org.personalab.store.JudgmentRepository.JudgmentRow;
import org.personalab.store.JudgmentRepository.NewJudgment;
import org.personalab.store.JudgmentRepository.OverrideRow;
import org.personalab.store.SimAnswerRepository;
import org.personalab.store.SpecRepository.SpecRow;
import org.personalab.store.StoreException;
import org.personalab.store.Workspace;
import org.personalab.task.RunRecord;
import org.personalab.task.TaskContext;

/**
 * Judging runs (kind {@value #RUN_KIND}): pairs two specs of each person ({@link PairSource}, optionally only the
 * people of a split part), judges each pair in both orders and stores each result as it arrives, with the run's
 * parameters (judge, prompt hash, pairing, split) and inputs (spec runs, split set). A rerun with the same parameters
 * after a failed or cancelled run carries over the pairs that run had judged and judges only the rest (LLM answers
 * already paid for come from the workspace cache anyway). Also the human review operations: annotators, overrides with
 * their audit trail, reverts, flags, and the run's review summary.
 */
public final class JudgeService {

    public static final String RUN_KIND = "judging";
    /** Results of offline judges are stored in batches of this many pairs. */
    static final int OFFLINE_BATCH = 64;

    /** What to judge: {@code pairs} in {@link PairSource} syntax, {@code split} "SET:PART" or null, limit 0 = all. */
    public record Request(String pairs, String split, int limit) {
    }

    /** The pairs of a request and where they came from. */
    public record Plan(PairSource source, List<SpecPair> pairs, List<Long> specRuns, SplitSelection split) {
    }

    /** What a judging run did. */
    public record Outcome(long runId, int pairs, int judgedNow, int resumed, ReviewSummary summary) {
    }

    private final Workspace ws;
    private final DatasetService datasets;
    private final Map<Long, long[]> datasetRanges = new java.util.concurrent.ConcurrentHashMap<>();

    public JudgeService(Workspace ws, DatasetService datasets) {
        this.ws = ws;
        this.datasets = datasets;
    }

    public JudgeService(Workspace ws) {
        this(ws, new DatasetService(ws));
    }

    public Workspace workspace() {
        return ws;
    }

    // ---- pairs

    /** Resolves the pairing and the split into the pairs to judge; refuses a request that yields none. */
    public Plan plan(Request req) {
        PairSource src = PairSource.parse(req.pairs());
        List<Long> runs = new ArrayList<>();
        List<SpecPair> pairs = switch (src) {
            case PairSource.Runs r -> {
                long a = specRun(r.runA());
                long b = specRun(r.runB());
                if (a == b) {
                    throw new IllegalArgumentException("--pairs " + src.describe() + ": both name spec run " + a);
                }
                runs.add(a);
                runs.add(b);
                yield PairBuilder.betweenRuns(candidates(a), candidates(b), "run " + a, "run " + b);
            }
            case PairSource.Edits e -> {
                long id = specRun(e.run());
                runs.add(id);
                yield PairBuilder.edits(candidates(id));
            }
            case PairSource.Samples s -> {
                long id = specRun(s.run());
                runs.add(id);
                yield PairBuilder.samples(candidates(id));
            }
        };
        SplitSelection split = null;
        if (req.split() != null && !req.split().isBlank()) {
            split = SplitSelection.resolve(ws, req.split());
            Set<Long> people = new HashSet<>();
            for (long id : split.respondentIds()) {
                people.add(id);
            }
            pairs = PairBuilder.restrict(pairs, people);
        }
        if (req.limit() > 0 && pairs.size() > req.limit()) {
            pairs = pairs.subList(0, req.limit());
        }
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("--pairs " + src.describe() + (split == null ? "" : " --split "
                    + split.label()) + ": no pairs (" + switch (src) {
                        case PairSource.Runs r -> "no person has an original spec in both runs";
                        case PairSource.Edits e -> "no spec of the run has an edited version";
                        case PairSource.Samples s -> "no person has two samples in the run";
                    } + (split == null ? "" : " among the people of " + split.label()) + ")");
        }
        return new Plan(src, List.copyOf(pairs), runs, split);
    }

    private long specRun(String name) {
        return SpecService.resolveRun(ws, SpecService.RUN_KIND, name).id();
    }

    private List<PairBuilder.Candidate> candidates(long runId) {
        List<SpecRow> rows = ws.read(tx -> tx.specs().byRun(runId));
        List<PairBuilder.Candidate> out = new ArrayList<>(rows.size());
        for (SpecRow r : rows) {
            int sample = 0;
            try {
                AgentFile f = TinyTroupeFiles.parse(r.document());
                sample = f.provenance() == null ? 0 : f.provenance().sample();
            } catch (SpecFormatException e) {
                // an unreadable document is still a spec of its person; judging reports it
            }
            out.add(new PairBuilder.Candidate(r.id(), r.respondentId(), r.parentId(), sample));
        }
        return out;
    }

    /** What a judge sees of a pair: the person's profile and both personas. */
    public JudgeInput input(SpecPair p) {
        SpecRow a = ws.read(tx -> tx.specs().get(p.specA())).orElseThrow(() -> new StoreException("no spec "
                + p.specA()));
        SpecRow b = ws.read(tx -> tx.specs().get(p.specB())).orElseThrow(() -> new StoreException("no spec "
                + p.specB()));
        return new JudgeInput(p, profile(p.respondentId()), persona(a), persona(b));
    }

    private static org.personalab.spec.AgentSpec persona(SpecRow r) {
        try {
            return TinyTroupeFiles.parse(r.document()).spec();
        } catch (SpecFormatException e) {
            throw new IllegalStateException("spec " + r.id() + " (person " + r.respondentId() + ") cannot be read: "
                    + e.getMessage(), e);
        }
    }

    /** The profile of a workspace respondent (levels from their dataset's norm set). */
    public Profile profile(long respondentId) {
        for (DatasetInfo d : datasets.list()) {
            long[] range = range(d);
            if (respondentId >= range[0] && respondentId <= range[1]) {
                ScoredDataset sd = datasets.load(d, TaskContext.none());
                return Profile.of(sd, (int) (respondentId - range[0]));
            }
        }
        throw new StoreException("no respondent " + respondentId + " in " + ws.dir());
    }

    // ---- behavioural judge

    /**
     * The behavioural judge for a plan: each spec's agent answers from the newest simulation run that has them (only
     * {@code simulationRuns} when given, else every simulation run), scored against the person by the evaluation.
     *
     * @throws IllegalArgumentException when no simulation run has answers for any spec of the plan
     */
    public BehaviouralJudge behaviouralJudge(Plan plan, List<Long> simulationRuns) {
        Set<Long> specs = new HashSet<>();
        plan.pairs().forEach(p -> {
            specs.add(p.specA());
            specs.add(p.specB());
        });
        List<Long> runIds = simulationRuns != null && !simulationRuns.isEmpty() ? simulationRuns
                : ws.read(tx -> tx.simAnswers().runs()).stream().map(r -> r.run().runId()).toList();
        Map<Long, AgentScores> scores = new HashMap<>();
        List<Long> used = new ArrayList<>();
        for (long runId : runIds) {
            SimAnswerRepository.RunAnswers answers = ws.read(tx -> tx.simAnswers().answers(runId));
            boolean any = false;
            for (SimAnswerRepository.AgentAnswers a : answers.agents()) {
                if (!specs.contains(a.specId()) || scores.containsKey(a.specId())) {
                    continue;
                }
                scores.put(a.specId(), score(a, answers.inventory()));
                any = true;
            }
            if (any) {
                used.add(runId);
            }
        }
        if (scores.isEmpty()) {
            throw new IllegalArgumentException("the behavioural judge needs simulated answers: no simulation run"
                    + (simulationRuns == null || simulationRuns.isEmpty() ? "" : " of " + simulationRuns)
                    + " has answers for the specs of " + plan.source().describe() + "; run the simulation first");
        }
        Map<String, Object> sources = new LinkedHashMap<>();
        sources.put("simulationRunIds", used);
        sources.put("specsWithAnswers", scores.size());
        sources.put("specsInPairs", specs.size());
        return new BehaviouralJudge(scores, sources);
    }

    private AgentScores score(SimAnswerRepository.AgentAnswers a, Inventory inventory) {
        for (DatasetInfo d : datasets.list()) {
            long[] range = range(d);
            if (a.respondentId() >= range[0] && a.respondentId() <= range[1]) {
                ScoredDataset sd = datasets.load(d, TaskContext.none());
                int row = (int) (a.respondentId() - range[0]);
                PersonTarget person = PersonTarget.of(sd, row, a.respondentId(), inventory);
                return new AgentScorer(inventory, new ScoringRule(d.scoringRule())).score(a.specId(), a.answers(),
                        person);
            }
        }
        throw new StoreException("no respondent " + a.respondentId() + " in " + ws.dir());
    }

    private long[] range(DatasetInfo d) {
        return datasetRanges.computeIfAbsent(d.id(), k -> {
            long[] ids = ws.read(tx -> tx.datasets().respondentIds(d.id()));
            return ids.length == 0 ? new long[] {0, -1} : new long[] {ids[0], ids[ids.length - 1]};
        });
    }

    // ---- judging runs

    /**
     * Judges the plan's pairs and stores each result as it arrives.
     *
     * @param concurrency pairs judged at once by an LLM judge (offline judges run one at a time)
     * @throws CancellationException when cancelled (the run is recorded as cancelled, its results kept)
     */
    public Outcome judge(Plan plan, Judge judge, int concurrency, TaskContext ctx) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("engine", judge.label());
        params.put("judge", judge.parameters());
        params.put("pairs", plan.source().describe());
        params.put("split", plan.split() == null ? null : plan.split().label());
        params.put("pairCount", plan.pairs().size());
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("specRunIds", plan.specRuns());
        if (plan.split() != null) {
            inputs.put("split", plan.split().inputs());
        }
        String paramsJson = Json.compact(params);
        RunRecord previous = ws.read(tx -> tx.runs().list()).stream()
                .filter(r -> r.kind().equals(RUN_KIND) && paramsJson.equals(r.params())
                        && (r.status().equals(RunRecord.FAILED) || r.status().equals(RunRecord.CANCELLED)))
                .findFirst().orElse(null);
        if (previous != null) {
            inputs.put("resumes", previous.id());
        }
        String title = "Judging " + plan.source().describe() + " by " + judge.label();
        Set<String> wanted = new HashSet<>();
        plan.pairs().forEach(p -> wanted.add(p.specA() + ":" + p.specB()));
        int[] resumed = new int[1];
        long runId = ws.write(tx -> {
            long id = tx.runs().start(RUN_KIND, title, paramsJson, Json.compact(inputs));
            if (previous != null) {
                List<NewJudgment> carried = new ArrayList<>();
                for (JudgmentRow j : tx.judgments().byRun(previous.id())) {
                    if (wanted.contains(j.specA() + ":" + j.specB())) {
                        carried.add(new NewJudgment(j.specA(), j.specB(), j.judge(), j.winner(), j.confidence(),
                                j.rationale(), j.detail(), j.flagged()));
                    }
                }
                tx.judgments().insert(id, carried);
                resumed[0] = carried.size();
            }
            return id;
        });
        Set<String> done = new HashSet<>();
        ws.read(tx -> tx.judgments().byRun(runId)).forEach(j -> done.add(j.specA() + ":" + j.specB()));
        List<SpecPair> todo = plan.pairs().stream().filter(p -> !done.contains(p.specA() + ":" + p.specB())).toList();
        if (resumed[0] > 0) {
            ctx.message("Resuming run " + previous.id() + ": " + resumed[0] + " pairs already judged");
        }
        AtomicInteger judgedNow = new AtomicInteger();
        try {
            if (judge.offline() || concurrency <= 1) {
                sequential(todo, judge, runId, plan.pairs().size(), resumed[0], judgedNow, ctx);
            } else {
                parallel(todo, judge, runId, concurrency, plan.pairs().size(), resumed[0], judgedNow, ctx);
            }
        } catch (CancellationException e) {
            finish(runId, RunRecord.CANCELLED, "cancelled after " + judgedNow.get() + " pairs");
            throw e;
        } catch (RuntimeException | Error e) {
            finish(runId, RunRecord.FAILED, org.personalab.task.Failures.describe(e));
            throw e;
        }
        ReviewSummary s = summary(runId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("judgments", s.judgments());
        out.put("judgedNow", judgedNow.get());
        out.put("resumed", resumed[0]);
        out.put("winners", Map.of("A", s.effective().get(Verdict.A), "B", s.effective().get(Verdict.B), "tie",
                s.effective().get(Verdict.TIE)));
        out.put("positionConsistency", s.consistency().rate().estimate());
        out.put("consistentPairs", s.consistency().consistent());
        out.put("pairsWithBothOrders", s.consistency().pairs());
        out.put("invalidAnswers", s.consistency().invalidAnswers());
        out.put("costUsd", s.costUsd());
        ws.write(tx -> {
            tx.runs().finish(runId, RunRecord.SUCCEEDED, Json.compact(out), null);
            return null;
        });
        return new Outcome(runId, plan.pairs().size(), judgedNow.get(), resumed[0], s);
    }

    private void finish(long runId, String status, String error) {
        try {
            ReviewSummary s = summary(runId);
            ws.write(tx -> {
                tx.runs().finish(runId, status, Json.compact(Map.of("judgments", s.judgments())), error);
                return null;
            });
        } catch (RuntimeException ignored) {
            // the run stays "running" until the journal marks it interrupted; the judgments are stored
        }
    }

    private void sequential(List<SpecPair> todo, Judge judge, long runId, int total, int base, AtomicInteger n,
            TaskContext ctx) {
        List<NewJudgment> buffer = new ArrayList<>();
        int batch = judge.offline() ? OFFLINE_BATCH : 1;
        try {
            for (SpecPair p : todo) {
                ctx.checkCancelled();
                buffer.add(row(p, judge.judge(input(p), ctx, runId), judge));
                if (buffer.size() >= batch) {
                    store(runId, buffer);
                }
                ctx.progress(base + n.incrementAndGet(), total);
            }
        } finally {
            store(runId, buffer); // what was judged before a failure or cancel is kept
        }
    }

    private void parallel(List<SpecPair> todo, Judge judge, long runId, int concurrency, int total, int base,
            AtomicInteger n, TaskContext ctx) {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "personalab-judge");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (SpecPair p : todo) {
                futures.add(pool.submit(() -> {
                    ctx.checkCancelled();
                    JudgeResult r = judge.judge(input(p), ctx, runId);
                    store(runId, new ArrayList<>(List.of(row(p, r, judge))));
                    ctx.progress(base + n.incrementAndGet(), total);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("interrupted");
                } catch (ExecutionException e) {
                    futures.forEach(x -> x.cancel(true));
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static NewJudgment row(SpecPair p, JudgeResult r, Judge judge) {
        return new NewJudgment(p.specA(), p.specB(), judge.label(), r.winner().code(), r.confidence(), r.rationale(),
                r.detailJson(), r.flagged());
    }

    private void store(long runId, List<NewJudgment> rows) {
        if (rows.isEmpty()) {
            return;
        }
        List<NewJudgment> copy = List.copyOf(rows);
        ws.write(tx -> {
            tx.judgments().insert(runId, copy);
            return null;
        });
        rows.clear();
    }

    // ---- demo

    /** Author of the demo's edited specs. */
    public static final String DEMO_EDITOR = "demo-editor";

    /**
     * The newest succeeded judging run over the people of one split part ({@code "SET:PART"}, as the run's
     * {@code split} parameter names it), if any: how the demo finds its train-part judging and how
     * {@code personalab export --split} picks the run to export.
     */
    public java.util.Optional<RunRecord> latestOver(String split) {
        String label = SplitSelection.resolve(ws, split).label();
        for (RunRecord r : runs()) {
            if (RunRecord.SUCCEEDED.equals(r.status())) {
                try {
                    if (label.equals(Json.MAPPER.readTree(r.params()).path("split").asText())) {
                        return java.util.Optional.of(r);
                    }
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    // a run with unreadable parameters is over no known split
                }
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * Gives the demo workspace judged pairs without network or key: {@link #addDemoJudging(long, String, int,
     * TaskContext)} over the latest spec run. Skipped (returns null) when the workspace has a judging run already.
     */
    public Outcome addDemoJudging(String split, int people, TaskContext ctx) {
        if (!runs().isEmpty()) {
            return null;
        }
        return addDemoJudging(specRun("latest"), split, people, ctx);
    }

    /**
     * Demo judged pairs over one spec run: for the last {@code people} people of {@code split} (highest ids first)
     * with an original spec in {@code specRun}, an edited version by {@value #DEMO_EDITOR} (person k: k mod 4
     * correctly stated facet levels moved one step, so every fourth edit changes only the wording), then a rubric
     * judging run of {@code edits:RUN} over that split part. People whose spec has an edit already keep it.
     */
    public Outcome addDemoJudging(long specRun, String split, int people, TaskContext ctx) {
        Set<Long> part = new HashSet<>();
        for (long id : SplitSelection.resolve(ws, split).respondentIds()) {
            part.add(id);
        }
        List<SpecRow> rows = ws.read(tx -> tx.specs().byRun(specRun));
        Set<Long> edited = new HashSet<>();
        rows.forEach(r -> {
            if (r.parentId() > 0) {
                edited.add(r.parentId());
            }
        });
        List<SpecRow> originals = rows.stream()
                .filter(r -> r.parentId() <= 0 && part.contains(r.respondentId()))
                .sorted(java.util.Comparator.comparingLong(SpecRow::respondentId).reversed()).limit(people).toList();
        ctx.message("Editing " + originals.stream().filter(r -> !edited.contains(r.id())).count() + " demo specs");
        for (int k = 0; k < originals.size(); k++) {
            SpecRow r = originals.get(k);
            if (edited.contains(r.id())) {
                continue;
            }
            AgentFile f = TinyTroupeFiles.parse(r.document());
            org.personalab.spec.AgentSpec spec = f.spec();
            Profile p = profile(r.respondentId());
            org.personalab.inventory.Facet[] facets = org.personalab.inventory.Facet.values();
            int moved = 0;
            for (int i = 0; i < facets.length && moved < k % 4; i++) {
                org.personalab.inventory.Facet fa = facets[(k * 7 + i * 11) % facets.length];
                org.personalab.inventory.Level l = p.level(fa);
                if (l != null && l.label().equalsIgnoreCase(String.valueOf(spec.facet(fa)).strip())) {
                    spec.facet(fa, org.personalab.inventory.Level.values()[l.ordinal() < 2 ? l.ordinal() + 1
                            : l.ordinal() - 1].label());
                    moved++;
                }
            }
            spec.style(spec.style() + " (edited)");
            SpecService.saveEdit(ws, r.id(), TinyTroupeFiles.format(f), DEMO_EDITOR);
        }
        Plan plan = plan(new Request("edits:" + specRun, split, 0));
        return judge(plan, new org.personalab.judge.RubricJudge(), 1, ctx);
    }

    // ---- review

    /** The judgments of a run with their overrides and flags. */
    public List<JudgedPair> judged(long runId) {
        return ws.read(tx -> {
            List<JudgmentRow> rows = tx.judgments().byRun(runId);
            Map<Long, List<VerdictOverride>> ov = new HashMap<>();
            for (OverrideRow o : tx.judgments().overridesOfRun(runId)) {
                ov.computeIfAbsent(o.judgmentId(), k -> new ArrayList<>()).add(toModel(o));
            }
            Map<Long, Set<String>> flags = new HashMap<>();
            for (FlagRow f : tx.judgments().flagsOfRun(runId)) {
                if (f.clearedAt() == null) {
                    flags.computeIfAbsent(f.judgmentId(), k -> new HashSet<>()).add(f.annotator());
                }
            }
            List<JudgedPair> out = new ArrayList<>(rows.size());
            for (JudgmentRow j : rows) {
                out.add(new JudgedPair(j.id(), j.runId(), new SpecPair(j.specA(), j.specB(), j.respondentId(), "A",
                        "B"), j.judge(), Verdict.parse(j.winner()), j.confidence() == null ? Double.NaN
                                : j.confidence(), j.rationale(), j.flagged(), JudgeResult.orders(j.detail()),
                        ov.getOrDefault(j.id(), List.of()), flags.getOrDefault(j.id(), Set.of())));
            }
            return out;
        });
    }

    private static VerdictOverride toModel(OverrideRow o) {
        return new VerdictOverride(o.id(), o.judgmentId(), o.annotator(), Verdict.parse(o.verdict()),
                Verdict.parse(o.previous()), o.reason(), o.shownSwapped(), o.createdAt(), o.revertedAt(),
                o.revertedBy());
    }

    /** The review dashboard of a run. */
    public ReviewSummary summary(long runId) {
        double cost = ws.read(tx -> tx.llmCalls().totalsForRun(runId)).costUsd();
        return ReviewSummary.of(judged(runId), annotators(), cost);
    }

    public List<String> annotators() {
        return ws.read(tx -> tx.judgments().annotators());
    }

    /** Adds a named local annotator (letters, digits, space, '.', '_', '-'; at most 64 characters). */
    public String addAnnotator(String name) {
        String n = annotatorName(name);
        ws.write(tx -> {
            tx.judgments().addAnnotator(n);
            return null;
        });
        return n;
    }

    private static String annotatorName(String name) {
        String n = name == null ? "" : name.strip();
        if (!n.matches("[\\p{L}\\p{N}][\\p{L}\\p{N} ._-]{0,63}")) {
            throw new IllegalArgumentException("annotator name '" + name + "': use 1-64 letters, digits, spaces, "
                    + "'.', '_' or '-', starting with a letter or digit");
        }
        return n;
    }

    /**
     * Records an annotator's verdict on a judgment (in the pair's own order), with the verdict it replaces. A reason
     * is required when the verdict changes the effective one. Clears the annotator's flag on it.
     *
     * @param shownSwapped whether the annotator saw spec B on the left
     * @return the override's id
     */
    public long override(long judgmentId, String annotator, Verdict verdict, String reason, boolean shownSwapped) {
        String who = annotatorName(annotator);
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        return ws.write(tx -> {
            JudgmentRow j = tx.judgments().get(judgmentId).orElseThrow(() -> new StoreException("no judgment "
                    + judgmentId));
            List<VerdictOverride> os = tx.judgments().overrides(judgmentId).stream().map(JudgeService::toModel)
                    .toList();
            Verdict before = org.personalab.judge.ReviewState.effective(Verdict.parse(j.winner()), os);
            if (verdict != before && why == null) {
                throw new IllegalArgumentException("judgment " + judgmentId + ": changing the verdict from "
                        + before.code() + " to " + verdict.code() + " needs a reason");
            }
            tx.judgments().addAnnotator(who);
            long id = tx.judgments().addOverride(judgmentId, who, verdict.code(), before.code(), why, shownSwapped);
            tx.judgments().clearFlags(judgmentId, who);
            return id;
        });
    }

    /** Reverts an override: the verdict falls back to the previous standing override, else the judge's. */
    public void revert(long overrideId, String by) {
        String who = annotatorName(by);
        ws.write(tx -> {
            tx.judgments().revertOverride(overrideId, who);
            return null;
        });
    }

    /** Flags a judgment for discussion (it moves to the annotator's flagged queue until they label it). */
    public void flag(long judgmentId, String annotator, String reason) {
        String who = annotatorName(annotator);
        ws.write(tx -> {
            tx.judgments().get(judgmentId).orElseThrow(() -> new StoreException("no judgment " + judgmentId));
            tx.judgments().addAnnotator(who);
            tx.judgments().addFlag(judgmentId, who, reason);
            return null;
        });
    }

    /** The judging run named by "latest", an id or a title. */
    public RunRecord run(String name) {
        return SpecService.resolveRun(ws, RUN_KIND, name);
    }

    /** The persona JSON of a stored spec (for review screens). */
    public String personaText(long specId) {
        SpecRow r = ws.read(tx -> tx.specs().get(specId)).orElseThrow(() -> new StoreException("no spec " + specId));
        return persona(r).toString();
    }

    /** Judging runs, newest first. */
    public List<RunRecord> runs() {
        return ws.read(tx -> tx.runs().list()).stream().filter(r -> r.kind().equals(RUN_KIND)).toList();
    }
}
