package org.personalab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.personalab.eval.Baselines;
import org.personalab.eval.Bootstrap;
import org.personalab.eval.Comparison;
import org.personalab.eval.Estimate;
import org.personalab.eval.Metric;
import org.personalab.eval.PairedComparison;
import org.personalab.eval.SummaryRow;
import org.personalab.llm.ApiKeys;
import org.personalab.llm.LlmGateway;
import org.personalab.llm.Provider;
import org.personalab.llm.ProviderOverride;
import org.personalab.llm.ProviderRegistry;
import org.personalab.service.EvaluationService;
import org.personalab.service.Json;
import org.personalab.service.SimulationService;
import org.personalab.service.SpecGenerationService;
import org.personalab.sim.MemoryPolicy;
import org.personalab.sim.PersonaRenderer;
import org.personalab.sim.PsychometricRespondent;
import org.personalab.sim.SimSettings;
import org.personalab.sim.TokenTally;
import org.personalab.store.Workspace;
import org.personalab.task.RunRecord;
import org.personalab.task.TaskContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code personalab bench tokens}: the token economy of the memory policies, measured in one command on the same
 * agents — issue 5's goal that the "none" policy (each item on its own, so every call of an agent repeats one persona
 * prefix that prompt caches reuse) costs at least 10× fewer prompt tokens than TinyTroupe's replayed memory at equal
 * or better accuracy.
 *
 * <p>Each policy is an ordinary simulation run through {@link SimulationService} (stored with its parameters, resumed
 * when it stopped, answered from the workspace cache when it is repeated, so nothing is bought twice), evaluated with
 * {@link EvaluationService} (stored too); every policy but "none" is evaluated against the "none" run, which gives the
 * paired test on the same people. The table puts side by side the tokens per questionnaire (reported by the provider
 * and estimated, the estimate split into a cacheable prefix and the rest), the accuracy with its interval, MAD, the
 * parse-failure rate and the paired difference from "none"; the verdict line says on which token basis (total or
 * uncached) the ratio reaches 10 and whether accuracy is not worse by the paired interval, not by point estimates.
 *
 * <p>Agents: {@code --agents} of the spec run's agents (among the people of {@code --split}), a sample drawn with
 * {@code --seed}: the same agents in every policy and in every repetition of the command.
 */
@Command(name = "tokens", description = {
    "Token economy of the memory policies on the same agents: one simulation run per policy (stored, resumable, "
            + "answered from the workspace cache when repeated), each evaluated and compared with 'none' by the "
            + "paired test; prints prompt tokens (reported and estimated, cacheable and uncached), completion "
            + "tokens, exact accuracy with its 95% interval, MAD, parse failures, and a verdict on issue 5's goal "
            + "(none >= 10x fewer prompt tokens than tinytroupe at not-worse accuracy).",
    "With --engine psychometric (offline) memory is ignored: accuracy is identical by construction and only "
            + "estimated tokens are reported. Exit code 3: a run stopped before it was complete (run the same command "
            + "again to continue)."})
public final class TokenBench implements Callable<Integer> {

    /** The token ratio the goal asks for. */
    public static final double GOAL_RATIO = 10;
    static final int INCOMPLETE = 3;

    @Spec
    CommandSpec spec;

    @Option(names = "--workspace", required = true, paramLabel = "DIR")
    Path workspace;

    @Option(names = "--specs", defaultValue = "latest", paramLabel = "RUN",
            description = "The spec run: latest (default), its id or its title.")
    String specs;

    @Option(names = "--split", paramLabel = "SET:PART", description = "Only the agents of these people.")
    String split;

    @Option(names = "--agents", defaultValue = "20", paramLabel = "N",
            description = "Agents per policy: a sample of N of the spec run's agents (among --split's people), "
                    + "drawn with --seed: the same agents in every policy and every repetition (default "
                    + "${DEFAULT-VALUE}).")
    int agents;

    @Option(names = "--engine", required = true, paramLabel = "ENGINE",
            description = "PROVIDER:MODEL (an OpenAI-compatible chat model, or personalab serve with --base-url), "
                    + "or psychometric (offline; estimated tokens only).")
    String engine;

