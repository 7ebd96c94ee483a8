package org.personalab.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * The identity of a chat request: SHA-256 (hex) of a canonical JSON text of provider name, model, messages,
 * parameters, response format and sample index, with object keys sorted at every level. The API key, base URL and
 * anything about how the request is sent (structured-output mode, retries) are not part of it, so a request keeps its
 * cached answer when a key is rotated or a server moves.
 */
public final class RequestHash {

    /** Bump when the canonical form changes (old cache entries then simply stop matching). */
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private RequestHash() {
    }

    public static String of(ChatRequest r) {
        return sha256(canonicalJson(r));
    }

    /** The canonical JSON text that is hashed (and stored as the request of the call). */
    public static String canonicalJson(ChatRequest r) {
        ObjectNode o = F.objectNode();
        ArrayNode msgs = F.arrayNode();
        for (ChatMessage m : r.messages()) {
            ObjectNode mo = F.objectNode();
            mo.put("content", m.content());
            mo.put("role", m.role());
            msgs.add(mo);
        }
        ObjectNode params = F.objectNode();
        if (r.maxTokens() != null) {
            params.put("max_tokens", r.maxTokens());
        }
        if (r.temperature() != null) {
            params.put("temperature", r.temperature());
        }
        if (r.topP() != null) {
            params.put("top_p", r.topP());
        }
        o.set("format", format(r.format()));
        o.set("messages", msgs);
        o.put("model", r.model());
        o.set("params", params);
        o.put("provider", r.provider());
        o.put("sample", r.sampleIndex());
        o.put("v", VERSION);
        try {
            return JSON.writeValueAsString(sorted(o));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The request a canonical JSON text describes (the inverse of {@link #canonicalJson}): used to read back what was
     * sent when only the stored row is left, e.g. when a batch is collected by another process.
     *
     * @throws IllegalArgumentException when the text is not a canonical request of this version
     */
    public static ChatRequest request(String canonicalJson) {
        JsonNode o;
        try {
            o = JSON.readTree(canonicalJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a stored request: " + e.getOriginalMessage());
        }
        if (o == null || o.path("v").asInt() != VERSION) {
            throw new IllegalArgumentException("not a stored request of version " + VERSION);
        }
        List<ChatMessage> msgs = new ArrayList<>();
        o.path("messages").forEach(m -> msgs.add(new ChatMessage(m.path("role").asText(), m.path("content").asText())));
        JsonNode p = o.path("params");
        JsonNode f = o.path("format");
        ResponseFormat format = switch (f.path("type").asText("text")) {
            case "json_object" -> ResponseFormat.JSON_OBJECT;
            case "json_schema" -> new ResponseFormat.JsonSchema(f.path("name").asText(), f.get("schema"),
                    f.path("strict").asBoolean(false));
            default -> ResponseFormat.TEXT;
        };
        return new ChatRequest(o.path("provider").asText(), o.path("model").asText(), msgs,
                p.has("temperature") ? p.get("temperature").asDouble() : null,
                p.has("top_p") ? p.get("top_p").asDouble() : null,
                p.has("max_tokens") ? p.get("max_tokens").asInt() : null, format, o.path("sample").asInt());
    }

    private static JsonNode format(ResponseFormat f) {
        ObjectNode o = F.objectNode();
        switch (f) {
            case ResponseFormat.Text t -> o.put("type", "text");
            case ResponseFormat.JsonObject j -> o.put("type", "json_object");
            case ResponseFormat.JsonSchema s -> {
                o.put("name", s.name());
                o.set("schema", s.schema());
                o.put("strict", s.strict());
                o.put("type", "json_schema");
            }
        }
        return o;
    }

    /** A copy of {@code n} with the keys of every object in sorted order. */
    static JsonNode sorted(JsonNode n) {
        if (n.isObject()) {
            List<String> names = new ArrayList<>();
            n.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            ObjectNode o = F.objectNode();
            for (String k : names) {
                o.set(k, sorted(n.get(k)));
            }
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = F.arrayNode();
            n.forEach(e -> a.add(sorted(e)));
            return a;
        }
        return n;
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
