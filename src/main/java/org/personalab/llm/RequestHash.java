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
