package org.personalab.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.BooleanSupplier;
import org.personalab.llm.BatchReport;
import org.personalab.llm.Budget;
import org.personalab.llm.CallContext;
import org.personalab.llm.ChatMessage;
import org.personalab.llm.ChatRequest;
import org.personalab.llm.ChatResponse;
import org.personalab.llm.CircuitBreaker;
import org.personalab.llm.CostEstimate;
import org.personalab.llm.LlmException;
import org.personalab.llm.LlmBatch;
import org.personalab.llm.LlmGateway;
import org.personalab.llm.ModelPrice;
import org.personalab.llm.Provider;
import org.personalab.llm.RequestHash;
import org.personalab.llm.ResponseFormat;
import org.personalab.profile.Profile;
import org.personalab.profile.ScoredDataset;
import org.personalab.spec.AgentFile;
import org.personalab.spec.AgentSpec;
import org.personalab.spec.PromptTemplate;
import org.personalab.spec.SpecPrompt;
import org.personalab.spec.SpecProvenance;
import org.personalab.spec.SpecValidator;
import org.personalab.spec.TemperatureJitter;
import org.personalab.spec.TinyTroupeFiles;
import org.personalab.store.LlmCallRepository;
import org.personalab.store.SpecRepository.PersonSample;
import org.personalab.store.SpecRepository.SpecRow;
import org.personalab.store.StoreException;
import org.personalab.store.Workspace;
import org.personalab.task.RunRecord;
import org.personalab.task.TaskContext;

/**
 * LLM spec generation: one spec per person × sample of a selection (split part, split set or dataset), asked of a
 * chat model through the {@link LlmGateway} with the persona JSON schema (enforced by providers that can, else JSON
 * mode, else extracted and repaired from text; an answer that stays invalid is kept raw in {@code llm_call} and
 * reported, never fatal). Sample {@code s} of person {@code p} is asked at the run's temperature jittered by ±10 %
 * ({@link TemperatureJitter}, seeded by run seed, person and sample), recorded in the spec's provenance, its row and
 * the run's parameters.
 *
 * <p>A run is one row of the run journal (kind {@value #RUN_KIND}) with its parameters (engine, provider, model, public
 * base URL and key variable name, never the key; template name, hash and text; samples, temperature, seed, limits,
 * budget) and inputs (dataset and split ids). Each spec is stored in its own short transaction as soon as its answer
 * arrives, pointing at the answer's {@code llm_call} row, so a run that is killed, cancelled or stopped by its budget
 * continues where it stopped: running the same request again finds the unfinished run with the same parameters
 * (its fingerprint) and asks only for the samples it lacks, and answers already received come from the workspace
 * cache at no cost. A run that finished is never reopened: asking again starts a new run, answered from the cache.
 *
 * <p>Calls run in parallel (at most the provider's {@code maxConcurrent}); cancellation stops the calls in flight; a
 * {@link PauseGate} holds new calls back while the ones in flight finish and are stored; a budget cap stops the run
 * cleanly before a call that could exceed it. Thread-safe for separate runs.
 *
 * <p>With {@link Request#batch()} an attempt first sends the requests not yet answered through the provider's Batch
 * API ({@link LlmBatch}: one upload and one batch, at the provider's batch price, the worst case reserved from the
 * budget; requests already waiting in a batch of a killed or cancelled attempt are polled, never sent again), waits
 * for the batch, and then runs the normal path above, which finds every answer in the workspace cache and stores the
 * specs at no further cost. An answer that fails the schema is corrected like a live one: the gateway asks again
 * with one live call holding the invalid answer and the problems (a correction is a conversation that continues the
 * batch answer, and waiting hours for a second batch to fix a few specs would cost more time than the half price
 * saves). A line the batch did not answer (expired, refused) is reported and sent in a new batch by the next
 * attempt, never live. Cancelling stops waiting; the batch stays at the provider and the next attempt collects it.
 */
public final class SpecGenerationService {

    public static final String RUN_KIND = SpecService.RUN_KIND;
    /** The engine label of LLM specs (the provenance's engine is {@code llm:PROVIDER}). */
    public static final String ENGINE = "llm";
    public static final double DEFAULT_TEMPERATURE = 0.7;
    public static final long DEFAULT_SEED = 42;
    public static final int DEFAULT_MAX_TOKENS = 4096;
    /** Typical length of a spec answer (about 6 kB of JSON), used for cost estimates. */
    public static final int EXPECTED_COMPLETION_TOKENS = 1800;
    /** Calls in flight when neither the request nor the provider sets a limit. */
    public static final int DEFAULT_CONCURRENCY = 4;
    /** Failed requests in a row (no answer in between) after which a run stops instead of failing every request. */
    public static final int MAX_CONSECUTIVE_FAILURES = 10;
    static final int MAX_PROBLEMS = 100;
    /**
     * Waits for a provider's open circuit breaker (by any request, with no answer in between) after which a run stops:
     * with the default 30 s cool-down and 4 calls in flight, a provider silent for about 8 minutes.
     */
    static final int MAX_CIRCUIT_WAITS = 64;
    /** First pause of a batch run before it looks at its batch; doubled after each look up to the max. */
    public static final long DEFAULT_POLL_FIRST_SECONDS = 5;
    public static final long DEFAULT_POLL_MAX_SECONDS = 60;
    static final Duration DEFAULT_POLL_FIRST = Duration.ofSeconds(DEFAULT_POLL_FIRST_SECONDS);
    static final Duration DEFAULT_POLL_MAX = Duration.ofSeconds(DEFAULT_POLL_MAX_SECONDS);

    /** An LLM engine: {@code PROVIDER:MODEL} (the model may itself contain colons, e.g. {@code ollama:llama3:8b}). */
    public record Engine(String provider, String model) {

        public Engine {
            if (provider == null || provider.isBlank() || model == null || model.isBlank()) {
                throw new IllegalArgumentException("an LLM engine needs a provider and a model (PROVIDER:MODEL)");
            }
        }

        /** Parses {@code PROVIDER:MODEL}. */
        public static Engine parse(String s) {
            int i = s == null ? -1 : s.indexOf(':');
            if (i <= 0 || i == s.length() - 1) {
                throw new IllegalArgumentException("engine '" + s + "': expected template or PROVIDER:MODEL (e.g. "
                        + "openai:gpt-4o-mini, vllm:Qwen/Qwen2.5-7B-Instruct)");
            }
            return new Engine(s.substring(0, i).strip(), s.substring(i + 1).strip());
        }

        public String label() {
            return provider + ":" + model;
        }
    }

