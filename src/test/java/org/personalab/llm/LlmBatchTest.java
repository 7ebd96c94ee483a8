package org.personalab.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.store.LlmCallRepository;
import org.personalab.store.LlmCallRepository.StoredCall;
import org.personalab.store.Workspace;
import org.personalab.task.TaskContext;

/** The Batch API path against a local server that implements files and batches: submit, poll, collect, resume. */
class LlmBatchTest {

    static final String KEY = "sk-batch-test-1a2b3c4d";

    @TempDir
    Path dir;

    MockWebServer server;
    FakeBatchServer fake;
    Workspace ws;
    Provider provider;
    final List<LlmGateway> gateways = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fake = new FakeBatchServer();
        server = new MockWebServer();
        server.setDispatcher(fake);
        server.start();
        ws = Workspace.openOrCreate(dir.resolve("ws"));
        provider = Provider.of("fake", server.url("/v1").toString(), "PL_FAKE_KEY")
                .withModel(new ModelPrice("m", 1000, 2000))
                .withTimeouts(new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(10)));
    }

    @AfterEach
    void stop() {
        gateways.forEach(LlmGateway::close);
        server.close();
    }

    LlmGateway gateway() {
        LlmGateway g = LlmGateway.builder(ws).registry(ProviderRegistry.builtIn().with(provider))
                .keys(new ApiKeys(dir.resolve("settings/keys.json"), v -> v.equals("PL_FAKE_KEY") ? KEY : null))
                .retryPolicy(new RetryPolicy(4, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(5),
                        2)).build();
        gateways.add(g);
        return g;
    }

    LlmBatch batch(LlmGateway g) {
        return new LlmBatch(g).polling(Duration.ofMillis(5), Duration.ofMillis(20));
    }

    static ChatRequest req(String prompt) {
        return ChatRequest.of("fake", "m", List.of(ChatMessage.system("You are terse."), ChatMessage.user(prompt)))
                .withTemperature(0.7).withMaxTokens(100);
    }

    static List<ChatRequest> requests(int n) {
        List<ChatRequest> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(req("question " + i));
        }
        return out;
    }

    StoredCall row(ChatRequest r) {
        return ws.read(tx -> tx.llmCalls().find(RequestHash.of(r))).orElseThrow();
    }

    static CallContext cx() {
        return CallContext.of(TaskContext.none());
    }

    @Test
    void submitsOnlyWhatIsNotCachedPollsAndStoresAnswersLikeLiveCalls() throws Exception {
        LlmGateway gw = gateway();
        List<ChatRequest> all = requests(5);
        gw.call(all.get(0), cx()); // answered live before: must not be sent again
        gw.call(all.get(3), cx());
        assertEquals(2, fake.liveCalls.get());
        JsonNode schema = FakeBatchServer.JSON.readTree("{\"type\":\"object\",\"properties\":{\"score\":"
                + "{\"type\":\"integer\"}},\"required\":[\"score\"]}");
        ChatRequest structured = req("rate it").withFormat(ResponseFormat.jsonSchema("rating", schema));
        fake.answer = body -> FakeBatchServer.lastUser(body).equals("rate it")
                ? FakeBatchServer.completion("{\"score\": 4}", 80, 10)
                : FakeBatchServer.completion("answer to " + FakeBatchServer.lastUser(body), 100, 50);
        List<ChatRequest> asked = new ArrayList<>(all);
        asked.add(structured);
        asked.add(all.get(1)); // the same request twice is sent once

        BatchReport r = batch(gw).run(asked, cx());

        assertEquals(6, r.requests());
        assertEquals(2, r.cached());
        assertEquals(4, r.submitted());
        assertEquals(4, r.answered());
        assertEquals(0, r.invalid());
        assertTrue(r.failed().isEmpty(), r.failed().toString());
        assertEquals(1, fake.uploads.get());
        assertEquals(1, fake.creations.get());
        assertEquals(List.of("batch"), fake.uploadPurposes);
        assertTrue(fake.polls.get() >= 3, "polled until completed: " + fake.polls.get());
        assertEquals("batch_1", r.batches().get(0).batchId());
        assertEquals("completed", r.batches().get(0).status());
        FakeBatchServer.Batch b = fake.batches.get("batch_1");
        assertEquals("/v1/chat/completions", b.createBody.path("endpoint").asText());
        assertEquals("24h", b.createBody.path("completion_window").asText());
        List<JsonNode> lines = fake.inputLines(b.inputFileId);
        Set<String> sent = new HashSet<>();
        for (JsonNode l : lines) {
            sent.add(l.path("custom_id").asText());
            assertEquals("POST", l.path("method").asText());
            assertEquals("/v1/chat/completions", l.path("url").asText());
            assertEquals("m", l.path("body").path("model").asText());
        }
        assertEquals(Set.of(RequestHash.of(all.get(1)), RequestHash.of(all.get(2)), RequestHash.of(all.get(4)),
                RequestHash.of(structured)), sent, "custom_id is the request hash; cached requests are not sent");
        JsonNode structuredLine = lines.stream().filter(l -> l.path("custom_id").asText()
                .equals(RequestHash.of(structured))).findFirst().orElseThrow();
        assertEquals("json_schema", structuredLine.path("body").path("response_format").path("type").asText());
        assertTrue(fake.authorizations.stream().allMatch(a -> a.equals("Bearer " + KEY)));

        StoredCall s = row(all.get(2));
        assertEquals(LlmCallRepository.OK, s.status());
        assertEquals(100, s.promptTokens());
        assertEquals(50, s.completionTokens());
        // batch price: half of 1000 / 2000 dollars per million tokens
        assertEquals((100 * 500 + 50 * 1000) / 1e6, s.costUsd(), 1e-12);
        assertEquals((3 * (100 * 500 + 50 * 1000) + 80 * 500 + 10 * 1000) / 1e6, r.costUsd(), 1e-12);
        assertEquals(new Usage(380, 160), r.usage());
        assertFalse(s.response().contains(KEY));

        ChatResponse again = gw.call(all.get(2), cx());
        assertTrue(again.cached());
        assertEquals("answer to question 2", again.text());
        ChatResponse rated = gw.call(structured, cx());
        assertTrue(rated.cached());
        assertEquals(4, rated.json().path("score").asInt());
        assertEquals(2, fake.liveCalls.get(), "batch answers serve live calls from the cache");
        assertTrue(batch(gw).pending().isEmpty());

        BatchReport second = batch(gw).run(asked, cx());
        assertEquals(6, second.cached());
        assertEquals(0, second.submitted());
        assertEquals(1, fake.uploads.get(), "everything cached: nothing uploaded");
        assertEquals(1, fake.creations.get());
    }

    @Test
    void failedAndMissingLinesAreReportedStoredAsErrorsAndSentAgainNextTime() throws Exception {
        LlmGateway gw = gateway();
        List<ChatRequest> all = requests(4);
        fake.finalStatus = "expired";
        fake.answer = body -> switch (FakeBatchServer.lastUser(body)) {
            case "question 1" -> new FakeBatchServer.Failure(400, "max_tokens is too large for this model (sent with "
                    + "key " + KEY + ")"); // a server that echoes the key
            case "question 2" -> null; // never processed before the batch expired
            default -> FakeBatchServer.completion("answer to " + FakeBatchServer.lastUser(body), 100, 50);
        };

        BatchReport r = batch(gw).run(all, cx());

        assertEquals(2, r.answered());
        assertEquals(2, r.failed().size());
        BatchReport.FailedLine bad = r.failed().stream().filter(f -> f.requestHash().equals(RequestHash.of(all.get(1))))
                .findFirst().orElseThrow();
        assertEquals(400, bad.httpStatus());
        assertTrue(bad.message().contains("max_tokens is too large"), bad.message());
        assertTrue(bad.message().contains("batch_1"), bad.message());
        assertFalse(bad.message().contains(KEY), "the key is redacted: " + bad.message());
        assertFalse(row(all.get(1)).response().contains(KEY));
        BatchReport.FailedLine missing = r.failed().stream()
                .filter(f -> f.requestHash().equals(RequestHash.of(all.get(2)))).findFirst().orElseThrow();
        assertNull(missing.httpStatus());
        assertTrue(missing.message().contains("no answer in batch batch_1 (expired"), missing.message());
        assertEquals(LlmCallRepository.ERROR, row(all.get(1)).status());
        assertEquals(LlmCallRepository.ERROR, row(all.get(2)).status());
        assertEquals(LlmCallRepository.OK, row(all.get(0)).status());
        assertEquals(2, gw.totals(null).answered());

        fake.finalStatus = "completed";
        fake.answer = body -> FakeBatchServer.completion("late answer", 10, 5);
        BatchReport again = batch(gw).run(all, cx());
        assertEquals(2, again.cached());
        assertEquals(2, again.submitted());
        assertEquals(2, again.answered());
        FakeBatchServer.Batch second = fake.batches.get("batch_2");
        assertEquals(Set.of(RequestHash.of(all.get(1)), RequestHash.of(all.get(2))),
                new HashSet<>(fake.inputLines(second.inputFileId).stream().map(l -> l.path("custom_id").asText())
                        .toList()), "only the failed requests are sent again");
        assertEquals(LlmCallRepository.OK, row(all.get(2)).status());
    }

    @Test
    void aNewProcessFindsThePendingBatchAndCollectsItWithoutSubmittingAgain() {
        fake.pollsUntilDone = 1_000_000; // still running when the first process dies
        LlmGateway first = gateway();
        List<ChatRequest> all = requests(6);
        LlmBatch.Submission s = batch(first).submit(all, cx());
        assertEquals(6, s.submitted());
        assertEquals("batch_1", s.batches().get(0).batchId());
        first.close(); // the "crash": nothing of the first process is used again

        LlmGateway second = gateway();
        List<BatchReport.PendingBatch> pending = batch(second).pending();
        assertEquals(1, pending.size());
        assertEquals("batch_1", pending.get(0).batchId());
        assertEquals(6, pending.get(0).requests());
        assertEquals(LlmCallRepository.BATCH, row(all.get(0)).status());
        LlmException refused = assertThrows(LlmException.class, () -> second.call(all.get(0), cx()));
        assertTrue(refused.getMessage().contains("waits in batch batch_1"), refused.getMessage());
        assertEquals(0, fake.liveCalls.get(), "a waiting request is never bought live as well");
        assertEquals(0, second.totals(null).calls(), "waiting requests are not counted as calls");

        fake.pollsUntilDone = 2;
        BatchReport r = batch(second).run(all, cx());
        assertEquals(6, r.alreadyPending());
        assertEquals(0, r.submitted());
        assertEquals(6, r.answered());
        assertEquals(1, fake.uploads.get());
        assertEquals(1, fake.creations.get(), "the batch was collected, not submitted again");
        for (ChatRequest q : all) {
            assertEquals(LlmCallRepository.OK, row(q).status());
        }
        assertTrue(batch(second).pending().isEmpty());
    }

    @Test
    void aBatchCreatedButNotConfirmedIsFoundByItsInputFileInsteadOfCreatedTwice() {
        fake.loseCreateAnswers = 1;
        LlmGateway gw = gateway();
        List<ChatRequest> all = requests(3);
        BatchReport r = batch(gw).run(all, cx());
        assertEquals(3, r.answered());
        assertEquals(1, fake.creations.get(), "created once although the first answer was lost");
        assertEquals("batch_1", r.batches().get(0).batchId());
    }

    @Test
    void resumeCollectsWhatAKilledSubmitterLeftBehind() {
        fake.pollsUntilDone = 1_000_000;
        LlmGateway first = gateway();
        batch(first).submit(requests(2), cx());
        first.close();
        fake.pollsUntilDone = 2;
        BatchReport r = batch(gateway()).resume(cx());
        assertEquals(2, r.alreadyPending());
        assertEquals(2, r.answered());
        assertEquals(1, fake.creations.get());
        assertNotNull(row(requests(2).get(1)).costUsd());
    }

    @Test
    void aBudgetTooSmallForTheWorstCaseSendsNothing() {
        LlmGateway gw = gateway();
        CallContext capped = cx().withBudget(Budget.ofUsd(0.01)); // worst case: 100 max tokens at $1000/M each
        assertThrows(LlmException.BudgetExceeded.class, () -> batch(gw).run(requests(3), capped));
        assertEquals(0, fake.uploads.get());
        assertEquals(0, fake.creations.get());
    }

    @Test
    void anInvalidStructuredAnswerIsKeptAndCorrectedByALiveCall() throws Exception {
        LlmGateway gw = gateway();
        JsonNode schema = FakeBatchServer.JSON.readTree("{\"type\":\"object\",\"properties\":{\"score\":"
                + "{\"type\":\"integer\"}},\"required\":[\"score\"]}");
        ChatRequest q = req("rate it").withFormat(ResponseFormat.jsonSchema("rating", schema));
        fake.answer = body -> body.path("messages").size() > 2 ? FakeBatchServer.completion("{\"score\": 3}", 90, 8)
                : FakeBatchServer.completion("no idea", 80, 3);
        BatchReport r = batch(gw).run(List.of(q), cx());
        assertEquals(1, r.invalid());
        assertEquals(LlmCallRepository.REJECTED, row(q).status());
        ChatResponse fixed = gw.call(q, cx());
        assertTrue(fixed.isOk());
        assertEquals(3, fixed.json().path("score").asInt());
        assertEquals(2, fixed.tries(), "the batch answer counts as the first try");
        assertEquals(1, fake.liveCalls.get());
    }
}
