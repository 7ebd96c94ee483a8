package org.personalab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.data.DatasetInfo;
import org.personalab.data.Responses;
import org.personalab.data.SyntheticParameters;
import org.personalab.data.SyntheticPopulation;
import org.personalab.service.ImportService;
import org.personalab.service.Json;
import org.personalab.service.SimulationService;
import org.personalab.service.SpecService;
import org.personalab.store.Workspace;
import org.personalab.task.RunRecord;
import org.personalab.task.TaskContext;
import picocli.CommandLine;

/**
 * {@code personalab bench tokens} against a local OpenAI-compatible model whose answers depend on the prompt
 * ({@link OracleChatModel}): the table's token figures and ratio are the usage the server returned, every policy
 * simulates the same agents, a repeated command makes no request, the key never reaches the workspace, and the paired
 * test finds a model that gets worse (or better) with a long conversation. The offline engine reports estimates only.
 */
class TokenBenchTest {

    static final String KEY = "sk-token-bench-7e6d5c4b3a29";
    static final String KEY_VAR = "PL_TOKEN_BENCH_UNSET_VARIABLE";

    @TempDir
    Path dir;

    Path wsDir;
    Path home;
    String oldHome;
    Responses people;
    long datasetId;
    long specRun;

    record Result(int code, String out, String err) {
    }