    /**
     * What to generate.
     *
     * @param limit only the first N people of the selection (0 = all)
     * @param budgetUsd hard cap on the money the run may spend over all its attempts, or null for none
     * @param concurrency calls in flight (0 = the provider's limit, else {@value #DEFAULT_CONCURRENCY})
     * @param batch send the requests through the provider's Batch API (its batch price, answers within hours)
     *        instead of live calls; the requests, and so the run's fingerprint, are the same either way
     */
    public record Request(SplitSelection people, Engine engine, PromptTemplate template, int samples,
            double temperature, long seed, int maxTokens, int limit, Double budgetUsd, int concurrency,
            boolean batch) {

        public Request {
            if (people == null || engine == null || template == null) {
                throw new IllegalArgumentException("a generation needs people, an engine and a prompt template");
            }
            if (samples < 1 || samples > 1000) {
                throw new IllegalArgumentException("--samples must be between 1 and 1000, not " + samples);
            }
            if (!(temperature >= 0 && temperature <= TemperatureJitter.MAX)) {
                throw new IllegalArgumentException("--temperature must be between 0 and " + TemperatureJitter.MAX
                        + ", not " + temperature);
            }
            if (maxTokens < 1) {
                throw new IllegalArgumentException("--max-tokens must be at least 1, not " + maxTokens);
            }
            if (limit < 0) {
                throw new IllegalArgumentException("--limit must be >= 0 (0 = everyone), not " + limit);
            }
            if (budgetUsd != null && !(budgetUsd >= 0)) {
                throw new IllegalArgumentException("--budget must be a number of dollars >= 0, not " + budgetUsd);
            }
            if (concurrency < 0) {
                throw new IllegalArgumentException("--concurrency must be >= 0 (0 = the provider's limit)");
            }
        }

        /** A request answered by live calls (no Batch API). */
        public Request(SplitSelection people, Engine engine, PromptTemplate template, int samples,
                double temperature, long seed, int maxTokens, int limit, Double budgetUsd, int concurrency) {
            this(people, engine, template, samples, temperature, seed, maxTokens, limit, budgetUsd, concurrency,
                    false);
        }

        /** The defaults: 1 sample at temperature {@value #DEFAULT_TEMPERATURE}, seed {@value #DEFAULT_SEED}. */
        public static Request of(SplitSelection people, Engine engine, PromptTemplate template) {
            return new Request(people, engine, template, 1, DEFAULT_TEMPERATURE, DEFAULT_SEED, DEFAULT_MAX_TOKENS, 0,
                    null, 0, false);
        }

        public Request withSamples(int n) {
            return new Request(people, engine, template, n, temperature, seed, maxTokens, limit, budgetUsd,
                    concurrency, batch);
        }

        public Request withTemperature(double t) {
            return new Request(people, engine, template, samples, t, seed, maxTokens, limit, budgetUsd, concurrency,
                    batch);
        }

        public Request withSeed(long s) {
            return new Request(people, engine, template, samples, temperature, s, maxTokens, limit, budgetUsd,
                    concurrency, batch);
        }

        public Request withMaxTokens(int n) {
            return new Request(people, engine, template, samples, temperature, seed, n, limit, budgetUsd,
                    concurrency, batch);
        }

        public Request withLimit(int n) {
            return new Request(people, engine, template, samples, temperature, seed, maxTokens, n, budgetUsd,
                    concurrency, batch);
        }

        public Request withBudget(Double usd) {
            return new Request(people, engine, template, samples, temperature, seed, maxTokens, limit, usd,
                    concurrency, batch);
        }

        public Request withConcurrency(int n) {
            return new Request(people, engine, template, samples, temperature, seed, maxTokens, limit, budgetUsd, n,
                    batch);
        }

        /** This request through the Batch API ({@code true}) or live calls. */
        public Request withBatch(boolean b) {
            return new Request(people, engine, template, samples, temperature, seed, maxTokens, limit, budgetUsd,
                    concurrency, b);
        }
    }

    /** One spec to ask for: a person, a sample, its jittered temperature and the exact request. */
    public record Item(long respondentId, String person, Profile profile, int sample, double temperature,
            ChatRequest request, String promptHash) {
    }

    /**
     * Everything a run will ask, before it starts.
     *
     * @param incomplete ids of people left out because their profile lacks a level, age, sex or country (a prompt
     *        would render blank for them)
     * @param estimate cost of the requests not yet answered in the workspace
     * @param fingerprint what identifies a run's requests: a run with the same fingerprint is resumed, not repeated
     */
    public record Plan(Request request, List<Item> items, int people, List<String> incomplete, CostEstimate estimate,
            String fingerprint) {
    }

    /** A person × sample that got no spec: the answer stayed invalid, or the request failed. */
    public record Problem(String person, long respondentId, int sample, String kind, String requestHash,
            String detail) {
        public static final String INVALID = "invalid";
        public static final String FAILED = "failed";
    }

    /**
     * What a run (or this attempt of it) did.
     *
     * @param status the run's status after this attempt ({@link RunRecord#SUCCEEDED}, FAILED or CANCELLED)
     * @param stoppedBy "budget", "cancelled", "failures" or null when the run went through
     * @param expected person × sample specs the run should hold
     * @param stored specs the run holds now, over all attempts
     * @param storedBefore specs it held when this attempt started (resumed runs)
     * @param paid answers paid for in this attempt; {@code cached} answered from the workspace at no cost
     * @param runCostUsd money the run paid over all attempts; {@code costNowUsd} in this attempt
     * @param batches the provider batches this attempt sent or waited for (empty without the Batch API), with the
     *        provider's last word on each ("completed", or e.g. "in_progress" when the attempt was cancelled while
     *        waiting: such a batch stays pending and the next attempt collects it)
     */
    public record Outcome(long runId, boolean resumed, String status, String stoppedBy, String error, int expected,
            int stored, int storedBefore, int paid, int cached, int invalid, int failed, int specsWithErrors,
            int skippedIncomplete, double runCostUsd, double costNowUsd, long promptTokens, long completionTokens,
            CostEstimate estimate, List<Problem> problems, List<BatchReport.PendingBatch> batches) {

        public Outcome {
            problems = List.copyOf(problems);
            batches = List.copyOf(batches);
        }

        public boolean complete() {
            return RunRecord.SUCCEEDED.equals(status);
        }
    }

    /**
     * Pause and resume for a running generation: while paused no new call starts; calls already in flight finish and
     * are stored. The workbench holds one per task and toggles it; cancelling still works while paused.
     */
    public static final class PauseGate {
        private boolean paused;
        private boolean announced;

