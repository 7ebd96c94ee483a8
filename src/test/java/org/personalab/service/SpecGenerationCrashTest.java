package org.personalab.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.Main;
import org.personalab.llm.ApiKeys;
import org.personalab.llm.LlmGateway;
import org.personalab.llm.ProviderRegistry;
import org.personalab.llm.RequestHash;
import org.personalab.spec.PromptTemplate;
import org.personalab.task.TaskContext;
import org.personalab.store.LlmCallRepository;
import org.personalab.store.Workspace;
import org.personalab.task.RunRecord;
import org.personalab.support.ProcessOutput;

/**
 * The real command line, killed (SIGKILL of its JVM) while a generation is storing specs, then run again with the same
 * command: the same run continues, and no request whose answer was received before the kill is sent again (counted on
 * the server, per request). The key, given through the environment, is in no file the runs wrote.
 */
class SpecGenerationCrashTest {

    static final String KEY = "sk-crash-spec-key-7f6e5d4c3b2a";
    static final String KEY_ENV = "PL_CHILD_SPEC_KEY";
    static final int CONCURRENCY = 3;

    @TempDir
    Path dir;

    @Test
    void aKilledGenerationResumesWithTheSameCommandAndPaysForNoAnswerTwice() throws Exception {
        FakeSpecLlm fake = new FakeSpecLlm();
        fake.delayMs = 60;
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(fake);
            server.start();
            String url = server.url("/v1").toString();
            Path wsDir = dir.resolve("ws");
            SpecGenFixture.workspaceWithSplit(wsDir, 300);
            Path home = dir.resolve("home");
            Files.createDirectories(home);
            Files.writeString(home.resolve("providers.json"), "{\"providers\": [{\"name\": \"child\", \"baseUrl\": \""
                    + url + "\", \"models\": [{\"model\": \"m\", \"inputPerMillion\": 1, \"outputPerMillion\": 2}], "
                    + "\"limits\": {\"maxConcurrent\": " + CONCURRENCY + "}}]}");
            List<String> command = List.of("specs", "generate", "--workspace", wsDir.toString(), "--split",
                    SpecGenFixture.SPLIT + ":train", "--engine", "child:m", "--base-url", url, "--api-key-env", KEY_ENV,
                    "--samples", "2");
            int expected = SpecGenFixture.TRAIN_PEOPLE * 2;

            Process first = child(home, command);
            ProcessOutput out1 = ProcessOutput.of(first);
            Workspace ws = Workspace.open(wsDir);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (stored(ws) < 20) {
                assertTrue(first.isAlive(), "the child ended before it could be killed:\n" + out1);
                assertTrue(System.nanoTime() < deadline, "no progress:\n" + out1);
                Thread.sleep(5);
            }
            first.destroyForcibly();
            assertTrue(first.waitFor(20, TimeUnit.SECONDS));
            out1.join();
            assertFalse(out1.text().contains("paid now"), "killed before the end:\n" + out1);

            Workspace after = Workspace.open(wsDir); // a new session: the killed run is marked interrupted
            assertEquals("ok", after.integrityCheck());
            RunRecord killed = after.read(tx -> tx.runs().list()).getFirst();
            assertEquals(RunRecord.FAILED, killed.status());
            assertTrue(killed.error().startsWith("interrupted"), killed.error());
            int storedBeforeKill = after.read(tx -> tx.specs().countOriginals(killed.id()));
            Set<String> answeredBeforeKill = answered(after, home);
            assertTrue(storedBeforeKill >= 20 && storedBeforeKill < expected, "killed mid-run: " + storedBeforeKill);
            assertTrue(answeredBeforeKill.size() >= storedBeforeKill);

            Process second = child(home, command);
            ProcessOutput out2 = ProcessOutput.of(second);
            assertTrue(second.waitFor(90, TimeUnit.SECONDS), "the resumed run ended");
            out2.join();
            assertEquals(0, second.exitValue(), out2.text());
            assertTrue(out2.text().contains("Run " + killed.id() + " (resumed): " + expected + " of " + expected
                    + " specs stored"), out2.text());

            RunRecord done = after.read(tx -> tx.runs().get(killed.id())).orElseThrow();
            assertEquals(RunRecord.SUCCEEDED, done.status());
            assertEquals(expected, (int) after.read(tx -> tx.specs().countOriginals(killed.id())));
            int duplicates = 0;
            for (var e : fake.served.entrySet()) {
                if (answeredBeforeKill.contains(e.getKey())) {
                    assertEquals(1, e.getValue().get(), "an answer received before the kill was never paid again");
                }
                duplicates += e.getValue().get() - 1;
            }
            assertEquals(expected, fake.served.size());
            assertTrue(duplicates <= CONCURRENCY, "only what was in flight at the kill was sent again: "
                    + duplicates);
            assertEquals(expected + duplicates, fake.total.get());
            JsonNode outputs = Json.MAPPER.readTree(done.outputs());
            assertEquals(expected, outputs.path("specs").asInt());
            assertEquals(expected * SpecGenFixture.costPerAnswer(), outputs.path("costUsd").asDouble(), 1e-9,
                    "the run's cost counts each answer once");
            System.out.println("spec crash-resume: " + storedBeforeKill + " specs stored before the kill, "
                    + answeredBeforeKill.size() + " answers received, " + duplicates
                    + " in-flight requests sent again, " + fake.total.get() + " served in all");

            assertEquals(List.of(), SpecGenFixture.filesContaining(wsDir, KEY));
            assertEquals(List.of(), SpecGenFixture.filesContaining(home, KEY));
            assertFalse(out1.text().contains(KEY) || out2.text().contains(KEY));
            assertTrue(fake.exchanges.stream().allMatch(ex -> ("Bearer " + KEY).equals(ex.authorization())));
        }
    }

    private static int stored(Workspace ws) {
        return ws.read(tx -> tx.runs().list().stream().filter(r -> r.kind().equals(SpecService.RUN_KIND))
                .mapToInt(r -> tx.specs().countOriginals(r.id())).sum());
    }

    /**
     * The requests of the command whose answers are stored (status ok), keyed as {@link FakeSpecLlm} counts them:
     * user prompt and temperature. Found by planning the same generation and looking up each request's hash.
     */
    private static Set<String> answered(Workspace ws, Path home) {
        Set<String> out = new HashSet<>();
        try (LlmGateway gw = LlmGateway.builder(ws).registry(ProviderRegistry.load(home))
                .keys(new ApiKeys(home.resolve("keys.json"), v -> null)).build()) {
            SpecGenerationService svc = new SpecGenerationService(ws, gw);
            SpecGenerationService.Plan plan = svc.plan(SpecGenerationService.Request.of(
                    SplitSelection.resolve(ws, SpecGenFixture.SPLIT + ":train"),
                    new SpecGenerationService.Engine("child", "m"), PromptTemplate.defaultSpecPrompt()).withSamples(2),
                    TaskContext.none());
            for (SpecGenerationService.Item it : plan.items()) {
                String hash = RequestHash.of(it.request());
                if (ws.read(tx -> tx.llmCalls().find(hash)).map(c -> c.status().equals(LlmCallRepository.OK))
                        .orElse(false)) {
                    out.add(it.request().messages().get(1).content() + "\u0000" + it.temperature());
                }
            }
        }
        return out;
    }

    private Process child(Path home, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx384m");
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-Dpersonalab.home=" + home);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put(KEY_ENV, KEY);
        return pb.start();
    }
}
