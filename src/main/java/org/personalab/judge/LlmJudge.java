package org.personalab.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.personalab.llm.Budget;
import org.personalab.llm.CallContext;
import org.personalab.llm.ChatMessage;
import org.personalab.llm.ChatRequest;
import org.personalab.llm.ChatResponse;
import org.personalab.llm.LlmGateway;
import org.personalab.llm.ResponseFormat;
import org.personalab.spec.SpecJson;
import org.personalab.task.TaskContext;

/**
 * A chat model as judge: the {@link JudgePrompt} rendered for each presentation order (AB, then BA), structured
 * output {@code {winner: A|B|tie, confidence, rationale}} checked against a JSON schema, combined by
 * {@link BothOrders}. Calls go through the {@link LlmGateway}, so an answer already paid for is never bought again
 * and a rerun after a crash resumes for free.
 */
public final class LlmJudge implements Judge {

    /** The answer's JSON schema. */
    public static final JsonNode SCHEMA = schema();

    private final LlmGateway gateway;
    private final String provider;
    private final String model;
    private final JudgePrompt prompt;
    private final Double temperature;
    private final int maxTokens;
    private final Budget budget;

    /**
     * @param temperature null for the provider's default (the seed used 0)
     * @param budget      the run's cap on spending, shared by all its calls
     */
    public LlmJudge(LlmGateway gateway, String provider, String model, JudgePrompt prompt, Double temperature,
            int maxTokens, Budget budget) {
        this.gateway = gateway;
        this.provider = provider;
        this.model = model;
        this.prompt = prompt;
        this.temperature = temperature;
        this.maxTokens = maxTokens;
        this.budget = budget == null ? Budget.unlimited() : budget;
    }

    private static JsonNode schema() {
        ObjectNode s = SpecJson.object();
        s.put("type", "object");
        ObjectNode p = s.putObject("properties");
        p.putObject("winner").put("type", "string").putArray("enum").add("A").add("B").add("tie");
        p.putObject("confidence").put("type", "number").put("minimum", 0).put("maximum", 1);
        p.putObject("rationale").put("type", "string");
        s.putArray("required").add("winner").add("confidence").add("rationale");
        s.put("additionalProperties", false);
        return s;
    }

    @Override
    public String label() {
        return provider + ":" + model;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("provider", provider);
        m.put("model", model);
        m.put("temperature", temperature);
        m.put("maxTokens", maxTokens);
        m.put("prompt", prompt.name());
        m.put("promptSha256", prompt.sha256());
        m.put("orders", "AB and BA");
        m.put("budgetUsd", budget.isCapped() ? budget.capUsd() : null);
        return m;
    }

    @Override
    public boolean offline() {
        return false;
    }

    public Budget budget() {
        return budget;
    }

    /** The request for one presentation order (also what a preview shows). */
    public ChatRequest request(JudgeInput in, boolean swapped) {
        JudgePrompt.Rendered r = prompt.render(in.target(), in.shownFirst(swapped), in.shownSecond(swapped));
        return new ChatRequest(provider, model, List.of(ChatMessage.system(r.system()), ChatMessage.user(r.user())),
                temperature, null, maxTokens, ResponseFormat.jsonSchema("judge_verdict", SCHEMA), 0);
    }

    @Override
    public JudgeResult judge(JudgeInput in, TaskContext task, long runId) {
        CallContext cx = new CallContext(task, runId > 0 ? runId : null, budget);
        OrderAnswer ab = ask(in, false, cx);
        OrderAnswer ba = ask(in, true, cx);
        return BothOrders.combine(ab, ba, null);
    }

    private OrderAnswer ask(JudgeInput in, boolean swapped, CallContext cx) {
        ChatResponse r = gateway.call(request(in, swapped), cx);
        if (!r.isOk() || r.json() == null) {
            return OrderAnswer.invalid(swapped, r.problems().isEmpty() ? "no valid JSON answer"
                    : String.join("; ", r.problems()), r.requestHash(), r.costUsd());
        }
        JsonNode j = r.json();
        Verdict v;
        try {
            v = Verdict.parse(j.path("winner").asText());
        } catch (IllegalArgumentException e) {
            return OrderAnswer.invalid(swapped, e.getMessage(), r.requestHash(), r.costUsd());
        }
        double c = Math.max(0, Math.min(1, j.path("confidence").asDouble()));
        return new OrderAnswer(swapped, v, c, j.path("rationale").asText(""), null, r.requestHash(), r.costUsd());
    }
}
