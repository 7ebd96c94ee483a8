package org.personalab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
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

/** {@code personalab simulate} on a real workspace: the offline engine, a model on a local server, bad input. */
class SimulateCommandTest {

    @TempDir
    Path dir;

    Path wsDir;

    record Result(int code, String out, String err) {
    }

    /** Runs the command as PersonaLabCommand runs its subcommands (same error handler). */
    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new SimulateCommand());
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
    void workspace() {
        wsDir = dir.resolve("ws");
        Workspace ws = Workspace.openOrCreate(wsDir);
        Responses r = SyntheticPopulation.generate(SyntheticParameters.bundled(), 1200, 3, TaskContext.none());
        new ImportService().importResponses(ws, r, "people", "synthetic", "test", Map.of(), 0, TaskContext.none());
        DatasetInfo d = ws.read(tx -> tx.datasets().find("people")).orElseThrow();
        SpecService.generateTemplate(ws, d, 4, TaskContext.none());
    }

    private RunRecord latest() {
        return Workspace.open(wsDir).read(tx -> tx.runs().list()).stream()
                .filter(r -> r.kind().equals(SimulationService.RUN_KIND)).findFirst().orElseThrow();
    }

    @Test
    void thePsychometricEngineRunsOfflineWithOrdersAndMemoryRecorded() throws Exception {
        Result r = run("--workspace", wsDir.toString(), "--engine", "psychometric", "--memory", "last:2",
                "--shuffle-items", "3", "--reverse-options", "--limit", "2");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("succeeded: 2 agents, 240 answers stored (240 answered, 0 unparseable"),
                r.out());
        assertTrue(r.out().contains("reported: none (offline engine: nothing sent)"), r.out());
        JsonNode p = Json.MAPPER.readTree(latest().params());
        assertEquals("last:2", p.path("memory").asText());
        assertEquals("reversed", p.path("optionOrder").asText());
        assertEquals(3, p.path("itemSeed").asLong());

        Result three = run("--workspace", wsDir.toString(), "--inventory", "300", "--limit", "1");
        assertEquals(0, three.code(), three.err());
        assertTrue(three.out().contains("300 answers stored (300 answered"), three.out());
    }

    @Test
    void aModelOnALocalServerAnswersAndTheSameCommandAgainPaysNothing() throws Exception {
        AtomicInteger served = new AtomicInteger();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest rr) {
                    served.incrementAndGet();
                    String body = "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                            + "\"Answer: C\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":900,"
                            + "\"completion_tokens\":3}}";
                    return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                            .body(body).build();
                }
            });
            server.start();
            String[] args = {"--workspace", wsDir.toString(), "--engine", "lab:tiny-model", "--base-url",
                    server.url("/v1").toString(), "--text", "--limit", "1"};
            Result r = run(args);
            assertEquals(0, r.code(), r.err() + r.out());
            assertTrue(r.out().contains("120 answers stored (120 answered"), r.out());
            assertTrue(r.out().contains("120 paid calls"), r.out());
            assertTrue(r.out().contains("reported 108,000 prompt + 360 completion (provider usage)"), r.out());
            assertEquals(120, served.get());
            long first = latest().id();
            Result again = run(args);
            assertEquals(0, again.code(), again.err());
            assertTrue(again.out().contains("0 paid calls, $0.0000"), again.out());
            assertEquals(120, served.get(), "answered from the workspace");
            assertTrue(latest().id() > first);
            JsonNode p = Json.MAPPER.readTree(latest().params());
            assertEquals("lab:tiny-model", p.path("engine").asText());
            assertEquals(false, p.path("structured").asBoolean());
        }
    }

    @Test
    void badInputIsNamed() throws Exception {
        Result m = run("--workspace", wsDir.toString(), "--memory", "everything");
        assertEquals(1, m.code());
        assertTrue(m.err().contains("memory policy must be none, last:K or tinytroupe"), m.err());
        Result t = run("--workspace", wsDir.toString(), "--temperature", "0.5");
        assertTrue(t.err().contains("the psychometric engine calls no model"), t.err());
        Path tpl = dir.resolve("prompt.txt");
        Files.writeString(tpl, "Rate: {{statement}}");
        Result bad = run("--workspace", wsDir.toString(), "--template", tpl.toString());
        assertTrue(bad.err().contains(tpl + ": an item prompt template needs both {{statement}} and {{options}}"),
                bad.err());
        Result noRun = run("--workspace", wsDir.toString(), "--specs", "nope");
        assertTrue(noRun.err().contains("no spec_generation run named 'nope'"), noRun.err());
        Result engine = run("--workspace", wsDir.toString(), "--engine", "gpt4");
        assertTrue(engine.err().contains("must be psychometric or PROVIDER:MODEL"), engine.err());
    }
}
