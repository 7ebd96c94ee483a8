package org.personalab.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.llm.ApiKeys;
import org.personalab.llm.Budget;
import org.personalab.llm.LlmGateway;
import org.personalab.llm.ModelPrice;
import org.personalab.llm.Provider;
import org.personalab.llm.ProviderRegistry;
import org.personalab.llm.RetryPolicy;
import org.personalab.profile.Profile;
import org.personalab.spec.AgentSpec;
import org.personalab.store.Workspace;
import org.personalab.task.TaskContext;

/** The LLM judge against a real local HTTP server speaking the OpenAI chat completions protocol. */
class LlmJudgeTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "sk-judge-test-1234567890";

    @TempDir
    Path dir;

    MockWebServer server;
    final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    volatile Function<String, String> answer; // user prompt -> the judge's JSON answer
    Workspace ws;
    LlmGateway gw;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest rr) {
                try {
                    JsonNode body = JSON.readTree(rr.getBody().utf8());
                    bodies.add(body);
                    String user = "";
                    for (JsonNode m : body.path("messages")) {
                        if (m.path("role").asText().equals("user")) {
                            user = m.path("content").asText();
                        }
                    }
                    return ok(answer.apply(user));
                } catch (Exception e) {
                    return new MockResponse.Builder().code(500).body(String.valueOf(e)).build();
                }
            }
        });
        server.start();
        ws = Workspace.openOrCreate(dir.resolve("ws"));
        Provider p = Provider.of("fake", server.url("/v1").toString(), "PL_JUDGE_KEY")
                .withModel(new ModelPrice("judge-m", 2.5, 10));
        gw = LlmGateway.builder(ws).registry(ProviderRegistry.builtIn().with(p))
                .keys(new ApiKeys(dir.resolve("keys.json"), v -> v.equals("PL_JUDGE_KEY") ? KEY : null))
                .retryPolicy(new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(1), 1))
                .build();
    }

    @AfterEach
    void stop() {
        gw.close();
        server.close();
    }

    static MockResponse ok(String content) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", "chatcmpl-judge");
        o.put("object", "chat.completion");
        ObjectNode c = o.putArray("choices").addObject();
        c.put("index", 0);
        c.putObject("message").put("role", "assistant").put("content", content);
        c.put("finish_reason", "stop");
        o.putObject("usage").put("prompt_tokens", 1500).put("completion_tokens", 60).put("total_tokens", 1560);
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(o.toString())
                .build();
    }

    /** An unbiased judge prefers the spec named "Right Person" in whichever position it is shown. */
    static String prefersRight(String user) {
        int a = user.indexOf("## Description A");
        int b = user.indexOf("## Description B");
        boolean rightIsA = user.substring(a, b).contains("Right Person");
        return "{\"winner\": \"" + (rightIsA ? "A" : "B") + "\", \"confidence\": 0.8, \"rationale\": \"levels match\"}";
    }

    JudgeInput pair(Profile p) {
        AgentSpec right = JudgeTestData.faithful(p).name("Right Person");
        AgentSpec wrong = JudgeTestData.offBy(p, 6).name("Wrong Person");
        return new JudgeInput(new SpecPair(11, 12, 5, "run 1", "run 2"), p, wrong, right);
    }

    LlmJudge judge() {
        return new LlmJudge(gw, "fake", "judge-m", JudgePrompt.standard(), 0.0, 512, Budget.ofUsd(1.0));
    }

    @Test
    void eachPairIsAskedInBothOrdersWithAStructuredAnswerAndTheOrdersAreCombined() {
        answer = LlmJudgeTest::prefersRight;
        Profile p = JudgeTestData.person("p9");
        JudgeResult r = judge().judge(pair(p), TaskContext.none(), 0);
        assertEquals(Verdict.B, r.winner(), "spec B is the right one");
        assertTrue(r.consistent());
        assertFalse(r.flagged());
        assertEquals(0.8, r.confidence(), 1e-12);
        assertEquals(2, bodies.size(), "one request per order");
        String first = bodies.get(0).path("messages").get(1).path("content").asText();
        String second = bodies.get(1).path("messages").get(1).path("content").asText();
        assertNotEquals(first, second);
        assertTrue(first.indexOf("Wrong Person") < first.indexOf("Right Person"), "order AB shows spec A first");
        assertTrue(second.indexOf("Right Person") < second.indexOf("Wrong Person"), "order BA shows spec B first");
        assertTrue(first.contains("- Country: Germany") && first.contains("Activity Level: "), first);
        assertEquals("json_schema", bodies.get(0).path("response_format").path("type").asText());
        assertFalse(bodies.get(0).toString().contains(KEY));
        assertTrue(bodies.get(0).path("messages").get(0).path("content").asText().contains("Realism without"));
        // cost: 2 x (1500 x $2.50 + 60 x $10) per million tokens
        assertEquals(2 * (1500 * 2.5 + 60 * 10) / 1e6, r.costUsd(), 1e-9);

        // a rerun is answered from the workspace: nothing sent, nothing paid
        JudgeResult again = judge().judge(pair(p), TaskContext.none(), 0);
        assertEquals(2, bodies.size());
        assertEquals(Verdict.B, again.winner());
        assertEquals(0.0, again.costUsd());
    }

    @Test
    void aServerThatAlwaysAnswersAGivesAFlaggedTie() {
        answer = u -> "{\"winner\": \"A\", \"confidence\": 0.9, \"rationale\": \"A is better\"}";
        JudgeResult r = judge().judge(pair(JudgeTestData.person("p8")), TaskContext.none(), 0);
        assertEquals(Verdict.TIE, r.winner());
        assertTrue(r.flagged());
        assertEquals(0, PositionConsistency.of(List.of(JudgeResult.orders(r.detailJson()))).consistent());
    }

    @Test
    void anAnswerOutsideTheSchemaIsAskedAgainThenStoredAsInvalid() {
        answer = u -> "{\"winner\": \"C\", \"confidence\": 2, \"rationale\": \"?\"}";
        JudgeResult r = judge().judge(pair(JudgeTestData.person("p7")), TaskContext.none(), 0);
        assertEquals(Verdict.TIE, r.winner());
        assertTrue(r.flagged());
        assertFalse(r.first().isValid());
        assertTrue(r.first().problem().contains("winner"), r.first().problem());
        assertEquals(4, bodies.size(), "each order: the answer and one correction");
    }

    @Test
    void thePromptTemplateIsStrictAndPreviewable() {
        JudgePrompt std = JudgePrompt.standard();
        Profile p = JudgeTestData.person("p6");
        JudgePrompt.Rendered r = std.render(p, JudgeTestData.faithful(p), JudgeTestData.offBy(p, 1));
        assertTrue(r.system().contains("1. Trait-level fidelity"));
        assertFalse(r.user().contains("{{"));
        assertEquals(64, std.sha256().length());
        IllegalArgumentException noUser = assertThrows(IllegalArgumentException.class,
                () -> new JudgePrompt("mine.txt", "[system]\nJudge.\n"));
        assertTrue(noUser.getMessage().startsWith("mine.txt: "), noUser.getMessage());
        IllegalArgumentException unused = assertThrows(IllegalArgumentException.class,
                () -> new JudgePrompt("mine.txt", "[system]\nJudge.\n[user]\n{{profile}} {{spec_a}}\n"));
        assertTrue(unused.getMessage().contains("{{spec_b}}"), unused.getMessage());
        JudgePrompt typo = new JudgePrompt("typo.txt", "[system]\nJudge.\n[user]\n{{profile}} {{spec_a}} {{spec_b}} "
                + "{{demographics}}\n");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> typo.render(p, JudgeTestData.faithful(p), JudgeTestData.faithful(p)));
        assertTrue(unknown.getMessage().contains("demographics"), unknown.getMessage());
    }
}
