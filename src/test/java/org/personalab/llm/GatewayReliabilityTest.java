package org.personalab.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;
import org.personalab.store.LlmCallRepository;
import org.personalab.task.BackgroundTask;
import org.personalab.task.TaskState;

/**
 * Retries, Retry-After, timeouts, truncated bodies, the circuit breaker, cancellation and limits, against a real local
 * HTTP server.
 */
class GatewayReliabilityTest extends GatewayFixture {

    @Test
    void honoursRetryAfterOn429() {
        fake.script = ex -> ex.forPrompt() == 1
                ? new MockResponse.Builder().code(429).setHeader("Retry-After", "1")
                        .body("{\"error\":{\"message\":\"Rate limit reached\"}}").build()
                : FakeLlm.ok("later");
        List<String> messages = new ArrayList<>();
        long t0 = System.nanoTime();
        ChatResponse r = gw.call(req("rl"), CallContext.of(new RecordingContext(messages)));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("later", r.text());
        assertEquals(2, fake.total.get());
        assertTrue(ms >= 950, "waited the second the server asked for, not the 5 ms backoff: " + ms);
        assertTrue(messages.stream().anyMatch(m -> m.contains("HTTP 429") && m.contains("Rate limit")),
                messages::toString);
        assertEquals(CircuitBreaker.State.CLOSED, gw.circuit("fake"));
    }

    @Test
    void aRetryAfterLongerThanAllowedGivesUpInsteadOfHanging() {
        fake.script = ex -> new MockResponse.Builder().code(429).setHeader("Retry-After", "3600").body("slow down")
                .build();
        LlmException e = assertThrows(LlmException.class, () -> gw.call(req("rl"), CallContext.of(null)));
        assertTrue(e.getMessage().contains("3600 s"), e.getMessage());
        assertEquals(1, fake.total.get());
    }

    @Test
    void aBurstOf500sIsRetriedWithBackoffAndThenSucceeds() {
        fake.script = ex -> ex.forPrompt() <= 3 ? FakeLlm.error(500 + ex.forPrompt(), "overloaded")
                : FakeLlm.ok("fine");
        assertEquals("fine", gw.call(req("burst"), CallContext.of(null)).text());
        assertEquals(4, fake.total.get());
        assertEquals(CircuitBreaker.State.CLOSED, gw.circuit("fake"));
    }

    @Test
    void givesUpAfterMaxAttemptsThenTheCircuitOpensAndLaterRecovers() throws Exception {
        fake.script = ex -> FakeLlm.error(503, "down");
        LlmException e = assertThrows(LlmException.class, () -> gw.call(req("a"), CallContext.of(null)));
        assertTrue(e.getMessage().startsWith("fake / m: HTTP 503: down (gave up after 4 tries)"),
                e.getMessage());
        assertEquals(4, fake.total.get());
        LlmCallRepository.StoredCall err = row(req("a"));
        assertEquals(LlmCallRepository.ERROR, err.status());
        assertTrue(err.response().contains("HTTP 503"), err.response());
        // the fifth consecutive failure opens the circuit
        LlmException.CircuitOpen open = assertThrows(LlmException.CircuitOpen.class,
                () -> gw.call(req("b"), CallContext.of(null)));
        assertTrue(open.getMessage().contains("circuit open"), open.getMessage());
        assertEquals(5, fake.total.get());
        assertThrows(LlmException.CircuitOpen.class, () -> gw.call(req("c"), CallContext.of(null)));
        assertEquals(5, fake.total.get(), "an open circuit sends nothing");
        assertEquals(CircuitBreaker.State.OPEN, gw.circuit("fake"));
        Thread.sleep(450);
        fake.script = ex -> FakeLlm.ok("back");
        assertEquals("back", gw.call(req("c"), CallContext.of(null)).text());
        assertEquals(CircuitBreaker.State.CLOSED, gw.circuit("fake"));
        assertEquals(LlmCallRepository.OK, row(req("c")).status());
    }

    @Test
    void otherClientErrorsAreNotRetried() {
        for (int code : new int[] {400, 401, 404}) {
            fake.script = ex -> FakeLlm.error(code, "no such thing");
            int before = fake.total.get();
            LlmException.HttpStatus e = assertThrows(LlmException.HttpStatus.class,
                    () -> gw.call(req("bad" + code), CallContext.of(null)));
            assertEquals(code, e.status());
            assertTrue(e.getMessage().contains("fake / m: HTTP " + code + ": no such thing"), e.getMessage());
            assertEquals(before + 1, fake.total.get());
        }
        assertEquals(CircuitBreaker.State.CLOSED, gw.circuit("fake"));
    }

