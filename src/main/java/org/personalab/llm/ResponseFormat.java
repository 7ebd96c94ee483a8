package org.personalab.llm;

import com.fasterxml.jackson.databind.JsonNode;

/** What kind of answer a chat request expects: free text, any JSON object, or JSON that fits a schema. */
public sealed interface ResponseFormat {

    Text TEXT = new Text();
    JsonObject JSON_OBJECT = new JsonObject();

    static ResponseFormat text() {
        return TEXT;
    }

    static ResponseFormat jsonObject() {
        return JSON_OBJECT;
    }

    /** JSON fitting {@code schema} (the subset {@link JsonSchemaCheck} validates); not strict on the provider side. */
    static ResponseFormat jsonSchema(String name, JsonNode schema) {
        return new JsonSchema(name, schema, false);
    }

    /** Whether the answer must be JSON. */
    default boolean isJson() {
        return !(this instanceof Text);
    }

    record Text() implements ResponseFormat {
    }

    record JsonObject() implements ResponseFormat {
    }

    /**
     * @param strict ask the provider to enforce the schema strictly (OpenAI's {@code strict: true}, which requires
     *        every property to be required and {@code additionalProperties: false})
     */
    record JsonSchema(String name, JsonNode schema, boolean strict) implements ResponseFormat {
        public JsonSchema {
            if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}")) {
                throw new IllegalArgumentException("schema name '" + name + "' must be 1-64 letters, digits, _ or -");
            }
            if (schema == null || !schema.isObject()) {
                throw new IllegalArgumentException("schema " + name + " must be a JSON object");
            }
            schema = schema.deepCopy();
        }
    }
}
