package org.personalab.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderRegistryTest {

    @TempDir
    Path home;

    @Test
    void builtInsCoverOpenAiTogetherAndLocalServers() {
        ProviderRegistry r = ProviderRegistry.load(home);
        assertEquals("https://api.openai.com/v1", r.get("openai").baseUrl());
        assertEquals("OPENAI_API_KEY", r.get("openai").apiKeyEnv());
        assertEquals("TOGETHER_API_KEY", r.get("together").apiKeyEnv());
        assertNull(r.get("ollama").apiKeyEnv());
        assertEquals(0.0, r.get("vllm").price("any-model").orElseThrow().cost(1_000_000, 1_000_000));
        assertTrue(r.get("openai").price("gpt-unknown").isEmpty(), "no guessed prices for cloud models");
    }

    @Test
    void theFileAddsProvidersAndChangesOnlyTheFieldsItGives() throws Exception {
        Files.writeString(home.resolve(ProviderRegistry.FILE), """
                {"providers": [
                  {"name": "together", "models": [{"model": "meta-llama/Llama-3.3-70B-Instruct-Turbo",
                     "inputPerMillion": 0.88, "outputPerMillion": 0.88}], "limits": {"maxConcurrent": 3,
                     "requestsPerMinute": 600}},
                  {"name": "lab", "baseUrl": "http://gpu1:8000/v1/", "free": true, "structuredOutput": "json_object",
                   "timeouts": {"connectSeconds": 2, "readSeconds": 600}}
                ]}""");
        ProviderRegistry r = ProviderRegistry.load(home);
        Provider t = r.get("together");
        assertEquals("https://api.together.xyz/v1", t.baseUrl());
        assertEquals("TOGETHER_API_KEY", t.apiKeyEnv());
        assertEquals(new Limits(3, 600, 0), t.limits());
        assertEquals(0.88 * 2, t.price("meta-llama/Llama-3.3-70B-Instruct-Turbo").orElseThrow()
                .cost(1_000_000, 1_000_000), 1e-12);
        Provider lab = r.get("lab");
        assertEquals("http://gpu1:8000/v1", lab.baseUrl());
        assertEquals(StructuredMode.JSON_OBJECT, lab.structured());
        assertEquals(Duration.ofSeconds(600), lab.timeouts().read());
        assertEquals(Duration.ofSeconds(2), lab.timeouts().connect());
        assertEquals(Timeouts.DEFAULT.call(), lab.timeouts().call());
        assertTrue(r.get("openai").baseUrl().startsWith("https://"));
    }

    @Test
    void badFilesAreRefusedNamingTheFileAndField() throws Exception {
        Path f = home.resolve(ProviderRegistry.FILE);
        String[][] cases = {
            {"{\"providers\": [{\"name\": \"x\"}]}", "providers[0]: baseUrl: missing"},
            {"{\"providers\": [{\"name\": \"x\", \"baseUrl\": \"ftp://h\"}]}", "must start with http"},
            {"{\"providers\": [{\"name\": \"openai\", \"limits\": {\"maxConcurrent\": -1}}]}",
                "limits.maxConcurrent: expected a whole number"},
            {"{\"providers\": [{}, {\"name\": \"openai\", \"models\": [{\"model\": \"m\", \"inputPerMillion\": 1}]}]}",
                "providers[0]: name: missing"},
            {"{\"providers\": [{\"name\": \"openai\", \"models\": [{\"model\": \"m\", \"inputPerMillion\": 1}]}]}",
                "models[0].outputPerMillion: expected a number"},
            {"{\"providers\": [{\"name\": \"openai\", \"apiKey\": \"sk-123\"}]}", "never here"},
            {"{\"providers\": [{\"name\": \"openai\", \"apiKeyEnv\": \"sk-123\"}]}", "not an environment variable"},
            {"{\"providers\": [\n{\"name\": \"openai\",,}]}", "line 2, column"},
            {"[]", "expected {\"providers\": [...]}"},
        };
        for (String[] c : cases) {
            Files.writeString(f, c[0]);
            LlmException e = assertThrows(LlmException.class, () -> ProviderRegistry.load(home), c[0]);
            assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
            assertTrue(!e.getMessage().contains("sk-123") || c[1].equals("not an environment variable"),
                    e.getMessage());
        }
    }

    @Test
    void commandLineOverridesChangeOrAddAProvider() {
        ProviderRegistry r = ProviderRegistry.builtIn();
        ProviderRegistry a = r.with(new ProviderOverride(null, "http://localhost:9000/v1", "MY_KEY", "qwen"));
        assertEquals("http://localhost:9000/v1", a.get("custom").baseUrl());
        assertEquals("MY_KEY", a.get("custom").apiKeyEnv());
        ProviderRegistry b = r.with(new ProviderOverride("openai", "https://proxy.example/v1", null, null));
        assertEquals("https://proxy.example/v1", b.get("openai").baseUrl());
        assertEquals("OPENAI_API_KEY", b.get("openai").apiKeyEnv());
        LlmException e = assertThrows(LlmException.class,
                () -> r.with(new ProviderOverride("nowhere", null, null, null)));
        assertTrue(e.getMessage().contains("give --base-url"), e.getMessage());
        LlmException u = assertThrows(LlmException.class, () -> r.get("nope"));
        assertTrue(u.getMessage().contains("openai"), u.getMessage());
    }

    @Test
    void savedProvidersReadBackTheSameAndUnchangedBuiltInsAreNotWritten() throws Exception {
        Provider lab = Provider.of("lab", "http://gpu1:8000/v1", "LAB_KEY")
                .withModel(new ModelPrice("qwen-7b", 0.1, 0.2)).withModel(new ModelPrice("qwen-72b", 0.9, 0.9))
                .withLimits(new Limits(16, 600, 100_000)).withStructured(StructuredMode.JSON_OBJECT)
                .withBatchPriceFactor(0.25)
                .withTimeouts(new Timeouts(Duration.ofMillis(1500), Duration.ofSeconds(90), Duration.ZERO));
        Provider openai = ProviderRegistry.builtIn().get("openai").withEndpoint("https://proxy.example/v1", null)
                .withDefaultPrice(new ModelPrice("*", 3, 9));
        Provider ollama = ProviderRegistry.builtIn().get("ollama").withDefaultPrice(null);
        java.util.List<Provider> all = new java.util.ArrayList<>(ProviderRegistry.builtIn().all());
        all.replaceAll(p -> p.name().equals("openai") ? openai : p.name().equals("ollama") ? ollama : p);
        all.add(lab);

        ProviderRegistry.save(home, all);

        Path f = home.resolve(ProviderRegistry.FILE);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(f)));
        var written = new com.fasterxml.jackson.databind.ObjectMapper().readTree(f.toFile()).get("providers");
        assertEquals(3, written.size(), "only openai, ollama and lab differ from the built-ins: " + written);
        ProviderRegistry back = ProviderRegistry.load(home);
        assertEquals(lab, back.get("lab"));
        assertEquals(openai, back.get("openai"));
        assertNull(back.get("openai").apiKeyEnv(), "a removed key variable stays removed");
        assertEquals(ollama, back.get("ollama"));
        assertTrue(back.get("ollama").price("x").isEmpty());
        assertEquals(ProviderRegistry.builtIn().get("together"), back.get("together"));
        assertEquals(0.25 * 0.9, back.get("lab").batchPrice("qwen-72b").orElseThrow().inputPerMillion(), 1e-12);

        Files.writeString(f, "{\"providers\": [{\"name\": \"openai\", \"batchPriceFactor\": \"half\"}]}");
        LlmException e = assertThrows(LlmException.class, () -> ProviderRegistry.load(home));
        assertTrue(e.getMessage().contains("providers[0]: batchPriceFactor: expected a number"), e.getMessage());
    }

    @Test
    void theBatchApiCapabilityIsExplicitAndAFileWithoutItKeepsTheKeyVariableDefault() throws Exception {
        ProviderRegistry b = ProviderRegistry.builtIn();
        assertTrue(b.get("openai").batchApi());
        assertTrue(b.get("together").batchApi());
        for (String local : new String[] {"vllm", "ollama", "llamacpp", "lmstudio"}) {
            assertFalse(b.get(local).batchApi(), local);
        }
        // written before the field existed: new entries follow the key variable, built-ins keep theirs unless the
        // entry changes their key variable
        Files.writeString(home.resolve(ProviderRegistry.FILE), """
                {"providers": [
                  {"name": "gateway", "baseUrl": "https://llm.lab.example/v1", "apiKeyEnv": "LAB_KEY"},
                  {"name": "lab", "baseUrl": "http://gpu1:8000/v1", "free": true},
                  {"name": "openai", "limits": {"maxConcurrent": 2}},
                  {"name": "vllm", "apiKeyEnv": "VLLM_KEY"},
                  {"name": "together", "apiKeyEnv": null}
                ]}""");
        ProviderRegistry old = ProviderRegistry.load(home);
        assertTrue(old.get("gateway").batchApi(), "a new provider with a key variable: hosted, with batches");
        assertFalse(old.get("lab").batchApi(), "a new provider without one: a local server");
        assertTrue(old.get("openai").batchApi(), "a built-in keeps its capability when its key is not changed");
        assertTrue(old.get("vllm").batchApi(), "given a key variable, as before the field existed");
        assertFalse(old.get("together").batchApi(), "its key variable removed, as before the field existed");

        // the explicit field wins over the key variable both ways
        Files.writeString(home.resolve(ProviderRegistry.FILE), """
                {"providers": [
                  {"name": "keyed-vllm", "baseUrl": "http://gpu1:8000/v1", "apiKeyEnv": "LAB_KEY", "batchApi": false},
                  {"name": "groq-like", "baseUrl": "https://api.groq.example/v1", "apiKeyEnv": "GROQ_KEY",
                   "batchApi": false},
                  {"name": "batch-server", "baseUrl": "http://gpu2:8000/v1", "batchApi": true},
                  {"name": "openai", "batchApi": false},
                  {"name": "ollama", "batchApi": true}
                ]}""");
        ProviderRegistry r = ProviderRegistry.load(home);
        assertFalse(r.get("keyed-vllm").batchApi());
        assertFalse(r.get("groq-like").batchApi());
        assertTrue(r.get("batch-server").batchApi());
        assertFalse(r.get("openai").batchApi());
        assertEquals("OPENAI_API_KEY", r.get("openai").apiKeyEnv(), "only the field given changes");
        assertTrue(r.get("ollama").batchApi());

        Path f = home.resolve(ProviderRegistry.FILE);
        Files.writeString(f, "{\"providers\": [{\"name\": \"openai\", \"batchApi\": \"yes\"}]}");
        LlmException e = assertThrows(LlmException.class, () -> ProviderRegistry.load(home));
        assertTrue(e.getMessage().startsWith(f + ": providers[0]: batchApi: expected true or false"),
                e.getMessage());
    }

    @Test
    void theBatchApiCapabilityIsSavedAndReadBack() throws Exception {
        Provider keyedNoBatch = Provider.of("keyed-vllm", "http://gpu1:8000/v1", "LAB_KEY").withBatchApi(false)
                .withBatchPriceFactor(0.3);
        Provider keylessBatch = Provider.of("batch-server", "http://gpu2:8000/v1", null).withBatchApi(true);
        Provider vllm = ProviderRegistry.builtIn().get("vllm").withBatchApi(true);
        Provider openai = ProviderRegistry.builtIn().get("openai");
        ProviderRegistry.save(home, java.util.List.of(openai, vllm, keyedNoBatch, keylessBatch));

        var written = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(home.resolve(ProviderRegistry.FILE).toFile()).get("providers");
        assertEquals(3, written.size(), "an unchanged built-in is not written: " + written);
        assertEquals("vllm", written.get(0).get("name").asText(), "a changed capability is a change");
        assertTrue(written.get(0).get("batchApi").asBoolean());
        assertFalse(written.get(1).get("batchApi").asBoolean());
        assertTrue(written.get(2).get("batchApi").asBoolean());

        ProviderRegistry back = ProviderRegistry.load(home);
        assertEquals(keyedNoBatch, back.get("keyed-vllm"));
        assertEquals(keylessBatch, back.get("batch-server"));
        assertEquals(vllm, back.get("vllm"));
        assertEquals(openai, back.get("openai"));
    }

    @Test
    void aCommandLineProviderGetsTheDefaultOrTheBatchApiItIsGiven() {
        ProviderRegistry r = ProviderRegistry.builtIn();
        assertTrue(r.with(new ProviderOverride("a", "http://h:1/v1", "K", "m")).get("a").batchApi());
        assertFalse(r.with(new ProviderOverride("a", "http://h:1/v1", null, "m")).get("a").batchApi());
        assertFalse(r.with(new ProviderOverride("a", "http://h:1/v1", "K", "m", false)).get("a").batchApi());
        assertTrue(r.with(new ProviderOverride("a", "http://h:1/v1", null, "m", true)).get("a").batchApi());
        assertFalse(r.with(new ProviderOverride("vllm", null, "VLLM_KEY", "m")).get("vllm").batchApi(),
                "a key variable given on the command line does not change a configured capability");
        assertTrue(r.with(new ProviderOverride("vllm", null, null, "m", true)).get("vllm").batchApi());
        assertFalse(r.with(new ProviderOverride("openai", null, null, "m", false)).get("openai").batchApi());
        assertEquals("OPENAI_API_KEY", r.with(new ProviderOverride("openai", null, null, "m", false)).get("openai")
                .apiKeyEnv());
    }
}
