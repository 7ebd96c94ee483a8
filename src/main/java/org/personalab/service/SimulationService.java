package org.personalab.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import org.personalab.data.DatasetInfo;
import org.personalab.inventory.Inventory;
import org.personalab.inventory.Item;
import org.personalab.llm.Budget;
import org.personalab.llm.ChatRequest;
import org.personalab.llm.CostEstimate;
import org.personalab.llm.LlmException;
import org.personalab.llm.LlmGateway;
import org.personalab.llm.Provider;
import org.personalab.profile.ItemLevelModel;
import org.personalab.profile.ScoredDataset;
import org.personalab.sim.Administration;
import org.personalab.sim.AnswerStatus;
import org.personalab.sim.ItemAnswer;
import org.personalab.sim.ItemOrder;
import org.personalab.sim.ItemPrompt;
import org.personalab.sim.LlmRespondent;
import org.personalab.sim.MemoryPolicy;
import org.personalab.sim.OptionOrder;
import org.personalab.sim.PersonaRenderer;
import org.personalab.sim.PsychometricRespondent;
import org.personalab.sim.Question;
import org.personalab.sim.Reply;
import org.personalab.sim.Respondent;
import org.personalab.sim.SimSettings;
import org.personalab.sim.TokenTally;
import org.personalab.spec.AgentSpec;
import org.personalab.spec.TinyTroupeFiles;
import org.personalab.store.SimAnswerRepository;
import org.personalab.store.SimAnswerRepository.StatusCounts;
import org.personalab.store.SimAnswerWriter;
import org.personalab.store.SpecRepository.SpecRow;
import org.personalab.store.StoreException;
import org.personalab.store.Workspace;
import org.personalab.task.RunRecord;
import org.personalab.task.TaskContext;

/**
 * Simulation runs: the agents of a spec-generation run (optionally only the people of one split part) answer the
 * IPIP-NEO-120 or -300, played by a chat model ({@code PROVIDER:MODEL}) or by the offline psychometric respondent.
 *
 * <p>A run is one row of the run journal (kind {@value #RUN_KIND}) with every parameter needed to repeat it (engine,
 * model, persona mode, memory policy, item order and seed, option order, inventory, samples, the item prompt's text
 * and hash, temperature, budget) and its inputs (the spec run, the spec ids, the split, and for the psychometric
 * engine the dataset its ordinal model was estimated from, leaving out the simulated people). A model's answers are
 * each committed as they arrive (a paid answer is never lost); the offline engine's answers are committed one agent
 * at a time, in one transaction per agent, so a kill loses at most the agents in progress and never leaves an agent
 * half-stored. Both go through one kept writer connection with group commit ({@link SimAnswerWriter}) rather than a
 * connection per write. A run that is killed, cancelled or stopped by its budget resumes where it stopped: asking
 * again with the same parameters (or {@link #resume}) skips every stored answer, and answers the model already gave
 * come from the workspace cache at no cost. A finished run is never reopened; the same request then starts a new
 * run, answered from the cache.
 *
 * <p>Agents run in parallel (their items in order, since memory depends on it); cancel stops the calls in flight;
 * the {@link SpecGenerationService.PauseGate} holds new calls back while the ones in flight finish and are stored.
 */
public final class SimulationService {

    public static final String RUN_KIND = "simulation";
    public static final int DEFAULT_CONCURRENCY = 4;
    public static final long DEFAULT_SEED = 42;