    @Test
    void aSlowResponseTimesOutAndIsRetried() {
        fake.script = ex -> ex.forPrompt() == 1
                ? new MockResponse.Builder().headersDelay(3, TimeUnit.SECONDS).body("{}").build()
                : FakeLlm.ok("quick");
        List<String> messages = new ArrayList<>();
        assertEquals("quick", gw.call(req("slow"), CallContext.of(new RecordingContext(messages))).text());
        assertEquals(2, fake.total.get());
        assertTrue(messages.stream().anyMatch(m -> m.contains("timed out")), messages::toString);
    }

    @Test
    void whenEveryTryTimesOutTheErrorSaysSo() {
        fake.script = ex -> new MockResponse.Builder().headersDelay(3, TimeUnit.SECONDS).body("{}").build();
        gw.close();
        gw = gateway(provider, new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofSeconds(5),
                0));
        LlmException e = assertThrows(LlmException.class, () -> gw.call(req("slow"), CallContext.of(null)));
        assertTrue(e.getMessage().startsWith("fake / m: timed out")
                && e.getMessage().endsWith("(gave up after 2 tries)"),
                e.getMessage());
    }

    @Test
    void aTruncatedBodyIsRetried() {
        String full = FakeLlm.ok("complete answer").getBody().toString();
        assertNotNull(full);
        fake.script = ex -> switch (ex.forPrompt()) {
            // the connection drops half way through the body
            case 1 -> new MockResponse.Builder(FakeLlm.ok("x".repeat(4000)))
                    .onResponseBody(SocketEffect.ShutdownConnection.INSTANCE).build();
            // a complete HTTP response whose JSON is cut off
            case 2 -> new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                    .body("{\"choices\":[{\"message\":{\"content\":\"par").build();
            default -> FakeLlm.ok("complete answer");
        };
        List<String> messages = new ArrayList<>();
        ChatResponse r = gw.call(req("trunc"), CallContext.of(new RecordingContext(messages)));
        assertEquals("complete answer", r.text());
        assertEquals(3, fake.total.get());
        assertTrue(messages.stream().anyMatch(m -> m.contains("unreadable response body")), messages::toString);
    }

    @Test
    void cancellingTheTaskCancelsTheCallInFlight() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        fake.script = ex -> {
            arrived.countDown();
            return new MockResponse.Builder().headersDelay(8, TimeUnit.SECONDS).body("{}").build();
        };
        gw.close();
        gw = gateway(provider.withTimeouts(new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(30),
                Duration.ofSeconds(60))), RetryPolicy.DEFAULT);
        BackgroundTask<ChatResponse> task = BackgroundTask.of("call", ctx -> gw.call(req("long"), CallContext.of(ctx)));
        Thread t = new Thread(task::run);
        t.start();
        assertTrue(arrived.await(5, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        task.cancel();
        assertTrue(task.await(2, TimeUnit.SECONDS), "the call stopped at once, not after the server's 8 s");
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 1500);
        assertEquals(TaskState.CANCELLED, task.state());
        assertEquals(1, fake.total.get());
        assertTrue(ws.read(tx -> tx.llmCalls().find(RequestHash.of(req("long")))).isEmpty(),
                "a cancelled call is neither an answer nor an error");
        assertEquals(CircuitBreaker.State.CLOSED, gw.circuit("fake"));
    }

    @Test
    void cancellingStopsAWaitBetweenRetries() throws Exception {
        fake.script = ex -> new MockResponse.Builder().code(429).setHeader("Retry-After", "60").body("wait").build();
        gw.close();
        gw = gateway(provider, new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(5), Duration.ofMinutes(5),
                0));
        BackgroundTask<ChatResponse> task = BackgroundTask.of("call", ctx -> gw.call(req("w"), CallContext.of(ctx)));
        Thread t = new Thread(task::run);
        t.start();
        while (fake.total.get() == 0) {
            Thread.sleep(10);
        }
        Thread.sleep(100);
        task.cancel();
        assertTrue(task.await(2, TimeUnit.SECONDS));
        assertEquals(TaskState.CANCELLED, task.state());
        assertEquals(1, fake.total.get());
    }

    @Test
    void theConcurrencyLimitHoldsUnderLoad() throws Exception {
        gw.close();
        gw = gateway(provider.withLimits(new Limits(2, 0, 0)), RetryPolicy.DEFAULT);
        fake.delayMs = 100;
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<ChatResponse>> fs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int k = i;
                fs.add(pool.submit(() -> gw.call(req("c" + k), CallContext.of(null))));
            }
            for (Future<ChatResponse> f : fs) {
                f.get(20, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(6, fake.total.get());
        assertEquals(2, fake.maxInFlight.get());
    }
}