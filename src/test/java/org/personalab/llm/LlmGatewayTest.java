package org.personalab.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.personalab.store.LlmCallRepository;

/**
 * The gateway's answers, cache, coalescing, budget, estimate and structured output, against a real local HTTP server.
 */
class LlmGatewayTest extends GatewayFixture {

    @Test
    void answersAndStoresTheCallWithTokensCostAndTheKeyOnlyInTheHeader() {
        ChatResponse r = gw.call(req("hello"), CallContext.of(null));
        assertEquals("answer to hello", r.text());
        assertTrue(r.isOk());
        assertFalse(r.cached());
        assertEquals(new Usage(100, 50), r.usage());
        assertEquals((100 * 1000 + 50 * 2000) / 1e6, r.costUsd(), 1e-12);
        FakeLlm.Exchange ex = fake.exchanges.get(0);
        assertEquals("/v1/chat/completions", ex.raw().getUrl().encodedPath());
        assertEquals("Bearer " + KEY, ex.authorization());
        assertEquals("m", ex.body().path("model").asText());
        assertEquals(0.7, ex.body().path("temperature").asDouble());
        assertEquals(100, ex.body().path("max_tokens").asInt());
        assertFalse(ex.body().has("response_format"));

        LlmCallRepository.StoredCall row = row(req("hello"));
        assertEquals(LlmCallRepository.OK, row.status());
        assertEquals(100, row.promptTokens());
        assertEquals(50, row.completionTokens());
        assertEquals(0.2, row.costUsd(), 1e-12);
        assertEquals("fake", row.provider());
        assertEquals(RequestHash.canonicalJson(req("hello")), row.request());
        assertFalse(row.request().contains(KEY) || row.response().contains(KEY));
    }

    @Test
    void sendsNoAuthorizationHeaderWithoutAConfiguredKey() {
        gw.close();
        gw = gateway(Provider.of("fake", provider.baseUrl(), null).withDefaultPrice(ModelPrice.free()),
                RetryPolicy.DEFAULT);
        ChatResponse r = gw.call(req("hi"), CallContext.of(null));
        assertEquals(0, r.costUsd());
        assertNull(fake.exchanges.get(0).authorization());
    }

    @Test
    void aMissingKeyFailsBeforeSendingAndNamesTheVariable() {
        gw.close();
        gw = LlmGateway.builder(ws).registry(ProviderRegistry.builtIn().with(provider))
                .keys(new ApiKeys(dir.resolve("nokeys.json"), v -> null)).build();
        LlmException e = assertThrows(LlmException.class, () -> gw.call(req("x"), CallContext.of(null)));
        assertTrue(e.getMessage().contains("PL_FAKE_KEY"), e.getMessage());
        assertEquals(0, fake.total.get());
    }

    @Test
    void anIdenticalRequestIsAnsweredFromTheCacheAtNoCostUnlessAnotherSampleIsAsked() {
        ChatResponse first = gw.call(req("q"), CallContext.of(null));
        ChatResponse again = gw.call(req("q"), CallContext.of(null));
        assertEquals(1, fake.total.get());
        assertTrue(again.cached());
        assertEquals(0, again.costUsd());
        assertEquals(first.text(), again.text());
        assertEquals(first.requestHash(), again.requestHash());
        // a second gateway on the same workspace (a later session) also hits the cache
        try (LlmGateway other = gateway(provider, RetryPolicy.DEFAULT)) {
            assertTrue(other.call(req("q"), CallContext.of(null)).cached());
        }
        assertEquals(1, fake.total.get());
        ChatResponse fresh = gw.call(req("q").withSampleIndex(1), CallContext.of(null));
        assertFalse(fresh.cached());
        assertEquals(2, fake.total.get());
        gw.call(req("q").withTemperature(0.0), CallContext.of(null));
        assertEquals(3, fake.total.get(), "other parameters are another request");
        assertEquals(3, gw.totals(null).answered());
        assertEquals(0.6, gw.totals(null).costUsd(), 1e-9);
    }

