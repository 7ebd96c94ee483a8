package org.personalab.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates JSON against the subset of JSON Schema that structured LLM answers use: {@code type} (one or a list),
 * {@code properties}, {@code required}, {@code additionalProperties: false}, {@code items}, {@code enum},
 * {@code minimum}/{@code maximum}, {@code minItems}/{@code maxItems}, {@code minLength}/{@code maxLength}. Other
 * keywords are ignored. Problems are reported with a JSON path, e.g.
 * {@code $.traits[2].score: expected number, got string}.
 */
public final class JsonSchemaCheck {

    private static final int MAX_PROBLEMS = 20;

    private JsonSchemaCheck() {
    }

    /** The problems of {@code value} against {@code schema}; empty when it fits. */
    public static List<String> problems(JsonNode value, JsonNode schema) {
        List<String> out = new ArrayList<>();
        check(value, schema, "$", out);
        return out.size() > MAX_PROBLEMS ? out.subList(0, MAX_PROBLEMS) : out;
    }

    private static void check(JsonNode v, JsonNode s, String path, List<String> out) {
        if (s == null || !s.isObject() || out.size() > MAX_PROBLEMS) {
            return;
        }
        JsonNode type = s.get("type");
        if (type != null && !matchesType(v, type)) {
            out.add(path + ": expected " + (type.isArray() ? join(type) : type.asText()) + ", got " + typeOf(v));
            return;
        }
        JsonNode en = s.get("enum");
        if (en != null && en.isArray()) {
            boolean any = false;
            for (JsonNode e : en) {
                any |= equalJson(e, v);
            }
            if (!any) {
                out.add(path + ": " + brief(v) + " is not one of " + brief(en));
            }
        }
        if (v.isNumber()) {
            if (s.has("minimum") && v.asDouble() < s.get("minimum").asDouble()) {
                out.add(path + ": " + v.asText() + " is below the minimum " + s.get("minimum").asText());
            }
            if (s.has("maximum") && v.asDouble() > s.get("maximum").asDouble()) {
                out.add(path + ": " + v.asText() + " is above the maximum " + s.get("maximum").asText());
            }
        }
        if (v.isTextual()) {
            int n = v.asText().codePointCount(0, v.asText().length());
            if (s.has("minLength") && n < s.get("minLength").asInt()) {
                out.add(path + ": text shorter than " + s.get("minLength").asInt() + " characters");
            }
            if (s.has("maxLength") && n > s.get("maxLength").asInt()) {
                out.add(path + ": text longer than " + s.get("maxLength").asInt() + " characters");
            }
        }
        if (v.isObject()) {
            JsonNode props = s.get("properties");
            JsonNode req = s.get("required");
            if (req != null && req.isArray()) {
                for (JsonNode r : req) {
                    if (!v.has(r.asText())) {
                        out.add(path + ": missing required property '" + r.asText() + "'");
                    }
                }
            }
            boolean closed = s.has("additionalProperties") && s.get("additionalProperties").isBoolean()
                    && !s.get("additionalProperties").asBoolean();
            for (var it = v.properties().iterator(); it.hasNext();) {
                var e = it.next();
                JsonNode ps = props == null ? null : props.get(e.getKey());
                if (ps != null) {
                    check(e.getValue(), ps, path + "." + e.getKey(), out);
                } else if (closed) {
                    out.add(path + ": unexpected property '" + e.getKey() + "'");
                } else if (s.get("additionalProperties") != null && s.get("additionalProperties").isObject()) {
                    check(e.getValue(), s.get("additionalProperties"), path + "." + e.getKey(), out);
                }
            }
        }
        if (v.isArray()) {
            if (s.has("minItems") && v.size() < s.get("minItems").asInt()) {
                out.add(path + ": fewer than " + s.get("minItems").asInt() + " items");
            }
            if (s.has("maxItems") && v.size() > s.get("maxItems").asInt()) {
                out.add(path + ": more than " + s.get("maxItems").asInt() + " items");
            }
            JsonNode items = s.get("items");
            for (int i = 0; items != null && i < v.size(); i++) {
                check(v.get(i), items, path + "[" + i + "]", out);
            }
        }
    }

    private static boolean matchesType(JsonNode v, JsonNode type) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (matchesType(v, t)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "number" -> v.isNumber();
            case "integer" -> v.isIntegralNumber() || (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()));
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            default -> true;
        };
    }

    private static boolean equalJson(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static String typeOf(JsonNode v) {
        if (v.isObject()) {
            return "object";
        }
        if (v.isArray()) {
            return "array";
        }
        if (v.isTextual()) {
            return "string";
        }
        if (v.isNumber()) {
            return "number";
        }
        if (v.isBoolean()) {
            return "boolean";
        }
        return "null";
    }

    private static String join(JsonNode types) {
        List<String> l = new ArrayList<>();
        types.forEach(t -> l.add(t.asText()));
        return String.join(" or ", l);
    }

    private static String brief(JsonNode v) {
        String s = v.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
