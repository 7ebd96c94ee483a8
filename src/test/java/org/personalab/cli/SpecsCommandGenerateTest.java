package org.personalab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.service.FakeSpecLlm;
import org.personalab.service.SpecGenFixture;
import org.personalab.spec.AgentFile;
import org.personalab.spec.TinyTroupeFiles;
import org.personalab.store.Workspace;
import org.personalab.task.RunRecord;

/**
 * {@code personalab specs generate} with an LLM engine against a local OpenAI-compatible server: plan, estimate and
 * cost on the console, the cache on a second run, a budget stop resumed by the same command, export of samples, and
 * clear messages for bad input. Providers and the key come from a private settings folder ({@code personalab.home}).
 */
class SpecsCommandGenerateTest {

    static final String KEY = "sk-cli-spec-key-0f1e2d3c4b5a";

    @TempDir
    Path dir;

    MockWebServer server;
    FakeSpecLlm fake;
    Path ws;
    Path home;
    String oldHome;

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeSpecLlm();
        server = new MockWebServer();
        server.setDispatcher(fake);
        server.start();
        ws = dir.resolve("ws");
        SpecGenFixture.workspaceWithSplit(ws, 300);
        home = dir.resolve("home");
        Files.createDirectories(home);
        String url = server.url("/v1").toString();
        // "fake" reads its key from keys.json (its variable is not set); "nokey" has no key anywhere
        Files.writeString(home.resolve("providers.json"), """
                {"providers": [
                  {"name": "fake", "baseUrl": "%s", "apiKeyEnv": "PL_SPEC_CLI_UNSET_VARIABLE",
                   "models": [{"model": "m", "inputPerMillion": 1, "outputPerMillion": 2},
                              {"model": "pricey", "inputPerMillion": 10, "outputPerMillion": 20}],
                   "limits": {"maxConcurrent": 3}},
                  {"name": "nokey", "baseUrl": "%s", "apiKeyEnv": "PL_SPEC_CLI_NO_KEY", "free": true}]}
                """.formatted(url, url));
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