    @Test
    void identicalRequestsInFlightAreCoalescedIntoOnePaidCall() throws Exception {
        fake.delayMs = 300;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ChatResponse>> fs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                fs.add(pool.submit(() -> gw.call(req("same"), CallContext.of(null))));
            }
            int paid = 0;
            for (Future<ChatResponse> f : fs) {
                ChatResponse r = f.get(10, TimeUnit.SECONDS);
                assertEquals("answer to same", r.text());
                paid += r.cached() ? 0 : 1;
            }
            assertEquals(1, fake.servedFor("same"));
            assertEquals(1, paid, "exactly one caller paid");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theBudgetStopsARunCleanlyBeforeTheCallThatCouldExceedIt() throws Exception {
        long runId = ws.write(tx -> tx.runs().start("llm-test", "budget", "{}", "{}"));
        // each call: worst case (prompt estimate + 100 max tokens) ~ $0.23, real cost $0.20
        Budget budget = Budget.ofUsd(1.0);
        CallContext cx = new CallContext(null, runId, budget);
        int done = 0;
        LlmException.BudgetExceeded stop = null;
        for (int i = 0; i < 20; i++) {
            try {
                gw.call(req("b" + i), cx);
                done++;
            } catch (LlmException.BudgetExceeded e) {
                stop = e;
                break;
            }
        }
        assertNotNull(stop, "the budget stopped the run");
        assertTrue(stop.getMessage().contains("budget of $1.0000 reached"), stop.getMessage());
        assertEquals(4, done);
        assertEquals(done, fake.total.get(), "nothing was sent past the cap");
        assertEquals(0.8, budget.spentUsd(), 1e-9);
        assertTrue(budget.spentUsd() <= 1.0);
        LlmCallRepository.Totals run = gw.totals(runId);
        assertEquals(4, run.answered());
        assertEquals(0.8, run.costUsd(), 1e-9);
        assertEquals(400, run.promptTokens());
        assertEquals(Integer.valueOf(4), ws.read(tx -> tx.llmCalls().countByStatus()).get(LlmCallRepository.OK));
        assertTrue(ws.read(tx -> tx.llmCalls().find(RequestHash.of(req("b4")))).isEmpty());
        // answers already paid for stay free under a new, exhausted budget
        assertTrue(gw.call(req("b0"), cx.withBudget(Budget.ofUsd(0))).cached());
    }

    @Test
    void aCappedBudgetRefusesAModelWithoutAPrice() {
        LlmException e = assertThrows(LlmException.class, () -> gw.call(
                ChatRequest.of("fake", "unpriced-model", List.of(ChatMessage.user("x"))),
                CallContext.of(null).withBudget(Budget.ofUsd(5))));
        assertTrue(e.getMessage().contains("no price"), e.getMessage());
        assertEquals(0, fake.total.get());
    }

    static final String SCHEMA = """
            {"type": "object", "required": ["name", "score"], "properties": {
              "name": {"type": "string"}, "score": {"type": "integer", "minimum": 1, "maximum": 5}}}""";

    ChatRequest structured(String prompt) throws Exception {
        return req(prompt).withFormat(ResponseFormat.jsonSchema("rating", FakeLlm.JSON.readTree(SCHEMA)));
    }

    @Test
    void jsonSchemaIsSentAndARepairableAnswerIsRepaired() throws Exception {
        fake.script = ex -> FakeLlm.ok("Sure! Here it is:\n```json\n{'name': 'Ann', 'score': 4,}\n```\nAnything else?");
        ChatResponse r = gw.call(structured("rate"), CallContext.of(null));
        assertTrue(r.isOk(), r.problems().toString());
        assertEquals(4, r.json().path("score").asInt());
        assertEquals("Ann", r.json().path("name").asText());
        JsonNode rf = fake.exchanges.get(0).body().path("response_format");
        assertEquals("json_schema", rf.path("type").asText());
        assertEquals("rating", rf.path("json_schema").path("name").asText());
        assertEquals(FakeLlm.JSON.readTree(SCHEMA), rf.path("json_schema").path("schema"));
        JsonNode env = FakeLlm.JSON.readTree(row(structured("rate")).response());
        assertTrue(env.path("repaired").asBoolean());
        assertEquals(4, env.path("json").path("score").asInt());
        // cached structured answers come back parsed
        assertEquals(4, gw.call(structured("rate"), CallContext.of(null)).json().path("score").asInt());
    }

