package org.personalab.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;
import org.personalab.llm.ModelPrice;
import org.personalab.llm.Timeouts;
import org.personalab.spec.AgentFile;
import org.personalab.spec.SpecPrompt;
import org.personalab.spec.SpecProvenance;
import org.personalab.spec.TemperatureJitter;
import org.personalab.spec.TinyTroupeFiles;
import org.personalab.store.LlmCallRepository;
import org.personalab.store.SpecRepository.SpecRow;
import org.personalab.task.BackgroundTask;
import org.personalab.task.RunRecord;
import org.personalab.task.TaskState;

/**
 * LLM spec generation over a split against a real local HTTP server and a real workspace: counts, jittered
 * temperatures, cost, provider failures, invalid answers, budget stops, the cache on a second run, cancellation and
 * pause.
 */
class SpecGenerationServiceTest extends SpecGenFixture {

    private static final double EPS = 1e-9;

    @Test
    void twoSamplesOfEachPersonInASplitPartAreStoredWithJitteredTemperaturesAndTheirCost() throws Exception {
        SpecGenerationService svc = service();
        SpecGenerationService.Request req = request(SPLIT + ":test").withSamples(2).withTemperature(0.8).withSeed(7);
        SpecGenerationService.Plan plan = svc.plan(req, new Recorder());
        assertEquals(TEST_PEOPLE * 2, plan.items().size());
        assertEquals(TEST_PEOPLE * 2, plan.estimate().requests());
        assertEquals(0, plan.estimate().cached());
        assertTrue(plan.estimate().costUsd() > 0, plan.estimate().summary());

        SpecGenerationService.Outcome o = svc.generate(plan, null, null, new Recorder());
        assertTrue(o.complete(), o.error());
        assertEquals(20, o.stored());
        assertEquals(20, o.paid());
        assertEquals(0, o.cached());
        assertEquals(20, fake.total.get());
        assertEquals(0, fake.duplicates());
        assertTrue(fake.maxInFlight.get() <= 3, "at most the provider's 3 calls in flight");

        // cost: summed from the tokens the server reported, identical in the outcome, the run and llm_call
        double expectedCost = 20 * costPerAnswer();
        assertEquals(expectedCost, o.runCostUsd(), EPS);
        assertEquals(expectedCost, o.costNowUsd(), EPS);
        RunRecord run = ws.read(tx -> tx.runs().get(o.runId())).orElseThrow();
        assertEquals(RunRecord.SUCCEEDED, run.status());
        JsonNode out = Json.MAPPER.readTree(run.outputs());
        assertEquals(expectedCost, out.path("costUsd").asDouble(), EPS);
        assertEquals(20L * FakeSpecLlm.PROMPT_TOKENS, out.path("promptTokens").asLong());
        assertEquals(20, out.path("specs").asInt());

        // parameters and inputs: everything to trace a spec back, never the key
        JsonNode params = Json.MAPPER.readTree(run.params());
        assertEquals("fake", params.path("provider").asText());
        assertEquals("m", params.path("model").asText());
        assertEquals(2, params.path("samples").asInt());
        assertEquals(0.8, params.path("temperature").asDouble(), EPS);
        assertEquals(0.1, params.path("jitter").asDouble(), EPS);
        assertEquals(7, params.path("seed").asLong());
        assertEquals(KEY_ENV, params.path("apiKeyEnv").asText());
        assertEquals(server.url("/v1").toString().replaceAll("/$", ""), params.path("baseUrl").asText());
        assertEquals(SpecPrompt.templateHash(req.template()), params.path("template").path("sha256").asText());
        JsonNode inputs = Json.MAPPER.readTree(run.inputs());
        assertEquals("test", inputs.path("part").asText());
        assertEquals(SPLIT, inputs.path("splitSet").asText());
        assertEquals(TEST_PEOPLE, inputs.path("people").asInt());
        assertFalse(run.params().contains(KEY) || run.inputs().contains(KEY) || run.outputs().contains(KEY));

        // every spec: right person and sample, temperature within ±10 % as sent, recorded in row and provenance
        long[] test = SplitSelection.resolve(ws, SPLIT + ":test").respondentIds();
        Set<Long> people = new HashSet<>();
        for (long id : test) {
            people.add(id);
        }
        Map<String, Double> sent = new HashMap<>();
        fake.exchanges.forEach(ex -> sent.put(ex.key(), ex.temperature()));
        List<SpecRow> rows = ws.read(tx -> tx.specs().byRun(o.runId()));
        assertEquals(20, rows.size());
        Map<Long, Set<Integer>> samples = new HashMap<>();
        Set<Double> temperatures = new HashSet<>();
        for (SpecRow r : rows) {
            assertTrue(people.contains(r.respondentId()));
            samples.computeIfAbsent(r.respondentId(), k -> new HashSet<>()).add(r.sample());
            AgentFile f = TinyTroupeFiles.parse(r.document());
            SpecProvenance p = f.provenance();
            assertEquals("llm:fake", p.engine());
            assertEquals("m", p.model());
            assertEquals(r.sample(), p.sample());
            assertEquals(r.temperature(), p.temperature());
            assertTrue(r.temperature() >= 0.72 - EPS && r.temperature() <= 0.88 + EPS, "±10 %: " + r.temperature());
            temperatures.add(r.temperature());
            String person = plan.items().stream().filter(i -> i.respondentId() == r.respondentId()).findFirst()
                    .orElseThrow().person();
            assertEquals(TemperatureJitter.of(0.8, 7, person, r.sample()), r.temperature(), EPS,
                    "seeded by run seed, person and sample");
            LlmCallRepository.StoredCall call = ws.read(tx -> tx.llmCalls().find(r.requestHash())).orElseThrow();
            assertEquals(LlmCallRepository.OK, call.status());
            assertEquals(o.runId(), call.runId());
            String user = Json.MAPPER.readTree(call.request()).path("messages").get(1).path("content").asText();
            assertEquals(r.temperature(), sent.get(user + "\u0000" + r.temperature()), EPS,
                    "the server got the temperature that was recorded");
            assertEquals(SpecPrompt.hash(List.of(SpecPrompt.SYSTEM, user)), p.promptHash());
        }
        samples.values().forEach(s -> assertEquals(Set.of(0, 1), s));
        assertTrue(temperatures.size() >= 15, "temperatures differ between people and samples: " + temperatures);

        // the prompts: TinyTroupe's system message, the schema asked for, no variable left blank or unrendered
        for (FakeSpecLlm.Exchange ex : fake.exchanges) {
            assertEquals(SpecPrompt.SYSTEM, ex.messages().get(0).path("content").asText());
            assertEquals("json_schema", ex.body().path("response_format").path("type").asText());
            assertFalse(ex.prompt().contains("{{"), ex.prompt());
            assertTrue(ex.prompt().matches("(?s).*Activity Level: (Very Low|Low|Medium|High|Very High).*"));
            assertTrue(ex.prompt().matches("(?s).*- Age: \\d+\\n- Sex: (Male|Female)\\n- Country: \\S.*"));
        }
        assertEquals(0, o.specsWithErrors(), "the fake copies the levels, so the validator finds no error");
    }

