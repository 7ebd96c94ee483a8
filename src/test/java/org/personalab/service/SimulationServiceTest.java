package org.personalab.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.inventory.Inventory;
import org.personalab.inventory.Item;
import org.personalab.llm.LlmGateway;
import org.personalab.sim.ItemOrder;
import org.personalab.sim.MemoryPolicy;
import org.personalab.sim.OptionOrder;
import org.personalab.sim.SecondPerson;
import org.personalab.sim.SimSettings;
import org.personalab.store.SimAnswerRepository;
import org.personalab.store.SimAnswerRepository.RunAnswers;
import org.personalab.store.Workspace;
import org.personalab.task.RunRecord;
import org.personalab.task.TaskContext;

/** Simulation runs on a real workspace, against a fake chat model on a local HTTP server. */
class SimulationServiceTest {

    @TempDir
    Path dir;

    Workspace ws;
    MockWebServer server;
    SimFakeModel fake;
    LlmGateway gw;

    @BeforeEach
    void start() throws Exception {
        ws = Workspace.openOrCreate(dir.resolve("ws"));
        SimulationFixture.workspace(ws, 1500, 6);
        fake = new SimFakeModel();
        server = new MockWebServer();
        server.setDispatcher(fake);
        server.start();
        gw = SimulationFixture.gateway(ws, server.url("/v1").toString(), dir.resolve("settings"));
    }

    @AfterEach
    void stop() {
        gw.close();
        server.close();
    }

    private static SimulationService.Request model(SimSettings s) {
        return SimulationService.Request.model("fake:m", s);
    }

