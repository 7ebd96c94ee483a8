package org.personalab.judge;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.personalab.profile.Profile;
import org.personalab.profile.PromptContext;
import org.personalab.spec.AgentSpec;
import org.personalab.spec.PromptTemplate;
import org.personalab.spec.SpecJson;

/**
 * The records of the training exports, one JSON object per line. The prompt is what the spec generator is asked: a
 * system message (TinyTroupe's spec-generator role) and the user message rendered from the person's profile with the
 * spec prompt ({@link PromptTemplate#defaultSpecPrompt()}); the answer is the persona JSON on one line (compact
 * JSON keeps the completion short: the seed's 1,024-token limit cut most of its completions away).
 * <ul>
 *   <li>SFT: {@code {"messages": [system, user, assistant]}}, chosen specs only (the seed trained on the rejected
 *       ones too);</li>
 *   <li>DPO, TRL's conversational explicit-prompt form: {@code {"prompt": [system, user], "chosen": [assistant],
 *       "rejected": [assistant]}} plus an optional {@code "weight"};</li>
 *   <li>DPO for LLaMA-Factory's sharegpt ranking format (its {@code chosen}/{@code rejected} are single messages,
 *       not lists, so it cannot share TRL's file): {@code {"messages": [system, user], "chosen": {..},
 *       "rejected": {..}}}.</li>
 * </ul>
 */
public final class TrainingRecords {

    public static final String SYSTEM = "You are a system that generates specifications for realistic simulations "
            + "of people.";

    /** What kind of export. */
    public enum Kind {
        SFT, DPO;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final PromptTemplate specPrompt;

    public TrainingRecords() {
        this(PromptTemplate.defaultSpecPrompt());
    }

    public TrainingRecords(PromptTemplate specPrompt) {
        this.specPrompt = specPrompt;
    }

    /** The user message for a person (the spec prompt rendered with their profile; refuses an incomplete one). */
    public String userPrompt(Profile p) {
        return specPrompt.render(PromptContext.of(p));
    }

    /** The persona as the assistant's answer: compact JSON. */
    public static String answer(AgentSpec spec) {
        return SpecJson.compact(spec.node());
    }

    public ObjectNode sft(Profile p, AgentSpec chosen) {
        ObjectNode o = SpecJson.object();
        ArrayNode m = o.putArray("messages");
        prompt(m, p);
        m.add(message("assistant", answer(chosen)));
        return o;
    }

    /** @param weight null for none */
    public ObjectNode dpo(Profile p, AgentSpec chosen, AgentSpec rejected, Double weight) {
        ObjectNode o = SpecJson.object();
        prompt(o.putArray("prompt"), p);
        o.putArray("chosen").add(message("assistant", answer(chosen)));
        o.putArray("rejected").add(message("assistant", answer(rejected)));
        if (weight != null) {
            o.put("weight", weight);
        }
        return o;
    }

    public ObjectNode llamaFactoryDpo(Profile p, AgentSpec chosen, AgentSpec rejected) {
        ObjectNode o = SpecJson.object();
        prompt(o.putArray("messages"), p);
        o.set("chosen", message("assistant", answer(chosen)));
        o.set("rejected", message("assistant", answer(rejected)));
        return o;
    }

    private void prompt(ArrayNode m, Profile p) {
        m.add(message("system", SYSTEM));
        m.add(message("user", userPrompt(p)));
    }

    private static ObjectNode message(String role, String content) {
        ObjectNode o = SpecJson.object();
        o.put("role", role);
        o.put("content", content);
        return o;
    }

    /**
     * A LLaMA-Factory {@code dataset_info.json} entry for {@code fileName}: sharegpt formatting with OpenAI-style
     * role/content tags; for DPO {@code "ranking": true} with the chosen and rejected columns.
     */
    public static ObjectNode datasetInfoEntry(Kind kind, String fileName) {
        ObjectNode e = SpecJson.object();
        e.put("file_name", fileName);
        e.put("formatting", "sharegpt");
        if (kind == Kind.DPO) {
            e.put("ranking", true);
        }
        ObjectNode cols = e.putObject("columns");
        cols.put("messages", "messages");
        if (kind == Kind.DPO) {
            cols.put("chosen", "chosen");
            cols.put("rejected", "rejected");
        }
        ObjectNode tags = e.putObject("tags");
        tags.put("role_tag", "role");
        tags.put("content_tag", "content");
        tags.put("user_tag", "user");
        tags.put("assistant_tag", "assistant");
        tags.put("system_tag", "system");
        return e;
    }
}
