package org.personalab.ui.specs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.service.DemoWorkspace;
import org.personalab.service.SplitSelection;
import org.personalab.service.UserSettings;
import org.personalab.store.Workspace;
import org.personalab.task.CurrentThreadTaskExecutor;
import org.personalab.ui.UiTestData;
import org.personalab.ui.WorkbenchContext;

/**
 * The "Use Batch API" choice of the Generate tab, without a window: offered only for engines whose provider has the
 * Batch API (its {@code batchApi} setting, whatever its key variable says; not the template engine), carried by the
 * request when ticked, and the estimate at the provider's batch price.
 */
class SpecGenerationBatchViewModelTest {

    private Workspace ws;
    private SpecGenerationViewModel gen;

    @BeforeEach
    void open(@TempDir Path settings) throws Exception {
        // a hosted provider (it has a key variable) with a price and a batch factor of its own; nothing is sent
        Files.writeString(settings.resolve("providers.json"), """
                {"providers": [{"name": "hosted", "baseUrl": "http://127.0.0.1:9/v1", "apiKeyEnv": "PL_HOSTED_KEY",
                  "models": [{"model": "m", "inputPerMillion": 1, "outputPerMillion": 2}], "batchPriceFactor": 0.4},
                  {"name": "lab-vllm", "baseUrl": "http://127.0.0.1:9/v1", "free": true,
                  "models": [{"model": "qwen", "inputPerMillion": 0, "outputPerMillion": 0}]},
                  {"name": "keyed-vllm", "baseUrl": "http://127.0.0.1:9/v1", "apiKeyEnv": "PL_KEYED_VLLM_KEY",
                   "batchApi": false, "models": [{"model": "qwen", "inputPerMillion": 0, "outputPerMillion": 0}]},
                  {"name": "batch-server", "baseUrl": "http://127.0.0.1:9/v1", "batchApi": true,
                   "batchPriceFactor": 0.25,
                   "models": [{"model": "big", "inputPerMillion": 1, "outputPerMillion": 2}]}]}
                """);
        ws = Workspace.open(UiTestData.demoWorkspaceCopy());
        WorkbenchContext ctx = new WorkbenchContext(new CurrentThreadTaskExecutor(), WorkbenchContext.DIRECT,
                new UserSettings(settings));
        SpecEditorViewModel editor = new SpecEditorViewModel(ctx, 0);
        ctx.workspaceProperty().set(ws);
        editor.activate();
        gen = editor.generation();
        gen.refresh();
    }

    @AfterEach
    void close() {
        ws.close();
    }

    @Test
    void theBatchChoiceIsOfferedOnlyForProvidersWithABatchApiAndClearedForOthers() {
        assertEquals(SpecGenerationViewModel.TEMPLATE, gen.engineProperty().get());
        assertFalse(gen.batchAvailableProperty().get(), "the template engine has no Batch API");
        assertTrue(gen.engines().contains("hosted:m"), gen.engines().toString());

        gen.engineProperty().set("hosted:m");
        assertTrue(gen.batchAvailableProperty().get());
        gen.batchProperty().set(true);
        gen.engineProperty().set("openai:gpt-4o-mini"); // a built-in hosted API
        assertTrue(gen.batchAvailableProperty().get());
        assertTrue(gen.batchProperty().get(), "kept between engines that both have a Batch API");

        gen.engineProperty().set("lab-vllm:qwen");
        assertFalse(gen.batchAvailableProperty().get(), "a local server has no Batch API");
        assertFalse(gen.batchProperty().get(), "switched off with it");
        gen.engineProperty().set("ollama:llama3:8b");
        assertFalse(gen.batchAvailableProperty().get());
        gen.engineProperty().set(SpecGenerationViewModel.TEMPLATE);
        assertFalse(gen.batchAvailableProperty().get());
    }

    @Test
    void theChoiceFollowsTheProvidersBatchApiSettingNotItsKeyVariable() {
        gen.engineProperty().set("hosted:m");
        gen.batchProperty().set(true);
        gen.engineProperty().set("keyed-vllm:qwen");
        assertFalse(gen.batchAvailableProperty().get(), "a key variable but batchApi false: no Batch API");
        assertFalse(gen.batchProperty().get(), "switched off with it");

        gen.engineProperty().set("batch-server:big");
        assertTrue(gen.batchAvailableProperty().get(), "no key variable but batchApi true: Batch API offered");
        gen.batchProperty().set(true);
        SplitSelection people = SplitSelection.resolve(ws, DemoWorkspace.SPLIT_SET + ":test");
        assertTrue(gen.request(people).batch());
        gen.estimate();
        String status = gen.statusProperty().get();
        assertTrue(status.startsWith("Batch API (25 % of the list price, answers within 24 h): "), status);
    }

    @Test
    void theRequestCarriesBatchModeWhenTickedAndTheEstimateIsAtTheBatchPrice() {
        SplitSelection people = SplitSelection.resolve(ws, DemoWorkspace.SPLIT_SET + ":test");
        gen.engineProperty().set("hosted:m");
        assertFalse(gen.request(people).batch(), "live calls unless ticked");
        gen.estimate();
        String live = gen.statusProperty().get();
        assertTrue(live.startsWith(DemoWorkspace.SPEC_PEOPLE + " requests to send"), live);

        gen.batchProperty().set(true);
        assertTrue(gen.request(people).batch(), "ticked: the request goes through the Batch API");
        gen.estimate();
        String batch = gen.statusProperty().get();
        assertTrue(batch.startsWith("Batch API (40 % of the list price, answers within 24 h): "
                + DemoWorkspace.SPEC_PEOPLE + " requests to send"), batch);
        assertEquals(dollars(live) * 0.4, dollars(batch), 1e-4, live + " / " + batch);

        gen.engineProperty().set("lab-vllm:qwen");
        gen.batchProperty().set(true); // what a stale binding might try: the request still goes live
        assertFalse(gen.request(people).batch());
    }

    private static double dollars(String status) {
        Matcher m = Pattern.compile("~\\$([0-9.]+)").matcher(status);
        assertTrue(m.find(), status);
        return Double.parseDouble(m.group(1));
    }
}
