package org.personalab.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.cluster.Clustering;
import org.personalab.cluster.FeatureSpec;
import org.personalab.cluster.KMeansParams;
import org.personalab.cluster.SplitPlan;
import org.personalab.data.Responses;
import org.personalab.data.SyntheticParameters;
import org.personalab.data.SyntheticPopulation;
import org.personalab.llm.ApiKeys;
import org.personalab.llm.Limits;
import org.personalab.llm.LlmGateway;
import org.personalab.llm.ModelPrice;
import org.personalab.llm.Provider;
import org.personalab.llm.ProviderRegistry;
import org.personalab.llm.RetryPolicy;
import org.personalab.llm.Timeouts;
import org.personalab.spec.PromptTemplate;
import org.personalab.store.Workspace;
import org.personalab.task.TaskContext;

/**
 * A real workspace with a split set and a gateway against a real local HTTP server that writes specs
 * ({@link FakeSpecLlm}); the key comes from a fake environment.
 */
public abstract class SpecGenFixture {

    public static final String KEY = "sk-specgen-test-5e4d3c2b1a09";
    public static final String KEY_ENV = "PL_SPEC_KEY";
    /** The split set of {@link #workspaceWithSplit}: 2 clusters × (20 train + 5 test). */
    public static final String SPLIT = "s";
    public static final int TEST_PEOPLE = 10;
    public static final int TRAIN_PEOPLE = 40;
    /** Dollars per million prompt and completion tokens of model "m". */
    public static final double PRICE_IN = 1;
    public static final double PRICE_OUT = 2;

    @TempDir
    protected Path dir;

    protected MockWebServer server;
    protected FakeSpecLlm fake;
    protected Workspace ws;
    protected Provider provider;
    protected LlmGateway gw;

    @BeforeEach
    void startServer() throws Exception {
        fake = new FakeSpecLlm();
        server = new MockWebServer();
        server.setDispatcher(fake);
        server.start();
        ws = workspaceWithSplit(dir.resolve("ws"), 300);
        provider = Provider.of("fake", server.url("/v1").toString(), KEY_ENV)
                .withModel(new ModelPrice("m", PRICE_IN, PRICE_OUT)).withLimits(new Limits(3, 0, 0))
                .withTimeouts(new Timeouts(Duration.ofSeconds(2), Duration.ofMillis(700), Duration.ofSeconds(10)));
        gw = gateway(provider, fastRetries());
    }

    @AfterEach
    void stopServer() {
        gw.close();
        server.close();
    }

    static RetryPolicy fastRetries() {
        return new RetryPolicy(6, Duration.ofMillis(5), Duration.ofMillis(40), Duration.ofSeconds(5), 2);
    }

    protected LlmGateway gateway(Provider p, RetryPolicy policy) {
        return LlmGateway.builder(ws).registry(ProviderRegistry.builtIn().with(p))
                .keys(new ApiKeys(dir.resolve("settings/keys.json"), v -> v.equals(KEY_ENV) ? KEY : null))
                .retryPolicy(policy).circuitBreaker(5, Duration.ofMillis(300)).build();
    }

    /** {@code people} synthetic people ("syn"), a clustering "c2" (k = 2) and split set "s": 20 train, 5 test each. */
    public static Workspace workspaceWithSplit(Path wsDir, int people) {
        Workspace ws = Workspace.openOrCreate(wsDir);
        Responses r = SyntheticPopulation.generate(SyntheticParameters.bundled(), people, 11, TaskContext.none());
        new ImportService().importResponses(ws, r, "syn", "synthetic", "synthetic test people", Map.of(), 0,
                TaskContext.none());
        new ClusterService(ws).cluster(new ClusterService.Request("syn", "c2", FeatureSpec.DEFAULT,
                new KMeansParams(2, 1, 100, 1e-4, 3), new Clustering.Options(200, 0, 300)), TaskContext.none());
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("train", 20);
        counts.put("test", 5);
        new SplitService(ws).split(new SplitService.Request("c2", SPLIT, new SplitPlan.PerCluster(counts), 1),
                TaskContext.none());
        return ws;
    }

    protected SpecGenerationService service() {
        return new SpecGenerationService(ws, gw);
    }

    protected SpecGenerationService.Request request(String split) {
        return SpecGenerationService.Request.of(SplitSelection.resolve(ws, split),
                new SpecGenerationService.Engine("fake", "m"), PromptTemplate.defaultSpecPrompt());
    }

    /** Dollars of one answer as {@link FakeSpecLlm} reports its tokens. */
    public static double costPerAnswer() {
        return (FakeSpecLlm.PROMPT_TOKENS * PRICE_IN + FakeSpecLlm.COMPLETION_TOKENS * PRICE_OUT) / 1_000_000.0;
    }

    /** Every file under {@code root} whose bytes contain {@code secret}. */
    public static List<Path> filesContaining(Path root, String secret) throws IOException {
        List<Path> hits = new ArrayList<>();
        byte[] needle = secret.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                byte[] b = Files.readAllBytes(p);
                if (indexOf(b, needle) >= 0) {
                    hits.add(p);
                }
            }
        }
        return hits;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** A task context that records messages and progress and is cancelled by {@link #cancel()}. */
    protected static final class Recorder implements TaskContext {
        final List<String> messages = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile double done;
        volatile boolean cancelled;
        volatile java.util.function.DoubleConsumer onProgress = d -> { };

        @Override
        public void progress(double d, double total) {
            done = d;
            onProgress.accept(d);
        }

        @Override
        public void message(String message) {
            messages.add(message);
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        void cancel() {
            cancelled = true;
        }

        boolean said(String part) {
            synchronized (messages) {
                return messages.stream().anyMatch(m -> m.contains(part));
            }
        }
    }
}