    @Test
    void rateLimitsBurstsOfServerErrorsTimeoutsAndTruncatedBodiesAreSurvived() throws Exception {
        fake.script = ex -> switch (ex.n()) {
            case 1 -> new MockResponse.Builder().code(429).setHeader("Retry-After", "0.05")
                    .body("{\"error\":{\"message\":\"rate limited\"}}").build();
            case 2, 3, 4 -> FakeSpecLlm.error(500, "overloaded; you sent " + ex.authorization());
            case 5 -> new MockResponse.Builder(FakeSpecLlm.ok(FakeSpecLlm.persona(ex.prompt())))
                    .onResponseBody(SocketEffect.ShutdownConnection.INSTANCE).build();
            case 6 -> new MockResponse.Builder().headersDelay(3, TimeUnit.SECONDS).body("{}").build();
            case 7 -> new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                    .body("{\"choices\":[{\"message\":{\"content\":\"{\\\"na").build();
            case 8, 9, 10, 11, 12 -> FakeSpecLlm.error(503, "burst " + ex.n());
            default -> FakeSpecLlm.ok(FakeSpecLlm.persona(ex.prompt()));
        };
        Recorder ctx = new Recorder();
        SpecGenerationService.Outcome o = service().generate(request(SPLIT + ":test"), null, ctx);
        assertTrue(o.complete(), o.error() + "\n" + ctx.messages);
        assertEquals(TEST_PEOPLE, o.stored());
        assertEquals(0, o.failed());
        assertTrue(ctx.said("HTTP 429"), ctx.messages::toString);
        assertTrue(ctx.said("HTTP 500"), ctx.messages::toString);
        assertTrue(ctx.said("timed out"), ctx.messages::toString);
        // the 5 × 503 opened the circuit; the run waited for it instead of failing people
        assertTrue(ctx.said("circuit"), ctx.messages::toString);
        assertEquals(TEST_PEOPLE, fake.served.size(), "every person asked");
        // the key the server echoed back is nowhere in the workspace
        assertEquals(List.of(), filesContaining(ws.dir(), KEY));
        assertTrue(fake.exchanges.stream().allMatch(ex -> ("Bearer " + KEY).equals(ex.authorization())));
    }

