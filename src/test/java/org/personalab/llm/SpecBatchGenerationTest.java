package org.personalab.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.service.FakeSpecLlm;
import org.personalab.service.Json;
import org.personalab.service.SpecGenFixture;
import org.personalab.service.SpecGenerationService;
import org.personalab.service.SpecGenerationService.Outcome;
import org.personalab.service.SpecGenerationService.Plan;
import org.personalab.service.SplitSelection;
import org.personalab.spec.PromptTemplate;
import org.personalab.store.LlmCallRepository;
import org.personalab.store.SpecRepository.SpecRow;
import org.personalab.store.Workspace;
import org.personalab.task.RunRecord;
import org.personalab.task.TaskContext;

/**
 * Spec generation through the Batch API, against a local server that implements files, batches and live chat
 * completions ({@link FakeBatchServer}, answering each spec prompt with a valid persona), over real workspaces: the
 * same specs and request hashes as a live run, no live call for an answered request, the batch price, the cache on a
 * second run, a cancelled wait resumed by polling the same batch, invalid answers corrected live, lines the batch did
 * not answer sent again in a new batch, and the budget.
 */
class SpecBatchGenerationTest {

    static final String KEY = "sk-spec-batch-9a8b7c6d5e4f";
    static final String KEY_ENV = "PL_SPEC_BATCH_KEY";
    /** Specs of {@code s:test} with 2 samples: 10 people × 2. */
    static final int SPECS = SpecGenFixture.TEST_PEOPLE * 2;

    @TempDir
    Path dir;