    @Option(names = "--base-url", paramLabel = "URL", description = "The provider's OpenAI-compatible endpoint.")
    String baseUrl;

    @Option(names = "--api-key-env", paramLabel = "VAR",
            description = "The environment variable holding the API key (never the key itself).")
    String apiKeyEnv;

    @Option(names = "--policies", defaultValue = "none,tinytroupe", paramLabel = "LIST", split = ",",
            description = "Memory policies, comma-separated: none, last:K, tinytroupe (default ${DEFAULT-VALUE}); "
                    + "none is added when missing, since every policy is compared with it.")
    List<String> policies;

    @Option(names = "--persona", defaultValue = "tinytroupe", paramLabel = "MODE",
            description = "tinytroupe (default: persona JSON with its rules) or paragraph.")
    String persona;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
            description = "Seed of the agents' sample and of the evaluation's bootstrap and permutations "
                    + "(default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--margin", defaultValue = "0.02", paramLabel = "FRACTION",
            description = "Non-inferiority margin of exact accuracy: none is 'not worse' than a policy when the "
                    + "paired 95% interval of (none - policy) starts above -MARGIN (default ${DEFAULT-VALUE}).")
    double margin;

    @Option(names = "--text", description = "Ask models for free text instead of {\"answer\": letter}.")
    boolean text;

    @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature (default 0).")
    Double temperature;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Completion cap per item (default 64).")
    Integer maxTokens;

    @Option(names = "--budget", paramLabel = "USD", description = "Money cap of each policy's run.")
    Double budget;

    @Option(names = "--concurrency", paramLabel = "N", description = "Agents at a time.")
    Integer concurrency;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write everything as JSON to FILE.")
    Path json;

    @Option(names = "--dry-run", description = "Print each policy's plan (agents, answers, estimated cost of the "
            + "requests not yet answered in the workspace) and send nothing.")
    boolean dryRun;

    /** One policy, simulated and evaluated. */
    record PolicyResult(MemoryPolicy policy, SimulationService.Outcome sim, List<Long> specIds, long evaluationRun,
            SummaryRow summary, Comparison exactVsNone, Comparison madVsNone) {

        TokenTally.Summary tokens() {
            return sim.tokens();
        }

        boolean reported() {
            return !Double.isNaN(tokens().reportedPrompt());
        }
    }

    /** The verdict on the goal for one policy against "none". */
    record Verdict(String versus, double ratioTotal, String totalBasis, double ratioUncached, boolean offline,
            String accuracy, double low, double high, double diff, double permutationP, double wilcoxonP, int n,
            Boolean met, String line) {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (agents < 1) {
            throw new IllegalArgumentException("--agents must be at least 1, not " + agents);
        }
        if (!(margin >= 0 && margin < 1)) {
            throw new IllegalArgumentException("--margin must be a fraction in [0, 1), not " + margin);
        }
        List<MemoryPolicy> list = policies();
        Workspace ws = Workspace.open(workspace);
        boolean offline = engine.equals(PsychometricRespondent.ENGINE);
        if (offline && (temperature != null || maxTokens != null || budget != null || text || baseUrl != null
                || apiKeyEnv != null)) {
            throw new IllegalArgumentException("the psychometric engine calls no model: --base-url, --api-key-env, "
                    + "--temperature, --max-tokens, --budget and --text apply to PROVIDER:MODEL engines");
        }
        SimulationService.Request base = request(offline);
        ConsoleProgress progress = new ConsoleProgress(err);
        List<PolicyResult> results;
        if (offline) {
            results = run(ws, new SimulationService(ws, null), base, list, progress, out);
        } else {
            ProviderRegistry registry = ProviderRegistry.load();
            ApiKeys keys = ApiKeys.standard();
            if (baseUrl != null || apiKeyEnv != null) {
                registry = registry.with(new ProviderOverride(base.provider(), baseUrl, apiKeyEnv, base.model()));
            }
            Provider p = registry.get(base.provider());
            if (p.apiKeyEnv() != null && !keys.hasKey(p)) {
                err.println("error: " + p.name() + " needs an API key: set the environment variable " + p.apiKeyEnv()
                        + " or add \"" + p.name() + "\" to " + keys.file() + " (readable only by you)");
                return 2;
            }
            try (LlmGateway gw = LlmGateway.builder(ws).registry(registry).keys(keys).build()) {
                results = run(ws, new SimulationService(ws, gw), base, list, progress, out);
            }
        }
        if (results == null) {
            return INCOMPLETE;
        }
        if (results.isEmpty()) {
            return 0;
        }
        List<Verdict> verdicts = new ArrayList<>();
        for (PolicyResult r : results) {
            if (r.policy() instanceof MemoryPolicy.TinyTroupe) {
                verdicts.add(verdict(results.get(0), r, offline, margin));
            }
        }
        print(out, engine, results, verdicts, offline);
        if (json != null) {
            writeJson(json, results, verdicts, offline);
            out.println("Wrote " + json);
        }
        return 0;
    }

    /** The policies asked for, none first, without repeats. */
    List<MemoryPolicy> policies() {
        List<MemoryPolicy> out = new ArrayList<>();
        out.add(new MemoryPolicy.None());
        for (String s : policies) {
            if (s.isBlank()) {
                continue;
            }
            MemoryPolicy m = MemoryPolicy.parse(s);
            if (out.stream().noneMatch(x -> x.id().equals(m.id()))) {
                out.add(m);
            }
        }
        return out;
    }

    private SimulationService.Request request(boolean offline) {
        SimSettings s = SimSettings.standard().withPersona(PersonaRenderer.Mode.parse(persona));
        SimulationService.Request r = offline ? SimulationService.Request.psychometric(s)
                : SimulationService.Request.model(engine, s);
        r = r.withSpecRun(specs).withSplit(split).withBudget(budget).withConcurrency(concurrency == null ? 0
                : concurrency);
        if (!offline) {
            r = r.withStructured(!text);
            if (temperature != null) {
                r = r.withTemperature(temperature);
            }
            if (maxTokens != null) {
                r = new SimulationService.Request(r.specRun(), r.split(), r.engine(), r.settings(), r.psychometric(),
                        r.seed(), r.temperature(), maxTokens, r.structured(), r.budgetUsd(), r.concurrency(),
                        r.limit());
            }
        }
        return r;
    }

    /**
     * Prints each policy's plan, then simulates and evaluates every policy; empty for a dry run, null (after saying
     * why) when a run stopped before it was complete.
     */
    private List<PolicyResult> run(Workspace ws, SimulationService sims, SimulationService.Request base,
            List<MemoryPolicy> list, TaskContext progress, PrintWriter out) {
        Set<Long> chosen = sample(sims.agentSpecIds(base), agents, seed);
        double total = 0;
        for (MemoryPolicy m : list) {
            SimulationService.Plan plan = sims.plan(base.withSettings(base.settings().withMemory(m)), chosen,
                    progress);
            out.println("Plan, memory " + m.id() + ": " + plan.summary());
            total += plan.cost() == null ? 0 : plan.cost().costUsd();
        }
        if (!base.isPsychometric()) {
            out.printf(Locale.ROOT, "Estimated cost of every policy: $%.4f (requests already answered in the "
                    + "workspace cost nothing)%n", total);
        }
        if (dryRun) {
            out.println("Dry run: nothing sent.");
            return List.of();
        }
        List<SimulationService.Outcome> outcomes = new ArrayList<>();
        List<List<Long>> ids = new ArrayList<>();
        for (MemoryPolicy m : list) {
            progress.message("Memory policy " + m.id() + ": simulating with " + engine);
            SimulationService.Outcome o = sims.simulate(base.withSettings(base.settings().withMemory(m)), chosen,
                    new SpecGenerationService.PauseGate(), progress);
            SimulateCommand.print(out, o);
            if (!o.complete()) {
                out.println("The " + m.id() + " run stopped before it was complete; nothing is compared. Run the "
                        + "same command again to continue where it stopped.");
                return null;
            }
            outcomes.add(o);
            ids.add(specIds(ws, o.runId()));
            if (!ids.get(ids.size() - 1).equals(ids.get(0))) {
                throw new IllegalStateException("the " + m.id() + " run (" + o.runId() + ") simulated other agents "
                        + "than the none run (" + outcomes.get(0).runId() + "): specs " + ids.get(ids.size() - 1)
                        + " vs " + ids.get(0) + "; were specs edited during the benchmark?");
            }
        }
        EvaluationService evals = new EvaluationService(ws);
        long none = outcomes.get(0).runId();
        List<PolicyResult> results = new ArrayList<>();
        SummaryRow noneRow = null;
        long noneEval = 0;
        for (int i = 1; i < list.size(); i++) {
            long run = outcomes.get(i).runId();
            progress.message("Memory policy " + list.get(i).id() + ": evaluating run " + run + " against run "
                    + none);
            EvaluationService.Outcome e = evals.evaluate(evalRequest(run, none), progress);
            if (noneRow == null) {
                noneRow = row(e, none);
                noneEval = e.runId();
            }
            results.add(new PolicyResult(list.get(i), outcomes.get(i), ids.get(i), e.runId(), row(e, run),
                    find(e, run, none, Metric.EXACT_ACCURACY), find(e, run, none, Metric.MAD)));
        }
        if (noneRow == null) {
            progress.message("Memory policy none: evaluating run " + none);
            EvaluationService.Outcome e = evals.evaluate(evalRequest(none, 0), progress);
            noneRow = row(e, none);
            noneEval = e.runId();
        }
        results.add(0, new PolicyResult(list.get(0), outcomes.get(0), ids.get(0), noneEval, noneRow, null, null));
        return results;
    }

    /** {@code n} of {@code ids} drawn with {@code seed} (all of them when there are no more), ascending. */
    static Set<Long> sample(List<Long> ids, int n, long seed) {
        List<Long> pool = new ArrayList<>(ids);
        pool.sort(null);
        Collections.shuffle(pool, new Random(seed));
        return new TreeSet<>(pool.subList(0, Math.min(n, pool.size())));
    }

    private EvaluationService.Request evalRequest(long run, long vs) {
        return new EvaluationService.Request(run, vs, seed, Bootstrap.DEFAULT_RESAMPLES,
                Baselines.Params.DEFAULT.uniformDraws(), Baselines.Params.DEFAULT.folds(),
                PairedComparison.DEFAULT_PERMUTATIONS);
    }

    private static SummaryRow row(EvaluationService.Outcome e, long run) {
        String key = "run:" + run;
        return e.summary().stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow(() ->
                new IllegalStateException("evaluation run " + e.runId() + " has no summary of " + key));
    }

    private static Comparison find(EvaluationService.Outcome e, long a, long b, Metric m) {
        return e.comparisons().stream().filter(c -> c.a().equals("run:" + a) && c.b().equals("run:" + b)
                && c.metric() == m).findFirst().orElse(null);
    }

    /** The spec ids a simulation run recorded as its inputs, ascending. */
    private static List<Long> specIds(Workspace ws, long run) {
        RunRecord r = ws.read(tx -> tx.runs().get(run)).orElseThrow();
        try {
            JsonNode in = Json.MAPPER.readTree(r.inputs() == null ? "{}" : r.inputs());
            List<Long> out = new ArrayList<>();
            in.path("specIds").forEach(x -> out.add(x.asLong()));
            out.sort(null);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("run " + run + ": its stored inputs are unreadable: " + e.getMessage(), e);
        }
    }

    // ---- the verdict

    /** Prompt tokens per questionnaire on the total basis: reported usage when the provider gave it, else estimated. */
    static double totalPrompt(PolicyResult r) {
        return r.reported() ? r.tokens().reportedPrompt() : r.tokens().estimatedPrompt();
    }

    static String totalBasis(PolicyResult none, PolicyResult other) {
        return none.reported() && other.reported() ? "reported prompt tokens (" + other.tokens().source() + ")"
                : "estimated prompt tokens";
    }

    /**
     * The goal for {@code other} (a TinyTroupe policy) against {@code none}: the token ratio on both bases, and
     * accuracy judged by the paired 95% interval of (none - other) exact accuracy: not worse when its lower end is at
     * least {@code -margin}, worse when its upper end is below 0 with permutation p below 0.05, else inconclusive.
     */
    static Verdict verdict(PolicyResult none, PolicyResult other, boolean offline, double margin) {
        double total;
        String basis;
        if (none.reported() && other.reported()) {
            total = other.tokens().reportedPrompt() / none.tokens().reportedPrompt();
        } else {
            total = other.tokens().estimatedPrompt() / none.tokens().estimatedPrompt();
        }
        basis = totalBasis(none, other);
        double uncached = other.tokens().uncachedPrompt() / none.tokens().uncachedPrompt();
        boolean tokensTotal = total >= GOAL_RATIO;
        boolean tokensUncached = uncached >= GOAL_RATIO;
        String tokenText = String.format(Locale.ROOT, "%s/none prompt tokens per questionnaire %.1fx in total (%s), "
                + "%.1fx uncached (estimate: the prompt minus the prefix repeated from the agent's previous call)",
                other.policy().id(), total, basis, uncached);
        String tokenMet = tokensTotal && tokensUncached ? "ratio >= 10 on both bases"
                : tokensTotal ? "ratio >= 10 on the total basis only"
                : tokensUncached ? "ratio >= 10 on the uncached basis only (none's persona prefix cached)"
                : "ratio below 10 on both bases";
        PairedComparison p = other.exactVsNone() == null ? null : other.exactVsNone().result();
        // the comparison is other - none; the goal reads none - other
        double diff = p == null ? Double.NaN : -p.meanDifference();
        double low = p == null ? Double.NaN : -p.difference().high();
        double high = p == null ? Double.NaN : -p.difference().low();
        double perm = p == null ? Double.NaN : p.permutationP();
        double wil = p == null ? Double.NaN : p.wilcoxonP();
        int n = p == null ? 0 : p.n();
        if (offline) {
            String line = String.format(Locale.ROOT, "Goal (offline psychometric engine): %s; %s. The offline engine "
                    + "ignores memory, so accuracy is identical by construction (paired difference %s over %d "
                    + "agents) and no tokens are sent: these are estimates of the prompts a model would get. The "
                    + "accuracy half of the goal needs a model engine (PROVIDER:MODEL).", tokenText, tokenMet,
                    signed(diff), n);
            return new Verdict(other.policy().id(), total, basis, uncached, true, "identical by construction", low,
                    high, diff, perm, wil, n, null, line);
        }
        String accuracy;
        if (!Double.isNaN(low) && low >= -margin) {
            accuracy = "not worse";
        } else if (!Double.isNaN(high) && high < 0 && perm < 0.05) {
            accuracy = "worse";
        } else {
            accuracy = "inconclusive";
        }
        boolean met = (tokensTotal || tokensUncached) && accuracy.equals("not worse");
        String why = accuracy.equals("not worse") ? String.format(Locale.ROOT, "the interval's lower end %s is above "
                + "-%.3f (the margin)", signed(low), margin)
                : accuracy.equals("worse") ? "none is significantly less accurate"
                : String.format(Locale.ROOT, "the interval reaches below -%.3f (the margin) without a significant "
                        + "deficit: more agents would narrow it", margin);
        String line = String.format(Locale.ROOT, "Goal %s: %s; %s. Accuracy of none vs %s: exact accuracy "
                + "difference (none - %s) %s [%s, %s] (paired 95%% bootstrap interval), permutation p %s, Wilcoxon p "
                + "%s, %d agents: %s (%s).", met ? "MET" : "NOT MET", tokenText, tokenMet, other.policy().id(),
                other.policy().id(), signed(diff), signed(low), signed(high), pValue(perm), pValue(wil), n, accuracy,
                why);
        return new Verdict(other.policy().id(), total, basis, uncached, false, accuracy, low, high, diff, perm, wil, n,
                met, line);
    }

    // ---- output

    static void print(PrintWriter out, String engine, List<PolicyResult> results, List<Verdict> verdicts,
            boolean offline) {
        PolicyResult none = results.get(0);
        List<Long> ids = none.specIds();
        out.printf(Locale.ROOT, "%nToken economy of memory policies: %d agents (specs %s), engine %s, %d "
                + "questionnaires per policy%n", ids.size(), idList(ids), offline ? engine + " (offline)" : engine,
                none.tokens().questionnaires());
        out.println("Tokens are per questionnaire (one agent, every item). reported = the provider's usage; est. = "
                + "characters/4 of the prompt as built, split into the prefix repeated from the agent's previous "
                + "call (cacheable) and the rest (uncached).");
        out.println("Accuracy: mean over agents [95% bootstrap interval]; Δ = policy - none on the same agents, "
                + "paired, with the permutation and Wilcoxon p-values.");
        String h = String.format(Locale.ROOT, "%-14s %6s %10s %10s %10s %10s %10s  %-22s %-22s %7s %7s  %-24s %8s %8s",
                "policy", "run", "prompt rep", "prompt est", "cacheable", "uncached", "completion",
                "exact accuracy", "MAD", "unparse", "refused", "Δ exact vs none", "p perm", "p Wilc.");
        out.println(h);
        out.println("-".repeat(h.length()));
        for (PolicyResult r : results) {
            TokenTally.Summary t = r.tokens();
            PairedComparison p = r.exactVsNone() == null ? null : r.exactVsNone().result();
            out.printf(Locale.ROOT, "%-14s %6d %10s %10s %10s %10s %10s  %-22s %-22s %7s %7s  %-24s %8s %8s%n",
                    r.policy().id(), r.sim().runId(), tokens(t.reportedPrompt()), tokens(t.estimatedPrompt()),
                    tokens(t.cacheablePrefix()), tokens(t.uncachedPrompt()), tokens(t.reportedCompletion()),
                    estimate(r.summary().get(Metric.EXACT_ACCURACY)), estimate(r.summary().get(Metric.MAD)),
                    percent(r.sim().counts().unparseableRate()), percent(r.sim().counts().refusalRate()),
                    p == null ? "(reference)" : signed(p.meanDifference()) + " [" + signed(p.difference().low())
                            + ", " + signed(p.difference().high()) + "]",
                    p == null ? "" : pValue(p.permutationP()), p == null ? "" : pValue(p.wilcoxonP()));
        }
        out.println();
        for (PolicyResult r : results) {
            out.printf(Locale.ROOT, "  %s: simulation run %d (%s; %d paid calls now, $%.4f), evaluation run %d%n",
                    r.policy().id(), r.sim().runId(), r.tokens().source(), r.sim().paidCalls(), r.sim().costUsd(),
                    r.evaluationRun());
        }
        out.println();
        if (verdicts.isEmpty()) {
            out.println("Goal not judged: it compares none with tinytroupe; add tinytroupe to --policies.");
        }
        for (Verdict v : verdicts) {
            out.println(v.line());
        }
        if (offline) {
            out.println("Note: no model was called; accuracy differences between policies are 0 by construction.");
        }
    }

    private static String idList(List<Long> ids) {
        if (ids.size() <= 12) {
            return ids.toString().replace("[", "").replace("]", "");
        }
        return ids.subList(0, 10).toString().replace("[", "").replace("]", "") + ", … " + ids.get(ids.size() - 1);
    }

    private static String tokens(double x) {
        return Double.isNaN(x) ? "—" : String.format(Locale.ROOT, "%,.0f", x);
    }

    private static String estimate(Estimate e) {
        if (Double.isNaN(e.mean())) {
            return "—";
        }
        return e.hasInterval() ? String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", e.mean(), e.low(), e.high())
                : String.format(Locale.ROOT, "%.3f", e.mean());
    }

    private static String percent(double x) {
        return Double.isNaN(x) ? "—" : String.format(Locale.ROOT, "%.1f%%", 100 * x);
    }

    static String signed(double x) {
        return Double.isNaN(x) ? "—" : String.format(Locale.ROOT, "%+.3f", x == 0 ? 0.0 : x);
    }

    static String pValue(double p) {
        if (Double.isNaN(p)) {
            return "—";
        }
        return p < 0.001 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.3f", p);
    }

    // ---- JSON

    private void writeJson(Path file, List<PolicyResult> results, List<Verdict> verdicts, boolean offline)
            throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("engine", engine);
        root.put("offline", offline);
        root.put("specs", specs);
        root.put("split", split);
        root.put("persona", persona);
        root.put("agentsAsked", agents);
        root.put("agentSelection", "a sample of N agents of the spec run (among the split's people) drawn with "
                + "the seed (java.util.Random, Collections.shuffle of the ascending spec ids)");
        root.put("specIds", results.get(0).specIds());
        root.put("seed", seed);
        root.put("margin", margin);
        root.put("goalRatio", GOAL_RATIO);
        List<Map<String, Object>> ps = new ArrayList<>();
        for (PolicyResult r : results) {
            TokenTally.Summary t = r.tokens();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("policy", r.policy().id());
            m.put("simulationRun", r.sim().runId());
            m.put("evaluationRun", r.evaluationRun());
            m.put("questionnaires", t.questionnaires());
            m.put("calls", t.calls());
            m.put("tokenSource", t.source());
            m.put("promptTokensReported", finite(t.reportedPrompt()));
            m.put("promptTokensEstimated", finite(t.estimatedPrompt()));
            m.put("cacheablePrefixEstimated", finite(t.cacheablePrefix()));
            m.put("uncachedPromptEstimated", finite(t.uncachedPrompt()));
            m.put("completionTokensReported", finite(t.reportedCompletion()));
            m.put("paidCalls", r.sim().paidCalls());
            m.put("costUsd", r.sim().costUsd());
            m.put("answered", r.sim().counts().answered());
            m.put("unparseableRate", finite(r.sim().counts().unparseableRate()));
            m.put("refusalRate", finite(r.sim().counts().refusalRate()));
            m.put("exactAccuracy", estimateJson(r.summary().get(Metric.EXACT_ACCURACY)));
            m.put("withinOneAccuracy", estimateJson(r.summary().get(Metric.WITHIN_ONE_ACCURACY)));
            m.put("mad", estimateJson(r.summary().get(Metric.MAD)));
            if (r.exactVsNone() != null) {
                Map<String, Object> vs = new LinkedHashMap<>();
                vs.put("exactAccuracy", pairedJson(r.exactVsNone()));
                if (r.madVsNone() != null) {
                    vs.put("mad", pairedJson(r.madVsNone()));
                }
                m.put("vsNone", vs);
            }
            ps.add(m);
        }
        root.put("policies", ps);
        List<Map<String, Object>> vs = new ArrayList<>();
        for (Verdict v : verdicts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("versus", v.versus());
            m.put("ratioTotal", finite(v.ratioTotal()));
            m.put("totalBasis", v.totalBasis());
            m.put("ratioUncached", finite(v.ratioUncached()));
            m.put("tokensMetTotal", v.ratioTotal() >= GOAL_RATIO);
            m.put("tokensMetUncached", v.ratioUncached() >= GOAL_RATIO);
            m.put("accuracy", v.accuracy());
            m.put("exactDifferenceNoneMinusPolicy", finite(v.diff()));
            m.put("low", finite(v.low()));
            m.put("high", finite(v.high()));
            m.put("permutationP", finite(v.permutationP()));
            m.put("wilcoxonP", finite(v.wilcoxonP()));
            m.put("n", v.n());
            m.put("met", v.met());
            m.put("line", v.line());
            vs.add(m);
        }
        root.put("goal", vs);
        byte[] bytes = Json.MAPPER.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, abs.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Map<String, Object> estimateJson(Estimate e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", finite(e.mean()));
        m.put("low", finite(e.low()));
        m.put("high", finite(e.high()));
        m.put("n", e.n());
        return m;
    }

    private static Map<String, Object> pairedJson(Comparison c) {
        PairedComparison p = c.result();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("difference", "policy - none");
        m.put("n", p.n());
        m.put("mean", finite(p.meanDifference()));
        m.put("low", finite(p.difference().low()));
        m.put("high", finite(p.difference().high()));
        m.put("permutationP", finite(p.permutationP()));
        m.put("permutationExact", p.exact());
        m.put("wilcoxonP", finite(p.wilcoxonP()));
        m.put("cohensDz", finite(p.cohensDz()));
        return m;
    }

    private static Double finite(double x) {
        return Double.isFinite(x) ? x : null;
    }
}
