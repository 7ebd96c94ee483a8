package org.personalab.llm;

/**
 * How a provider is asked for structured (JSON) output. Whatever the mode, the answer is extracted, repaired and
 * validated locally; a provider that rejects a mode is moved down to the next one.
 */
public enum StructuredMode {
    /** {@code response_format: {type: json_schema, ...}}: the provider constrains decoding to the schema. */
    JSON_SCHEMA("json_schema"),
    /** {@code response_format: {type: json_object}} plus the schema in the system message. */
    JSON_OBJECT("json_object"),
    /** No response_format; the schema in the system message, JSON extracted from free text. */
    PROMPT("prompt");

    private final String id;

    StructuredMode(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The next weaker mode, or this one when there is none. */
    public StructuredMode weaker() {
        return this == JSON_SCHEMA ? JSON_OBJECT : PROMPT;
    }

    public static StructuredMode parse(String s) {
        for (StructuredMode m : values()) {
            if (m.id.equalsIgnoreCase(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown structured output mode '" + s
                + "' (use json_schema, json_object or prompt)");
    }
}
