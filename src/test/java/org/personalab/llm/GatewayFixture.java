package org.personalab.llm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.store.LlmCallRepository;
import org.personalab.store.Workspace;

/**
 * A gateway on a fresh workspace against a real local HTTP server ({@link FakeLlm}); its key comes from a fake
 * environment.
 */
abstract class GatewayFixture {

    static final String KEY = "sk-test-9f8e7d6c5b4a";

    @TempDir
    Path dir;

    MockWebServer server;
    FakeLlm fake;
    Workspace ws;
    LlmGateway gw;
    Provider provider;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeLlm();
        server = new MockWebServer();
        server.setDispatcher(fake);
        server.start();
        ws = Workspace.openOrCreate(dir.resolve("ws"));
        provider = Provider.of("fake", server.url("/v1").toString(), "PL_FAKE_KEY")
                .withModel(new ModelPrice("m", 1000, 2000))
                .withTimeouts(new Timeouts(Duration.ofSeconds(2), Duration.ofMillis(700), Duration.ofSeconds(10)));
        gw = gateway(provider, new RetryPolicy(4, Duration.ofMillis(5), Duration.ofMillis(40), Duration.ofSeconds(5),
                2));
    }

    LlmGateway gateway(Provider p, RetryPolicy policy) {
        return LlmGateway.builder(ws).registry(ProviderRegistry.builtIn().with(p))
                .keys(new ApiKeys(dir.resolve("settings/keys.json"), v -> v.equals("PL_FAKE_KEY") ? KEY : null))
                .retryPolicy(policy).circuitBreaker(5, Duration.ofMillis(400)).build();
    }

    @AfterEach
    void stop() {
        gw.close();
        server.close();
    }

    static ChatRequest req(String prompt) {
        return ChatRequest.of("fake", "m", List.of(ChatMessage.system("You are terse."), ChatMessage.user(prompt)))
                .withTemperature(0.7).withMaxTokens(100);
    }

    LlmCallRepository.StoredCall row(ChatRequest r) {
        return ws.read(tx -> tx.llmCalls().find(RequestHash.of(r))).orElseThrow();
    }

    /** A task context that records its messages. */
    record RecordingContext(List<String> messages) implements org.personalab.task.TaskContext {
        @Override
        public void progress(double done, double total) {
        }

        @Override
        public void message(String message) {
            synchronized (messages) {
                messages.add(message);
            }
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    }
}