    @Test
    void anAnswerThatIsNotCleanJsonIsRepairedOrAskedAgainAndOneThatStaysInvalidIsReportedNotFatal()
            throws Exception {
        SpecGenerationService svc = service();
        SpecGenerationService.Plan plan = svc.plan(request(SPLIT + ":test"), new Recorder());
        String fenced = plan.items().get(0).request().messages().get(1).content();
        String refused = plan.items().get(1).request().messages().get(1).content();
        String partial = plan.items().get(2).request().messages().get(1).content();
        fake.script = ex -> {
            if (ex.prompt().equals(fenced)) { // prose around a fenced block with a trailing comma: repaired locally
                String json = FakeSpecLlm.persona(ex.prompt());
                return FakeSpecLlm.ok("Here is the person:\n```json\n" + json.substring(0, json.length() - 1)
                        + ",}\n```\nHope this helps!");
            }
            if (ex.prompt().equals(refused)) {
                return FakeSpecLlm.ok("I'm sorry, I cannot create that.");
            }
            if (ex.prompt().equals(partial) && ex.forKey() == 1) { // misses a required key: asked again
                ObjectNode p = FakeSpecLlm.personaNode(ex.prompt());
                p.remove("personality");
                return FakeSpecLlm.ok(p.toString());
            }
            return FakeSpecLlm.ok(FakeSpecLlm.persona(ex.prompt()));
        };
        SpecGenerationService.Outcome o = svc.generate(plan, null, null, new Recorder());
        assertEquals(RunRecord.SUCCEEDED, o.status(), "an invalid answer is reported, it does not fail the run");
        assertEquals(TEST_PEOPLE - 1, o.stored());
        assertEquals(1, o.invalid());
        assertEquals(1, o.problems().size());
        SpecGenerationService.Problem p = o.problems().get(0);
        assertEquals(SpecGenerationService.Problem.INVALID, p.kind());
        assertEquals(plan.items().get(1).person(), p.person());
        assertTrue(p.detail().contains("no JSON object found") && p.detail().contains("3 tries"), p.detail());
        // the raw answer is kept, final, with its tries
        LlmCallRepository.StoredCall bad = ws.read(tx -> tx.llmCalls().find(p.requestHash())).orElseThrow();
        assertEquals(LlmCallRepository.INVALID, bad.status());
        assertTrue(bad.response().contains("I'm sorry, I cannot create that."));
        assertEquals(3, fake.servedFor(refused));
        // the fenced answer was repaired without asking again
        assertEquals(1, fake.servedFor(fenced));
        // the answer missing "personality" was shown its problem and answered again
        assertEquals(2, fake.servedFor(partial));
        FakeSpecLlm.Exchange second = fake.exchanges.stream().filter(ex -> ex.prompt().equals(partial)
                && ex.forKey() == 2).findFirst().orElseThrow();
        assertTrue(second.messages().getLast().path("content").asText().contains("personality"));
        JsonNode outputs = Json.MAPPER.readTree(ws.read(tx -> tx.runs().get(o.runId())).orElseThrow().outputs());
        assertEquals(1, outputs.path("invalid").asInt());
        assertEquals(p.person(), outputs.path("problems").get(0).path("person").asText());
    }

