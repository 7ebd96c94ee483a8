package org.personalab.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.personalab.store.LlmCallRepository;
import org.personalab.store.LlmCallRepository.StoredCall;

/**
 * The paid tries behind one request hash and the JSON envelope stored in {@code llm_call.response}:
 * {@code {text, finish_reason, mode, tries, usage_estimated, json, repaired, problems, rejected: [{text, problems}],
 * body}}. A request left with a rejected answer by a killed process resumes here with its tries, tokens and money.
 */
final class Journal {

    private static final ObjectMapper JSON = new ObjectMapper();

    int tries;
    Usage usage = Usage.ZERO;
    double costUsd;
    boolean unpriced;
    long latencyMs;
    private boolean usageEstimated;
    private final ArrayNode rejected = JSON.createArrayNode();

    private Journal() {
    }

    /** A fresh journal, or the one of a stored row whose answer was rejected with tries left. */
    static Journal resume(Optional<StoredCall> row) {
        Journal j = new Journal();
        if (row.isEmpty() || !LlmCallRepository.REJECTED.equals(row.get().status())) {
            return j;
        }
        StoredCall s = row.get();
        JsonNode env = parse(s.response());
        j.tries = env.path("tries").asInt(0);
        j.usage = new Usage(s.promptTokens() == null ? 0 : s.promptTokens(),
                s.completionTokens() == null ? 0 : s.completionTokens());
        j.unpriced = s.costUsd() == null;
        j.costUsd = s.costUsd() == null ? 0 : s.costUsd();
        j.latencyMs = s.latencyMs() == null ? 0 : s.latencyMs();
        j.usageEstimated = env.path("usage_estimated").asBoolean(false);
        if (env.path("rejected").isArray()) {
            j.rejected.addAll((ArrayNode) env.get("rejected"));
        }
        return j;
    }

    /** The correction to ask after the last rejected answer, or none. */
    List<ChatMessage> followUps() {
        if (rejected.isEmpty()) {
            return List.of();
        }
        JsonNode last = rejected.get(rejected.size() - 1);
        List<String> problems = new ArrayList<>();
        last.path("problems").forEach(p -> problems.add(p.asText()));
        return correction(last.path("text").asText(""), problems);
    }

    void paid(Completion c, double cost) {
        tries++;
        usage = usage.plus(c.usage());
        if (Double.isNaN(cost)) {
            unpriced = true;
        } else {
            costUsd += cost;
        }
        latencyMs += c.latencyMs();
        usageEstimated |= c.usageEstimated();
    }

    void reject(String text, List<String> problems) {
        ObjectNode r = rejected.addObject();
        r.put("text", text);
        ArrayNode ps = r.putArray("problems");
        problems.forEach(ps::add);
    }

    ObjectNode envelope(Completion c, StructuredMode mode, JsonAnswer.Result answer) {
        ObjectNode o = JSON.createObjectNode();
        o.put("text", c.text());
        o.put("finish_reason", c.finishReason());
        o.put("mode", mode.id());
        o.put("tries", tries);
        o.put("usage_estimated", usageEstimated);
        if (answer != null) {
            if (answer.valid()) {
                o.set("json", answer.value());
                o.put("repaired", answer.repaired());
            } else {
                ArrayNode ps = o.putArray("problems");
                answer.problems().forEach(ps::add);
            }
        }
        if (!rejected.isEmpty()) {
            o.set("rejected", rejected.deepCopy());
        }
        o.set("body", c.body());
        return o;
    }

    /** The messages that show a model its invalid answer and ask for a corrected one. */
    static List<ChatMessage> correction(String text, List<String> problems) {
        return List.of(ChatMessage.assistant(text), ChatMessage.user("That answer is not valid: "
                + String.join("; ", problems) + ". Reply again with only the corrected JSON, nothing else."));
    }

    static JsonNode parse(String envelope) {
        if (envelope == null) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode n = JSON.readTree(envelope);
            return n == null ? JSON.createObjectNode() : n;
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }
}