    @Test
    void anInvalidAnswerIsStoredWithItsRawTextAndAskedAgainWithTheProblems() throws Exception {
        fake.script = ex -> ex.forPrompt() == 1 ? FakeLlm.ok("{\"name\": \"Ann\", \"score\": 9}")
                : FakeLlm.ok("{\"name\": \"Ann\", \"score\": 5}");
        ChatResponse r = gw.call(structured("fix"), CallContext.of(null));
        assertTrue(r.isOk());
        assertEquals(2, r.tries());
        assertEquals(new Usage(200, 100), r.usage(), "both paid answers are counted");
        assertEquals(0.4, r.costUsd(), 1e-9);
        JsonNode second = fake.exchanges.get(1).body().path("messages");
        assertEquals("assistant", second.get(2).path("role").asText());
        assertEquals("{\"name\": \"Ann\", \"score\": 9}", second.get(2).path("content").asText());
        assertTrue(second.get(3).path("content").asText().contains("$.score: 9 is above the maximum 5"),
                second.get(3).toString());
        LlmCallRepository.StoredCall row = row(structured("fix"));
        assertEquals(LlmCallRepository.OK, row.status());
        assertEquals(0.4, row.costUsd(), 1e-9);
        JsonNode env = FakeLlm.JSON.readTree(row.response());
        assertEquals("{\"name\": \"Ann\", \"score\": 9}", env.path("rejected").get(0).path("text").asText());
    }

    @Test
    void anAnswerThatStaysInvalidComesBackAsInvalidNeverAsACrash() throws Exception {
        fake.script = ex -> FakeLlm.ok("I cannot rate that, sorry.");
        ChatResponse r = gw.call(structured("never"), CallContext.of(null));
        assertEquals(ChatResponse.Status.INVALID, r.status());
        assertEquals("I cannot rate that, sorry.", r.text());
        assertNull(r.json());
        assertEquals(List.of("no JSON object found in the answer"), r.problems());
        assertEquals(3, fake.total.get(), "1 + maxInvalidAnswers tries");
        LlmCallRepository.StoredCall row = row(structured("never"));
        assertEquals(LlmCallRepository.INVALID, row.status());
        assertEquals(3, FakeLlm.JSON.readTree(row.response()).path("rejected").size());
        ChatResponse again = gw.call(structured("never"), CallContext.of(null));
        assertTrue(again.cached());
        assertEquals(ChatResponse.Status.INVALID, again.status());
        assertEquals(3, fake.total.get());
    }

    @Test
    void aProviderThatRejectsJsonSchemaIsAskedInJsonModeThenInThePrompt() throws Exception {
        fake.script = ex -> {
            String type = ex.body().path("response_format").path("type").asText("");
            if (!type.isEmpty()) {
                return FakeLlm.error(400, "response_format type " + type + " is not supported by this server");
            }
            return FakeLlm.ok("{\"name\": \"Bo\", \"score\": 2}");
        };
        ChatResponse r = gw.call(structured("modes"), CallContext.of(null));
        assertTrue(r.isOk());
        assertEquals(3, fake.total.get());
        assertEquals("json_object", fake.exchanges.get(1).body().path("response_format").path("type").asText());
        JsonNode sys = fake.exchanges.get(2).body().path("messages").get(0);
        assertEquals("system", sys.path("role").asText());
        assertTrue(sys.path("content").asText().startsWith("You are terse."));
        assertTrue(sys.path("content").asText().contains("\"minimum\":1"), "the schema went into the prompt");
        assertEquals(StructuredMode.PROMPT, gw.structuredMode("fake"));
        gw.call(structured("modes2"), CallContext.of(null));
        assertEquals(4, fake.total.get(), "the provider's mode is remembered");
        assertEquals(CircuitBreaker.State.CLOSED, gw.circuit("fake"));
    }

    @Test
    void theEstimateCountsOnlyWhatIsNotAnsweredYet() {
        gw.call(req("e0"), CallContext.of(null));
        List<ChatRequest> reqs = List.of(req("e0"), req("e1"), req("e2"));
        CostEstimate est = gw.estimate(reqs, 80);
        assertEquals(2, est.requests());
        assertEquals(1, est.cached());
        assertEquals(160, est.completionTokens());
        long pt = CostEstimate.promptTokens(req("e1").messages()) + CostEstimate.promptTokens(req("e2").messages());
        assertEquals(pt, est.promptTokens());
        assertEquals((pt * 1000 + 160 * 2000) / 1e6, est.costUsd(), 1e-12);
        assertTrue(est.unpriced().isEmpty());
    }
}