    @Test
    void aBudgetStopLeavesACleanRunThatALargerBudgetResumesWithoutPayingTwice() throws Exception {
        gw.close();
        provider = provider.withModel(new ModelPrice("m", 10, 20));
        gw = gateway(provider, fastRetries());
        double perAnswer = (FakeSpecLlm.PROMPT_TOKENS * 10 + FakeSpecLlm.COMPLETION_TOKENS * 20) / 1e6;
        SpecGenerationService.Request req = request(SPLIT + ":test").withSamples(2).withMaxTokens(600)
                .withConcurrency(1).withBudget(0.1);
        SpecGenerationService.Outcome first = service().generate(req, null, new Recorder());
        assertEquals(RunRecord.FAILED, first.status());
        assertEquals("budget", first.stoppedBy());
        assertTrue(first.error().contains("budget of $0.1000 reached"), first.error());
        assertTrue(first.stored() >= 2 && first.stored() < 20, "stopped part way: " + first.stored());
        assertTrue(first.runCostUsd() <= 0.1 + EPS, "never over the cap: " + first.runCostUsd());
        assertEquals(first.stored() * perAnswer, first.runCostUsd(), EPS);
        assertEquals(first.stored(), fake.total.get(), "nothing was paid that was not stored");
        // clean: every paid answer of the run has its spec, the database is consistent
        assertEquals("ok", ws.integrityCheck());
        Set<String> specHashes = new HashSet<>();
        ws.read(tx -> tx.specs().byRun(first.runId())).forEach(r -> specHashes.add(r.requestHash()));
        assertEquals(first.stored(), specHashes.size());
        for (FakeSpecLlm.Exchange ex : fake.exchanges) {
            assertEquals(1, fake.served.get(ex.key()).get());
        }

        SpecGenerationService.Outcome second = service().generate(req.withBudget(10.0), null, new Recorder());
        assertTrue(second.resumed());
        assertEquals(first.runId(), second.runId(), "the same run continues");
        assertTrue(second.complete(), second.error());
        assertEquals(first.stored(), second.storedBefore());
        assertEquals(20, second.stored());
        assertEquals(20 - first.stored(), second.paid());
        assertEquals(20, fake.total.get());
        assertEquals(0, fake.duplicates(), "no answer paid twice");
        assertEquals(20 * perAnswer, second.runCostUsd(), EPS);
        JsonNode out = Json.MAPPER.readTree(ws.read(tx -> tx.runs().get(first.runId())).orElseThrow().outputs());
        assertEquals(2, out.path("attempts").size());
        assertTrue(out.path("stoppedBy").isNull());
    }

    @Test
    void runningACompletedGenerationAgainSendsNothingAndPaysNothing() {
        SpecGenerationService.Request req = request(SPLIT + ":test").withSamples(2);
        SpecGenerationService.Outcome first = service().generate(req, null, new Recorder());
        assertTrue(first.complete());
        int served = fake.total.get();
        assertEquals(20, served);

        SpecGenerationService.Plan again = service().plan(req, new Recorder());
        assertEquals(0, again.estimate().requests());
        assertEquals(20, again.estimate().cached());
        assertEquals(0, again.estimate().costUsd(), EPS);
        SpecGenerationService.Outcome second = service().generate(again, null, null, new Recorder());
        assertNotEquals(first.runId(), second.runId(), "a finished run is not reopened");
        assertFalse(second.resumed());
        assertTrue(second.complete());
        assertEquals(20, second.stored());
        assertEquals(0, second.paid());
        assertEquals(20, second.cached());
        assertEquals(0, second.runCostUsd(), EPS);
        assertEquals(served, fake.total.get(), "zero new requests on the server");
    }

    @Test
    void cancellingStopsTheCallsInFlightAndRecordsACancelledRun() throws Exception {
        gw.close();
        gw = gateway(provider.withTimeouts(new Timeouts(java.time.Duration.ofSeconds(2),
                java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(120))), fastRetries());
        fake.script = ex -> new MockResponse.Builder().headersDelay(60, TimeUnit.SECONDS).body("{}").build();
        SpecGenerationService svc = service();
        BackgroundTask<SpecGenerationService.Outcome> task = BackgroundTask.resumable("specs",
                ctx -> svc.generate(request(SPLIT + ":test"), null, ctx));
        Thread t = new Thread(task::run);
        t.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (fake.total.get() < 3) {
            assertTrue(System.nanoTime() < deadline, "three calls in flight");
            Thread.sleep(10);
        }
        task.cancel();
        assertTrue(task.await(20, TimeUnit.SECONDS), "the run ended without waiting for the 60 s answers");
        assertEquals(TaskState.CANCELLED, task.state());
        assertEquals(3, fake.total.get(), "no call started after the cancel");
        RunRecord run = ws.read(tx -> tx.runs().list()).getFirst();
        assertEquals(RunRecord.CANCELLED, run.status());
        assertTrue(run.error().contains("0 of 10"), run.error());
        assertEquals(0, (int) ws.read(tx -> tx.specs().countOriginals(run.id())));
        assertEquals(0, ws.read(tx -> tx.llmCalls().countByStatus()).getOrDefault(LlmCallRepository.OK, 0));
    }