        public synchronized void pause() {
            paused = true;
        }

        public synchronized void resume() {
            paused = false;
            announced = false;
            notifyAll();
        }

        public synchronized boolean isPaused() {
            return paused;
        }

        /** Waits while paused; returns false as soon as {@code stop} says the run is ending. */
        synchronized boolean await(BooleanSupplier stop, Runnable onPause) throws InterruptedException {
            while (paused && !stop.getAsBoolean()) {
                if (!announced) {
                    announced = true;
                    onPause.run();
                }
                wait(50);
            }
            return !stop.getAsBoolean();
        }
    }

    private final Workspace ws;
    private final LlmGateway gateway;
    private final DatasetService datasets;
    private volatile Duration pollFirst = DEFAULT_POLL_FIRST;
    private volatile Duration pollMax = DEFAULT_POLL_MAX;

    public SpecGenerationService(Workspace ws, LlmGateway gateway, DatasetService datasets) {
        this.ws = ws;
        this.gateway = gateway;
        this.datasets = datasets;
    }

    public SpecGenerationService(Workspace ws, LlmGateway gateway) {
        this(ws, gateway, new DatasetService(ws));
    }

    /**
     * How often a batch run looks at its batch: {@code first} after sending, doubled after each look up to
     * {@code max} (default {@value #DEFAULT_POLL_FIRST_SECONDS} s up to {@value #DEFAULT_POLL_MAX_SECONDS} s).
     */
    public SpecGenerationService batchPolling(Duration first, Duration max) {
        if (first == null || max == null || first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("batch poll pauses must be > 0 and max >= first");
        }
        pollFirst = first;
        pollMax = max;
        return this;
    }

    /**
     * Whether {@code p} offers the OpenAI Batch API ({@code /files}, {@code /batches}): its explicit
     * {@link Provider#batchApi()} setting ({@code "batchApi"} in {@code providers.json}, "Supports Batch API" in the
     * provider settings, {@code --batch-api} on the command line; the default where none is given is
     * {@link Provider#defaultBatchApi}). The batch price is the provider's {@link Provider#batchPriceFactor()}.
     */
    public static boolean supportsBatch(Provider p) {
        return p.batchApi();
    }

    /** {@code e} of requests to {@code provider} at its batch price (the same tokens, the money times its factor). */
    public static CostEstimate atBatchPrice(CostEstimate e, Provider provider) {
        double f = provider.batchPriceFactor();
        List<CostEstimate.Line> lines = e.lines().stream().map(l -> new CostEstimate.Line(l.provider(), l.model(),
                l.requests(), l.cached(), l.promptTokens(), l.completionTokens(),
                l.costUsd() == null ? null : l.costUsd() * f)).toList();
        return new CostEstimate(lines, e.requests(), e.cached(), e.promptTokens(), e.completionTokens(),
                e.costUsd() * f, e.unpriced());
    }

    // ---- planning

    /**
     * Renders every prompt and builds every request of {@code r}, and estimates what sending those not yet answered
     * in the workspace would cost.
     *
     * @throws IllegalArgumentException when the provider is unknown, the template does not render (naming the
     *         template, the person and the variables) or a budget is set for a model without a price
     */
    public Plan plan(Request r, TaskContext ctx) {
        Provider provider = gateway.registry().get(r.engine().provider());
        if (r.budgetUsd() != null && provider.price(r.engine().model()).isEmpty()) {
            throw new IllegalArgumentException(provider.name() + " / " + r.engine().model() + " has no price, so "
                    + "--budget cannot be enforced; add its prices to providers.json in the settings folder (or "
                    + "\"free\": true for a local server), or run without --budget");
        }
        SplitSelection people = r.people();
        ScoredDataset sd = datasets.load(people.dataset(), ctx);
        long first = ws.read(tx -> tx.datasets().respondentIds(people.dataset().id()))[0];
        long[] ids = people.respondentIds();
        int n = r.limit() > 0 ? Math.min(r.limit(), ids.length) : ids.length;
        ResponseFormat format = ResponseFormat.jsonSchema(SpecPrompt.SCHEMA_NAME, SpecPrompt.schema());
        List<Item> items = new ArrayList<>(n * r.samples());
        List<String> incomplete = new ArrayList<>();
        ctx.message("Writing the prompts of " + n + " people");
        for (int i = 0; i < n; i++) {
            int row = (int) (ids[i] - first);
            if (row < 0 || row >= sd.size()) {
                throw new StoreException("respondent " + ids[i] + " of " + people.label() + " is not in dataset "
                        + people.dataset().name());
            }
            Profile p = Profile.of(sd, row);
            if (!p.isComplete()) {
                incomplete.add(p.id());
                continue;
            }
            List<String> texts = SpecPrompt.messages(r.template(), p);
            String promptHash = SpecPrompt.hash(texts);
            List<ChatMessage> messages = List.of(ChatMessage.system(texts.get(0)), ChatMessage.user(texts.get(1)));
            for (int s = 0; s < r.samples(); s++) {
                double t = TemperatureJitter.of(r.temperature(), r.seed(), p.id(), s);
                ChatRequest req = new ChatRequest(provider.name(), r.engine().model(), messages, t, null,
                        r.maxTokens(), format, s);
                items.add(new Item(ids[i], p.id(), p, s, t, req, promptHash));
            }
            if ((i & 255) == 0) {
                ctx.checkCancelled();
            }
        }
        CostEstimate estimate = gateway.estimate(items.stream().map(Item::request).toList(),
                EXPECTED_COMPLETION_TOKENS);
        if (r.batch()) {
            estimate = atBatchPrice(estimate, provider);
        }
        return new Plan(r, List.copyOf(items), n, List.copyOf(incomplete), estimate, fingerprint(r));
    }

    /** The identity of a run's requests: selection, engine, template text, samples, temperature, seed, limits. */
    static String fingerprint(Request r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("engine", ENGINE);
        m.put("provider", r.engine().provider());
        m.put("model", r.engine().model());
        m.put("template", SpecPrompt.templateHash(r.template()));
        m.put("samples", r.samples());
        m.put("temperature", r.temperature());
        m.put("jitter", TemperatureJitter.FRACTION);
        m.put("seed", r.seed());
        m.put("maxTokens", r.maxTokens());
        m.put("limit", r.limit());
        m.put("datasetId", r.people().dataset().id());
        m.put("splitSetId", r.people().splitSet() == null ? 0 : r.people().splitSet().id());
        m.put("part", r.people().part());
        return SpecPrompt.hash(List.of(Json.compact(m))).substring(0, 16);
    }

