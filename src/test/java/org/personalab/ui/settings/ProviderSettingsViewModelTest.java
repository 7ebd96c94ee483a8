package org.personalab.ui.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.llm.ApiKeys;
import org.personalab.llm.Provider;
import org.personalab.llm.ProviderRegistry;
import org.personalab.service.UserSettings;
import org.personalab.task.CurrentThreadTaskExecutor;
import org.personalab.ui.WorkbenchContext;

/**
 * The "Supports Batch API" setting of the provider form, without a window: shown as the provider has it, saved to
 * {@code providers.json} both ways, and the batch price checked and saved only when the provider supports batches.
 */
class ProviderSettingsViewModelTest {

    @TempDir
    Path home;

    private ProviderSettingsViewModel vm;

    @BeforeEach
    void open() throws Exception {
        Files.writeString(home.resolve(ProviderRegistry.FILE), """
                {"providers": [{"name": "keyed-vllm", "baseUrl": "http://gpu1:8000/v1", "apiKeyEnv": "LAB_KEY",
                  "batchApi": false, "batchPriceFactor": 0.7}]}""");
        WorkbenchContext ctx = new WorkbenchContext(new CurrentThreadTaskExecutor(), WorkbenchContext.DIRECT,
                new UserSettings(home));
        vm = new ProviderSettingsViewModel(ctx, home, new ApiKeys(home.resolve("keys.json"), v -> null));
    }

    private void select(String name) {
        vm.selectedProperty().set(vm.providers().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow());
    }

    @Test
    void theCheckboxShowsTheProvidersSettingAndIsSavedBothWays() {
        select("openai");
        assertTrue(vm.batchApiProperty().get(), "the built-in OpenAI entry has the Batch API");
        select("ollama");
        assertFalse(vm.batchApiProperty().get());
        select("keyed-vllm");
        assertFalse(vm.batchApiProperty().get(), "a key variable does not tick it: the file says false");
        assertEquals("0.7", vm.batchPriceFactorProperty().get());

        vm.batchApiProperty().set(true);
        assertTrue(vm.dirtyProperty().get());
        vm.batchPriceFactorProperty().set("0.4");
        assertTrue(vm.save(), vm.problemProperty().get());
        Provider saved = ProviderRegistry.load(home).get("keyed-vllm");
        assertTrue(saved.batchApi());
        assertEquals(0.4, saved.batchPriceFactor());

        select("openai");
        vm.batchApiProperty().set(false);
        assertTrue(vm.save(), vm.problemProperty().get());
        Provider openai = ProviderRegistry.load(home).get("openai");
        assertFalse(openai.batchApi(), "a built-in's capability can be switched off");
        assertEquals("OPENAI_API_KEY", openai.apiKeyEnv());
    }

    @Test
    void theBatchPriceIsCheckedAndSavedOnlyWhenTheProviderSupportsBatches() {
        select("keyed-vllm");
        vm.batchApiProperty().set(true);
        vm.batchPriceFactorProperty().set("half");
        assertEquals("Batch price: 'half' is not a number (share of the list price, e.g. 0.5)",
                vm.problemProperty().get());
        assertFalse(vm.save(), "an invalid form is not saved");
        vm.batchPriceFactorProperty().set("11");
        assertTrue(vm.problemProperty().get().startsWith("Batch price: "), vm.problemProperty().get());

        vm.batchApiProperty().set(false);
        assertEquals("", vm.problemProperty().get(), "without the Batch API the batch price is not asked for");
        assertTrue(vm.save());
        Provider saved = ProviderRegistry.load(home).get("keyed-vllm");
        assertFalse(saved.batchApi());
        assertEquals(0.7, saved.batchPriceFactor(), "kept as it was, not the text typed while it did not apply");
        assertEquals("0.7", vm.batchPriceFactorProperty().get(), "the form shows what was saved");
    }

    @Test
    void aNewProviderStartsWithoutTheBatchApi() {
        vm.add();
        assertFalse(vm.batchApiProperty().get(), "a new provider is a local server until said otherwise");
        vm.nameProperty().set("lab-gateway");
        vm.keyEnvProperty().set("LAB_GATEWAY_KEY");
        vm.batchApiProperty().set(true);
        assertTrue(vm.save(), vm.problemProperty().get());
        assertTrue(ProviderRegistry.load(home).get("lab-gateway").batchApi());
    }
}