    @Test
    void pausingHoldsNewCallsBackUntilResumed() throws Exception {
        SpecGenerationService.PauseGate gate = new SpecGenerationService.PauseGate();
        Recorder ctx = new Recorder();
        ctx.onProgress = d -> {
            if (d == 3) {
                gate.pause();
            }
        };
        SpecGenerationService svc = service();
        SpecGenerationService.Request req = request(SPLIT + ":test").withConcurrency(1);
        BackgroundTask<SpecGenerationService.Outcome> task = BackgroundTask.resumable("specs",
                c -> svc.generate(req, gate, new Forward(c, ctx)));
        Thread t = new Thread(task::run);
        t.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!ctx.said("Paused")) {
            assertTrue(System.nanoTime() < deadline && !task.state().isDone(), "paused: " + ctx.messages);
            Thread.sleep(10);
        }
        int atPause = fake.total.get();
        Thread.sleep(300);
        assertEquals(atPause, fake.total.get(), "no call while paused");
        assertTrue(gate.isPaused());
        assertFalse(task.state().isDone());
        gate.resume();
        SpecGenerationService.Outcome o = task.get();
        assertTrue(o.complete(), o.error());
        assertEquals(TEST_PEOPLE, o.stored());
        assertTrue(atPause >= 3 && atPause < TEST_PEOPLE, "paused part way: " + atPause);
    }

    @Test
    void badRequestsAreRefusedBeforeAnythingIsSent() {
        SpecGenerationService svc = service();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpecGenerationService.Engine.parse("gpt-4o"));
        assertTrue(e.getMessage().contains("PROVIDER:MODEL"), e.getMessage());
        assertEquals(new SpecGenerationService.Engine("ollama", "llama3:8b"),
                SpecGenerationService.Engine.parse("ollama:llama3:8b"));
        assertThrows(IllegalArgumentException.class, () -> request(SPLIT + ":test").withSamples(0));
        assertThrows(IllegalArgumentException.class, () -> request(SPLIT + ":test").withTemperature(2.5));
        // a budget cannot be enforced for a model without a price
        SpecGenerationService.Request unpriced = new SpecGenerationService.Request(
                SplitSelection.resolve(ws, SPLIT + ":test"), new SpecGenerationService.Engine("fake", "other"),
                request(SPLIT).template(), 1, 0.7, 1, 100, 0, 1.0, 0);
        e = assertThrows(IllegalArgumentException.class, () -> svc.plan(unpriced, new Recorder()));
        assertTrue(e.getMessage().contains("has no price"), e.getMessage());
        // a template with an unknown variable names the template, the person and the variable
        SpecGenerationService.Request badTemplate = new SpecGenerationService.Request(
                SplitSelection.resolve(ws, SPLIT + ":test"), new SpecGenerationService.Engine("fake", "m"),
                new org.personalab.spec.PromptTemplate("my.mustache", "Age {{age}}, mood {{mood}}"), 1, 0.7, 1, 100,
                0, null, 0);
        e = assertThrows(IllegalArgumentException.class, () -> svc.plan(badTemplate, new Recorder()));
        assertTrue(e.getMessage().contains("my.mustache") && e.getMessage().contains("mood")
                && e.getMessage().startsWith("person "), e.getMessage());
        assertEquals(0, fake.total.get());
        assertNull(ws.read(tx -> tx.runs().list()).stream().filter(r -> r.kind().equals(SpecService.RUN_KIND))
                .findFirst().orElse(null));
    }

    /** Sends what a background task sees to a recorder as well. */
    private record Forward(org.personalab.task.TaskContext task, Recorder rec)
            implements org.personalab.task.TaskContext {
        @Override
        public void progress(double done, double total) {
            task.progress(done, total);
            rec.progress(done, total);
        }

        @Override
        public void message(String message) {
            task.message(message);
            rec.message(message);
        }

        @Override
        public boolean isCancelled() {
            return task.isCancelled();
        }
    }
}