    /**
     * What to simulate.
     *
     * @param specRun the spec-generation run: "latest", its id or its title
     * @param split only the people of this split ("SET:PART" or "SET"), or null for every agent of the spec run
     * @param engine "psychometric" or "PROVIDER:MODEL"
     * @param psychometric median or seeded sampling (psychometric engine)
     * @param seed the psychometric engine's sampling seed
     * @param temperature sampling temperature of model calls, or null for the provider's default
     * @param maxTokens completion cap of model calls, or null
     * @param structured ask models for {"answer": "A".."E"}
     * @param budgetUsd a money cap for the run, or null
     * @param concurrency agents at a time (0: the provider's limit, else {@value #DEFAULT_CONCURRENCY})
     * @param limit only the first N agents (0: all)
     */
    public record Request(String specRun, String split, String engine, SimSettings settings,
            PsychometricRespondent.Mode psychometric, long seed, Double temperature, Integer maxTokens,
            boolean structured, Double budgetUsd, int concurrency, int limit) {

        public Request {
            if (engine == null || engine.isBlank()) {
                throw new IllegalArgumentException("give an engine: psychometric or PROVIDER:MODEL");
            }
            if (!engine.equals(PsychometricRespondent.ENGINE) && (engine.indexOf(':') <= 0
                    || engine.indexOf(':') == engine.length() - 1)) {
                throw new IllegalArgumentException("engine '" + engine + "' must be psychometric or PROVIDER:MODEL "
                        + "(e.g. openai:gpt-4o-mini)");
            }
            if (budgetUsd != null && !(budgetUsd >= 0)) {
                throw new IllegalArgumentException("budget must be >= 0 dollars");
            }
            psychometric = psychometric == null ? PsychometricRespondent.Mode.MEDIAN : psychometric;
            specRun = specRun == null ? "latest" : specRun;
        }

        /** The psychometric engine with standard settings over the latest spec run. */
        public static Request psychometric(SimSettings settings) {
            return new Request("latest", null, PsychometricRespondent.ENGINE, settings,
                    PsychometricRespondent.Mode.MEDIAN, DEFAULT_SEED, null, null, true, null, 0, 0);
        }

        /** A chat model with standard call options (temperature 0, structured answers). */
        public static Request model(String engine, SimSettings settings) {
            return new Request("latest", null, engine, settings, PsychometricRespondent.Mode.MEDIAN, DEFAULT_SEED,
                    0.0, 64, true, null, 0, 0);
        }

        public boolean isPsychometric() {
            return engine.equals(PsychometricRespondent.ENGINE);
        }

        public String provider() {
            return isPsychometric() ? null : engine.substring(0, engine.indexOf(':'));
        }

        public String model() {
            return isPsychometric() ? null : engine.substring(engine.indexOf(':') + 1);
        }

        public Request withSpecRun(String s) {
            return new Request(s, split, engine, settings, psychometric, seed, temperature, maxTokens, structured,
                    budgetUsd, concurrency, limit);
        }

        public Request withSplit(String s) {
            return new Request(specRun, s, engine, settings, psychometric, seed, temperature, maxTokens, structured,
                    budgetUsd, concurrency, limit);
        }

        public Request withSettings(SimSettings s) {
            return new Request(specRun, split, engine, s, psychometric, seed, temperature, maxTokens, structured,
                    budgetUsd, concurrency, limit);
        }

        public Request withBudget(Double usd) {
            return new Request(specRun, split, engine, settings, psychometric, seed, temperature, maxTokens,
                    structured, usd, concurrency, limit);
        }

        public Request withConcurrency(int n) {
            return new Request(specRun, split, engine, settings, psychometric, seed, temperature, maxTokens,
                    structured, budgetUsd, n, limit);
        }

        public Request withLimit(int n) {
            return new Request(specRun, split, engine, settings, psychometric, seed, temperature, maxTokens,
                    structured, budgetUsd, concurrency, n);
        }

        public Request withStructured(boolean s) {
            return new Request(specRun, split, engine, settings, psychometric, seed, temperature, maxTokens, s,
                    budgetUsd, concurrency, limit);
        }

        public Request withPsychometric(PsychometricRespondent.Mode m, long s) {
            return new Request(specRun, split, engine, settings, m, s, temperature, maxTokens, structured, budgetUsd,
                    concurrency, limit);
        }

        public Request withTemperature(Double t) {
            return new Request(specRun, split, engine, settings, psychometric, seed, t, maxTokens, structured,
                    budgetUsd, concurrency, limit);
        }
    }

    /**
     * What a run (or one attempt of it) did.
     *
     * @param status the run's status: succeeded, cancelled or failed
     * @param stoppedBy why it stopped early ("budget", "failure", "cancelled"), or null
     * @param asked answers asked in this attempt; {@code reused} answers found stored before it
     * @param counts statuses over every stored answer of the run
     * @param costUsd money paid in this attempt; {@code paidCalls} model calls paid in this attempt
     */
    public record Outcome(long runId, boolean resumed, String status, String stoppedBy, String error, int agents,
            int asked, int reused, StatusCounts counts, TokenTally.Summary tokens, double costUsd, long paidCalls) {

        public boolean complete() {
            return RunRecord.SUCCEEDED.equals(status);
        }
    }

    /**
     * What a request would do before it starts: its agents and answers, what an unfinished run with the same
     * parameters has stored already (it would be resumed), and for a chat model the estimated cost of the calls not yet
     * answered in the workspace.
     *
     * @param resumes the unfinished run that starting would resume, or 0
     * @param stored answers that run has stored (not asked again)
     * @param cost estimated requests, tokens and dollars (null for the psychometric engine, which costs nothing)
     */
    public record Plan(Request request, long specRunId, int agents, long answers, long resumes, int stored,
            CostEstimate cost) {

        /** One line for the user, e.g. before confirming a paid run. */
        public String summary() {
            String what = String.format(Locale.ROOT, "%d agents of spec run %d × %d items × %d sample%s = %,d answers",
                    agents, specRunId, request.settings().inventory().size(), request.settings().samples(),
                    request.settings().samples() == 1 ? "" : "s", answers);
            String resume = resumes > 0 ? String.format(Locale.ROOT, "; resumes run %d (%,d answers stored)", resumes,
                    stored) : "";
            if (cost == null) {
                return what + resume + "; offline rule-based respondent, no cost.";
            }
            String memory = request.settings().memory() instanceof MemoryPolicy.None ? ""
                    : " (memory replies assumed one letter long)";
            return what + resume + ". " + cost.summary() + memory + ".";
        }
    }

    /** Completion tokens expected of a structured answer ({"answer": "C"} and the provider's framing). */
    static final int EXPECTED_ANSWER_TOKENS = 8;

