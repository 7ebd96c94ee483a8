package org.personalab.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A scriptable OpenAI-compatible chat server behind MockWebServer: counts requests per prompt (the last user message),
 * tracks how many are in flight at once, and answers with what {@link #script} returns.
 */
final class FakeLlm extends Dispatcher {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the server saw it. */
    record Exchange(int n, int forPrompt, String prompt, JsonNode body, RecordedRequest raw) {
        String authorization() {
            return raw.getHeaders().get("Authorization");
        }
    }

    final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
    final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    final AtomicInteger total = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    volatile Function<Exchange, MockResponse> script = ex -> ok("answer to " + ex.prompt());
    volatile long delayMs;

    @Override
    public MockResponse dispatch(RecordedRequest rr) throws InterruptedException {
        JsonNode body;
        try {
            body = JSON.readTree(rr.getBody() == null ? "{}" : rr.getBody().utf8());
        } catch (Exception e) {
            return new MockResponse.Builder().code(400).body("{\"error\":{\"message\":\"bad json\"}}").build();
        }
        String prompt = "";
        for (JsonNode m : body.path("messages")) {
            if (m.path("role").asText().equals("user")) {
                prompt = m.path("content").asText();
                break;
            }
        }
        int n = total.incrementAndGet();
        int k = served.computeIfAbsent(prompt, x -> new AtomicInteger()).incrementAndGet();
        Exchange ex = new Exchange(n, k, prompt, body, rr);
        exchanges.add(ex);
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            if (delayMs > 0) {
                Thread.sleep(delayMs);
            }
            return script.apply(ex);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    int servedFor(String prompt) {
        AtomicInteger a = served.get(prompt);
        return a == null ? 0 : a.get();
    }

    static MockResponse ok(String content) {
        return ok(content, 100, 50);
    }

    static MockResponse ok(String content, int promptTokens, int completionTokens) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", "chatcmpl-test");
        o.put("object", "chat.completion");
        ObjectNode c = o.putArray("choices").addObject();
        c.put("index", 0);
        c.putObject("message").put("role", "assistant").put("content", content);
        c.put("finish_reason", "stop");
        o.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(o.toString())
                .build();
    }

    static MockResponse error(int code, String message) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":" + JSON.valueToTree(message) + "}}").build();
    }
}