    private CliTestSupport.Result generate(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("specs", "generate", "--workspace", ws.toString()));
        args.addAll(List.of(extra));
        return CliTestSupport.run(args.toArray(String[]::new));
    }

    @Test
    void anLlmRunOverASplitShowsItsCostAndASecondRunIsAnsweredFromTheCache() throws Exception {
        CliTestSupport.Result g = generate("--split", "s:test", "--engine", "fake:m", "--samples", "2",
                "--temperature", "0.9", "--budget", "1");
        assertEquals(0, g.code(), g.out() + g.err());
        assertTrue(g.out().contains("Plan: 10 people × 2 samples = 20 specs by fake:m for s:test (temperature 0.90 "
                + "± 10 %, seed 42)"), g.out());
        assertTrue(g.out().contains("Estimate: 20 requests to send (0 already answered)"), g.out());
        assertTrue(g.out().matches("(?s).*Run \\d+: 20 of 20 specs stored \\(20 paid now, 0 from the workspace "
                + "cache\\); 0 invalid, 0 failed; 0 specs with validation errors.*"), g.out());
        assertTrue(g.out().contains("Cost: $0.0400 now, $0.0400 for the run (20,000 prompt + 10,000 completion "
                + "tokens)"), g.out());
        assertTrue(g.err().contains("20 of 20 specs stored"), "progress on stderr: " + g.err());
        assertEquals(20, fake.total.get());

        CliTestSupport.Result again = generate("--split", "s:test", "--engine", "fake:m", "--samples", "2",
                "--temperature", "0.9", "--budget", "1");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("Estimate: 0 requests to send (20 already answered)"), again.out());
        assertTrue(again.out().contains("20 of 20 specs stored (0 paid now, 20 from the workspace cache)"),
                again.out());
        assertTrue(again.out().contains("Cost: $0.0000 now, $0.0000 for the run"), again.out());
        assertEquals(20, fake.total.get(), "zero new requests on the server");

        Path out = dir.resolve("agents");
        CliTestSupport.Result e = CliTestSupport.run("specs", "export", "--workspace", ws.toString(), "--run",
                "latest", "--out", out.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("Exported 20 specs"), e.out());
        List<Path> files;
        try (Stream<Path> s = Files.list(out)) {
            files = s.sorted().toList();
        }
        assertEquals(20, files.size());
        assertEquals(10, files.stream().filter(f -> f.getFileName().toString().endsWith("-s1.agent.json")).count());
        for (Path f : files) {
            AgentFile af = TinyTroupeFiles.read(f);
            assertEquals("llm:fake", af.provenance().engine());
            double t = af.provenance().temperature();
            assertTrue(t >= 0.81 - 1e-9 && t <= 0.99 + 1e-9, f + ": " + t);
        }
        for (String text : new String[] {g.out(), g.err(), again.out(), again.err()}) {
            assertFalse(text.contains(KEY));
        }
        assertEquals(List.of(), SpecGenFixture.filesContaining(ws, KEY));
        assertEquals(List.of(), SpecGenFixture.filesContaining(out, KEY));
        assertTrue(fake.exchanges.stream().allMatch(x -> ("Bearer " + KEY).equals(x.authorization())));
    }

    @Test
    void aBudgetStopExitsWith3AndTheSameCommandWithALargerBudgetContinuesTheRun() {
        CliTestSupport.Result stopped = generate("--split", "s:test", "--engine", "fake:pricey", "--samples", "2",
                "--max-tokens", "600", "--concurrency", "1", "--budget", "0.05");
        assertEquals(SpecsCommand.INCOMPLETE, stopped.code(), stopped.out() + stopped.err());
        assertTrue(stopped.out().contains("The estimate is above the budget of $0.0500"), stopped.out());
        assertTrue(stopped.err().contains("failed: stopped: budget of $0.0500 reached"), stopped.err());
        assertTrue(stopped.err().contains("Run the same command with a larger --budget to continue it."),
                stopped.err());
        int paidFirst = fake.total.get();
        assertTrue(paidFirst >= 1 && paidFirst < 20, "stopped part way: " + paidFirst);
        Workspace w = Workspace.open(ws);
        RunRecord run = w.read(tx -> tx.runs().list()).getFirst();
        assertEquals(RunRecord.FAILED, run.status());

        CliTestSupport.Result resumed = generate("--split", "s:test", "--engine", "fake:pricey", "--samples", "2",
                "--max-tokens", "600", "--concurrency", "1", "--budget", "5");
        assertEquals(0, resumed.code(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("Run " + run.id() + " (resumed): 20 of 20 specs stored (" + (20 - paidFirst)
                + " paid now, 0 from the workspace cache)"), resumed.out());
        assertTrue(resumed.out().contains("$0.4000 for the run"), resumed.out());
        assertEquals(20, fake.total.get(), "nothing paid twice");
        assertEquals(RunRecord.SUCCEEDED, w.read(tx -> tx.runs().get(run.id())).orElseThrow().status());

        CliTestSupport.Result again = generate("--resume", String.valueOf(run.id()));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("Run " + run.id() + " is complete; nothing to resume"), again.out());
    }

    @Test
    void theTemplateEngineWorksOnASplitToo() {
        CliTestSupport.Result g = generate("--split", "s:test", "--engine", "template");
        assertEquals(0, g.code(), g.err());
        assertTrue(g.out().matches("(?s)Run \\d+: 10 template specs for s:test \\(0 people skipped.*"), g.out());
        CliTestSupport.Result all = generate("--split", "s", "--engine", "template", "--limit", "7");
        assertEquals(0, all.code(), all.err());
        assertTrue(all.out().contains(": 7 template specs for s ("), all.out());
    }

    @Test
    void badInputGetsAClearMessageAndSendsNothing() {
        CliTestSupport.Result r = generate("--split", "s:test", "--engine", "gpt-4o");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("engine 'gpt-4o': expected template or PROVIDER:MODEL"), r.err());

        r = generate("--split", "s:nope", "--engine", "fake:m");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("split set s has no part 'nope' (its parts: test (10 people), train (40 "
                + "people))"), r.err());

        r = generate("--split", "nothere:test", "--engine", "fake:m");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no split set named 'nothere'") && r.err().contains("(it has: s)"), r.err());

        r = generate("--split", "s:test", "--dataset", "syn", "--engine", "fake:m");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("give exactly one of --dataset NAME or --split SET[:PART]"), r.err());

        r = generate("--split", "s:test", "--engine", "template", "--samples", "3");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("the template engine is deterministic"), r.err());

        r = generate("--split", "s:test", "--engine", "nokey:m");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nokey needs an API key: set the environment variable PL_SPEC_CLI_NO_KEY"),
                r.err());

        r = generate("--split", "s:test", "--engine", "fake:m", "--template", dir.resolve("missing.mustache")
                .toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("cannot read prompt template " + dir.resolve("missing.mustache")), r.err());

        r = generate("--split", "s:test", "--engine", "fake:m", "--temperature", "3");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--temperature must be between 0 and 2.0, not 3.0"), r.err());

        r = generate("--resume", "latest", "--samples", "3");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--samples cannot be changed"), r.err());

        CliTestSupport.Result dry = generate("--split", "s:train", "--engine", "fake:m", "--dry-run");
        assertEquals(0, dry.code(), dry.err());
        assertTrue(dry.out().contains("Estimate: 40 requests to send (0 already answered)"), dry.out());
        assertTrue(dry.out().contains("~$"), dry.out());
        assertEquals(0, fake.total.get(), "nothing sent");
        assertTrue(Workspace.open(ws).read(tx -> tx.runs().list()).stream()
                .noneMatch(x -> x.kind().equals("spec_generation")), "no run recorded");
    }
}