    /** An agent to simulate: its spec and the person it describes. */
    private record AgentRef(long specId, long respondentId, String document) {
    }

    private final Workspace ws;
    private final LlmGateway gateway;
    private final DatasetService datasets;

    /** @param gateway the LLM gateway for model engines; may be null when only the psychometric engine is used */
    public SimulationService(Workspace ws, LlmGateway gateway) {
        this.ws = ws;
        this.gateway = gateway;
        this.datasets = new DatasetService(ws);
    }

    // ---- runs

    /**
     * Simulates {@code r}: resumes the newest unfinished run (failed or cancelled) made with the same parameters,
     * else starts a new run.
     */
    public Outcome simulate(Request r, SpecGenerationService.PauseGate gate, TaskContext ctx) {
        return simulate(r, null, gate, ctx);
    }

    /**
     * Like {@link #simulate(Request, SpecGenerationService.PauseGate, TaskContext)}, over only the agents whose spec
     * ids are in {@code only} (null: every agent), e.g. a seeded sample of {@link #agentSpecIds}; the run records
     * them as its inputs, so a resume and a repetition take exactly these agents.
     *
     * @throws IllegalArgumentException when an id of {@code only} is not an agent of the request's spec run and split
     */
    public Outcome simulate(Request r, Set<Long> only, SpecGenerationService.PauseGate gate, TaskContext ctx) {
        RunRecord specRun = SpecService.resolveRun(ws, SpecService.RUN_KIND, r.specRun());
        List<AgentRef> agents = selected(specRun.id(), r, only);
        Map<String, Object> params = params(r, specRun.id());
        String fingerprint = fingerprint(params, agents);
        params.put("fingerprint", fingerprint);
        Optional<RunRecord> unfinished = resumable(fingerprint);
        if (unfinished.isPresent()) {
            return attempt(unfinished.get(), r, agents, gate, ctx);
        }
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("specRunId", specRun.id());
        inputs.put("specRun", specRun.title());
        inputs.put("split", r.split());
        inputs.put("specIds", agents.stream().mapToLong(AgentRef::specId).toArray());
        inputs.put("agents", agents.size());
        String title = "Simulation by " + r.engine() + " of " + agents.size() + " agents of run " + specRun.id()
                + " (" + r.settings().inventory().name() + ", memory " + r.settings().memory().id() + ")";
        long runId = ws.write(tx -> {
            long id = tx.runs().start(RUN_KIND, title, Json.compact(params), Json.compact(inputs));
            tx.simAnswers().registerRun(new SimAnswerRepository.SimRun(id, specRun.id(), r.settings().inventory(),
                    r.settings().samples(), r.engine(), r.settings().memory().id()));
            return id;
        });
        RunRecord run = ws.read(tx -> tx.runs().get(runId)).orElseThrow();
        return attempt(run, r, agents, gate, ctx);
    }

    /**
     * What {@code r} would ask and cost, sending nothing. For a chat model every request is built as the run would
     * build it (persona, item order, options, memory); with memory the replies the agent will give are not known yet,
     * so each is assumed to be the structured one-letter answer. Requests already answered in the workspace cost
     * nothing.
     */
    public Plan plan(Request r, TaskContext ctx) {
        return plan(r, null, ctx);
    }

    /** The plan of {@link #simulate(Request, Set, SpecGenerationService.PauseGate, TaskContext)}. */
    public Plan plan(Request r, Set<Long> only, TaskContext ctx) {
        RunRecord specRun = SpecService.resolveRun(ws, SpecService.RUN_KIND, r.specRun());
        List<AgentRef> agents = selected(specRun.id(), r, only);
        Map<String, Object> params = params(r, specRun.id());
        Optional<RunRecord> unfinished = resumable(fingerprint(params, agents));
        long resumes = unfinished.map(RunRecord::id).orElse(0L);
        int stored = resumes == 0 ? 0 : ws.read(tx -> tx.simAnswers().answers(resumes)).counts().total();
        long answers = (long) agents.size() * r.settings().inventory().size() * r.settings().samples();
        if (r.isPsychometric()) {
            return new Plan(r, specRun.id(), agents.size(), answers, resumes, stored, null);
        }
        LlmRespondent respondent = new LlmRespondent(requireGateway(), new LlmRespondent.Options(r.provider(),
                r.model(), r.temperature(), r.maxTokens(), r.structured()), null, null);
        SimSettings st = r.settings();
        PersonaRenderer renderer = new PersonaRenderer(st.persona());
        List<Item> items = st.inventory().items();
        String[] prompts = new String[items.size()];
        for (int i = 0; i < prompts.length; i++) {
            prompts[i] = st.prompt().render(items.get(i), st.optionOrder());
        }
        String reply = "{\"answer\": \"" + st.optionOrder().letterOf(3) + "\"}";
        List<ChatRequest> requests = new ArrayList<>();
        int k = 0;
        for (AgentRef a : agents) {
            ctx.checkCancelled();
            ctx.progress(k++, agents.size());
            String system = renderer.render(TinyTroupeFiles.parse(a.document()).spec());
            int[] order = st.itemOrder().order(items.size(), a.specId());
            for (int s = 0; s < st.samples(); s++) {
                List<MemoryPolicy.Exchange> history = new ArrayList<>();
                for (int pos = 0; pos < order.length; pos++) {
                    String prompt = prompts[order[pos]];
                    Question q = new Question(items.get(order[pos]), order[pos], pos, s, st.optionOrder(), prompt);
                    requests.add(respondent.request(q, system, st.memory().replay(history)));
                    history.add(new MemoryPolicy.Exchange(prompt, reply));
                }
            }
        }
        int completion = r.structured() ? EXPECTED_ANSWER_TOKENS : r.maxTokens() == null ? 64 : r.maxTokens();
        CostEstimate cost = requireGateway().estimate(requests, completion);
        return new Plan(r, specRun.id(), agents.size(), answers, resumes, stored, cost);
    }