    MockWebServer server;
    FakeBatchServer fake;
    Provider provider;
    final List<LlmGateway> gateways = new ArrayList<>();
    final List<Workspace> workspaces = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fake = new FakeBatchServer();
        fake.answer = body -> FakeBatchServer.completion(FakeSpecLlm.persona(firstUser(body)),
                FakeSpecLlm.PROMPT_TOKENS, FakeSpecLlm.COMPLETION_TOKENS);
        server = new MockWebServer();
        server.setDispatcher(fake);
        server.start();
        provider = Provider.of("fake", server.url("/v1").toString(), KEY_ENV)
                .withModel(new ModelPrice("m", SpecGenFixture.PRICE_IN, SpecGenFixture.PRICE_OUT))
                .withLimits(new Limits(3, 0, 0))
                .withTimeouts(new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(10)));
    }

    @AfterEach
    void stop() {
        gateways.forEach(LlmGateway::close);
        server.close();
    }

    Workspace workspace(String name) {
        Workspace ws = SpecGenFixture.workspaceWithSplit(dir.resolve(name), 300);
        workspaces.add(ws);
        return ws;
    }

    LlmGateway gateway(Workspace ws) {
        LlmGateway g = LlmGateway.builder(ws).registry(ProviderRegistry.builtIn().with(provider))
                .keys(new ApiKeys(dir.resolve("settings/keys.json"), v -> v.equals(KEY_ENV) ? KEY : null))
                .retryPolicy(new RetryPolicy(4, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(5),
                        2)).build();
        gateways.add(g);
        return g;
    }

    SpecGenerationService service(Workspace ws) {
        return new SpecGenerationService(ws, gateway(ws)).batchPolling(Duration.ofMillis(5), Duration.ofMillis(20));
    }

    static SpecGenerationService.Request request(Workspace ws, boolean batch) {
        return SpecGenerationService.Request.of(SplitSelection.resolve(ws, "s:test"),
                new SpecGenerationService.Engine("fake", "m"), PromptTemplate.defaultSpecPrompt()).withSamples(2)
                .withBatch(batch);
    }

    /** The first user message: the spec prompt (a correction conversation ends with another user message). */
    static String firstUser(JsonNode body) {
        for (JsonNode m : body.path("messages")) {
            if (m.path("role").asText().equals("user")) {
                return m.path("content").asText();
            }
        }
        return "";
    }

    /** The specs of a run by "respondent/sample": document and request hash. */
    static Map<String, List<String>> specs(Workspace ws, long runId) {
        Map<String, List<String>> out = new TreeMap<>();
        for (SpecRow row : ws.read(tx -> tx.specs().byRun(runId))) {
            out.put(row.respondentId() + "/" + row.sample(), List.of(row.document(), row.requestHash()));
        }
        return out;
    }

    static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s);
    }

    @Test
    void aBatchRunStoresWhatALiveRunWouldAtTheBatchPriceWithoutLiveCallsAndASecondRunSendsNothing()
            throws Exception {
        Workspace batchWs = workspace("batch");
        SpecGenerationService svc = service(batchWs);
        Plan plan = svc.plan(request(batchWs, true), TaskContext.none());
        Plan livePlan = svc.plan(request(batchWs, false), TaskContext.none());
        assertEquals(SPECS, plan.items().size());
        assertEquals(livePlan.fingerprint(), plan.fingerprint(), "the same requests: the same run identity");
        assertEquals(livePlan.estimate().costUsd() * provider.batchPriceFactor(), plan.estimate().costUsd(), 1e-12,
                "estimated at the batch price");
        assertTrue(plan.estimate().costUsd() > 0);
        Messages said = new Messages();

        Outcome o = svc.generate(plan, null, null, said);

        assertEquals(RunRecord.SUCCEEDED, o.status(), o.error());
        assertEquals(SPECS, o.stored());
        assertEquals(SPECS, o.paid(), "every answer was paid, in the batch");
        assertEquals(0, o.cached());
        assertEquals(0, o.specsWithErrors());
        assertEquals(0, fake.liveCalls.get(), "no chat completion was bought live");
        assertEquals(1, fake.uploads.get());
        assertEquals(1, fake.creations.get());
        assertEquals(SPECS, fake.inputLines(fake.batches.get("batch_1").inputFileId).size());
        double batchCost = SPECS * SpecGenFixture.costPerAnswer() * provider.batchPriceFactor();
        assertEquals(batchCost, o.runCostUsd(), 1e-12, "paid at the batch price, recorded against the run");
        assertEquals(batchCost, o.costNowUsd(), 1e-12);
        assertEquals(1, o.batches().size());
        assertEquals("batch_1", o.batches().get(0).batchId());
        assertEquals("completed", o.batches().get(0).status());
        assertTrue(said.any(m -> m.startsWith("Submitted batch batch_1: " + SPECS + " requests")), said.all());
        assertTrue(said.any(m -> m.contains("batch_1: in_progress") && m.contains(" of " + SPECS + " done")),
                "in progress, completed of total: " + said.all());
        assertTrue(said.any(m -> m.startsWith("Collecting " + SPECS + " specs")), said.all());
        RunRecord run = batchWs.read(tx -> tx.runs().get(o.runId())).orElseThrow();
        JsonNode params = json(run.params());
        assertTrue(params.path("batch").asBoolean(), run.params());
        assertEquals(0.5, params.path("batchPriceFactor").asDouble());
        JsonNode attempt = json(run.outputs()).path("attempts").get(0);
        assertTrue(attempt.path("batch").asBoolean());
        assertEquals("batch_1", attempt.path("batches").get(0).path("id").asText());
        for (SpecGenerationService.Item it : plan.items()) {
            LlmCallRepository.StoredCall row = batchWs.read(tx -> tx.llmCalls().find(RequestHash.of(it.request())))
                    .orElseThrow();
            assertEquals(LlmCallRepository.OK, row.status());
            assertEquals(o.runId(), row.runId());
        }

        // the same generation, live, in a twin workspace: the same documents under the same request hashes
        Workspace liveWs = workspace("live");
        SpecGenerationService liveSvc = service(liveWs);
        Outcome live = liveSvc.generate(request(liveWs, false), null, TaskContext.none());
        assertEquals(RunRecord.SUCCEEDED, live.status(), live.error());
        assertEquals(SPECS, fake.liveCalls.get());
        assertEquals(specs(liveWs, live.runId()), specs(batchWs, o.runId()),
                "a batch run stores exactly the specs a live run stores");
        assertEquals(live.runCostUsd() * provider.batchPriceFactor(), o.runCostUsd(), 1e-12);
        assertTrue(live.batches().isEmpty());
        assertFalse(json(liveWs.read(tx -> tx.runs().get(live.runId())).orElseThrow().params()).path("batch")
                .asBoolean());

        // asked again: everything comes from the cache, nothing is uploaded or created
        Plan again = svc.plan(request(batchWs, true), TaskContext.none());
        assertEquals(0, again.estimate().requests());
        assertEquals(SPECS, again.estimate().cached());
        Outcome second = svc.generate(again, null, null, TaskContext.none());
        assertEquals(RunRecord.SUCCEEDED, second.status(), second.error());
        assertTrue(second.runId() != o.runId(), "a finished run is not reopened");
        assertEquals(SPECS, second.stored());
        assertEquals(0, second.paid());
        assertEquals(SPECS, second.cached());
        assertEquals(0, second.costNowUsd(), 1e-12);
        assertTrue(second.batches().isEmpty());
        assertEquals(1, fake.uploads.get(), "nothing uploaded");
        assertEquals(1, fake.creations.get(), "no batch created");
        assertEquals(SPECS, fake.liveCalls.get(), "no live call either");

        for (LlmGateway g : gateways) {
            g.close();
        }
        gateways.clear();
        workspaces.forEach(Workspace::close);
        assertEquals(List.of(), SpecGenFixture.filesContaining(dir, KEY), "the key is in no workspace file");
        assertTrue(fake.authorizations.stream().allMatch(a -> a.equals("Bearer " + KEY)));
    }

    @Test
    void aRunCancelledWhileWaitingLeavesItsBatchPendingAndTheSameRunCollectsItWithoutSendingItAgain()
            throws Exception {
        Workspace ws = workspace("ws");
        fake.pollsUntilDone = 1_000_000; // the provider takes its time
        Messages first = new Messages();
        first.cancelWhen = m -> m.contains("batch_1: in_progress");

        Outcome cancelled = service(ws).generate(request(ws, true), null, first);

        assertEquals(RunRecord.CANCELLED, cancelled.status(), cancelled.error());
        assertEquals(0, cancelled.stored());
        assertEquals("cancelled", cancelled.stoppedBy());
        assertTrue(cancelled.error().contains("batch batch_1 stays pending at the provider"), cancelled.error());
        assertEquals("batch_1", cancelled.batches().get(0).batchId());
        assertEquals(1, fake.creations.get());
        Plan plan = service(ws).plan(request(ws, true), TaskContext.none());
        for (SpecGenerationService.Item it : plan.items()) {
            assertEquals(LlmCallRepository.BATCH, ws.read(tx -> tx.llmCalls().find(RequestHash.of(it.request())))
                    .orElseThrow().status(), "every request waits in the batch");
        }

        // a live attempt of the same run leaves the waiting requests alone instead of buying them twice
        Outcome live = service(ws).generate(request(ws, false), null, TaskContext.none());
        assertEquals(cancelled.runId(), live.runId(), "the same run is resumed");
        assertEquals(RunRecord.FAILED, live.status());
        assertEquals(0, live.stored());
        assertEquals(SPECS, live.failed());
        assertTrue(live.problems().get(0).detail().contains("waits in a provider batch"),
                live.problems().get(0).detail());
        assertEquals(0, fake.liveCalls.get());

        fake.pollsUntilDone = 2;
        Messages second = new Messages();
        Outcome resumed = service(ws).generate(request(ws, true), null, second);

        assertEquals(RunRecord.SUCCEEDED, resumed.status(), resumed.error());
        assertEquals(cancelled.runId(), resumed.runId());
        assertTrue(resumed.resumed());
        assertEquals(SPECS, resumed.stored());
        assertEquals(SPECS, resumed.paid());
        assertEquals(1, fake.creations.get(), "the batch was polled again, not created again");
        assertEquals(1, fake.uploads.get());
        assertEquals(0, fake.liveCalls.get());
        assertEquals("batch_1", resumed.batches().get(0).batchId());
        assertEquals("completed", resumed.batches().get(0).status());
        assertTrue(second.any(m -> m.startsWith("Found the pending batch batch_1")), second.all());
        assertEquals(SPECS * SpecGenFixture.costPerAnswer() * provider.batchPriceFactor(), resumed.runCostUsd(),
                1e-12);
        JsonNode attempts = json(ws.read(tx -> tx.runs().get(resumed.runId())).orElseThrow().outputs())
                .path("attempts");
        assertEquals(3, attempts.size());
        assertEquals(List.of(true, false, true), List.of(attempts.get(0).path("batch").asBoolean(),
                attempts.get(1).path("batch").asBoolean(), attempts.get(2).path("batch").asBoolean()));
    }

    @Test
    void anInvalidBatchAnswerIsCorrectedByOneLiveCallAndALineWithoutAnswerGoesInTheNextBatch() throws Exception {
        Workspace ws = workspace("ws");
        SpecGenerationService svc = service(ws);
        Plan plan = svc.plan(request(ws, true), TaskContext.none());
        String invalidPrompt = firstUser(messagesOf(plan.items().get(0)));
        String lostPrompt = firstUser(messagesOf(plan.items().get(3)));
        double lostTemperature = plan.items().get(3).temperature();
        fake.finalStatus = "expired";
        java.util.concurrent.atomic.AtomicBoolean lose = new java.util.concurrent.atomic.AtomicBoolean(true);
        fake.answer = body -> {
            String prompt = firstUser(body);
            if (lose.get() && prompt.equals(lostPrompt) && body.path("temperature").asDouble() == lostTemperature) {
                return null; // the batch expired before this line
            }
            ObjectNode persona = FakeSpecLlm.personaNode(prompt);
            if (prompt.equals(invalidPrompt) && body.path("messages").size() == 2) {
                persona.remove("personality"); // required by the schema
            }
            return FakeBatchServer.completion(persona.toString(), FakeSpecLlm.PROMPT_TOKENS,
                    FakeSpecLlm.COMPLETION_TOKENS);
        };

        Outcome o = svc.generate(plan, null, null, TaskContext.none());

        // person 0 has 2 samples: both answers invalid in the batch, each corrected by one live call
        assertEquals(2, fake.liveCalls.get(), "only the corrections are live");
        assertEquals(SPECS - 1, o.stored());
        assertEquals(1, o.failed());
        assertEquals(RunRecord.FAILED, o.status());
        SpecGenerationService.Problem p = o.problems().get(0);
        assertEquals(SpecGenerationService.Problem.FAILED, p.kind());
        assertTrue(p.detail().contains("no answer in batch batch_1 (expired"), p.detail());
        assertTrue(o.error().contains("run the same command again"), o.error());
        for (int i = 0; i < 2; i++) {
            String hash = RequestHash.of(plan.items().get(i).request());
            LlmCallRepository.StoredCall corrected = ws.read(tx -> tx.llmCalls().find(hash)).orElseThrow();
            assertEquals(LlmCallRepository.OK, corrected.status());
            assertEquals(2, json(corrected.response()).path("tries").asInt(), corrected.response());
        }
        double answer = SpecGenFixture.costPerAnswer();
        // SPECS - 1 batch answers at half price, 2 corrections at the list price
        assertEquals((SPECS - 1) * answer * 0.5 + 2 * answer, o.runCostUsd(), 1e-12);

        fake.finalStatus = "completed";
        lose.set(false);
        Outcome again = svc.generate(svc.plan(request(ws, true), TaskContext.none()), null, null,
                TaskContext.none());
        assertEquals(RunRecord.SUCCEEDED, again.status(), again.error());
        assertEquals(o.runId(), again.runId());
        assertEquals(SPECS, again.stored());
        assertEquals(2, fake.creations.get());
        assertEquals(Set.of(RequestHash.of(plan.items().get(3).request())), new HashSet<>(fake.inputLines(
                fake.batches.get("batch_2").inputFileId).stream().map(l -> l.path("custom_id").asText()).toList()),
                "only the line without an answer is sent again");
        assertEquals(2, fake.liveCalls.get());
    }

    @Test
    void aBudgetSendsOnlyTheRequestsItCoversAtTheWorstCaseAndALargerOneFinishesTheRun() throws Exception {
        Workspace ws = workspace("ws");
        SpecGenerationService svc = service(ws);
        Plan probe = svc.plan(request(ws, true), TaskContext.none());
        ModelPrice batchPrice = provider.batchPrice("m").orElseThrow();
        double worst = 0;
        for (int i = 0; i < 5; i++) {
            ChatRequest q = probe.items().get(i).request();
            worst += batchPrice.cost(CostEstimate.promptTokens(q.messages()), CostEstimate.worstCaseCompletion(q));
        }
        double budget = worst * 1.0001; // the worst case of 5 requests, not 6

        Outcome o = svc.generate(request(ws, true).withBudget(budget), null, TaskContext.none());

        assertEquals("budget", o.stoppedBy(), o.error());
        assertEquals(RunRecord.FAILED, o.status());
        assertEquals(5, o.stored());
        assertEquals(5, fake.inputLines(fake.batches.get("batch_1").inputFileId).size());
        assertTrue(o.runCostUsd() <= budget, o.runCostUsd() + " > " + budget);
        assertTrue(o.error().contains("5 of the " + SPECS + " requests"), o.error());

        Outcome rest = svc.generate(request(ws, true).withBudget(1.0), null, TaskContext.none());
        assertEquals(RunRecord.SUCCEEDED, rest.status(), rest.error());
        assertEquals(o.runId(), rest.runId());
        assertEquals(SPECS, rest.stored());
        assertEquals(SPECS - 5, fake.inputLines(fake.batches.get("batch_2").inputFileId).size());
        assertEquals(0, fake.liveCalls.get());
        assertNotNull(rest.estimate());
    }

    private static JsonNode messagesOf(SpecGenerationService.Item it) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        var arr = body.putArray("messages");
        for (ChatMessage m : it.request().messages()) {
            arr.addObject().put("role", m.role()).put("content", m.content());
        }
        return body;
    }

    /** Records messages; cancels once a message matches {@link #cancelWhen}. */
    static final class Messages implements TaskContext {
        final List<String> messages = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile Predicate<String> cancelWhen = m -> false;
        volatile boolean cancelled;

        @Override
        public void progress(double done, double total) {
        }

        @Override
        public void message(String message) {
            messages.add(message);
            if (cancelWhen.test(message)) {
                cancelled = true;
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        boolean any(Predicate<String> p) {
            synchronized (messages) {
                return messages.stream().anyMatch(p);
            }
        }

        String all() {
            synchronized (messages) {
                return String.join("\n", messages);
            }
        }
    }
}