    /** Runs the command as PersonaLabCommand runs its subcommands (same error handler). */
    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new TokenBench());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            line.getErr().println("error: " + org.personalab.task.Failures.describe(ex));
            return 1;
        });
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeEach
    void setUp() throws IOException {
        wsDir = dir.resolve("ws");
        Workspace ws = Workspace.openOrCreate(wsDir);
        people = SyntheticPopulation.generate(SyntheticParameters.bundled(), 600, 5, TaskContext.none());
        new ImportService().importResponses(ws, people, "people", "synthetic", "test", Map.of(), 0,
                TaskContext.none());
        DatasetInfo d = ws.read(tx -> tx.datasets().find("people")).orElseThrow();
        datasetId = d.id();
        specRun = SpecService.generateTemplate(ws, d, 8, TaskContext.none()).runId();
        // the key comes from a private keys.json (its variable is not set), never from the command line
        home = dir.resolve("home");
        Files.createDirectories(home);
        Path keys = home.resolve("keys.json");
        Files.createFile(keys, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keys, "{\"lab\": \"" + KEY + "\"}");
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
    }

    private OracleChatModel model(IntPredicate confused) {
        return new OracleChatModel(Workspace.open(wsDir), specRun, datasetId, people, KEY, confused);
    }

    private String[] args(MockWebServer server, int agents, Path json, String... extra) {
        List<String> a = new ArrayList<>(List.of("--workspace", wsDir.toString(), "--engine", "lab:oracle",
                "--base-url", server.url("/v1").toString(), "--api-key-env", KEY_VAR, "--agents",
                Integer.toString(agents), "--policies", "none,tinytroupe", "--json", json.toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    private static JsonNode policy(JsonNode report, String id) {
        for (JsonNode p : report.path("policies")) {
            if (p.path("policy").asText().equals(id)) {
                return p;
            }
        }
        throw new AssertionError("no policy " + id + " in " + report);
    }

    private List<Long> storedSpecIds(long run) throws IOException {
        RunRecord r = Workspace.open(wsDir).read(tx -> tx.runs().get(run)).orElseThrow();
        assertEquals(SimulationService.RUN_KIND, r.kind());
        List<Long> ids = new ArrayList<>();
        Json.MAPPER.readTree(r.inputs()).path("specIds").forEach(x -> ids.add(x.asLong()));
        ids.sort(null);
        return ids;
    }

    /**
     * Prompt tokens the server reported for each policy's questionnaires, summed from the requests it saw: "none"
     * sends [system, item]; TinyTroupe sends [system, memory..., item], except for each agent's first item, which is
     * the same request as under "none" (answered from the workspace cache, with the usage the server gave it).
     */
    private static double[] serverPromptTokens(OracleChatModel m) {
        long none = 0;
        long tiny = 0;
        List<OracleChatModel.Seen> short2 = new ArrayList<>();
        List<OracleChatModel.Seen> longer = new ArrayList<>();
        for (OracleChatModel.Seen s : m.bodies.values()) {
            (s.messages().size() == 2 ? short2 : longer).add(s);
            if (s.messages().size() == 2) {
                none += s.promptTokens();
            } else {
                tiny += s.promptTokens();
            }
        }
        for (OracleChatModel.Seen s : short2) {
            boolean opensAMemory = longer.stream().anyMatch(l -> Arrays.equals(l.messages().get(0), s.messages()
                    .get(0)) && Arrays.equals(l.messages().get(1), s.messages().get(1)));
            if (opensAMemory) {
                tiny += s.promptTokens();
            }
        }
        return new double[] {none, tiny};
    }

    @Test
    void theTableShowsTheTokensTheServerReportedForTheSameAgentsAndARerunBuysNothing() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            OracleChatModel fake = model(n -> false);
            server.setDispatcher(fake);
            server.start();
            // a dry run plans both policies and sends nothing
            Result plan = run(args(server, 3, dir.resolve("plan.json"), "--text", "--dry-run"));
            assertEquals(0, plan.code(), plan.err() + plan.out());
            assertTrue(plan.out().contains("Plan, memory none: 3 agents of spec run " + specRun + " × 120 items"),
                    plan.out());
            assertTrue(plan.out().contains("Plan, memory tinytroupe: 3 agents"), plan.out());
            assertTrue(plan.out().contains("Dry run: nothing sent."), plan.out());
            assertEquals(0, fake.total.get());
            assertTrue(Workspace.open(wsDir).read(tx -> tx.runs().list()).stream()
                    .noneMatch(x -> x.kind().equals(SimulationService.RUN_KIND)), "a dry run stores no run");

            // free-text answers: no structured-output repair calls, so a hedge stays an unparseable answer
            Path json = dir.resolve("tokens.json");
            Result r = run(args(server, 3, json, "--text"));
            assertEquals(0, r.code(), r.err() + r.out());
            assertEquals(0, fake.badKey.get(), "every request carried the key");
            assertTrue(r.out().contains("Token economy of memory policies: 3 agents"), r.out());
            assertTrue(r.out().contains("exact accuracy"), r.out());
            JsonNode report = Json.MAPPER.readTree(json.toFile());

            // tokens: the table is the usage the server returned, per questionnaire (3 agents, 120 items each)
            double[] seen = serverPromptTokens(fake);
            JsonNode none = policy(report, "none");
            JsonNode tiny = policy(report, "tinytroupe");
            assertEquals(3, none.path("questionnaires").asInt());
            assertEquals(seen[0] / 3, none.path("promptTokensReported").asDouble(), 1e-9);
            assertEquals(seen[1] / 3, tiny.path("promptTokensReported").asDouble(), 1e-9);
            assertEquals(120.0 * OracleChatModel.COMPLETION_TOKENS, tiny.path("completionTokensReported").asDouble(),
                    1e-9);
            assertEquals("provider usage", tiny.path("tokenSource").asText());
            JsonNode goal = report.path("goal").get(0);
            double ratio = seen[1] / seen[0];
            assertEquals(ratio, goal.path("ratioTotal").asDouble(), 1e-9);
            assertTrue(goal.path("totalBasis").asText().startsWith("reported prompt tokens"), goal.toString());
            assertEquals(ratio >= 10, goal.path("tokensMetTotal").asBoolean());
            assertEquals(tiny.path("uncachedPromptEstimated").asDouble() / none.path("uncachedPromptEstimated")
                    .asDouble(), goal.path("ratioUncached").asDouble(), 1e-9);
            assertTrue(goal.path("ratioUncached").asDouble() > ratio, "none's persona prefix is cacheable: " + goal);
            assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "%.1fx in total", ratio)), r.out());
            // each agent's first item is the same request under both policies: the second policy got it from the
            // workspace cache, so the server saw every other request once
            assertEquals(2 * 3 * 120 - 3, fake.total.get());

            // the same agents everywhere: 3 of the spec run's 8 drawn with the seed, in both stored simulation runs
            List<Long> all = Workspace.open(wsDir).read(tx -> tx.specs().byRun(specRun)).stream()
                    .map(s -> s.id()).sorted().toList();
            List<Long> first3 = List.copyOf(TokenBench.sample(all, 3, 42));
            assertEquals(3, first3.size());
            assertNotEquals(all.subList(0, 3), first3, "a seeded sample, not simply the first specs");
            assertEquals(first3, List.copyOf(TokenBench.sample(all, 3, 42)), "deterministic by seed");
            assertEquals(first3, storedSpecIds(none.path("simulationRun").asLong()));
            assertEquals(first3, storedSpecIds(tiny.path("simulationRun").asLong()));
            List<Long> reported = new ArrayList<>();
            report.path("specIds").forEach(x -> reported.add(x.asLong()));
            assertEquals(first3, reported);

            // answers depend only on the persona and the item here: the policies agree answer for answer, so the
            // paired difference is exactly 0 and accuracy is "not worse"; the evaluation compares with the real
            // people (the model gives their own answer to about 70 % of the items)
            JsonNode vs = tiny.path("vsNone").path("exactAccuracy");
            assertEquals(0.0, vs.path("mean").asDouble(), 1e-12);
            assertEquals(3, vs.path("n").asInt());
            assertEquals("not worse", goal.path("accuracy").asText());
            assertEquals(goal.path("tokensMetTotal").asBoolean() || goal.path("tokensMetUncached").asBoolean(),
                    goal.path("met").asBoolean());
            double acc = none.path("exactAccuracy").path("mean").asDouble();
            assertTrue(acc > 0.6 && acc < 0.9, "accuracy against the real people: " + acc);
            assertTrue(none.path("unparseableRate").asDouble() > 0, "the hedges are counted: " + none);
            assertTrue(r.out().contains("Goal " + (goal.path("met").asBoolean() ? "MET" : "NOT MET")), r.out());

            // the same command again: new runs, answered from the workspace, zero requests, the same figures
            int before = fake.total.get();
            Path json2 = dir.resolve("tokens2.json");
            Result again = run(args(server, 3, json2, "--text"));
            assertEquals(0, again.code(), again.err() + again.out());
            assertEquals(before, fake.total.get(), "zero new requests on the server");
            JsonNode report2 = Json.MAPPER.readTree(json2.toFile());
            JsonNode tiny2 = policy(report2, "tinytroupe");
            assertEquals(0, tiny2.path("paidCalls").asLong());
            assertEquals(0, policy(report2, "none").path("paidCalls").asLong());
            assertNotEquals(tiny.path("simulationRun").asLong(), tiny2.path("simulationRun").asLong());
            assertEquals(tiny.path("promptTokensReported").asDouble(), tiny2.path("promptTokensReported").asDouble(),
                    1e-9);
            assertEquals(report.path("goal").get(0).path("line").asText(),
                    report2.path("goal").get(0).path("line").asText());

            // the key is nowhere in the workspace, the report or the console
            assertFalse(r.out().contains(KEY) || r.err().contains(KEY) || Files.readString(json).contains(KEY));
            byte[] key = KEY.getBytes(StandardCharsets.UTF_8);
            try (Stream<Path> files = Files.walk(wsDir)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertFalse(contains(Files.readAllBytes(f), key), "the key is in " + f);
                }
            }
        }
    }

    @Test
    void thePairedTestFindsAModelThatLosesTrackInALongConversation() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            // chance answers once the request holds more than 12 messages (TinyTroupe's memory from item 6 on)
            server.setDispatcher(model(n -> n > 12));
            server.start();
            Path json = dir.resolve("long.json");
            Result r = run(args(server, 6, json, "--seed", "7"));
            assertEquals(0, r.code(), r.err() + r.out());
            JsonNode report = Json.MAPPER.readTree(json.toFile());
            JsonNode vs = policy(report, "tinytroupe").path("vsNone").path("exactAccuracy");
            assertEquals(6, vs.path("n").asInt());
            assertTrue(vs.path("mean").asDouble() < -0.2, "tinytroupe is less accurate: " + vs);
            assertTrue(vs.path("high").asDouble() < 0, vs.toString());
            assertTrue(vs.path("permutationP").asDouble() < 0.05, vs.toString());
            assertTrue(vs.path("permutationExact").asBoolean());
            JsonNode goal = report.path("goal").get(0);
            assertEquals("not worse", goal.path("accuracy").asText());
            assertTrue(goal.path("low").asDouble() > 0, "none is better: " + goal);
            assertEquals(7, report.path("seed").asLong());
        }
    }

    @Test
    void aModelThatNeedsItsMemoryMakesNoneWorseAndTheGoalIsNotMet() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            // chance answers without memory: every "none" request, and each agent's first item
            server.setDispatcher(model(n -> n == 2));
            server.start();
            Path json = dir.resolve("memory.json");
            Result r = run(args(server, 6, json));
            assertEquals(0, r.code(), r.err() + r.out());
            JsonNode goal = Json.MAPPER.readTree(json.toFile()).path("goal").get(0);
            assertEquals("worse", goal.path("accuracy").asText(), goal.toString());
            assertTrue(goal.path("high").asDouble() < 0, goal.toString());
            assertTrue(goal.path("permutationP").asDouble() < 0.05, goal.toString());
            assertFalse(goal.path("met").asBoolean());
            assertTrue(r.out().contains("Goal NOT MET"), r.out());
            assertTrue(r.out().contains("none is significantly less accurate"), r.out());
        }
    }

    @Test
    void theOfflineEngineReportsEstimatesOnlyAndIdenticalAccuracy() throws Exception {
        Path json = dir.resolve("offline.json");
        Result r = run("--workspace", wsDir.toString(), "--engine", "psychometric", "--agents", "4", "--policies",
                "tinytroupe,last:5", "--json", json.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("ignores memory, so accuracy is identical by construction"), r.out());
        JsonNode report = Json.MAPPER.readTree(json.toFile());
        assertEquals(List.of("none", "tinytroupe", "last:5"), report.path("policies").findValuesAsText("policy"));
        JsonNode none = policy(report, "none");
        JsonNode tiny = policy(report, "tinytroupe");
        JsonNode last5 = policy(report, "last:5");
        for (JsonNode p : List.of(none, tiny, last5)) {
            assertTrue(p.path("promptTokensReported").isNull(), p.toString());
            assertEquals(4, p.path("questionnaires").asInt());
            assertEquals(none.path("exactAccuracy").path("mean").asDouble(),
                    p.path("exactAccuracy").path("mean").asDouble(), 0.0);
        }
        assertEquals(0.0, tiny.path("vsNone").path("exactAccuracy").path("mean").asDouble(), 0.0);
        double n = none.path("promptTokensEstimated").asDouble();
        double l = last5.path("promptTokensEstimated").asDouble();
        double t = tiny.path("promptTokensEstimated").asDouble();
        assertTrue(n < l && l < t, n + " < " + l + " < " + t);
        JsonNode goal = report.path("goal").get(0);
        assertEquals("identical by construction", goal.path("accuracy").asText());
        assertTrue(goal.path("met").isNull(), "the accuracy half needs a model: " + goal);
        assertEquals(t / n, goal.path("ratioTotal").asDouble(), 1e-9);
        assertEquals("estimated prompt tokens", goal.path("totalBasis").asText());
        // the stored simulation runs are ordinary runs with their own memory policy
        for (JsonNode p : List.of(none, tiny, last5)) {
            RunRecord run = Workspace.open(wsDir).read(tx -> tx.runs().get(p.path("simulationRun").asLong()))
                    .orElseThrow();
            assertEquals(p.path("policy").asText(), Json.MAPPER.readTree(run.params()).path("memory").asText());
        }
    }

    @Test
    void badInputIsNamed() {
        Result agents = run("--workspace", wsDir.toString(), "--engine", "psychometric", "--agents", "0");
        assertEquals(1, agents.code());
        assertTrue(agents.err().contains("--agents must be at least 1"), agents.err());
        Result policy = run("--workspace", wsDir.toString(), "--engine", "psychometric", "--policies",
                "none,everything");
        assertTrue(policy.err().contains("memory policy must be none, last:K or tinytroupe"), policy.err());
        Result engine = run("--workspace", wsDir.toString(), "--engine", "gpt4");
        assertTrue(engine.err().contains("must be psychometric or PROVIDER:MODEL"), engine.err());
        Result offline = run("--workspace", wsDir.toString(), "--engine", "psychometric", "--base-url",
                "http://localhost:1/v1");
        assertTrue(offline.err().contains("the psychometric engine calls no model"), offline.err());
        Result persona = run("--workspace", wsDir.toString(), "--engine", "psychometric", "--persona", "novel");
        assertEquals(1, persona.code());
        assertTrue(persona.err().contains("persona mode must be tinytroupe or paragraph, not 'novel'"), persona.err());
        Result margin = run("--workspace", wsDir.toString(), "--engine", "psychometric", "--margin", "2");
        assertTrue(margin.err().contains("--margin must be a fraction"), margin.err());
        Result noKey = run("--workspace", wsDir.toString(), "--engine", "nokey:m", "--base-url",
                "http://localhost:1/v1", "--api-key-env", "PL_TOKEN_BENCH_NO_SUCH_KEY");
        assertEquals(2, noKey.code(), noKey.err());
        assertTrue(noKey.err().contains("nokey needs an API key: set the environment variable "
                + "PL_TOKEN_BENCH_NO_SUCH_KEY"), noKey.err());
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
