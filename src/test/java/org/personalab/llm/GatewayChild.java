package org.personalab.llm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.personalab.store.Workspace;
import org.personalab.task.Failures;
import org.personalab.task.RunRecord;
import org.personalab.task.TaskContext;

/**
 * A child JVM for the crash-resume and key-secrecy tests: runs {@code n} distinct requests through a gateway against
 * {@code baseUrl} on {@code threads} threads, as one journaled run. The key comes from the environment variable
 * {@value #KEY_ENV} (set by the parent's ProcessBuilder), else from keys.json in {@code personalab.home}.
 *
 * <p>Prints "answered i" per answer, failures as a logger would (message and stack trace on stderr), then
 * "DONE paid=P cached=C failed=F".
 */
public final class GatewayChild {

    static final String KEY_ENV = "PL_CHILD_KEY";
    static final String PROVIDER = "child";

    private GatewayChild() {
    }

    static Provider provider(String baseUrl) {
        return Provider.of(PROVIDER, baseUrl, KEY_ENV).withModel(new ModelPrice("m", 1, 2)).withLimits(
                new Limits(4, 0, 0)).withTimeouts(new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5),
                        Duration.ofSeconds(20)));
    }

    static ChatRequest request(int i) {
        return ChatRequest.of(PROVIDER, "m", List.of(ChatMessage.system("Answer briefly."),
                ChatMessage.user("question " + i))).withTemperature(1.0).withMaxTokens(50);
    }

    public static void main(String[] args) throws Exception {
        Path wsDir = Path.of(args[0]);
        String baseUrl = args[1];
        int n = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        Workspace ws = Workspace.openOrCreate(wsDir);
        Path home = Path.of(System.getProperty("personalab.home"));
        ProviderRegistry reg = ProviderRegistry.load(home).with(provider(baseUrl));
        RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(5), 1);
        long runId = ws.write(tx -> tx.runs().start("llm-child", "child run", "{\"n\":" + n + "}", "{}"));
        AtomicInteger paid = new AtomicInteger();
        AtomicInteger cached = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (LlmGateway gw = LlmGateway.builder(ws).registry(reg).keys(ApiKeys.in(home)).retryPolicy(policy)
                .circuitBreaker(1000, Duration.ofSeconds(1)).build()) {
            CallContext cx = CallContext.of(TaskContext.none()).withRun(runId);
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                fs.add(pool.submit(() -> {
                    try {
                        ChatResponse r = gw.call(request(k), cx);
                        (r.cached() ? cached : paid).incrementAndGet();
                        System.out.println("answered " + k + ": " + r.text());
                    } catch (LlmException e) {
                        failed.incrementAndGet();
                        System.err.println("request " + k + " failed: " + Failures.describe(e));
                        e.printStackTrace();
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        ws.write(tx -> {
            tx.runs().finish(runId, RunRecord.SUCCEEDED, "{}", null);
            return null;
        });
        System.out.println("DONE paid=" + paid + " cached=" + cached + " failed=" + failed);
        System.out.flush();
        System.exit(0);
    }
}