    // ---- runs

    /**
     * The unfinished run (failed or cancelled) that {@code plan} would resume: the newest run with the same
     * fingerprint, unless that one succeeded.
     *
     * @throws IllegalStateException when the newest such run is still running
     */
    public Optional<RunRecord> resumable(Plan plan) {
        for (RunRecord run : ws.read(tx -> tx.runs().list())) {
            if (!run.kind().equals(RUN_KIND) || !plan.fingerprint().equals(param(run, "fingerprint"))) {
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

    /**
     * The request a stored run was made with, for {@code --resume RUN}: selection, engine, template text, samples,
     * temperature, seed and limits as recorded; budget and concurrency as recorded unless given again.
     */
    public static Request requestOf(Workspace ws, RunRecord run) {
        JsonNode p = read(run.params(), run);
        JsonNode in = read(run.inputs(), run);
        if (!ENGINE.equals(p.path("engine").asText())) {
            throw new IllegalArgumentException("run " + run.id() + " was made by the " + p.path("engine").asText("?")
                    + " engine; only LLM generation runs can be resumed");
        }
        JsonNode t = p.path("template");
        if (!t.path("text").isTextual()) {
            throw new IllegalArgumentException("run " + run.id() + " did not record its prompt template");
        }
        SplitSelection people = SplitSelection.of(ws, in.path("datasetId").asLong(), in.path("splitSetId").asLong(0),
                in.path("part").isTextual() ? in.path("part").asText() : null);
        return new Request(people, new Engine(p.path("provider").asText(), p.path("model").asText()),
                new PromptTemplate(t.path("name").asText("template of run " + run.id()), t.path("text").asText()),
                p.path("samples").asInt(), p.path("temperature").asDouble(), p.path("seed").asLong(),
                p.path("maxTokens").asInt(DEFAULT_MAX_TOKENS), p.path("limit").asInt(0),
                p.path("budgetUsd").isNumber() ? p.path("budgetUsd").asDouble() : null, p.path("concurrency").asInt(0),
                p.path("batch").asBoolean(false));
    }

    /**
     * Generates the specs of {@code plan}: resumes {@code resume} when given (it must have the plan's fingerprint),
     * else the unfinished run with the same fingerprint ({@link #resumable(Plan)}), else starts a new run. Returns
     * when every spec is stored, or the run was stopped (budget, repeated failures) or cancelled; the run's status
     * says which. Never throws for a provider's failure or an invalid answer: those are reported in the outcome.
     */
    public Outcome generate(Plan plan, RunRecord resume, PauseGate gate, TaskContext ctx) {
        Request r = plan.request();
        RunRecord target = resume != null ? resume : resumable(plan).orElse(null);
        if (target != null && !plan.fingerprint().equals(param(target, "fingerprint"))) {
            throw new IllegalArgumentException("run " + target.id() + " was made with other parameters; start a new "
                    + "run instead of resuming it");
        }
        if (target != null && target.status().equals(RunRecord.RUNNING)) {
            throw new IllegalStateException("run " + target.id() + " is still running; wait for it or cancel it");
        }
        Provider provider = gateway.registry().get(r.engine().provider());
        Instant started = Instant.now();
        long runId;
        JsonNode previous;
        if (target == null) {
            String params = Json.compact(params(plan, provider));
            String inputs = Json.compact(r.people().inputs());
            String title = "Specs by " + r.engine().label() + " for " + r.people().label() + " (" + r.samples()
                    + (r.samples() == 1 ? " sample)" : " samples)");
            runId = ws.write(tx -> tx.runs().start(RUN_KIND, title, params, inputs));
            previous = Json.MAPPER.createObjectNode();
        } else {
            runId = target.id();
            ws.write(tx -> {
                tx.runs().reopen(runId);
                return null;
            });
            previous = read(target.outputs(), target);
            ctx.message("Resuming run " + runId + " (" + target.title() + ")");
        }
        return new Attempt(plan, runId, target != null, previous, provider, gate == null ? new PauseGate() : gate,
                ctx, started).run();
    }

    /** Plans and generates in one step (resuming an unfinished run with the same parameters). */
    public Outcome generate(Request r, PauseGate gate, TaskContext ctx) {
        return generate(plan(r, ctx), null, gate, ctx);
    }

    private static Map<String, Object> params(Plan plan, Provider provider) {
        Request r = plan.request();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("engine", ENGINE);
        m.put("provider", provider.name());
        m.put("model", r.engine().model());
        m.put("baseUrl", publicUrl(provider.baseUrl()));
        m.put("apiKeyEnv", provider.apiKeyEnv());
        m.put("structuredOutput", provider.structured().id());
        Optional<ModelPrice> price = provider.price(r.engine().model());
        m.put("price", price.map(x -> Map.of("inputPerMillion", x.inputPerMillion(), "outputPerMillion",
                x.outputPerMillion())).orElse(null));
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", r.template().name());
        t.put("sha256", SpecPrompt.templateHash(r.template()));
        t.put("text", r.template().text());
        m.put("template", t);
        m.put("systemMessage", SpecPrompt.SYSTEM);
        m.put("schema", SpecPrompt.SCHEMA_NAME);
        m.put("samples", r.samples());
        m.put("temperature", r.temperature());
        m.put("jitter", TemperatureJitter.FRACTION);
        m.put("seed", r.seed());
        m.put("maxTokens", r.maxTokens());
        m.put("limit", r.limit());
        m.put("budgetUsd", r.budgetUsd());
        m.put("concurrency", r.concurrency());
        m.put("batch", r.batch());
        if (r.batch()) {
            m.put("batchPriceFactor", provider.batchPriceFactor());
        }
        m.put("fingerprint", plan.fingerprint());
        m.put("estimate", estimateMap(plan.estimate()));
        return m;
    }

    private static Map<String, Object> estimateMap(CostEstimate e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", e.requests());
        m.put("cached", e.cached());
        m.put("promptTokens", e.promptTokens());
        m.put("completionTokens", e.completionTokens());
        m.put("costUsd", e.costUsd());
        m.put("unpriced", e.unpriced());
        return m;
    }

    /** A base URL without user info, query or fragment: what may be recorded (a key never hides in it). */
    static String publicUrl(String url) {
        try {
            URI u = URI.create(url);
            return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null).toString();
        } catch (IllegalArgumentException | java.net.URISyntaxException e) {
            return "(unreadable URL)";
        }
    }

    private static String param(RunRecord run, String field) {
        try {
            JsonNode n = Json.MAPPER.readTree(run.params());
            return n.path(field).isTextual() ? n.path(field).asText() : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static JsonNode read(String json, RunRecord run) {
        try {
            JsonNode n = Json.MAPPER.readTree(json == null || json.isBlank() ? "{}" : json);
            return n == null ? Json.MAPPER.createObjectNode() : n;
        } catch (java.io.IOException e) {
            throw new StoreException("run " + run.id() + ": its stored JSON is unreadable: " + e.getMessage(), e);
        }
    }

    // ---- one attempt of a run

    /** The work of one attempt: its counters, the stop signal its workers share, and the run's final record. */
    private final class Attempt {
        private final Plan plan;
        private final Request r;
        private final long runId;
        private final boolean resumed;
        private final JsonNode previous;
        private final Provider provider;
        private final PauseGate gate;
        private final TaskContext ctx;
        private final Instant started;
        private final Control control;
        private final String source;
        private final AtomicInteger paid = new AtomicInteger();
        private final AtomicInteger cached = new AtomicInteger();
        private final AtomicInteger storedNow = new AtomicInteger();
        private final AtomicInteger invalid = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private final AtomicInteger consecutiveFailures = new AtomicInteger();
        private final AtomicInteger circuitWaits = new AtomicInteger();
        private final AtomicInteger finished = new AtomicInteger();
        private final DoubleAdder costNow = new DoubleAdder();
        private final List<Problem> problems = Collections.synchronizedList(new ArrayList<>());
        /** Request hashes whose answers this attempt collected from a batch (paid now, though read from the cache). */
        private final Set<String> paidInBatch = new HashSet<>();
        private final List<BatchReport.PendingBatch> batches = new ArrayList<>();
        private volatile String stoppedBy;
        private volatile String stopMessage;
        /** A budget stop found while batching, applied once the answers already received are stored. */
        private volatile String deferredStop;
        private int storedBefore;
        private int todoCount;

        Attempt(Plan plan, long runId, boolean resumed, JsonNode previous, Provider provider, PauseGate gate,
                TaskContext ctx, Instant started) {
            this.plan = plan;
            this.r = plan.request();
            this.runId = runId;
            this.resumed = resumed;
            this.previous = previous;
            this.provider = provider;
            this.gate = gate;
            this.ctx = ctx;
            this.started = started;
            this.control = new Control(ctx);
            this.source = ENGINE + ":" + r.engine().label();
        }

        Outcome run() {
            try {
                Set<PersonSample> done = ws.read(tx -> tx.specs().samplesOf(runId));
                List<Item> todo = plan.items().stream()
                        .filter(i -> !done.contains(new PersonSample(i.respondentId(), i.sample()))).toList();
                storedBefore = plan.items().size() - todo.size();
                todoCount = todo.size();
                double spentBefore = ws.read(tx -> tx.llmCalls().totalsForRun(runId)).costUsd();
                Budget budget = r.budgetUsd() == null ? Budget.unlimited()
                        : Budget.ofUsd(Math.max(0, r.budgetUsd() - spentBefore));
                CallContext cx = new CallContext(control, runId, budget);
                if (resumed) {
                    ctx.message(storedBefore + " of " + plan.items().size() + " specs already stored; asking for the "
                            + todo.size() + " left");
                }
                ctx.progress(storedBefore, plan.items().size());
                List<Item> ask = todo.isEmpty() ? todo : r.batch() ? viaBatch(todo, cx) : notWaiting(todo);
                String budgetStop = deferredStop;
                deferredStop = null;
                if (!ask.isEmpty() && !control.stopping()) {
                    work(ask, cx);
                }
                if (budgetStop != null) {
                    stop("budget", budgetStop);
                }
                return finish(null);
            } catch (RuntimeException | Error e) {
                return finishAfterFailure(e);
            }
        }

        // ---- the Batch API

        /**
         * Sends the requests of {@code todo} that have no answer yet in one provider batch (those already waiting
         * in a batch, e.g. of a killed or cancelled attempt, are polled, not sent again), waits for it, and returns
         * the items whose answers are now in the workspace: the normal path then reads them from the cache at no
         * further cost. An invalid answer is stored as rejected and corrected by the normal path with a live call.
         * Lines the batch did not answer are reported and sent again by the next attempt; a cancelled wait leaves
         * the batch pending for the next attempt.
         */
        private List<Item> viaBatch(List<Item> todo, CallContext cx) {
            Map<String, Item> byHash = new LinkedHashMap<>();
            for (Item it : todo) {
                byHash.putIfAbsent(RequestHash.of(it.request()), it);
            }
            Map<String, LlmCallRepository.StoredCall> rows = ws.read(tx -> tx.llmCalls().findAll(byHash.keySet()));
            List<ChatRequest> send = new ArrayList<>();
            Set<String> sent = new HashSet<>();
            List<Item> waiting = new ArrayList<>();
            List<Item> fresh = new ArrayList<>();
            for (var e : byHash.entrySet()) {
                String status = rows.containsKey(e.getKey()) ? rows.get(e.getKey()).status() : null;
                if (LlmCallRepository.BATCH.equals(status)) {
                    waiting.add(e.getValue());
                    send.add(e.getValue().request());
                    sent.add(e.getKey());
                } else if (status == null || LlmCallRepository.ERROR.equals(status)) {
                    fresh.add(e.getValue());
                }
            }
            int affordable = affordable(fresh, waiting, cx.budget());
            for (Item it : fresh.subList(0, affordable)) {
                send.add(it.request());
                sent.add(RequestHash.of(it.request()));
            }
            if (affordable < fresh.size()) {
                deferredStop = String.format(Locale.ROOT, "stopped: the budget left ($%.4f) covers the worst case "
                        + "(prompt + %d max tokens at the batch price) of %d of the %d requests left; the other %d "
                        + "were not sent", cx.budget().capUsd() - cx.budget().spentUsd(), r.maxTokens(), affordable,
                        fresh.size(), fresh.size() - affordable);
            }
            if (!send.isEmpty()) {
                runBatch(send, !waiting.isEmpty(), cx);
            }
            if (control.isCancelled()) {
                return List.of();
            }
            Map<String, LlmCallRepository.StoredCall> now = ws.read(tx -> tx.llmCalls().findAll(byHash.keySet()));
            List<Item> answered = new ArrayList<>();
            for (Item it : todo) {
                String hash = RequestHash.of(it.request());
                LlmCallRepository.StoredCall row = now.get(hash);
                String status = row == null ? null : row.status();
                if (status != null && (LlmCallRepository.FINAL.contains(status)
                        || LlmCallRepository.REJECTED.equals(status))) {
                    answered.add(it);
                } else if (LlmCallRepository.ERROR.equals(status) && sent.contains(hash)) {
                    failed.incrementAndGet();
                    problem(new Problem(it.person(), it.respondentId(), it.sample(), Problem.FAILED, hash,
                            batchError(row) + "; run the same command again to send it in a new batch"));
                }
            }
            if (!answered.isEmpty()) {
                control.message("Collecting " + answered.size() + " specs from the workspace cache");
            }
            return answered;
        }

        /**
         * How many of {@code fresh}, in order, fit the budget left at their worst case and the batch price, once the
         * worst case of the requests already waiting in a batch (paid when collected) is set aside.
         */
        private int affordable(List<Item> fresh, List<Item> waiting, Budget budget) {
            if (!budget.isCapped()) {
                return fresh.size();
            }
            Optional<ModelPrice> price = provider.batchPrice(r.engine().model());
            if (price.isEmpty()) {
                return fresh.size(); // plan() refuses a budget for a model without a price; LlmBatch checks again
            }
            double left = budget.capUsd() - budget.spentUsd();
            for (Item it : waiting) {
                left -= worstCase(it, price.get());
            }
            double sum = 0;
            int n = 0;
            for (Item it : fresh) {
                sum += worstCase(it, price.get());
                if (sum > left + 1e-12) {
                    break;
                }
                n++;
            }
            return n;
        }

        private static double worstCase(Item it, ModelPrice price) {
            ChatRequest q = it.request();
            return price.cost(CostEstimate.promptTokens(q.messages()), CostEstimate.worstCaseCompletion(q));
        }

        /** Submits (or finds waiting) and collects one batch of {@code send}; cancellation leaves it pending. */
        private void runBatch(List<ChatRequest> send, boolean someWaiting, CallContext cx) {
            LlmBatch lb = new LlmBatch(gateway).polling(pollFirst, pollMax);
            Set<String> before = new HashSet<>();
            if (someWaiting) {
                lb.pending().forEach(b -> before.add(b.provider() + "\u0000" + b.inputFileId()));
            }
            List<BatchReport.PendingBatch> mine = List.of();
            try {
                LlmBatch.Submission s = lb.submit(send, cx);
                mine = s.batches();
                synchronized (batches) {
                    batches.addAll(mine);
                }
                for (BatchReport.PendingBatch b : mine) {
                    boolean old = before.contains(b.provider() + "\u0000" + b.inputFileId());
                    control.message(String.format(Locale.ROOT, "%s batch %s: %d requests, %s%s", old
                            ? "Found the pending" : "Submitted", b.batchId() == null ? "(being created)"
                            : b.batchId(), b.requests(), b.status(), old ? " (sent by an earlier attempt; polled, "
                            + "not sent again)" : ""));
                }
                control.message("Waiting for " + (mine.size() == 1 ? "the batch" : mine.size() + " batches")
                        + " (the provider answers within 24 h): cancel stops waiting, the batch stays at the "
                        + "provider and the next run collects it");
                BatchReport rep = lb.run(send, cx); // sends nothing more: every request now waits in a batch
                synchronized (batches) {
                    batches.removeAll(mine);
                    batches.addAll(rep.batches());
                }
                synchronized (paidInBatch) {
                    send.forEach(q -> paidInBatch.add(RequestHash.of(q)));
                }
                if (!Double.isNaN(rep.costUsd())) {
                    costNow.add(rep.costUsd());
                }
                control.message("Batch answers collected: " + rep.summary());
            } catch (CancellationException e) {
                Thread.interrupted(); // record the run first
                control.cancel();
                control.message(mine.isEmpty() ? "Cancelled while sending the batch: the next run finds what was "
                        + "sent and sends the rest" : "Cancelled while waiting: " + describe(mine) + " stays pending "
                        + "at the provider; run the same generation again to collect it without sending it again");
            } catch (LlmException.BudgetExceeded e) {
                deferredStop = "stopped: " + e.getMessage();
            } catch (LlmException e) {
                boolean noBatchApi = e instanceof LlmException.HttpStatus h && (h.status() == 404
                        || h.status() == 405);
                stopAfterCollecting("failures", "the batch failed: " + e.getMessage() + (noBatchApi ? " (does "
                        + provider.name() + " offer the Batch API? run without it)" : ""));
            }
        }

        private void stopAfterCollecting(String by, String message) {
            synchronized (this) {
                if (stoppedBy == null) {
                    stoppedBy = by;
                    stopMessage = message;
                    control.message(message);
                }
            }
        }

        private static String describe(List<BatchReport.PendingBatch> bs) {
            if (bs.isEmpty()) {
                return "the batch being created";
            }
            return (bs.size() == 1 ? "batch " : "batches ") + String.join(", ", bs.stream()
                    .map(b -> b.batchId() == null ? "(being created)" : b.batchId()).toList());
        }

        private static String batchError(LlmCallRepository.StoredCall row) {
            try {
                JsonNode env = Json.MAPPER.readTree(row.response() == null ? "{}" : row.response());
                return env.path("error").asText("the batch returned no answer");
            } catch (java.io.IOException e) {
                return "the batch returned no answer";
            }
        }

        /**
         * Live mode: the items whose requests do not wait in a provider batch of an earlier batch attempt (the
         * gateway would refuse them, since sending them live would pay twice); those are reported.
         */
        private List<Item> notWaiting(List<Item> todo) {
            Set<String> waiting = new HashSet<>();
            ws.read(tx -> tx.llmCalls().findByStatus(LlmCallRepository.BATCH))
                    .forEach(row -> waiting.add(row.requestHash()));
            if (waiting.isEmpty()) {
                return todo;
            }
            List<Item> out = new ArrayList<>();
            int held = 0;
            for (Item it : todo) {
                String hash = RequestHash.of(it.request());
                if (!waiting.contains(hash)) {
                    out.add(it);
                    continue;
                }
                held++;
                failed.incrementAndGet();
                problem(new Problem(it.person(), it.respondentId(), it.sample(), Problem.FAILED, hash,
                        "waits in a provider batch sent by an earlier batch attempt; run again with the Batch API "
                                + "(--batch) to collect it"));
            }
            if (held > 0) {
                control.message(held + " requests wait in a provider batch of an earlier attempt: they are left to "
                        + "a batch run (--batch), which collects them without paying again");
            }
            return out;
        }

        private void work(List<Item> todo, CallContext cx) {
            int limit = provider.limits().maxConcurrent();
            int threads = r.concurrency() > 0 ? r.concurrency() : limit > 0 ? limit : DEFAULT_CONCURRENCY;
            if (limit > 0) {
                threads = Math.min(threads, limit);
            }
            threads = Math.max(1, Math.min(threads, todo.size()));
            AtomicInteger next = new AtomicInteger();
            AtomicInteger n = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads, job -> {
                Thread t = new Thread(job, "personalab-specgen-" + runId + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            ctx.message("Asking " + r.engine().label() + " for " + todo.size() + " specs, " + threads
                    + " at a time");
            for (int w = 0; w < threads; w++) {
                pool.execute(() -> {
                    while (!control.stopping()) {
                        try {
                            if (!gate.await(control::stopping, () -> control.message("Paused: calls in flight "
                                    + "finish and are stored; no new call starts"))) {
                                return;
                            }
                        } catch (InterruptedException e) {
                            control.cancel();
                            return;
                        }
                        int k = next.getAndIncrement();
                        if (k >= todo.size()) {
                            return;
                        }
                        process(todo.get(k), cx);
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
                        control.cancel();
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                    control.cancel();
                }
            }
            if (interrupted || control.isCancelled()) {
                Thread.interrupted(); // record the run first; the caller sees the cancellation in the outcome
            }
            if (ctx.isCancelled()) {
                control.cancel();
            }
        }

        private void process(Item it, CallContext cx) {
            ChatResponse resp;
            try {
                while (true) {
                    try {
                        resp = gateway.call(it.request(), cx);
                        circuitWaits.set(0);
                        break;
                    } catch (LlmException.CircuitOpen e) {
                        // the provider keeps failing: wait for its cool-down instead of failing everyone queued,
                        // unless it has not answered through many cool-downs
                        if (gateway.circuit(provider.name()) == CircuitBreaker.State.OPEN) {
                            if (circuitWaits.incrementAndGet() > MAX_CIRCUIT_WAITS) {
                                fail(it, null, "the provider gave no answer through " + MAX_CIRCUIT_WAITS
                                        + " cool-downs of its circuit breaker; last: " + e.getMessage(), true);
                                return;
                            }
                            control.message(e.getMessage() + "; waiting");
                        }
                        if (!waitForCircuit()) {
                            return;
                        }
                    }
                }
            } catch (LlmException.BudgetExceeded e) {
                stop("budget", "stopped: " + e.getMessage());
                return;
            } catch (CancellationException e) {
                control.cancel();
                return;
            } catch (LlmException e) {
                fail(it, null, e.getMessage(), fatal(e));
                return;
            } catch (RuntimeException e) {
                fail(it, null, org.personalab.task.Failures.describe(e), true);
                return;
            }
            boolean batchAnswer;
            synchronized (paidInBatch) {
                batchAnswer = paidInBatch.contains(resp.requestHash());
            }
            (resp.cached() && !batchAnswer ? cached : paid).incrementAndGet();
            if (!resp.cached() && !Double.isNaN(resp.costUsd())) {
                costNow.add(resp.costUsd());
            }
            try {
                if (!resp.isOk() || resp.json() == null || !resp.json().isObject()) {
                    invalid(it, resp);
                } else {
                    store(it, resp);
                }
                consecutiveFailures.set(0);
            } catch (RuntimeException e) {
                fail(it, resp.requestHash(), "cannot store the spec: " + org.personalab.task.Failures.describe(e),
                        true);
            }
            progress();
        }

        /** Waits while the provider's circuit is open; false when the run is ending meanwhile. */
        private boolean waitForCircuit() {
            try {
                do {
                    if (control.stopping()) {
                        return false;
                    }
                    Thread.sleep(50);
                } while (gateway.circuit(provider.name()) == CircuitBreaker.State.OPEN);
                return !control.stopping();
            } catch (InterruptedException e) {
                control.cancel();
                return false;
            }
        }

        private void store(Item it, ChatResponse resp) {
            ObjectNode persona = ((ObjectNode) resp.json()).deepCopy();
            AgentFile file = AgentFile.of(AgentSpec.wrap(persona), new SpecProvenance(ENGINE + ":" + provider.name(),
                    r.engine().model(), it.sample(), it.temperature(), it.promptHash()));
            String doc = TinyTroupeFiles.format(file);
            OptionalLong id = ws.write(tx -> tx.specs().insertSample(it.respondentId(), source, doc,
                    resp.requestHash(), runId, it.sample(), it.temperature()));
            if (id.isPresent()) {
                storedNow.incrementAndGet();
            }
        }

        private void invalid(Item it, ChatResponse resp) {
            invalid.incrementAndGet();
            List<String> why = resp.problems().isEmpty() ? List.of("the answer is not a JSON object")
                    : resp.problems().subList(0, Math.min(3, resp.problems().size()));
            problem(new Problem(it.person(), it.respondentId(), it.sample(), Problem.INVALID, resp.requestHash(),
                    String.join("; ", why) + " (after " + resp.tries() + (resp.tries() == 1 ? " try" : " tries")
                            + "; raw answer kept in llm_call)"));
        }

        private void fail(Item it, String hash, String message, boolean fatal) {
            failed.incrementAndGet();
            problem(new Problem(it.person(), it.respondentId(), it.sample(), Problem.FAILED, hash, message));
            int inRow = consecutiveFailures.incrementAndGet();
            if (fatal) {
                stop("failures", message);
            } else if (inRow >= MAX_CONSECUTIVE_FAILURES) {
                stop("failures", inRow + " requests in a row failed; last: " + message);
            }
            progress();
        }

        private void problem(Problem p) {
            synchronized (problems) {
                if (problems.size() < MAX_PROBLEMS) {
                    problems.add(p);
                }
            }
        }

        /** A failure every further request would share: refused credentials or model, or a broken workspace. */
        private static boolean fatal(LlmException e) {
            return e instanceof LlmException.HttpStatus h && (h.status() == 401 || h.status() == 403
                    || h.status() == 404);
        }

        private void stop(String by, String message) {
            synchronized (this) {
                if (stoppedBy == null) {
                    stoppedBy = by;
                    stopMessage = message;
                    control.message(message);
                }
            }
            control.stop();
        }

        private void progress() {
            int k = finished.incrementAndGet();
            int total = plan.items().size();
            control.progress(storedBefore + k, total);
            int every = Math.max(1, todoCount / 50);
            if (k % every == 0 || k == todoCount) {
                control.message(String.format(Locale.ROOT, "%d of %d specs stored (%d paid, %d cached, %d invalid, %d "
                        + "failed); $%.4f spent", storedBefore + storedNow.get(), total, paid.get(), cached.get(),
                        invalid.get(), failed.get(), costNow.sum()));
            }
        }

        private Outcome finishAfterFailure(Throwable e) {
            String msg = org.personalab.task.Failures.describe(e);
            stop("failures", msg);
            try {
                finish(msg);
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw (Error) e;
        }

        private Outcome finish(String error) {
            int expected = plan.items().size();
            Map<Long, Profile> profiles = new HashMap<>();
            plan.items().forEach(i -> profiles.putIfAbsent(i.respondentId(), i.profile()));
            List<SpecRow> rows = ws.read(tx -> tx.specs().byRun(runId));
            int stored = 0;
            int withErrors = 0;
            SpecValidator validator = new SpecValidator();
            for (SpecRow row : rows) {
                if (row.parentId() > 0) {
                    continue;
                }
                stored++;
                try {
                    AgentFile f = TinyTroupeFiles.parse(row.document());
                    if (SpecValidator.hasErrors(validator.validate(f.spec(), profiles.get(row.respondentId())))) {
                        withErrors++;
                    }
                } catch (RuntimeException e) {
                    withErrors++;
                }
            }
            LlmCallRepository.Totals totals = ws.read(tx -> tx.llmCalls().totalsForRun(runId));
            boolean cancelled = control.isCancelled() && stoppedBy == null;
            String by = cancelled ? "cancelled" : stoppedBy;
            int missing = expected - stored - invalid.get();
            String status;
            String err;
            if (error != null) {
                status = RunRecord.FAILED;
                err = error;
            } else if (cancelled) {
                status = RunRecord.CANCELLED;
                List<BatchReport.PendingBatch> waiting;
                synchronized (batches) {
                    waiting = batches.stream().filter(b -> !"completed".equals(b.status())).toList();
                }
                err = "cancelled with " + stored + " of " + expected + " specs stored" + (waiting.isEmpty() ? ""
                        : "; " + describe(waiting) + " stays pending at the provider: run the same generation "
                                + "again to collect it");
            } else if (stoppedBy != null) {
                status = RunRecord.FAILED;
                err = stopMessage + " (" + stored + " of " + expected + " specs stored)";
            } else if (missing > 0) {
                status = RunRecord.FAILED;
                err = failed.get() + " requests failed" + (problems.isEmpty() ? "" : " (first: "
                        + problems.stream().filter(p -> p.kind().equals(Problem.FAILED)).map(Problem::detail)
                                .findFirst().orElse("?") + ")") + "; run the same command again to retry them";
            } else {
                status = RunRecord.SUCCEEDED;
                err = null;
            }
            ObjectNode out = Json.MAPPER.createObjectNode();
            out.put("specs", stored);
            out.put("expected", expected);
            out.put("people", plan.people());
            out.put("samples", r.samples());
            out.put("invalid", invalid.get());
            out.put("failed", failed.get());
            out.put("notAsked", Math.max(0, missing - failed.get()));
            out.put("specsWithErrors", withErrors);
            out.put("skippedIncomplete", plan.incomplete().size());
            out.set("incompletePeople", Json.MAPPER.valueToTree(plan.incomplete().subList(0,
                    Math.min(MAX_PROBLEMS, plan.incomplete().size()))));
            out.put("costUsd", totals.costUsd());
            out.put("promptTokens", totals.promptTokens());
            out.put("completionTokens", totals.completionTokens());
            out.put("paidCalls", totals.answered());
            if (by == null) {
                out.putNull("stoppedBy");
            } else {
                out.put("stoppedBy", by);
            }
            out.set("problems", Json.MAPPER.valueToTree(problems));
            ArrayNode attempts = out.putArray("attempts");
            if (previous.path("attempts").isArray()) {
                previous.path("attempts").forEach(attempts::add);
            }
            ObjectNode a = attempts.addObject();
            a.put("startedAt", started.toString());
            a.put("finishedAt", Instant.now().toString());
            a.put("pid", ProcessHandle.current().pid());
            a.put("resumed", resumed);
            a.put("storedBefore", storedBefore);
            a.put("stored", storedNow.get());
            a.put("paid", paid.get());
            a.put("cached", cached.get());
            a.put("costUsd", costNow.sum());
            if (r.budgetUsd() == null) {
                a.putNull("budgetUsd");
            } else {
                a.put("budgetUsd", r.budgetUsd());
            }
            a.put("concurrency", r.concurrency());
            a.put("batch", r.batch());
            List<BatchReport.PendingBatch> bs;
            synchronized (batches) {
                bs = List.copyOf(batches);
            }
            ArrayNode ba = a.putArray("batches");
            for (BatchReport.PendingBatch b : bs) {
                ObjectNode o = ba.addObject();
                o.put("provider", b.provider());
                o.put("id", b.batchId());
                o.put("inputFileId", b.inputFileId());
                o.put("requests", b.requests());
                o.put("status", b.status());
            }
            a.set("estimate", Json.MAPPER.valueToTree(estimateMap(plan.estimate())));
            String outputs = Json.compact(out);
            ws.write(tx -> {
                tx.runs().finish(runId, status, outputs, err);
                return null;
            });
            ctx.progress(stored, expected);
            return new Outcome(runId, resumed, status, by, err, expected, stored, storedBefore, paid.get(),
                    cached.get(), invalid.get(), failed.get(), withErrors, plan.incomplete().size(), totals.costUsd(),
                    costNow.sum(), totals.promptTokens(), totals.completionTokens(), plan.estimate(),
                    List.copyOf(problems), bs);
        }
    }

    /**
     * The task context the workers and the gateway see: messages and progress go to the run's task; "cancelled"
     * when the task is (calls in flight are then cancelled); and a stop flag (budget, failures) that lets calls in
     * flight finish but starts no new one.
     */
    private static final class Control implements TaskContext {
        private final TaskContext parent;
        private volatile boolean cancelled;
        private volatile boolean stopped;

        Control(TaskContext parent) {
            this.parent = parent;
        }

        void cancel() {
            cancelled = true;
        }

        void stop() {
            stopped = true;
        }

        boolean stopping() {
            return stopped || isCancelled();
        }

        @Override
        public synchronized void progress(double done, double total) {
            parent.progress(done, total);
        }

        @Override
        public synchronized void message(String message) {
            parent.message(message);
        }

        @Override
        public boolean isCancelled() {
            if (!cancelled && parent.isCancelled()) {
                cancelled = true;
            }
            return cancelled;
        }
    }
}
