package org.personalab.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.Main;
import org.personalab.cli.PersonaLabCommand;
import org.personalab.service.FakeSpecLlm;
import org.personalab.service.SpecGenFixture;
import org.personalab.service.SpecGenerationService;
import org.personalab.store.Workspace;
import org.personalab.support.ProcessOutput;
import org.personalab.task.RunRecord;

/**
 * {@code personalab specs generate --batch} against a local Batch API server ({@link FakeBatchServer}): the estimate at
 * the batch price, the batch id and state on the console, no live call, the cache on a second run; a command killed
 * (SIGKILL of its JVM) while waiting for its batch, run again, polls the same batch instead of creating another; and
 * clear messages for options that do not fit, including {@code --batch} on a provider whose {@code batchApi} is false
 * (named with the setting to change); {@code --batch-api} lets a keyless server run a batch. Providers and the key come
 * from a private settings folder.
 */
class SpecBatchCommandTest {

    static final String KEY = "sk-cli-batch-key-3c2b1a0f9e8d";

    @TempDir
    Path dir;

    MockWebServer server;
    FakeBatchServer fake;
    Path ws;
    Path home;
    String oldHome;

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeBatchServer();
        fake.answer = body -> FakeBatchServer.completion(FakeSpecLlm.persona(SpecBatchGenerationTest.firstUser(body)),
                FakeSpecLlm.PROMPT_TOKENS, FakeSpecLlm.COMPLETION_TOKENS);
        server = new MockWebServer();
        server.setDispatcher(fake);
        server.start();
        ws = dir.resolve("ws");
        SpecGenFixture.workspaceWithSplit(ws, 300).close();
        home = dir.resolve("home");
        Files.createDirectories(home);
        String url = server.url("/v1").toString();
        Files.writeString(home.resolve("providers.json"), """
                {"providers": [
                  {"name": "fake", "baseUrl": "%s", "apiKeyEnv": "PL_SPEC_BATCH_UNSET_VARIABLE",
                   "models": [{"model": "m", "inputPerMillion": 1, "outputPerMillion": 2}]},
                  {"name": "local", "baseUrl": "%s", "free": true},
                  {"name": "keyed-vllm", "baseUrl": "%s", "apiKeyEnv": "PL_SPEC_BATCH_UNSET_VARIABLE",
                   "batchApi": false, "free": true}]}
                """.formatted(url, url, url));
        Path keys = home.resolve("keys.json");
        Files.createFile(keys, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keys, "{\"fake\": \"" + KEY + "\"}");
        oldHome = System.getProperty("personalab.home");
        System.setProperty("personalab.home", home.toString());
    }

    @AfterEach
    void tearDown() {
        if (oldHome == null) {
            System.clearProperty("personalab.home");
        } else {
            System.setProperty("personalab.home", oldHome);
        }
        server.close();
    }

    record Result(int code, String out, String err) {
    }

    private Result generate(String... extra) {
        List<String> args = new ArrayList<>(List.of("specs", "generate", "--workspace", ws.toString()));
        args.addAll(List.of(extra));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PersonaLabCommand.run(new PrintWriter(out, true), new PrintWriter(err, true),
                args.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void aBatchRunPrintsItsBatchPaysTheBatchPriceAndASecondRunIsAnsweredFromTheCache() throws Exception {
        Result g = generate("--split", "s:test", "--engine", "fake:m", "--batch", "--poll-seconds", "1");

        assertEquals(0, g.code(), g.out() + g.err());
        assertTrue(g.out().contains("Estimate (Batch API, 50 % of the list price): 10 requests to send (0 already "
                + "answered)"), g.out());
        assertTrue(g.out().contains("Batch batch_1 (fake, 10 requests): completed"), g.out());
        assertTrue(g.out().matches("(?s).*Run \\d+: 10 of 10 specs stored \\(10 paid now, 0 from the workspace "
                + "cache\\).*"), g.out());
        // 10 answers of 1000 + 500 tokens at half of $1 / $2 per million
        assertTrue(g.out().contains("Cost: $0.0100 now, $0.0100 for the run"), g.out());
        assertTrue(g.err().contains("Submitted batch batch_1: 10 requests"), g.err());
        assertTrue(g.err().contains("batch batch_1: in_progress"), g.err());
        assertEquals(0, fake.liveCalls.get());
        assertEquals(1, fake.creations.get());

        Result again = generate("--split", "s:test", "--engine", "fake:m", "--batch");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("0 requests to send (10 already answered)"), again.out());
        assertTrue(again.out().contains("10 of 10 specs stored (0 paid now, 10 from the workspace cache)"),
                again.out());
        assertFalse(again.out().contains("Batch batch_"), again.out());
        assertEquals(1, fake.uploads.get());
        assertEquals(1, fake.creations.get());
        for (String text : new String[] {g.out(), g.err(), again.out(), again.err()}) {
            assertFalse(text.contains(KEY));
        }
        assertEquals(List.of(), SpecGenFixture.filesContaining(ws, KEY));
    }

    @Test
    void aCommandKilledWhileWaitingForItsBatchIsRunAgainAndPollsTheSameBatch() throws Exception {
        fake.pollsUntilDone = 1_000_000;
        List<String> command = List.of("specs", "generate", "--workspace", ws.toString(), "--split", "s:test",
                "--engine", "fake:m", "--samples", "2", "--batch", "--poll-seconds", "1");
        Process child = child(command);
        ProcessOutput out1 = ProcessOutput.of(child);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (fake.polls.get() < 2) {
            assertTrue(child.isAlive(), "the child ended before it could be killed:\n" + out1);
            assertTrue(System.nanoTime() < deadline, "no batch:\n" + out1);
            Thread.sleep(10);
        }
        child.destroyForcibly();
        assertTrue(child.waitFor(20, TimeUnit.SECONDS));
        out1.join();
        assertTrue(out1.text().contains("Submitted batch batch_1: 20 requests"), out1.text());
        assertEquals(1, fake.creations.get());

        fake.pollsUntilDone = 0; // the provider has finished meanwhile
        Result again = generate(command.subList(4, command.size()).toArray(String[]::new));

        assertEquals(0, again.code(), again.out() + again.err());
        assertTrue(again.err().contains("Found the pending batch batch_1: 20 requests"), again.err());
        assertTrue(again.out().matches("(?s).*Run \\d+ \\(resumed\\): 20 of 20 specs stored \\(20 paid now.*"),
                again.out());
        assertTrue(again.out().contains("Batch batch_1 (fake, 20 requests): completed"), again.out());
        assertEquals(1, fake.creations.get(), "the batch was polled again, not created again");
        assertEquals(1, fake.uploads.get());
        assertEquals(0, fake.liveCalls.get());
        try (Workspace w = Workspace.open(ws)) {
            List<RunRecord> runs = w.read(tx -> tx.runs().list()).stream()
                    .filter(r -> r.kind().equals(SpecGenerationService.RUN_KIND)).toList();
            assertEquals(1, runs.size(), "the killed run was continued, not repeated");
            assertEquals(RunRecord.SUCCEEDED, runs.get(0).status());
        }
        assertFalse(out1.text().contains(KEY) || again.out().contains(KEY) || again.err().contains(KEY));
        assertEquals(List.of(), SpecGenFixture.filesContaining(ws, KEY));
    }

    @Test
    void optionsThatDoNotFitABatchRunAreExplainedAndNothingIsSent() {
        Result r = generate("--split", "s:test", "--engine", "fake:m", "--poll-seconds", "5");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--poll-seconds applies to --batch runs"), r.err());

        r = generate("--split", "s:test", "--engine", "fake:m", "--batch", "--poll-seconds", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--poll-seconds must be at least 1, not 0"), r.err());

        r = generate("--split", "s:test", "--engine", "template", "--batch");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--budget and --batch apply to LLM engines"), r.err());

        r = generate("--split", "s:test", "--engine", "local:m", "--batch");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("provider local does not offer the Batch API (its setting \"batchApi\" is "
                + "false)"), r.err());

        assertEquals(0, fake.uploads.get());
        assertEquals(0, fake.liveCalls.get());
    }

    @Test
    void aProviderWithAKeyButWithoutTheBatchApiIsRefusedNamingItAndTheSetting() {
        Result r = generate("--split", "s:test", "--engine", "keyed-vllm:m", "--batch");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("provider keyed-vllm does not offer the Batch API (its setting \"batchApi\" is "
                + "false); run without --batch"), r.err());
        assertTrue(r.err().contains("set \"batchApi\": true for keyed-vllm in " + home.resolve("providers.json")),
                r.err());
        assertTrue(r.err().contains("--batch-api"), r.err());

        // the command line can say the same of a configured provider: --no-batch-api
        r = generate("--split", "s:test", "--engine", "fake:m", "--no-batch-api", "--batch");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("provider fake does not offer the Batch API"), r.err());

        assertEquals(0, fake.uploads.get());
        assertEquals(0, fake.liveCalls.get());
    }

    @Test
    void aKeylessServerWithBatchesRunsABatchWhenTheCommandLineSaysItHasTheBatchApiAndResumesWithoutBeingToldAgain() {
        String url = server.url("/v1").toString();
        Result refused = generate("--split", "s:test", "--engine", "adhoc:m", "--base-url", url, "--batch");
        assertEquals(2, refused.code(), refused.out() + refused.err());
        assertTrue(refused.err().contains("provider adhoc does not offer the Batch API"), refused.err());
        assertEquals(0, fake.uploads.get());

        var good = fake.answer;
        fake.answer = body -> new FakeBatchServer.Failure(503, "overloaded"); // every answer fails: run incomplete
        Result g = generate("--split", "s:test", "--engine", "adhoc:m", "--base-url", url, "--batch-api", "--batch",
                "--poll-seconds", "1");
        assertEquals(3, g.code() /* incomplete */, g.out() + g.err());
        assertTrue(g.out().contains("Batch batch_1 (adhoc, 10 requests): completed"), g.out());
        assertEquals(1, fake.creations.get());

        // the provider was given on the command line only; its recorded batch run says it has the Batch API
        fake.answer = good;
        Result again = generate("--resume", "latest", "--batch", "--poll-seconds", "1");
        assertEquals(0, again.code(), again.out() + again.err());
        assertTrue(again.out().matches("(?s).*Run \\d+ \\(resumed\\): 10 of 10 specs stored.*"), again.out());
        assertEquals(2, fake.creations.get(), "the failed requests went into a second batch");
        assertFalse(fake.authorizations.isEmpty());
        assertEquals(List.of("null"), fake.authorizations.stream().distinct().toList(),
                "a keyless server is sent no Authorization header");
    }

    private Process child(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx384m");
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-Dpersonalab.home=" + home);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }
}
