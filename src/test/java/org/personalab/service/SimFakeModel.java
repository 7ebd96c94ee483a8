package org.personalab.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A fake OpenAI-compatible chat model behind MockWebServer that plays a questionnaire respondent: it reads the item
 * statement from the last user message and answers "(B) Moderately Accurate" (or {"answer": "B"} when JSON is asked
 * for), except that it hedges on statements about worrying (unparseable) and declines those about anger (a refusal).
 * It reports usage as characters / 4 of the messages it received, and counts requests per exact body.
 */
final class SimFakeModel extends Dispatcher {

    static final ObjectMapper JSON = new ObjectMapper();
    final AtomicInteger total = new AtomicInteger();
    final Map<String, AtomicInteger> perBody = new ConcurrentHashMap<>();
    volatile long delayMs;

    @Override
    public MockResponse dispatch(RecordedRequest rr) throws InterruptedException {
        String raw = rr.getBody() == null ? "{}" : rr.getBody().utf8();
        JsonNode body;
        try {
            body = JSON.readTree(raw);
        } catch (Exception e) {
            return new MockResponse.Builder().code(400).body("{\"error\":{\"message\":\"bad json\"}}").build();
        }
        total.incrementAndGet();
        perBody.computeIfAbsent(raw, k -> new AtomicInteger()).incrementAndGet();
        if (delayMs > 0) {
            Thread.sleep(delayMs);
        }
        String last = "";
        int chars = 0;
        for (JsonNode m : body.path("messages")) {
            chars += m.path("content").asText().length();
            if (m.path("role").asText().equals("user")) {
                last = m.path("content").asText();
            }
        }
        boolean json = body.has("response_format");
        String reply;
        if (last.contains("worry")) {
            reply = "Well, it depends on the day.";
        } else if (last.contains("angry") || last.contains("anger")) {
            reply = "I'm sorry, but as an AI I cannot describe my feelings.";
        } else {
            reply = json ? "{\"answer\": \"B\"}" : "I would choose (B) Moderately Accurate.";
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("id", "chatcmpl-sim");
        o.put("object", "chat.completion");
        ObjectNode c = o.putArray("choices").addObject();
        c.put("index", 0);
        c.putObject("message").put("role", "assistant").put("content", reply);
        c.put("finish_reason", "stop");
        o.putObject("usage").put("prompt_tokens", chars / 4).put("completion_tokens", 6)
                .put("total_tokens", chars / 4 + 6);
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(o.toString())
                .build();
    }

    /** Largest number of times one exact request was served. */
    int maxRepeats() {
        return perBody.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
    }
}
