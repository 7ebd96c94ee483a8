package org.personalab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.llm.ApiKeys;
import org.personalab.llm.CallContext;
import org.personalab.llm.ChatMessage;
import org.personalab.llm.ChatRequest;
import org.personalab.llm.ChatResponse;
import org.personalab.llm.LlmGateway;
import org.personalab.llm.ModelPrice;
import org.personalab.llm.Provider;
import org.personalab.llm.ProviderRegistry;
import org.personalab.store.Workspace;

/**
 * The OpenAI-compatible server over a tiny chat model with a real tokenizer and template: our own LLM gateway talks
 * to it like to any provider, streaming gives the same text, and bad requests get clear 400s.
 */
class ChatServerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final MediaType JSON_TYPE = MediaType.get("application/json");

    @TempDir
    static Path tmp;

    static LocalModel model;
    static ChatServer server;
    static OkHttpClient http = new OkHttpClient();

    @BeforeAll
    static void start() throws Exception {
        model = LocalModel.load(TinyChatModel.write(tmp.resolve("tiny-chat"), 41), null);
        server = ChatServer.start(model, "127.0.0.1", 0, 16);
    }

    @AfterAll
    static void stop() {
        server.close();
        model.close();
    }

    /** What the engine itself answers, greedily, without HTTP. */
    static String direct(List<ChatTurn> messages, int maxTokens) {
        int[] prompt = model.tokenizer().encode(model.template().render(messages, true));
        try (DecoderModel m = DecoderModel.load(tmp.resolve("tiny-chat"))) {
            Generation g = new Generator(m).generate(prompt,
                    GenerationParams.greedy(maxTokens, Set.of(TinyChatModel.IM_END)), null);
            return model.tokenizer().decode(g.tokens(), true);
        }
    }

    @Test
    void ourGatewayUsesTheLocalModelLikeAnyProvider() {
        assertEquals(Set.of(TinyChatModel.IM_END), model.stopTokens());
        Provider local = Provider.of("local", server.baseUrl(), null).withDefaultPrice(ModelPrice.free());
        try (Workspace ws = Workspace.openOrCreate(tmp.resolve("ws"));
                LlmGateway gw = LlmGateway.builder(ws).registry(ProviderRegistry.builtIn().with(local))
                        .keys(new ApiKeys(tmp.resolve("keys.json"), v -> null)).build()) {
            ChatRequest req = ChatRequest.of("local", model.name(), List.of(ChatMessage.system("Be brief."),
                    ChatMessage.user("Hello there"))).withTemperature(0.0).withMaxTokens(12);
            ChatResponse r = gw.call(req, CallContext.of(null));
            assertTrue(r.isOk());
            String expected = direct(List.of(new ChatTurn("system", "Be brief."), new ChatTurn("user", "Hello there")),
                    12);
            assertFalse(expected.isEmpty());
            assertEquals(expected, r.text());
            assertEquals("length", r.finishReason());
            int promptTokens = model.promptTokens(List.of(new ChatTurn("system", "Be brief."),
                    new ChatTurn("user", "Hello there"))).length;
            assertEquals(promptTokens, r.usage().promptTokens());
            assertEquals(12, r.usage().completionTokens());
        }
    }

    @Test
    void streamingSendsTheSameTextInChunks() throws Exception {
        ObjectNode body = request("Tell me something", 14);
        JsonNode plain = post(body);
        String text = plain.at("/choices/0/message/content").asText();
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        List<JsonNode> events = new ArrayList<>();
        boolean done = false;
        try (Response r = http.newCall(new Request.Builder().url(server.baseUrl() + "/chat/completions")
                .post(RequestBody.create(body.toString(), JSON_TYPE)).build()).execute()) {
            assertEquals(200, r.code());
            assertTrue(r.header("Content-Type").startsWith("text/event-stream"));
            for (String line : r.body().string().split("\n")) {
                if (line.equals("data: [DONE]")) {
                    done = true;
                } else if (line.startsWith("data: ")) {
                    events.add(JSON.readTree(line.substring(6)));
                }
            }
        }
        assertTrue(done);
        assertEquals("assistant", events.get(0).at("/choices/0/delta/role").asText());
        StringBuilder streamed = new StringBuilder();
        for (JsonNode e : events) {
            assertEquals("chat.completion.chunk", e.get("object").asText());
            streamed.append(e.at("/choices/0/delta/content").asText(""));
        }
        assertEquals(text, streamed.toString());
        assertTrue(events.size() > 4, "the reply came in pieces: " + events.size());
        JsonNode last = events.get(events.size() - 2);
        assertEquals("length", last.at("/choices/0/finish_reason").asText());
        JsonNode usage = events.get(events.size() - 1).get("usage");
        assertEquals(plain.get("usage"), usage);
    }

    @Test
    void stopStringsCutTheReply() throws Exception {
        ObjectNode body = request("Another question", 16);
        String free = post(body).at("/choices/0/message/content").asText();
        String stop = free.substring(free.length() / 2, free.length() / 2 + 2);
        body.putArray("stop").add(stop);
        JsonNode cut = post(body);
        String text = cut.at("/choices/0/message/content").asText();
        assertEquals(free.substring(0, free.indexOf(stop)), text);
        assertEquals("stop", cut.at("/choices/0/finish_reason").asText());
    }

    @Test
    void seededSamplingIsReproducible() throws Exception {
        ObjectNode body = request("Sample me", 10);
        body.put("temperature", 1.2).put("seed", 7);
        String a = post(body).at("/choices/0/message/content").asText();
        assertEquals(a, post(body).at("/choices/0/message/content").asText());
        body.put("seed", 8);
        assertFalse(a.equals(post(body).at("/choices/0/message/content").asText()));
    }

    @Test
    void badRequestsGetClearErrors() throws Exception {
        assertError("{not json", 400, "not valid JSON");
        assertError("{\"messages\": []}", 400, "'messages' must be a non-empty array");
        assertError("{\"messages\": [{\"content\": \"hi\"}]}", 400, "messages[0].role is missing");
        assertError("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"temperature\": 5}", 400,
                "'temperature' must be a number in [0.0, 2.0]");
        assertError("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], "
                + "\"response_format\": {\"type\": \"json_schema\"}}", 400, "response_format 'json_schema'");
        try (Response r = http.newCall(new Request.Builder().url(server.baseUrl() + "/models").build()).execute()) {
            JsonNode models = JSON.readTree(r.body().string());
            assertEquals("tiny-chat", models.at("/data/0/id").asText());
        }
        try (Response r = http.newCall(new Request.Builder().url(server.baseUrl() + "/embeddings").build())
                .execute()) {
            assertEquals(404, r.code());
        }
    }

    private static void assertError(String body, int status, String expected) throws Exception {
        try (Response r = http.newCall(new Request.Builder().url(server.baseUrl() + "/chat/completions")
                .post(RequestBody.create(body, JSON_TYPE)).build()).execute()) {
            assertEquals(status, r.code());
            String message = JSON.readTree(r.body().string()).at("/error/message").asText();
            assertTrue(message.contains(expected), message);
        }
    }

    private static ObjectNode request(String user, int maxTokens) {
        ObjectNode body = JSON.createObjectNode().put("model", model.name()).put("max_tokens", maxTokens)
                .put("temperature", 0);
        body.putArray("messages").addObject().put("role", "user").put("content", user);
        return body;
    }

    private static JsonNode post(ObjectNode body) throws Exception {
        try (Response r = http.newCall(new Request.Builder().url(server.baseUrl() + "/chat/completions")
                .post(RequestBody.create(body.toString(), JSON_TYPE)).build()).execute()) {
            assertEquals(200, r.code());
            return JSON.readTree(r.body().string());
        }
    }
}
