package org.personalab.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.personalab.data.DatasetInfo;
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
import org.personalab.store.Workspace;
import org.personalab.task.TaskContext;

/** A workspace with a synthetic dataset and template specs for its first people, and a gateway to a fake model. */
final class SimulationFixture {

    static final String DATASET = "sim-people";
    static final String KEY = "sk-sim-test-5a4b3c2d1e";
    static final String KEY_ENV = "PL_SIM_KEY";

    private SimulationFixture() {
    }

    /** {@code people} synthetic respondents and template specs for the first {@code agents}; returns the spec run. */
    static long workspace(Workspace ws, int people, int agents) {
        Responses r = SyntheticPopulation.generate(SyntheticParameters.bundled(), people, 11, TaskContext.none());
        new ImportService().importResponses(ws, r, DATASET, "synthetic", "synthetic test population", Map.of(), 0,
                TaskContext.none());
        DatasetInfo d = ws.read(tx -> tx.datasets().find(DATASET)).orElseThrow();
        return SpecService.generateTemplate(ws, d, agents, TaskContext.none()).runId();
    }

    static Provider provider(String baseUrl) {
        return Provider.of("fake", baseUrl, KEY_ENV).withModel(new ModelPrice("m", 1000, 2000))
                .withLimits(new Limits(4, 0, 0))
                .withTimeouts(new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(20)));
    }

    static LlmGateway gateway(Workspace ws, String baseUrl, Path settings) {
        return LlmGateway.builder(ws).registry(ProviderRegistry.builtIn().with(provider(baseUrl)))
                .keys(new ApiKeys(settings.resolve("keys.json"), v -> v.equals(KEY_ENV) ? KEY : null))
                .retryPolicy(new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(5),
                        1))
                .circuitBreaker(1000, Duration.ofSeconds(1)).build();
    }
}
