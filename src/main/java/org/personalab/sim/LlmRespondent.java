package org.personalab.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.personalab.llm.Budget;
import org.personalab.llm.CallContext;
import org.personalab.llm.ChatMessage;
import org.personalab.llm.ChatRequest;
import org.personalab.llm.ChatResponse;
import org.personalab.llm.CostEstimate;
import org.personalab.llm.LlmException;
import org.personalab.llm.LlmGateway;
import org.personalab.llm.ResponseFormat;
import org.personalab.spec.AgentSpec;
import org.personalab.task.TaskContext;

/**
 * Agents played by a chat model through the {@link LlmGateway} (so answers are cached, never paid twice, budgeted and
 * journaled). Each call is [system: the persona] + the replayed memory + [user: the item prompt]: the persona is a
 * shared prefix, so with no memory every call of an agent starts identically and providers' prompt caches reuse it.
 *
 * <p>With {@code structured} the model is asked for {@code {"answer": "A".."E"}} (JSON schema where the provider
 * supports it; the gateway falls back to JSON mode or the schema in the prompt); an answer that stays invalid (a
 * refusal, prose) is read by the {@link AnswerParser}, as are plain-text answers. A provider that rejects one request
 * (HTTP 400/422, e.g. a content filter) makes that item {@link AnswerStatus#FAILED}; any other failure stops the run
 * (its answers so far are stored; it resumes later).
 */
public final class LlmRespondent implements Respondent {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** {"answer": "A".."E"}. */
    public static final JsonNode ANSWER_SCHEMA = schema();

    /**
     * What to call.
     *
     * @param temperature sampling temperature, or null for the provider's default
     * @param maxTokens completion cap, or null
     * @param structured ask for {"answer": letter} instead of free text
     */
    public record Options(String provider, String model, Double temperature, Integer maxTokens, boolean structured) {
    }

    private final LlmGateway gateway;
    private final Options options;
    private final Long runId;
    private final Budget budget;
    private final AnswerParser parser = new AnswerParser();

    public LlmRespondent(LlmGateway gateway, Options options, Long runId, Budget budget) {
        this.gateway = gateway;
        this.options = options;
        this.runId = runId;
        this.budget = budget == null ? Budget.unlimited() : budget;
    }

    @Override
    public String engine() {
        return options.provider() + ":" + options.model();
    }

    @Override
    public boolean usesModel() {
        return true;
    }

    public Options options() {
        return options;
    }

    public Budget budget() {
        return budget;
    }

    /** The request for one item (also used to estimate a run's cost before it starts). */
    public ChatRequest request(Question q, String systemPrompt, List<ChatMessage> memory) {
        List<ChatMessage> msgs = new ArrayList<>(memory.size() + 2);
        msgs.add(ChatMessage.system(systemPrompt));
        msgs.addAll(memory);
        msgs.add(ChatMessage.user(q.prompt()));
        return new ChatRequest(options.provider(), options.model(), msgs, options.temperature(), null,
                options.maxTokens(), options.structured() ? ResponseFormat.jsonSchema("answer", ANSWER_SCHEMA)
                        : ResponseFormat.TEXT, q.sample());
    }

    @Override
    public Agent agent(long specId, AgentSpec spec) {
        return (q, systemPrompt, memory, task) -> answer(request(q, systemPrompt, memory), q, task);
    }

    private Reply answer(ChatRequest req, Question q, TaskContext task) {
        ChatResponse r;
        try {
            r = gateway.call(req, new CallContext(task, runId, budget));
        } catch (LlmException.HttpStatus e) {
            if (e.status() == 400 || e.status() == 422) {
                return new Reply(AnswerStatus.FAILED, 0, "request rejected: " + e.getMessage(),
                        org.personalab.llm.RequestHash.of(req), 0, 0, false, false, 0);
            }
            throw e;
        }
        AnswerParser.Result a;
        if (r.isOk() && r.json() != null && r.json().path("answer").isTextual()) {
            a = parser.parse("{\"answer\": \"" + r.json().get("answer").asText().replace("\"", "") + "\"}", q.order());
        } else {
            a = parser.parse(r.text(), q.order());
        }
        boolean estimated = looksEstimated(req, r);
        return new Reply(a.status(), a.value(), r.text(), r.requestHash(), r.usage().promptTokens(),
                r.usage().completionTokens(), estimated, r.cached(), r.costUsd());
    }

    /**
     * Whether the gateway estimated the usage because the provider reported none. {@link ChatResponse} does not say
     * so yet; the gateway's estimate is exactly {@link CostEstimate#promptTokens} of the messages sent and
     * {@link CostEstimate#tokensOf} of the reply, which a provider's own count matches only by coincidence.
     */
    static boolean looksEstimated(ChatRequest req, ChatResponse r) {
        return r.usage().completionTokens() == CostEstimate.tokensOf(r.text())
                && r.usage().promptTokens() == CostEstimate.promptTokens(req.messages());
    }

    private static JsonNode schema() {
        ObjectNode s = JSON.createObjectNode();
        s.put("type", "object");
        ObjectNode a = s.putObject("properties").putObject("answer");
        a.put("type", "string");
        var e = a.putArray("enum");
        for (char c : OptionOrder.LETTERS.toCharArray()) {
            e.add(String.valueOf(c));
        }
        s.putArray("required").add("answer");
        s.put("additionalProperties", false);
        return s;
    }
}
