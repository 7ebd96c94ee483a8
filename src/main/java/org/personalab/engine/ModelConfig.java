package org.personalab.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The architecture of a decoder-only Qwen2 / Llama model, read from Hugging Face's {@code config.json} with the same
 * field names and defaults as {@code transformers}. Qwen2 always has biases on q/k/v (not on o); Llama has them on
 * all four projections when {@code attention_bias} is true, and on the MLP when {@code mlp_bias} is true.
 *
 * @param modelType            {@code model_type}: qwen2 or llama
 * @param headDim              {@code head_dim}, default hidden_size / num_attention_heads
 * @param qkvBias              q/k/v projections have a bias
 * @param outputBias           the o projection has a bias
 * @param eosTokenIds          {@code eos_token_id} (a number or a list), possibly empty
 */
public record ModelConfig(String modelType, int hiddenSize, int intermediateSize, int numHiddenLayers,
        int numAttentionHeads, int numKeyValueHeads, int headDim, double rmsNormEps, double ropeTheta,
        RopeScaling ropeScaling, int maxPositionEmbeddings, int vocabSize, boolean tieWordEmbeddings,
        boolean qkvBias, boolean outputBias, boolean mlpBias, List<Integer> eosTokenIds) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public ModelConfig {
        eosTokenIds = List.copyOf(eosTokenIds);
        String where = "config.json: ";
        positive(where, "hidden_size", hiddenSize);
        positive(where, "intermediate_size", intermediateSize);
        positive(where, "num_hidden_layers", numHiddenLayers);
        positive(where, "num_attention_heads", numAttentionHeads);
        positive(where, "num_key_value_heads", numKeyValueHeads);
        positive(where, "head_dim", headDim);
        positive(where, "vocab_size", vocabSize);
        positive(where, "max_position_embeddings", maxPositionEmbeddings);
        if (numAttentionHeads % numKeyValueHeads != 0) {
            throw new EngineException(where + "num_attention_heads (" + numAttentionHeads
                    + ") must be a multiple of num_key_value_heads (" + numKeyValueHeads + ")");
        }
        if (headDim % 2 != 0) {
            throw new EngineException(where + "head_dim (" + headDim + ") must be even for rotary embeddings");
        }
        if (!(rmsNormEps > 0) || !(ropeTheta > 0)) {
            throw new EngineException(where + "rms_norm_eps and rope_theta must be positive");
        }
    }

    private static void positive(String where, String field, int v) {
        if (v <= 0) {
            throw new EngineException(where + "field '" + field + "' must be a positive integer, not " + v);
        }
    }

    /** Query heads per key/value head (grouped-query attention). */
    public int groupSize() {
        return numAttentionHeads / numKeyValueHeads;
    }

    /** Reads {@code config.json} of a model folder (or the file itself). */
    public static ModelConfig load(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve("config.json") : path;
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EngineException(file + ": cannot read: " + e.getMessage(), e);
        }
        try {
            return parse(MAPPER.readTree(text), file.toString());
        } catch (IOException e) {
            throw new EngineException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Parses a config.json tree; {@code where} (the file name) prefixes every message. */
    public static ModelConfig parse(JsonNode c, String where) {
        if (c == null || !c.isObject()) {
            throw new EngineException(where + ": not a JSON object");
        }
        Fields f = new Fields(c, where);
        String type = f.text("model_type", null);
        if (type == null) {
            throw new EngineException(where + ": field 'model_type' is missing");
        }
        type = type.toLowerCase(Locale.ROOT);
        if (!List.of("qwen2", "llama").contains(type)) {
            throw new EngineException(where + ": model_type '" + type + "' is not supported (qwen2, llama)");
        }
        String act = f.text("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw new EngineException(where + ": hidden_act '" + act + "' is not supported (silu)");
        }
        if (c.path("use_sliding_window").asBoolean(false)) {
            throw new EngineException(where + ": use_sliding_window = true is not supported");
        }
        if (c.has("partial_rotary_factor") && c.get("partial_rotary_factor").asDouble() != 1.0) {
            throw new EngineException(where + ": partial_rotary_factor other than 1 is not supported");
        }
        int hidden = f.integer("hidden_size", null);
        int heads = f.integer("num_attention_heads", null);
        int kvHeads = f.integer("num_key_value_heads", heads);
        boolean qwen = type.equals("qwen2");
        boolean attentionBias = f.bool("attention_bias", false);
        int maxPos = f.integer("max_position_embeddings", 2048);
        return new ModelConfig(type, hidden, f.integer("intermediate_size", null),
                f.integer("num_hidden_layers", null), heads, kvHeads,
                c.hasNonNull("head_dim") ? f.integer("head_dim", null) : hidden / heads,
                f.number("rms_norm_eps", 1e-6), f.number("rope_theta", 10000.0),
                ropeScaling(c.get("rope_scaling"), where, maxPos), maxPos, f.integer("vocab_size", null),
                f.bool("tie_word_embeddings", false), qwen || attentionBias, !qwen && attentionBias,
                !qwen && f.bool("mlp_bias", false), eos(c.get("eos_token_id"), where));
    }

    private static RopeScaling ropeScaling(JsonNode r, String where, int maxPos) {
        if (r == null || r.isNull()) {
            return RopeScaling.NONE;
        }
        String w = where + ": rope_scaling";
        if (!r.isObject()) {
            throw new EngineException(w + " must be an object");
        }
        Fields f = new Fields(r, w);
        String type = r.hasNonNull("rope_type") ? f.text("rope_type", null) : f.text("type", "default");
        return switch (type) {
            case "default" -> RopeScaling.NONE;
            case "linear" -> new RopeScaling(RopeScaling.Type.LINEAR, f.number("factor", null), 0, 0, 0);
            case "dynamic" -> new RopeScaling(RopeScaling.Type.DYNAMIC, f.number("factor", null), 0, 0, 0);
            case "llama3" -> new RopeScaling(RopeScaling.Type.LLAMA3, f.number("factor", null),
                    f.number("low_freq_factor", null), f.number("high_freq_factor", null),
                    f.integer("original_max_position_embeddings", null));
            default -> throw new EngineException(w + " type '" + type
                    + "' is not supported (default, linear, dynamic, llama3)");
        };
    }

    private static List<Integer> eos(JsonNode n, String where) {
        List<Integer> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (n.isInt()) {
            out.add(n.asInt());
        } else if (n.isArray()) {
            n.forEach(e -> {
                if (!e.isInt()) {
                    throw new EngineException(where + ": eos_token_id must hold integers, found " + e);
                }
                out.add(e.asInt());
            });
        } else {
            throw new EngineException(where + ": eos_token_id must be an integer or a list of integers");
        }
        return out;
    }

    /** Typed access to a JSON object with messages naming the file and field. */
    private record Fields(JsonNode node, String where) {
        int integer(String name, Integer dflt) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return required(name, dflt);
            }
            if (!v.canConvertToExactIntegral() || !v.canConvertToInt()) {
                throw new EngineException(where + ": field '" + name + "' must be an integer, not " + v);
            }
            return v.asInt();
        }

        double number(String name, Double dflt) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return required(name, dflt);
            }
            if (!v.isNumber()) {
                throw new EngineException(where + ": field '" + name + "' must be a number, not " + v);
            }
            return v.asDouble();
        }

        boolean bool(String name, boolean dflt) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return dflt;
            }
            if (!v.isBoolean()) {
                throw new EngineException(where + ": field '" + name + "' must be true or false, not " + v);
            }
            return v.asBoolean();
        }

        String text(String name, String dflt) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return dflt;
            }
            if (!v.isTextual()) {
                throw new EngineException(where + ": field '" + name + "' must be a string, not " + v);
            }
            return v.asText();
        }

        private <T> T required(String name, T dflt) {
            if (dflt == null) {
                throw new EngineException(where + ": field '" + name + "' is missing");
            }
            return dflt;
        }
    }
}
