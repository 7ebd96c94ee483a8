package org.personalab.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the JSON in a model's answer: the whole text, else a fenced {@code ```json} block, else the first balanced
 * {@code {...}} or {@code [...]}; a candidate that is not strict JSON gets a light repair (trailing commas, single
 * quotes, unquoted keys, comments, Python's True/False/None). The value is then validated against the expected schema.
 */
public final class JsonAnswer {

    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final JsonMapper LENIENT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_SINGLE_QUOTES,
                    JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES, JsonReadFeature.ALLOW_JAVA_COMMENTS,
                    JsonReadFeature.ALLOW_YAML_COMMENTS, JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS,
                    JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS,
                    JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
            .build();
    private static final Pattern FENCE = Pattern.compile("```[ \\t]*(?:json|JSON|json5)?[ \\t]*\\r?\\n(.*?)```",
            Pattern.DOTALL);

    /**
     * The outcome of reading one answer.
     *
     * @param value the JSON read, or null when none could be read
     * @param repaired whether it took more than a strict parse of the whole text
     * @param problems why no JSON could be read, or how it misses the schema; empty when valid
     */
    public record Result(JsonNode value, boolean repaired, List<String> problems) {
        public boolean valid() {
            return value != null && problems.isEmpty();
        }
    }

    private JsonAnswer() {
    }

    /** Reads and validates; {@code schema} may be null (any JSON object or array is then accepted). */
    public static Result read(String text, JsonNode schema) {
        JsonNode v = null;
        boolean repaired = false;
        String t = text == null ? "" : text.strip();
        if (t.startsWith("\uFEFF")) {
            t = t.substring(1);
        }
        try {
            v = STRICT.readTree(t);
        } catch (JsonProcessingException e) {
            // look further
        }
        if (v == null || v.isMissingNode() || v.isNull() || !(v.isContainerNode())) {
            v = null;
            for (String c : candidates(t)) {
                v = parse(c);
                if (v != null) {
                    repaired = true;
                    break;
                }
            }
        }
        if (v == null) {
            return new Result(null, false, List.of(t.isEmpty() ? "the answer is empty"
                    : "no JSON object found in the answer"));
        }
        List<String> problems = schema == null ? List.of() : JsonSchemaCheck.problems(v, schema);
        return new Result(v, repaired, problems);
    }

    private static JsonNode parse(String c) {
        for (String s : new String[] {c, pythonLiterals(c)}) {
            try {
                JsonNode n = LENIENT.readTree(s);
                if (n != null && n.isContainerNode()) {
                    return n;
                }
            } catch (JsonProcessingException e) {
                // next
            }
        }
        return null;
    }

    /** Texts that may hold the JSON, most specific first. */
    static List<String> candidates(String t) {
        Set<String> out = new LinkedHashSet<>();
        out.add(t);
        Matcher m = FENCE.matcher(t);
        while (m.find()) {
            out.add(m.group(1).strip());
        }
        for (String c : new ArrayList<>(out)) {
            String b = firstBalanced(c);
            if (b != null) {
                out.add(b);
            }
        }
        return new ArrayList<>(out);
    }

    /** The first balanced {...} or [...] in {@code s}, aware of quoted strings; null when none. */
    static String firstBalanced(String s) {
        for (int start = 0; start < s.length(); start++) {
            char open = s.charAt(start);
            if (open != '{' && open != '[') {
                continue;
            }
            int depth = 0;
            char quote = 0;
            for (int i = start; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (quote != 0) {
                    if (ch == '\\') {
                        i++;
                    } else if (ch == quote) {
                        quote = 0;
                    }
                } else if (ch == '"' || ch == '\'') {
                    quote = ch;
                } else if (ch == '{' || ch == '[') {
                    depth++;
                } else if (ch == '}' || ch == ']') {
                    depth--;
                    if (depth == 0) {
                        return s.substring(start, i + 1);
                    }
                }
            }
        }
        return null;
    }

    /** Replaces bare True, False and None outside quoted strings. */
    static String pythonLiterals(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (quote != 0) {
                sb.append(ch);
                if (ch == '\\' && i + 1 < s.length()) {
                    sb.append(s.charAt(++i));
                } else if (ch == quote) {
                    quote = 0;
                }
                continue;
            }
            if (ch == '"' || ch == '\'') {
                quote = ch;
                sb.append(ch);
                continue;
            }
            boolean wordStart = i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1));
            String rep = null;
            int len = 0;
            for (String[] p : new String[][] {{"True", "true"}, {"False", "false"}, {"None", "null"}}) {
                int end = i + p[0].length();
                if (wordStart && s.startsWith(p[0], i)
                        && (end == s.length() || !Character.isLetterOrDigit(s.charAt(end)))) {
                    rep = p[1];
                    len = p[0].length();
                }
            }
            if (rep != null) {
                sb.append(rep);
                i += len - 1;
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }
}
