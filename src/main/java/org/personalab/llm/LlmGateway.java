package org.personalab.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.personalab.store.LlmCallRepository;
import org.personalab.store.LlmCallRepository.StoredCall;
import org.personalab.store.Workspace;

/**
 * The one way PersonaLab talks to chat models. A call goes: workspace cache → coalescing with an identical call
 * in flight → budget reservation → the provider's circuit breaker, rate limits and retries → the HTTP exchange →
 * the answer stored in {@code llm_call} before it is returned → validation of structured answers (an invalid one
 * is stored with its raw text and asked again per the retry policy) → the money settled against the run's budget.
 *
 * <p>Because each answer is committed as soon as it arrives and identical requests hash identically, a run killed at
 * any moment resumes without paying twice for an answer it already received. Thread-safe: share one gateway per
 * workspace.
 */
public final class LlmGateway implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long POLL_MS = 25;
    private static final int TPM_COMPLETION_GUESS = 512;
    private static final int IDLE_CONNECTIONS = 256;

    private final Workspace workspace;
    private final ProviderRegistry registry;
    private final ApiKeys keys;
    private final RetryPolicy policy;
    private final int breakerThreshold;
    private final Duration breakerCoolDown;
    private final RandomGenerator random;
    private final ExecutorService httpThreads;
    private final OkHttpClient http;
    private final ConcurrentHashMap<String, ProviderChannel> channels = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<ChatResponse>> inFlight = new ConcurrentHashMap<>();
    private final LlmCallRepository.Session calls;
    private final CallWriter writer;

    private LlmGateway(Builder b) {
        this.workspace = b.workspace;
        this.registry = b.registry != null ? b.registry : ProviderRegistry.load();
        this.keys = b.keys != null ? b.keys : ApiKeys.standard();
        this.policy = b.policy;
        this.breakerThreshold = b.breakerThreshold;
        this.breakerCoolDown = b.breakerCoolDown;
        this.random = b.random;
        AtomicInteger n = new AtomicInteger();
        this.httpThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "personalab-llm-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Dispatcher d = new Dispatcher(httpThreads);
        d.setMaxRequests(1024); // our RateLimiter decides concurrency, not OkHttp's queue
        d.setMaxRequestsPerHost(1024);
        // keep as many idle connections as calls may run at once: OkHttp's default of 5 makes a busy run reconnect
        this.http = new OkHttpClient.Builder().dispatcher(d)
                .connectionPool(new ConnectionPool(IDLE_CONNECTIONS, 5, TimeUnit.MINUTES)).build();
        this.calls = LlmCallRepository.session(workspace);
        this.writer = new CallWriter(calls);
    }

    public static Builder builder(Workspace workspace) {
        return new Builder(workspace);
    }

    public ProviderRegistry registry() {
        return registry;
    }

    /** The workspace this gateway stores its calls in. */
    public Workspace workspace() {
        return workspace;
    }

    LlmCallRepository.Session calls() {
        return calls;
    }

    CallWriter writer() {
        return writer;
    }

    ApiKeys keys() {
        return keys;
    }

    OkHttpClient http() {
        return http;
    }

    RetryPolicy policy() {
        return policy;
    }

    RandomGenerator random() {
        return random;
    }

    /**
     * Answers {@code req}: from the workspace when an identical request was answered before (no cost), else from the
     * provider. Structured answers that stay invalid come back with status INVALID, not as an exception.
     *
     * @throws LlmException when the provider fails for good, refuses the request (4xx), the budget would be exceeded
     *         or the provider's circuit is open
     * @throws CancellationException when the task is cancelled (the call in flight is cancelled too)
     */
    public ChatResponse call(ChatRequest req, CallContext cx) {
        String hash = RequestHash.of(req);
        while (true) {
            cx.task().checkCancelled();
            Optional<StoredCall> row = find(hash);
            if (isFinal(row)) {
                return fromRow(row.get());
            }
            refuseIfInBatch(row, req);
            CompletableFuture<ChatResponse> mine = new CompletableFuture<>();
            CompletableFuture<ChatResponse> other = inFlight.putIfAbsent(hash, mine);
            if (other != null) {
                try {
                    return await(other, cx).asCached();
                } catch (CancellationException | LlmException.BudgetExceeded e) {
                    if (cx.task().isCancelled() || Thread.currentThread().isInterrupted()) {
                        throw e;
                    }
                    continue; // the other caller's run stopped; this one goes on by itself
                }
            }
            try {
                Optional<StoredCall> again = find(hash); // answered between our lookup and our claim
                refuseIfInBatch(again, req);
                ChatResponse r = isFinal(again) ? fromRow(again.get()) : execute(req, hash, again, cx);
                mine.complete(r);
                return r;
            } catch (RuntimeException | Error t) {
                mine.completeExceptionally(t);
                throw t;
            } finally {
                inFlight.remove(hash, mine);
            }
        }
    }

    private static ChatResponse await(CompletableFuture<ChatResponse> f, CallContext cx) {
        try {
            while (true) {
                cx.task().checkCancelled();
                try {
                    return f.get(POLL_MS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // poll again
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new LlmException(String.valueOf(e.getCause().getMessage()), e.getCause());
        }
    }

    private ChatResponse execute(ChatRequest req, String hash, Optional<StoredCall> stored, CallContext cx) {
        Provider p = registry.get(req.provider());
        ProviderChannel ch = channels.computeIfAbsent(p.name(), k -> new ProviderChannel(p, http, keys, policy,
                breakerThreshold, breakerCoolDown, random));
        String where = p.name() + " / " + req.model();
        Optional<ModelPrice> price = p.price(req.model());
        if (cx.budget().isCapped() && price.isEmpty()) {
            throw new LlmException(where + ": the model has no price, so the run's budget cannot be enforced; add "
                    + "its prices to " + ProviderRegistry.FILE + " in the settings folder");
        }
        JsonNode schema = req.format() instanceof ResponseFormat.JsonSchema s ? s.schema()
                : req.format() instanceof ResponseFormat.JsonObject ? JSON.createObjectNode().put("type", "object")
                : null;
        Journal j = Journal.resume(stored);
        List<ChatMessage> followUps = j.followUps();
        Usage paidNow = Usage.ZERO;
        double costNow = 0;
        long latencyNow = 0;
        while (true) {
            int pt = CostEstimate.promptTokens(ChatClient.messages(req, ch.mode(), followUps));
            int worstCompletion = CostEstimate.worstCaseCompletion(req);
            Budget.Reservation res = cx.budget().reserve(price.map(x -> x.cost(pt, worstCompletion)).orElse(0.0),
                    where);
            Completion c;
            try {
                int tpm = pt + (req.maxTokens() != null ? req.maxTokens() : TPM_COMPLETION_GUESS);
                c = ch.send(req, followUps, tpm, cx.task());
            } catch (RuntimeException e) {
                cx.budget().release(res);
                if (!(e instanceof CancellationException)) {
                    recordError(req, hash, e, cx);
                }
                throw e;
            }
            double cost = price.map(x -> x.cost(c.usage().promptTokens(), c.usage().completionTokens()))
                    .orElse(Double.NaN);
            cx.budget().settle(res, Double.isNaN(cost) ? 0 : cost, c.usage());
            paidNow = paidNow.plus(c.usage());
            costNow += cost;
            latencyNow += c.latencyMs();
            j.paid(c, cost);
            JsonAnswer.Result a = schema == null ? null : JsonAnswer.read(c.text(), schema);
            if (a == null || a.valid()) {
                store(req, hash, j.envelope(c, ch.mode(), a), LlmCallRepository.OK, j, cx);
                return new ChatResponse(hash, ChatResponse.Status.OK, c.text(), a == null ? null : a.value(),
                        List.of(), paidNow, c.finishReason(), false, costNow, latencyNow, j.tries);
            }
            boolean last = j.tries >= 1 + policy.maxInvalidAnswers() || cx.task().isCancelled();
            j.reject(c.text(), a.problems());
            store(req, hash, j.envelope(c, ch.mode(), a), last ? LlmCallRepository.INVALID : LlmCallRepository.REJECTED,
                    j, cx);
            if (last) {
                return new ChatResponse(hash, ChatResponse.Status.INVALID, c.text(), null, a.problems(), paidNow,
                        c.finishReason(), false, costNow, latencyNow, j.tries);
            }
            cx.task().message(where + ": answer " + j.tries + " is not valid (" + a.problems().get(0)
                    + "); asking again");
            followUps = Journal.correction(c.text(), a.problems());
        }
    }

    private void store(ChatRequest req, String hash, ObjectNode envelope, String status, Journal j, CallContext cx) {
        StoredCall row = new StoredCall(hash, req.provider(), req.model(), RequestHash.canonicalJson(req),
                envelope.toString(), status, j.usage.promptTokens(), j.usage.completionTokens(),
                j.unpriced ? null : j.costUsd, j.latencyMs, cx.runId(), null);
        writer.save(row);
    }

    /** Journals a failure, unless an answer for this request is already stored (that row is worth more). */
    private void recordError(ChatRequest req, String hash, RuntimeException e, CallContext cx) {
        if (e instanceof LlmException.BudgetExceeded) {
            return;
        }
        ObjectNode env = JSON.createObjectNode();
        env.put("error", String.valueOf(e.getMessage()));
        if (e instanceof LlmException.HttpStatus h) {
            env.put("http_status", h.status());
        }
        StoredCall row = new StoredCall(hash, req.provider(), req.model(), RequestHash.canonicalJson(req),
                env.toString(), LlmCallRepository.ERROR, null, null, null, null, cx.runId(), null);
        try {
            writer.saveUnlessAnswered(row);
        } catch (RuntimeException storeFailed) {
            e.addSuppressed(storeFailed);
        }
    }

    private Optional<StoredCall> find(String hash) {
        return calls.read(repo -> repo.find(hash));
    }

    private static boolean isFinal(Optional<StoredCall> row) {
        return row.isPresent() && LlmCallRepository.FINAL.contains(row.get().status());
    }

    /** A request sent in a provider's batch is answered by that batch; sending it live would pay for it twice. */
    private static void refuseIfInBatch(Optional<StoredCall> row, ChatRequest req) {
        if (row.isPresent() && LlmCallRepository.BATCH.equals(row.get().status())) {
            throw new LlmException(req.provider() + " / " + req.model() + ": this request waits in batch "
                    + BatchRows.batchId(row.get()).orElse("(being created)") + "; collect the batch first ("
                    + "LlmBatch.resume) or cancel it at the provider");
        }
    }

    /** The answer stored in a final row, as seen by a caller who did not pay for it now. */
    static ChatResponse fromRow(StoredCall s) {
        String hash = s.requestHash();
        JsonNode env = Journal.parse(s.response());
        List<String> problems = new ArrayList<>();
        env.path("problems").forEach(x -> problems.add(x.asText()));
        boolean ok = LlmCallRepository.OK.equals(s.status());
        JsonNode json = ok && env.has("json") ? env.get("json") : null;
        Usage u = new Usage(s.promptTokens() == null ? 0 : s.promptTokens(),
                s.completionTokens() == null ? 0 : s.completionTokens());
        return new ChatResponse(hash, ok ? ChatResponse.Status.OK : ChatResponse.Status.INVALID,
                env.path("text").asText(""), json, problems, u,
                env.path("finish_reason").isTextual() ? env.get("finish_reason").asText() : null, true, 0,
                s.latencyMs() == null ? 0 : s.latencyMs(), env.path("tries").asInt(1));
    }

    /** What {@code requests} would cost now: requests already answered in the workspace are free. */
    public CostEstimate estimate(List<ChatRequest> requests, int expectedCompletionTokens) {
        List<String> hashes = requests.stream().map(RequestHash::of).toList();
        var cachedHashes = calls.read(repo -> repo.finalHashes(hashes));
        return CostEstimate.of(requests, registry, cachedHashes, expectedCompletionTokens);
    }

    /** Tokens and money of the whole workspace, or of one run when {@code runId} is given. */
    public LlmCallRepository.Totals totals(Long runId) {
        return calls.read(repo -> runId == null ? repo.totals() : repo.totalsForRun(runId));
    }

    /** The circuit state of a provider (CLOSED before its first call). */
    public CircuitBreaker.State circuit(String provider) {
        ProviderChannel ch = channels.get(provider);
        return ch == null ? CircuitBreaker.State.CLOSED : ch.breaker().state();
    }

    /** The structured-output mode now used for a provider (lowered after the provider rejected a stronger one). */
    public StructuredMode structuredMode(String provider) {
        ProviderChannel ch = channels.get(provider);
        return ch == null ? registry.get(provider).structured() : ch.mode();
    }

    @Override
    public void close() {
        writer.close();
        calls.close();
        httpThreads.shutdownNow();
        http.connectionPool().evictAll();
    }

    /** Options of a gateway. */
    public static final class Builder {
        private final Workspace workspace;
        private ProviderRegistry registry;
        private ApiKeys keys;
        private RetryPolicy policy = RetryPolicy.DEFAULT;
        private int breakerThreshold = 5;
        private Duration breakerCoolDown = Duration.ofSeconds(30);
        private RandomGenerator random = RandomGenerator.of("L64X128MixRandom");

        private Builder(Workspace workspace) {
            this.workspace = java.util.Objects.requireNonNull(workspace);
        }

        public Builder registry(ProviderRegistry r) {
            registry = r;
            return this;
        }

        public Builder keys(ApiKeys k) {
            keys = k;
            return this;
        }

        public Builder retryPolicy(RetryPolicy p) {
            policy = p;
            return this;
        }

        /** Open a provider's circuit after {@code threshold} consecutive failures, for {@code coolDown}. */
        public Builder circuitBreaker(int threshold, Duration coolDown) {
            breakerThreshold = threshold;
            breakerCoolDown = coolDown;
            return this;
        }

        public Builder random(RandomGenerator r) {
            random = r;
            return this;
        }

        public LlmGateway build() {
            return new LlmGateway(this);
        }
    }
}