    private JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s);
    }

    @Test
    void thePsychometricEngineAnswersEveryItemOfEveryAgentAndRecordsItsParameters() throws Exception {
        SimulationService svc = new SimulationService(ws, null);
        SimulationService.Outcome o = svc.simulate(SimulationService.Request.psychometric(SimSettings.standard()),
                null, TaskContext.none());
        assertTrue(o.complete(), o.toString());
        assertEquals(6, o.agents());
        assertEquals(6 * 120, o.asked());
        RunAnswers ra = ws.read(tx -> tx.simAnswers().answers(o.runId()));
        assertEquals(Inventory.IPIP_NEO_120, ra.inventory());
        assertEquals(6, ra.agents().size());
        for (SimAnswerRepository.AgentAnswers a : ra.agents()) {
            for (byte v : a.answers()) {
                assertTrue(v >= 1 && v <= 5, "every item answered on the 1..5 scale");
            }
            assertEquals(120, a.counts().answered());
        }
        RunRecord run = ws.read(tx -> tx.runs().get(o.runId())).orElseThrow();
        assertEquals(SimulationService.RUN_KIND, run.kind());
        JsonNode p = json(run.params());
        assertEquals("psychometric", p.path("engine").asText());
        assertEquals("none", p.path("memory").asText());
        assertEquals("tinytroupe", p.path("persona").asText());
        assertEquals("IPIP-NEO-120", p.path("inventory").asText());
        assertEquals(64, p.path("template").path("sha256").asText().length());
        assertEquals(6, json(run.inputs()).path("specIds").size());
        JsonNode out = json(run.outputs());
        assertEquals(1494, out.path("engine").path("modelPeople").asInt(), "the simulated people are left out");
        assertEquals(720, out.path("answered").asInt());
        assertTrue(ws.read(tx -> tx.simAnswers().rows(o.runId(), ra.agents().get(0).specId())).stream()
                .allMatch(r -> r.promptHash() != null && r.promptHash().length() == 64));

        // the 300-item form from a 120-item dataset: the further 180 items come from their facet's level
        SimulationService.Outcome full = svc.simulate(SimulationService.Request.psychometric(SimSettings.standard()
                .withInventory(Inventory.IPIP_NEO_300)).withLimit(2), null, TaskContext.none());
        RunAnswers f = ws.read(tx -> tx.simAnswers().answers(full.runId()));
        assertEquals(Inventory.IPIP_NEO_300, f.inventory());
        assertEquals(600, f.counts().answered());
        // items of both forms get the same answer in both runs
        byte[] a120 = ra.agents().get(0).answers();
        byte[] a300 = f.agents().get(0).answers();
        for (Item it : Inventory.IPIP_NEO_120.items()) {
            assertEquals(a120[it.number() - 1], a300[it.ipip300() - 1], "item " + it.ipip300());
        }
        assertEquals(3, ws.read(tx -> tx.simAnswers().runs()).size() + 1);
    }

    @Test
    void modelAnswersAreStoredUnparseableAndRefusedAreCountedNotScoredAndARerunPaysNothing() throws Exception {
        SimulationService svc = new SimulationService(ws, gw);
        SimulationService.Request r = model(SimSettings.standard()).withStructured(false).withLimit(3);
        SimulationService.Outcome o = svc.simulate(r, null, TaskContext.none());
        assertTrue(o.complete(), o.toString());
        int hedged = 0;
        int refused = 0;
        for (Item it : Inventory.IPIP_NEO_120.items()) {
            String s = SecondPerson.statement(it);
            if (s.contains("worry")) {
                hedged++;
            } else if (s.contains("angry") || s.contains("anger")) {
                refused++;
            }
        }
        assertTrue(hedged > 0 && refused > 0, "the fake hedges on " + hedged + " and refuses " + refused + " items");
        assertEquals(3 * 120, fake.total.get());
        assertEquals(3 * hedged, o.counts().unparseable());
        assertEquals(3 * refused, o.counts().refused());
        assertEquals(3 * (120 - hedged - refused), o.counts().answered());
        RunAnswers ra = ws.read(tx -> tx.simAnswers().answers(o.runId()));
        for (SimAnswerRepository.AgentAnswers a : ra.agents()) {
            for (Item it : Inventory.IPIP_NEO_120.items()) {
                String s = SecondPerson.statement(it);
                int want = s.contains("worry") || s.contains("angry") || s.contains("anger") ? 0 : 4;
                assertEquals(want, a.answers()[it.number() - 1], "(B) is 4, never 0 for an unparsed answer");
            }
        }
        List<SimAnswerRepository.Answer> rows = ws.read(tx -> tx.simAnswers().rows(o.runId(),
                ra.agents().get(0).specId()));
        assertTrue(rows.stream().filter(x -> x.status().equals(SimAnswerRepository.UNPARSEABLE))
                .allMatch(x -> x.value() == 0 && x.rawText().contains("depends")));
        assertTrue(rows.stream().allMatch(x -> x.promptTokens() > 0 && !x.tokensEstimated()));
        JsonNode out = json(ws.read(tx -> tx.runs().get(o.runId())).orElseThrow().outputs());
        assertEquals((double) hedged / 120, out.path("unparseableRate").asDouble(), 1e-9);
        assertEquals("provider usage", out.path("tokens").path("reportedSource").asText());
        assertTrue(o.costUsd() > 0 && o.paidCalls() == 360);

        SimulationService.Outcome again = svc.simulate(r, null, TaskContext.none());
        assertTrue(again.runId() != o.runId(), "a finished run is not reopened");
        assertEquals(3 * 120, fake.total.get(), "the rerun was answered from the workspace");
        assertEquals(0, again.paidCalls());
        assertEquals(0.0, again.costUsd());
        RunAnswers rb = ws.read(tx -> tx.simAnswers().answers(again.runId()));
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(ra.agents().get(k).answers(), rb.agents().get(k).answers());
        }
        byte[] db = Files.readAllBytes(ws.database());
        assertFalse(new String(db, java.nio.charset.StandardCharsets.ISO_8859_1).contains(SimulationFixture.KEY),
                "the API key never reaches the workspace");
    }

    @Test
    void aCancelledRunResumesWhereItStoppedWithoutAskingAnythingTwice() {
        SimulationService svc = new SimulationService(ws, gw);
        SimSettings s = SimSettings.standard().withMemory(MemoryPolicy.parse("last:2"))
                .withItemOrder(ItemOrder.shuffled(5)).withOptionOrder(OptionOrder.REVERSED);
        SimulationService.Request r = model(s).withLimit(2).withConcurrency(1);
        AtomicBoolean cancel = new AtomicBoolean();
        TaskContext ctx = new TaskContext() {
            @Override
            public void progress(double done, double total) {
                if (done >= 50) {
                    cancel.set(true);
                }
            }

            @Override
            public void message(String message) {
            }

            @Override
            public boolean isCancelled() {
                return cancel.get();
            }
        };
        SimulationService.Outcome first = svc.simulate(r, null, ctx);
        assertEquals(RunRecord.CANCELLED, first.status());
        int stored = first.counts().total();
        assertTrue(stored >= 50 && stored < 240, stored + " answers stored before the cancel");
        assertEquals(RunRecord.CANCELLED, ws.read(tx -> tx.runs().get(first.runId())).orElseThrow().status());

        SimulationService.Outcome second = svc.simulate(r, null, TaskContext.none());
        assertEquals(first.runId(), second.runId(), "the same request resumes the cancelled run");
        assertTrue(second.resumed() && second.complete(), second.toString());
        assertEquals(stored, second.reused());
        assertEquals(240 - stored, second.asked());
        assertEquals(240, second.counts().total());
        assertEquals(1, fake.maxRepeats(), "no request was sent twice");
        // reversed options: the fake's "B" is Moderately Inaccurate, 2 on the raw scale
        RunAnswers ra = ws.read(tx -> tx.simAnswers().answers(second.runId()));
        for (SimAnswerRepository.AgentAnswers a : ra.agents()) {
            for (byte v : a.answers()) {
                assertTrue(v == 0 || v == 2, "reversed B maps back to 2, got " + v);
            }
        }
    }

    @Test
    void noMemoryWithASharedPersonaPrefixSendsTenTimesFewerUncachedPromptTokensThanTinyTroupe() {
        SimulationService svc = new SimulationService(ws, gw);
        SimulationService.Outcome none = svc.simulate(model(SimSettings.standard()).withLimit(2), null,
                TaskContext.none());
        SimulationService.Outcome tt = svc.simulate(model(SimSettings.standard().withMemory(
                MemoryPolicy.TinyTroupe.STANDARD)).withLimit(2), null, TaskContext.none());
        var a = none.tokens();
        var b = tt.tokens();
        System.out.printf("token economy per questionnaire (2 agents, IPIP-NEO-120, TinyTroupe persona): "
                + "none: %.0f prompt tokens reported, %.0f estimated, %.0f of them uncached; tinytroupe: %.0f "
                + "reported, %.0f estimated, %.0f uncached; ratio of uncached %.1f, of reported %.1f%n",
                a.reportedPrompt(), a.estimatedPrompt(), a.uncachedPrompt(), b.reportedPrompt(), b.estimatedPrompt(),
                b.uncachedPrompt(), b.uncachedPrompt() / a.uncachedPrompt(), b.reportedPrompt() / a.reportedPrompt());
        assertEquals(2, a.questionnaires());
        assertTrue(a.uncachedPrompt() * 10 <= b.uncachedPrompt(), a + " vs " + b);
        assertTrue(a.reportedPrompt() < b.reportedPrompt());
        assertEquals(none.counts().answered(), tt.counts().answered(), "same answers from this fake either way");
    }

    @Test
    void aBudgetStopsTheRunCleanlyAndItResumesWithMoreMoney() {
        SimulationService svc = new SimulationService(ws, gw);
        SimulationService.Request r = model(SimSettings.standard()).withLimit(1).withConcurrency(1).withBudget(8.0);
        SimulationService.Outcome o = svc.simulate(r, null, TaskContext.none());
        assertEquals("budget", o.stoppedBy());
        assertEquals(RunRecord.FAILED, o.status());
        int stored = o.counts().total();
        assertTrue(stored > 0 && stored < 120, stored + " answers within the budget");
        SimulationService.Outcome more = svc.resume(o.runId(), 1000.0, 0, null, TaskContext.none());
        assertTrue(more.complete(), more.toString());
        assertEquals(120, more.counts().total());
        assertEquals(1, fake.maxRepeats());
    }
}
