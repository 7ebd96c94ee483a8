package org.personalab.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.personalab.llm.ApiKeys;
import org.personalab.llm.CallContext;
import org.personalab.llm.ChatMessage;
import org.personalab.llm.ChatRequest;
import org.personalab.llm.ChatResponse;
import org.personalab.llm.Limits;
import org.personalab.llm.LlmGateway;
import org.personalab.llm.ModelPrice;
import org.personalab.llm.Provider;
import org.personalab.llm.ProviderRegistry;
import org.personalab.store.LlmCallRepository;
import org.personalab.store.Workspace;
import org.personalab.task.TaskContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code personalab bench gateway}: what the LLM gateway costs on top of HTTP. A local OpenAI-compatible server (the
 * JDK's HTTP server on the loopback interface, so the benchmark ships without test libraries) answers every chat
 * request after a fixed delay; on a temporary workspace the benchmark measures (a) the gateway's overhead per call
 * against a bare OkHttp call to the same server, (b) the latency of a cache hit, from memory and from the workspace
 * file, and (c) sustained throughput at a given concurrency against the ideal {@code concurrency / delay}.
 */
@Command(name = "gateway", description = "LLM gateway overhead per call (vs a bare OkHttp call), cache-hit latency and "
        + "sustained throughput at concurrency 64 against a local server answering in 50 ms, on a temporary "
        + "workspace.")
final class GatewayBench implements Callable<Integer> {

    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    @Spec
    CommandSpec spec;

    @Option(names = "--calls", defaultValue = "200", description = "Sequential calls per latency series (default "
            + "${DEFAULT-VALUE}); the throughput run makes 32 times as many.")
    int calls;

    @Option(names = "--load-calls", description = "Calls of the throughput run (default: 32 × --calls).")
    Integer loadCalls;

    @Option(names = "--concurrency", defaultValue = "64", description = "Callers of the throughput run (default "
            + "${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--delay-ms", defaultValue = "50", description = "Server answer delay (default ${DEFAULT-VALUE}).")
    int delayMs;

    @Option(names = "--warmup", defaultValue = "100", description = "Calls of each kind before measuring (default "
            + "${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--dir", description = "Scratch folder (default: a new temporary folder, deleted after).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (calls < 1 || concurrency < 1 || delayMs < 0 || warmup < 0) {
            spec.commandLine().getErr().println("error: --calls and --concurrency must be >= 1, --delay-ms and "
                    + "--warmup >= 0");
            return 2;
        }
        int load = loadCalls != null ? loadCalls : 32 * calls;
        boolean tmp = dir == null;
        Path work = tmp ? Files.createTempDirectory("personalab-gateway-bench") : Files.createDirectories(dir);
        try (LocalChatServer server = LocalChatServer.start(delayMs)) {
            Workspace ws = Workspace.openOrCreate(work.resolve("ws"));
            Provider p = Provider.of("bench", server.baseUrl(), null)
                    .withDefaultPrice(new ModelPrice("*", 0.15, 0.60))
                    .withLimits(new Limits(Math.max(concurrency, 1), 0, 0));
            ProviderRegistry registry = ProviderRegistry.builtIn().with(p);
            ApiKeys keys = new ApiKeys(work.resolve("keys.json"), v -> null);
            OkHttpClient bare = bareClient(concurrency);
            out.printf(Locale.ROOT, "Machine: %d cores, Java %s; local server answers after %d ms; workspace %s%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), delayMs, ws.dir());
            CallContext cx = CallContext.of(TaskContext.none());
            try (LlmGateway gw = LlmGateway.builder(ws).registry(registry).keys(keys).build()) {
                for (int i = 0; i < warmup; i++) {
                    bare(bare, server, "warm bare " + i);
                    gw.call(request("warm " + i), cx);
                    gw.call(request("warm " + i), cx);
                }
                // (a) overhead: bare and gateway calls alternate, so drift in the machine hits both alike
                long[] bareNs = new long[calls];
                long[] gwNs = new long[calls];
                for (int i = 0; i < calls; i++) {
                    long t0 = System.nanoTime();
                    bare(bare, server, "latency " + i);
                    long t1 = System.nanoTime();
                    ChatResponse r = gw.call(request("latency " + i), cx);
                    long t2 = System.nanoTime();
                    if (r.cached()) {
                        throw new IllegalStateException("latency " + i + " was answered from the cache");
                    }
                    bareNs[i] = t1 - t0;
                    gwNs[i] = t2 - t1;
                }
                // (b) cache hits: the same requests again, answered by this gateway, then by a fresh one
                long[] hitNs = hits(gw, calls, cx);
                long[] coldHitNs;
                try (LlmGateway fresh = LlmGateway.builder(ws).registry(registry).keys(keys).build()) {
                    coldHitNs = hits(fresh, calls, cx);
                }
                // (c) sustained throughput, bare reference first
                double bareRate = throughput(load, concurrency, i -> bare(bare, server, "load bare " + i));
                int servedBefore = server.served();
                double gwRate = throughput(load, concurrency, i -> {
                    if (gw.call(request("load " + i), cx).cached()) {
                        throw new IllegalStateException("load " + i + " was answered from the cache");
                    }
                });
                int servedLoad = server.served() - servedBefore;
                double ideal = delayMs == 0 ? Double.NaN : concurrency * 1000.0 / delayMs;

                out.println();
                out.printf(Locale.ROOT, "%-44s %12s %12s%n", "latency per call (µs)", "median", "p95");
                row(out, "bare OkHttp call", bareNs);
                row(out, "gateway call (cache miss, stored)", gwNs);
                long[] diff = new long[calls];
                for (int i = 0; i < calls; i++) {
                    diff[i] = gwNs[i] - bareNs[i];
                }
                out.printf(Locale.ROOT, "%-44s %12.0f %12.0f%n", "  gateway overhead (median, p95 of a-b)",
                        pct(diff, 0.5) / 1e3, pct(diff, 0.95) / 1e3);
                row(out, "cache hit, same gateway", hitNs);
                row(out, "cache hit, fresh gateway (workspace file)", coldHitNs);
                out.println();
                out.printf(Locale.ROOT, "%-44s %12s %12s%n", "throughput at concurrency " + concurrency, "calls/s",
                        "of ideal");
                out.printf(Locale.ROOT, "%-44s %12.0f %11.1f%%%n", "bare OkHttp", bareRate, 100 * bareRate / ideal);
                out.printf(Locale.ROOT, "%-44s %12.0f %11.1f%%%n", "gateway (stored in the workspace)", gwRate,
                        100 * gwRate / ideal);
                out.printf(Locale.ROOT, "%-44s %12.0f%n", "ideal (" + concurrency + " / " + delayMs + " ms)", ideal);
                out.printf(Locale.ROOT, "%n%,d load calls, %,d served by the server; workspace holds %s%n", load,
                        servedLoad, ws.read(tx -> tx.llmCalls().countByStatus()));
                LlmCallRepository.Totals t = gw.totals(null);
                if (t.answered() != warmup + calls + load || servedLoad != load) {
                    out.println("FAIL: expected " + (warmup + calls + load) + " answered calls and " + load
                            + " served load calls");
                    return 1;
                }
            } finally {
                bare.dispatcher().executorService().shutdownNow();
                bare.connectionPool().evictAll();
            }
            return 0;
        } finally {
            if (tmp) {
                BenchCommand.ImportBench.deleteTree(work);
            }
        }
    }

    static ChatRequest request(String prompt) {
        return ChatRequest.of("bench", "bench-model", List.of(ChatMessage.system("You answer briefly."),
                ChatMessage.user(prompt))).withTemperature(0.0).withMaxTokens(16);
    }

    private static long[] hits(LlmGateway gw, int n, CallContext cx) {
        long[] ns = new long[n];
        for (int i = 0; i < n; i++) {
            ChatRequest r = request("latency " + i);
            long t0 = System.nanoTime();
            ChatResponse a = gw.call(r, cx);
            ns[i] = System.nanoTime() - t0;
            if (!a.cached()) {
                throw new IllegalStateException("latency " + i + " was not answered from the cache");
            }
        }
        return ns;
    }

    private static OkHttpClient bareClient(int concurrency) {
        Dispatcher d = new Dispatcher();
        d.setMaxRequests(Math.max(64, concurrency * 2));
        d.setMaxRequestsPerHost(Math.max(64, concurrency * 2));
        return new OkHttpClient.Builder().dispatcher(d)
                .connectionPool(new ConnectionPool(Math.max(5, concurrency * 2), 5, TimeUnit.MINUTES)).build();
    }

    private static void bare(OkHttpClient http, LocalChatServer server, String prompt) {
        String body = "{\"model\":\"bench-model\",\"messages\":[{\"role\":\"system\",\"content\":\"You answer briefly."
                + "\"},{\"role\":\"user\",\"content\":\"" + prompt + "\"}],\"temperature\":0.0,\"max_tokens\":16}";
        Request r = new Request.Builder().url(server.baseUrl() + "/chat/completions")
                .post(RequestBody.create(body, JSON_TYPE)).build();
        try (Response resp = http.newCall(r).execute()) {
            String s = resp.body().string();
            if (resp.code() != 200 || !s.contains("choices")) {
                throw new IllegalStateException("bare call failed: HTTP " + resp.code());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    interface IntCall {
        void call(int i) throws Exception;
    }

    /** Calls per second of {@code n} calls made by {@code threads} callers as fast as they can. */
    private static double throughput(int n, int threads, IntCall c) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        c.call(i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void row(PrintWriter out, String label, long[] ns) {
        out.printf(Locale.ROOT, "%-44s %12.0f %12.0f%n", label, pct(ns, 0.5) / 1e3, pct(ns, 0.95) / 1e3);
    }

    /** The {@code q}-quantile (nearest rank) of {@code v}. */
    static double pct(long[] v, double q) {
        long[] s = v.clone();
        Arrays.sort(s);
        int i = (int) Math.ceil(q * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, i))];
    }

    /**
     * A minimal OpenAI-compatible chat server on the loopback interface: every POST to {@code /v1/chat/completions}
     * is answered after {@code delayMs} with a short completion and its usage; one virtual thread per exchange.
     */
    static final class LocalChatServer implements AutoCloseable {

        private static final byte[] ANSWER = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"choices\":"
                + "[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Fine.\"},\"finish_reason\":"
                + "\"stop\"}],\"usage\":{\"prompt_tokens\":24,\"completion_tokens\":2,\"total_tokens\":26}}")
                .getBytes(StandardCharsets.UTF_8);

        private final HttpServer http;
        private final ExecutorService threads;
        private final AtomicInteger served = new AtomicInteger();
        private final AtomicLong bytesIn = new AtomicLong();

        private LocalChatServer(HttpServer http, ExecutorService threads) {
            this.http = http;
            this.threads = threads;
        }

        static LocalChatServer start(int delayMs) throws IOException {
            HttpServer h = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor();
            LocalChatServer s = new LocalChatServer(h, ex);
            h.setExecutor(ex);
            h.createContext("/v1/chat/completions", x -> {
                try (x) {
                    try (InputStream in = x.getRequestBody()) {
                        s.bytesIn.addAndGet(in.readAllBytes().length);
                    }
                    if (delayMs > 0) {
                        Thread.sleep(delayMs);
                    }
                    x.getResponseHeaders().set("Content-Type", "application/json");
                    x.sendResponseHeaders(200, ANSWER.length);
                    try (OutputStream o = x.getResponseBody()) {
                        o.write(ANSWER);
                    }
                    s.served.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            h.start();
            return s;
        }

        String baseUrl() {
            return "http://" + http.getAddress().getHostString() + ":" + http.getAddress().getPort() + "/v1";
        }

        int served() {
            return served.get();
        }

        @Override
        public void close() {
            http.stop(0);
            threads.shutdownNow();
        }
    }
}
