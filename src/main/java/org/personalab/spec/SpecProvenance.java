package org.personalab.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * Where a spec came from: the engine that wrote it, the model, which sample, at what temperature, and the hash of
 * the prompt. Kept outside the persona (top-level {@code spec_meta} of an agent file, or a database column) so the
 * persona TinyTroupe sees holds nothing but the person.
 *
 * @param engine      engine label, e.g. {@link #TEMPLATE_ENGINE}
 * @param model       model id, or the rule-set version of an offline engine; null if none
 * @param sample      sample index (0 for the first or only one)
 * @param temperature sampling temperature, null when not sampled
 * @param promptHash  hash of the exact prompt, null when there was no prompt
 */
public record SpecProvenance(String engine, String model, int sample, Double temperature, String promptHash) {

    public static final String TEMPLATE_ENGINE = "template (rule-based, offline)";
    /** Top-level key of an agent file that holds the provenance. */
    public static final String KEY = "spec_meta";

    public SpecProvenance {
        Objects.requireNonNull(engine, "engine");
        if (engine.isBlank()) {
            throw new IllegalArgumentException("engine must not be blank");
        }
        if (sample < 0) {
            throw new IllegalArgumentException("sample must be >= 0, got " + sample);
        }
    }

    /** Provenance of a spec written by {@link TemplateWriter} with rule set {@code rules}. */
    public static SpecProvenance template(String rules) {
        return new SpecProvenance(TEMPLATE_ENGINE, rules, 0, null, null);
    }

    public ObjectNode toJson() {
        ObjectNode o = SpecJson.object();
        o.put("engine", engine);
        putOrNull(o, "model", model);
        o.put("sample", sample);
        if (temperature == null) {
            o.putNull("temperature");
        } else {
            o.put("temperature", temperature);
        }
        putOrNull(o, "prompt_hash", promptHash);
        return o;
    }

    private static void putOrNull(ObjectNode o, String k, String v) {
        if (v == null) {
            o.putNull(k);
        } else {
            o.put(k, v);
        }
    }

    /** Reads {@link #toJson()}'s shape; {@code where} is the JSON path of {@code n} for error messages. */
    public static SpecProvenance fromJson(JsonNode n, String where) {
        if (!n.isObject()) {
            throw new SpecFormatException(where, "expected an object, got " + AgentSpec.kind(n));
        }
        JsonNode engine = n.get("engine");
        if (engine == null || !engine.isTextual() || engine.asText().isBlank()) {
            throw new SpecFormatException(where + ".engine", "expected a non-blank string");
        }
        JsonNode sample = n.get("sample");
        if (sample != null && !sample.isNull() && !sample.isIntegralNumber()) {
            throw new SpecFormatException(where + ".sample", "expected a whole number, got " + AgentSpec.kind(sample));
        }
        JsonNode t = n.get("temperature");
        if (t != null && !t.isNull() && !t.isNumber()) {
            throw new SpecFormatException(where + ".temperature", "expected a number, got " + AgentSpec.kind(t));
        }
        return new SpecProvenance(engine.asText(), textOrNull(n.get("model")),
                sample == null || sample.isNull() ? 0 : sample.intValue(),
                t == null || t.isNull() ? null : t.doubleValue(), textOrNull(n.get("prompt_hash")));
    }

    private static String textOrNull(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