    /**
     * The spec ids of every agent {@code r} would simulate without its limit (the newest edit of each spec of its
     * spec run, only the people of its split), ascending.
     */
    public List<Long> agentSpecIds(Request r) {
        RunRecord specRun = SpecService.resolveRun(ws, SpecService.RUN_KIND, r.specRun());
        return agents(specRun.id(), r.split(), 0).stream().map(AgentRef::specId).sorted().toList();
    }

    /** The agents of a request, only those of {@code only} when it is not null, then the first {@code limit}. */
    private List<AgentRef> selected(long specRunId, Request r, Set<Long> only) {
        if (only == null) {
            return agents(specRunId, r.split(), r.limit());
        }
        List<AgentRef> all = agents(specRunId, r.split(), 0);
        Set<Long> known = new HashSet<>();
        all.forEach(a -> known.add(a.specId()));
        List<Long> missing = only.stream().filter(id -> !known.contains(id)).sorted().toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("specs " + missing + " are not agents of spec run " + specRunId
                    + (r.split() == null ? "" : " among the people of " + r.split()));
        }
        List<AgentRef> out = all.stream().filter(a -> only.contains(a.specId())).toList();
        return r.limit() > 0 && r.limit() < out.size() ? List.copyOf(out.subList(0, r.limit())) : out;
    }

    /** Resumes a stored simulation run with the parameters it recorded (budget and concurrency may be changed). */
    public Outcome resume(long runId, Double budgetUsd, int concurrency, SpecGenerationService.PauseGate gate,
            TaskContext ctx) {
        RunRecord run = ws.read(tx -> tx.runs().get(runId)).orElseThrow(() -> new StoreException("no run " + runId
                + " in " + ws.dir()));
        if (!run.kind().equals(RUN_KIND)) {
            throw new IllegalArgumentException("run " + runId + " is a " + run.kind() + " run, not a simulation");
        }
        if (run.status().equals(RunRecord.SUCCEEDED) || run.status().equals(RunRecord.RUNNING)) {
            throw new IllegalStateException("run " + runId + " is " + run.status() + "; only a failed or cancelled "
                    + "run can be resumed");
        }
        Request r = requestOf(run);
        if (budgetUsd != null) {
            r = r.withBudget(budgetUsd);
        }
        if (concurrency > 0) {
            r = r.withConcurrency(concurrency);
        }
        JsonNode in = read(run.inputs(), run);
        Set<Long> ids = new HashSet<>();
        in.path("specIds").forEach(x -> ids.add(x.asLong()));
        List<AgentRef> agents = new ArrayList<>();
        for (long id : ids) {
            SpecRow s = ws.read(tx -> tx.specs().get(id)).orElseThrow(() -> new StoreException("run " + runId
                    + ": spec " + id + " no longer exists"));
            agents.add(new AgentRef(s.id(), s.respondentId(), s.document()));
        }
        agents.sort((a, b) -> Long.compare(a.specId(), b.specId()));
        return attempt(run, r, agents, gate, ctx);
    }

    /** The request a stored run was made with. */
    public Request requestOf(RunRecord run) {
        JsonNode p = read(run.params(), run);
        try {
            JsonNode t = p.path("template");
            SimSettings s = new SimSettings(Inventory.byName(p.path("inventory").asText()),
                    PersonaRenderer.Mode.parse(p.path("persona").asText()),
                    MemoryPolicy.parse(p.path("memory").asText()),
                    p.path("itemSeed").isNumber() ? ItemOrder.shuffled(p.path("itemSeed").asLong()) : ItemOrder.FIXED,
                    OptionOrder.parse(p.path("optionOrder").asText()), p.path("samples").asInt(1),
                    ItemPrompt.of(t.path("name").asText("template of run " + run.id()), t.path("text").asText()));
            return new Request(p.path("specRunId").asText(), p.path("split").isTextual() ? p.path("split").asText()
                    : null, p.path("engine").asText(),
                    s, PsychometricRespondent.Mode.valueOf(p.path("psychometricMode").asText("median")
                            .toUpperCase(Locale.ROOT)), p.path("seed").asLong(DEFAULT_SEED),
                    p.path("temperature").isNumber() ? p.path("temperature").asDouble() : null,
                    p.path("maxTokens").isNumber() ? p.path("maxTokens").asInt() : null,
                    p.path("structured").asBoolean(true),
                    p.path("budgetUsd").isNumber() ? p.path("budgetUsd").asDouble() : null,
                    p.path("concurrency").asInt(0), p.path("limit").asInt(0));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("run " + run.id() + ": its parameters cannot be read back: "
                    + e.getMessage(), e);
        }
    }

    private Optional<RunRecord> resumable(String fingerprint) {
        for (RunRecord run : ws.read(tx -> tx.runs().list())) {
            if (!run.kind().equals(RUN_KIND) || !fingerprint.equals(read(run.params(), run).path("fingerprint")
                    .asText())) {
                continue;
            }
            if (run.status().equals(RunRecord.RUNNING)) {
                throw new IllegalStateException("run " + run.id() + " with the same parameters is still running; "
                        + "wait for it or cancel it first");
            }
            return run.status().equals(RunRecord.SUCCEEDED) ? Optional.empty() : Optional.of(run);
        }
        return Optional.empty();
    }

    // ---- agents and parameters

    /**
     * The agents of a spec run: for each original spec the newest edit of it (or itself), optionally only the people
     * of a split, the first {@code limit} by spec id.
     */
    private List<AgentRef> agents(long specRunId, String split, int limit) {
        List<SpecRow> rows = ws.read(tx -> tx.specs().byRun(specRunId));
        Map<Long, SpecRow> byId = new HashMap<>();
        rows.forEach(s -> byId.put(s.id(), s));
        Map<Long, SpecRow> newest = new HashMap<>();
        for (SpecRow s : rows) {
            long root = s.id();
            SpecRow cur = s;
            while (cur.parentId() > 0 && byId.containsKey(cur.parentId())) {
                cur = byId.get(cur.parentId());
                root = cur.id();
            }
            newest.merge(root, s, (a, b) -> a.id() >= b.id() ? a : b);
        }
        Set<Long> people = null;
        if (split != null && !split.isBlank()) {
            people = new HashSet<>();
            for (long id : SplitSelection.resolve(ws, split).respondentIds()) {
                people.add(id);
            }
        }
        List<AgentRef> out = new ArrayList<>();
        List<Long> roots = new ArrayList<>(newest.keySet());
        Collections.sort(roots);
        for (long root : roots) {
            SpecRow s = newest.get(root);
            if (people == null || people.contains(s.respondentId())) {
                out.add(new AgentRef(s.id(), s.respondentId(), s.document()));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("spec run " + specRunId + " has no agents" + (split == null ? ""
                    : " among the people of " + split));
        }
        return limit > 0 && limit < out.size() ? List.copyOf(out.subList(0, limit)) : out;
    }

    private Map<String, Object> params(Request r, long specRunId) {
        SimSettings s = r.settings();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("engine", r.engine());
        m.put("provider", r.provider());
        m.put("model", r.model());
        if (!r.isPsychometric()) {
            Provider p = requireGateway().registry().get(r.provider());
            m.put("baseUrl", SpecGenerationService.publicUrl(p.baseUrl()));
            m.put("apiKeyEnv", p.apiKeyEnv());
            m.put("structuredOutput", p.structured().id());
        }
        m.put("specRunId", specRunId);
        m.put("split", r.split());
        m.put("inventory", s.inventory().name());
        m.put("persona", s.persona().id());
        m.put("memory", s.memory().id());
        m.put("itemOrder", s.itemOrder().id());
        m.put("itemSeed", s.itemOrder().seed());
        m.put("optionOrder", s.optionOrder().id());
        m.put("samples", s.samples());
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", s.prompt().name());
        t.put("sha256", s.prompt().hash());
        t.put("text", s.prompt().text());
        m.put("template", t);
        m.put("psychometricMode", r.psychometric().id());
        m.put("seed", r.seed());
        m.put("temperature", r.temperature());
        m.put("maxTokens", r.maxTokens());
        m.put("structured", r.structured());
        m.put("budgetUsd", r.budgetUsd());
        m.put("concurrency", r.concurrency());
        m.put("limit", r.limit());
        return m;
    }

    /** What identifies a run's answers: every parameter that changes them, and the agents. */
    private static String fingerprint(Map<String, Object> params, List<AgentRef> agents) {
        Map<String, Object> m = new LinkedHashMap<>(params);
        m.remove("budgetUsd");
        m.remove("concurrency");
        m.remove("baseUrl");
        m.remove("apiKeyEnv");
        m.remove("structuredOutput");
        m.put("specIds", agents.stream().mapToLong(AgentRef::specId).toArray());
        return sha256(Json.compact(m)).substring(0, 16);
    }

    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private LlmGateway requireGateway() {
        if (gateway == null) {
            throw new IllegalStateException("a model engine needs an LLM gateway");
        }
        return gateway;
    }

    /** The psychometric respondent, its model estimated from the spec run's dataset without the simulated people. */
    private PsychometricRespondent psychometric(Request r, long specRunId, List<AgentRef> agents,
            Map<String, Object> notes, TaskContext ctx) {
        RunRecord specRun = ws.read(tx -> tx.runs().get(specRunId)).orElseThrow(() -> new StoreException(
                "spec run " + specRunId + " no longer exists"));
        JsonNode in = read(specRun.inputs(), specRun);
        long datasetId = in.path("datasetId").asLong(0);
        DatasetInfo d = ws.read(tx -> tx.datasets().get(datasetId)).orElseThrow(() -> new IllegalArgumentException(
                "spec run " + specRunId + " records no dataset (inputs.datasetId), so the psychometric engine has "
                        + "no answers to estimate its model from"));
        ctx.message("Estimating the item-level model from " + d.name());
        ScoredDataset sd = datasets.load(d, ctx);
        long[] ids = ws.read(tx -> tx.datasets().respondentIds(d.id()));
        long first = ids.length == 0 ? 0 : ids[0];
        boolean[] simulated = new boolean[sd.size()];
        for (AgentRef a : agents) {
            long row = a.respondentId() - first;
            if (row >= 0 && row < simulated.length) {
                simulated[(int) row] = true;
            }
        }
        int[] rows = new int[sd.size()];
        int n = 0;
        for (int i = 0; i < sd.size(); i++) {
            if (!simulated[i]) {
                rows[n++] = i;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("dataset " + d.name() + " has nobody besides the simulated people to "
                    + "estimate the psychometric model from");
        }
        ItemLevelModel model = ItemLevelModel.estimate(sd, Arrays.copyOf(rows, n)).forInventory(
                r.settings().inventory());
        notes.put("modelDatasetId", d.id());
        notes.put("modelDataset", d.name());
        notes.put("modelPeople", n);
        notes.put("modelExcludes", "the " + (sd.size() - n) + " simulated people");
        notes.put("modelInventory", sd.responses().inventory().name());
        return new PsychometricRespondent(model, r.psychometric(), r.seed());
    }

    // ---- one attempt

    private Outcome attempt(RunRecord run, Request r, List<AgentRef> agents, SpecGenerationService.PauseGate gate,
            TaskContext ctx) {
        long runId = run.id();
        boolean resumed = !run.status().equals(RunRecord.RUNNING);
        if (resumed) {
            ctx.message("Resuming run " + runId + " (" + run.title() + ")");
        }
        Map<String, Object> engineNotes = new LinkedHashMap<>();
        Respondent respondent;
        try {
            if (r.isPsychometric()) {
                respondent = psychometric(r, read(run.params(), run).path("specRunId").asLong(), agents, engineNotes,
                        ctx);
            } else {
                double spentBefore = ws.read(tx -> tx.llmCalls().totalsForRun(runId)).costUsd();
                Budget budget = r.budgetUsd() == null ? Budget.unlimited() : Budget.ofUsd(Math.max(0, r.budgetUsd()
                        - spentBefore));
                respondent = new LlmRespondent(requireGateway(), new LlmRespondent.Options(r.provider(), r.model(),
                        r.temperature(), r.maxTokens(), r.structured()), runId, budget);
            }
        } catch (RuntimeException e) {
            // stopped before any agent was asked (say, cancelled while the psychometric model was estimated): the run
            // must not stay "running", or the same request would refuse to resume it
            boolean cancelled = e instanceof CancellationException || ctx.isCancelled();
            String error = cancelled ? null : org.personalab.task.Failures.describe(e);
            ws.write(tx -> {
                tx.runs().finish(runId, cancelled ? RunRecord.CANCELLED : RunRecord.FAILED, Json.compact(Map.of(
                        "stoppedBy", cancelled ? "cancelled" : "failure")), error);
                return null;
            });
            throw e;
        }
        return new Attempt(runId, resumed, r, agents, respondent, engineNotes,
                gate == null ? new SpecGenerationService.PauseGate() : gate, ctx).run();
    }

    /** One attempt of a run: workers over agents, counters, the stop signal, and the run's final record. */
    private final class Attempt implements TaskContext {
        private final long runId;
        private final boolean resumed;
        private final Request r;
        private final List<AgentRef> agents;
        private final Respondent respondent;
        private final Map<String, Object> engineNotes;
        private final SpecGenerationService.PauseGate gate;
        private final TaskContext ctx;
        private final Administration administration;
        private final TokenTally tally;
        private final AtomicInteger asked = new AtomicInteger();
        private final AtomicInteger reused = new AtomicInteger();
        private final AtomicLong done = new AtomicLong();
        private final AtomicLong paidCalls = new AtomicLong();
        private final DoubleAdder cost = new DoubleAdder();
        private final Map<Long, List<String>> notes = Collections.synchronizedMap(new LinkedHashMap<>());
        private final long total;
        /** Agents with answers stored before this attempt (read back before they are asked); empty for a new run. */
        private Set<Long> started = Set.of();
        private SimAnswerWriter writer;
        private volatile boolean cancelled;
        private volatile String stoppedBy;
        private volatile String error;

        Attempt(long runId, boolean resumed, Request r, List<AgentRef> agents, Respondent respondent,
                Map<String, Object> engineNotes, SpecGenerationService.PauseGate gate, TaskContext ctx) {
            this.runId = runId;
            this.resumed = resumed;
            this.r = r;
            this.agents = agents;
            this.respondent = respondent;
            this.engineNotes = engineNotes;
            this.gate = gate;
            this.ctx = ctx;
            this.administration = new Administration(r.settings(), respondent);
            this.tally = new TokenTally(r.settings().memory().id());
            this.total = (long) agents.size() * r.settings().inventory().size() * r.settings().samples();
        }

        // TaskContext seen by the workers: cancelled by the user, or stopped by this attempt
        @Override
        public void progress(double d, double t) {
            ctx.progress(d, t);
        }

        @Override
        public void message(String message) {
            ctx.message(message);
        }

        @Override
        public boolean isCancelled() {
            return cancelled || ctx.isCancelled();
        }

        Outcome run() {
            if (resumed) {
                started = new HashSet<>(ws.read(tx -> tx.simAnswers().specIds(runId)));
            }
            try (SimAnswerWriter w = SimAnswerWriter.open(ws)) {
                writer = w;
                administerAll();
            }
            if (ctx.isCancelled() && stoppedBy == null) {
                stoppedBy = "cancelled";
            }
            return finish();
        }

        private void administerAll() {
            int threads = threads();
            AtomicInteger next = new AtomicInteger();
            AtomicInteger n = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads, job -> {
                Thread t = new Thread(job, "personalab-sim-" + runId + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            ctx.message("Simulating " + agents.size() + " agents with " + r.engine() + " (" + threads
                    + " at a time)");
            for (int w = 0; w < threads; w++) {
                pool.execute(() -> {
                    while (!isCancelled()) {
                        try {
                            if (!gate.await(this::isCancelled, () -> ctx.message("Paused: answers in flight finish "
                                    + "and are stored; no new item is asked"))) {
                                return;
                            }
                        } catch (InterruptedException e) {
                            stop("cancelled", null);
                            return;
                        }
                        int k = next.getAndIncrement();
                        if (k >= agents.size()) {
                            return;
                        }
                        agent(agents.get(k));
                    }
                });
            }
            pool.shutdown();
            boolean interrupted = false;
            while (true) {
                try {
                    if (pool.awaitTermination(50, TimeUnit.MILLISECONDS)) {
                        break;
                    }
                    if (ctx.isCancelled() || Thread.currentThread().isInterrupted()) {
                        cancel(pool);
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                    cancel(pool);
                }
            }
            if (interrupted) {
                Thread.interrupted();
            }
        }

        private void cancel(ExecutorService pool) {
            stop("cancelled", null);
            pool.shutdownNow();
        }

        private int threads() {
            int limit = 0;
            if (!r.isPsychometric()) {
                limit = requireGateway().registry().get(r.provider()).limits().maxConcurrent();
            }
            int t = r.isPsychometric() ? 1 : r.concurrency() > 0 ? r.concurrency() : limit > 0 ? limit
                    : DEFAULT_CONCURRENCY;
            if (limit > 0) {
                t = Math.min(t, limit);
            }
            return Math.max(1, Math.min(t, agents.size()));
        }

        private void agent(AgentRef a) {
            List<ItemAnswer> stored = !started.contains(a.specId()) ? List.of()
                    : ws.read(tx -> tx.simAnswers().rows(runId, a.specId())).stream()
                            .map(SimulationService::toItemAnswer).toList();
            List<SimAnswerRepository.Answer> buffer = new ArrayList<>();
            boolean perAnswer = respondent.usesModel();
            try {
                AgentSpec spec = TinyTroupeFiles.parse(a.document()).spec();
                Administration.AgentResult res = administration.administer(a.specId(), spec, stored, (ans, reply) -> {
                    buffer.add(toStored(a.specId(), ans));
                    count(reply);
                    if (perAnswer) {
                        flush(buffer);
                    }
                }, tally, new Progress());
                flush(buffer);
                reused.addAndGet(res.reused());
                if (!res.notes().isEmpty()) {
                    notes.put(a.specId(), res.notes());
                }
            } catch (CancellationException e) {
                flush(buffer);
                stop("cancelled", null);
            } catch (LlmException.BudgetExceeded e) {
                flush(buffer);
                stop("budget", "stopped: " + e.getMessage());
            } catch (RuntimeException e) {
                flush(buffer);
                stop("failure", "spec " + a.specId() + ": " + org.personalab.task.Failures.describe(e));
            }
        }

        /** The task context of one agent: counts progress per item and reports cancellation. */
        private final class Progress implements TaskContext {
            @Override
            public void progress(double d, double t) {
            }

            @Override
            public void message(String m) {
                ctx.message(m);
            }

            @Override
            public boolean isCancelled() {
                return Attempt.this.isCancelled();
            }
        }

        private void count(Reply reply) {
            asked.incrementAndGet();
            if (!reply.cached() && respondent.usesModel() && reply.status() != AnswerStatus.FAILED) {
                paidCalls.incrementAndGet();
                if (!Double.isNaN(reply.costUsd())) {
                    cost.add(reply.costUsd());
                }
            }
        }

        private void flush(List<SimAnswerRepository.Answer> buffer) {
            if (buffer.isEmpty()) {
                return;
            }
            List<SimAnswerRepository.Answer> batch = List.copyOf(buffer);
            buffer.clear();
            writer.insert(runId, batch);
            long k = done.addAndGet(batch.size());
            ctx.progress(k, total);
            long every = Math.max(1, total / 40);
            if (k / every != (k - batch.size()) / every) {
                ctx.message(String.format(Locale.ROOT, "Run %d: %,d answers asked (%d paid calls, $%.4f)", runId,
                        asked.get(), paidCalls.get(), cost.sum()));
            }
        }

        private void stop(String by, String message) {
            synchronized (this) {
                if (stoppedBy == null) {
                    stoppedBy = by;
                    error = message;
                    if (message != null) {
                        ctx.message(message);
                    }
                }
            }
            cancelled = true;
        }

        private Outcome finish() {
            StatusCounts counts = ws.read(tx -> tx.simAnswers().answers(runId)).counts();
            TokenTally.Summary tokens = tally.summary();
            String status = stoppedBy == null ? RunRecord.SUCCEEDED : stoppedBy.equals("cancelled")
                    ? RunRecord.CANCELLED : RunRecord.FAILED;
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("agents", agents.size());
            out.put("expectedAnswers", total);
            out.put("askedThisAttempt", asked.get());
            out.put("reusedThisAttempt", reused.get());
            out.put("answered", counts.answered());
            out.put("unparseable", counts.unparseable());
            out.put("refused", counts.refused());
            out.put("failed", counts.failed());
            out.put("unparseableRate", counts.unparseableRate());
            out.put("refusalRate", counts.refusalRate());
            out.put("paidCallsThisAttempt", paidCalls.get());
            out.put("costUsdThisAttempt", cost.sum());
            if (respondent.usesModel()) {
                out.put("costUsdRun", ws.read(tx -> tx.llmCalls().totalsForRun(runId)).costUsd());
            }
            out.put("tokens", tokensMap(tokens));
            if (!engineNotes.isEmpty()) {
                out.put("engine", engineNotes);
            }
            if (!notes.isEmpty()) {
                Map<String, Object> n = new LinkedHashMap<>();
                synchronized (notes) {
                    notes.forEach((k, v) -> n.put(Long.toString(k), v));
                }
                out.put("agentNotes", n);
            }
            if (stoppedBy != null) {
                out.put("stoppedBy", stoppedBy);
            }
            ws.write(tx -> {
                tx.runs().finish(runId, status, Json.compact(out), error);
                return null;
            });
            ctx.message(String.format(Locale.ROOT, "Run %d %s: %,d answered, %d unparseable, %d refused, %d failed",
                    runId, status, counts.answered(), counts.unparseable(), counts.refused(), counts.failed()));
            return new Outcome(runId, resumed, status, stoppedBy, error, agents.size(), asked.get(), reused.get(),
                    counts, tokens, cost.sum(), paidCalls.get());
        }
    }

    static Map<String, Object> tokensMap(TokenTally.Summary t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy", t.policy());
        m.put("questionnaires", t.questionnaires());
        m.put("estimatedPromptPerQuestionnaire", Math.round(t.estimatedPrompt()));
        m.put("estimatedCacheablePrefixPerQuestionnaire", Math.round(t.cacheablePrefix()));
        m.put("estimatedUncachedPromptPerQuestionnaire", Math.round(t.uncachedPrompt()));
        m.put("reportedPromptPerQuestionnaire", Double.isNaN(t.reportedPrompt()) ? null
                : Math.round(t.reportedPrompt()));
        m.put("reportedCompletionPerQuestionnaire", Double.isNaN(t.reportedCompletion()) ? null
                : Math.round(t.reportedCompletion()));
        m.put("reportedSource", t.source());
        return m;
    }

    private static ItemAnswer toItemAnswer(SimAnswerRepository.Answer a) {
        return new ItemAnswer(a.item(), a.sample(), a.position(), AnswerStatus.of(a.status()), a.value(), a.rawText(),
                a.promptHash(), a.promptTokens(), a.completionTokens(), a.tokensEstimated());
    }

    private static SimAnswerRepository.Answer toStored(long specId, ItemAnswer a) {
        return new SimAnswerRepository.Answer(specId, a.item(), a.sample(), a.value(), a.status().id(), a.position(),
                a.rawText(), a.promptHash(), a.promptTokens(), a.completionTokens(), a.tokensEstimated());
    }

    private static JsonNode read(String json, RunRecord run) {
        try {
            JsonNode n = Json.MAPPER.readTree(json == null || json.isBlank() ? "{}" : json);
            return n == null ? Json.MAPPER.createObjectNode() : n;
        } catch (java.io.IOException e) {
            throw new StoreException("run " + run.id() + ": its stored JSON is unreadable: " + e.getMessage(), e);
        }
    }
}
