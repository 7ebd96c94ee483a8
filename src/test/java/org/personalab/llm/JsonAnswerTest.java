package org.personalab.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonAnswerTest {

    static JsonNode json(String s) throws Exception {
        return FakeLlm.JSON.readTree(s);
    }

    @Test
    void strictJsonIsReadAsIs() throws Exception {
        JsonAnswer.Result r = JsonAnswer.read("  {\"a\": 1, \"b\": [true, null]}\n", null);
        assertTrue(r.valid());
        assertFalse(r.repaired());
        assertEquals(json("{\"a\":1,\"b\":[true,null]}"), r.value());
    }

    @Test
    void findsJsonInFencesAndProse() throws Exception {
        assertEquals(json("{\"x\":\"}\"}"),
                JsonAnswer.read("Here:\n```json\n{\"x\": \"}\"}\n```\nDone.", null).value());
        assertEquals(json("{\"x\":2}"), JsonAnswer.read("```\n{\"x\": 2}\n```", null).value());
        JsonAnswer.Result r = JsonAnswer.read("The persona is {\"name\": \"Ann {the first}\", \"age\": 30} as asked.",
                null);
        assertTrue(r.repaired());
        assertEquals(json("{\"name\":\"Ann {the first}\",\"age\":30}"), r.value());
        assertEquals(json("[1,2]"), JsonAnswer.read("values: [1, 2] ok", null).value());
    }

    @Test
    void repairsTrailingCommasSingleQuotesCommentsAndPythonLiterals() throws Exception {
        assertEquals(json("{\"a\":[1,2],\"b\":\"it's\"}"),
                JsonAnswer.read("{'a': [1, 2,], 'b': \"it's\",}", null).value());
        assertEquals(json("{\"ok\":true,\"none\":null,\"s\":\"True story\"}"),
                JsonAnswer.read("{\"ok\": True, \"none\": None, \"s\": \"True story\"}", null).value());
        assertEquals(json("{\"a\":1}"), JsonAnswer.read("{a: 1 // the answer\n}", null).value());
    }

    @Test
    void reportsAnswersWithoutJson() {
        JsonAnswer.Result r = JsonAnswer.read("I'd rather not.", null);
        assertNull(r.value());
        assertEquals(List.of("no JSON object found in the answer"), r.problems());
        assertEquals(List.of("the answer is empty"), JsonAnswer.read("  ", null).problems());
        assertFalse(JsonAnswer.read("{\"a\": ", null).valid());
    }

    @Test
    void validatesTheSchemaSubsetWithPaths() throws Exception {
        JsonNode schema = json("""
                {"type": "object", "required": ["name", "traits"], "additionalProperties": false,
                 "properties": {"name": {"type": "string", "minLength": 2},
                   "level": {"enum": ["low", "average", "high"]},
                   "traits": {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["score"],
                     "properties": {"score": {"type": "integer", "minimum": 1, "maximum": 5}}}}}}""");
        assertTrue(JsonAnswer.read("{\"name\": \"Al\", \"level\": \"high\", \"traits\": [{\"score\": 3}]}", schema)
                .valid());
        List<String> p = JsonAnswer.read("{\"name\": \"A\", \"level\": \"huge\", \"traits\": [{\"score\": 3.5}, "
                + "{\"score\": 7}, {}], \"extra\": 1}", schema).problems();
        assertEquals(List.of("$.name: text shorter than 2 characters", "$.level: \"huge\" is not one of "
                + "[\"low\",\"average\",\"high\"]", "$.traits[0].score: expected integer, got number",
                "$.traits[1].score: 7 is above the maximum 5", "$.traits[2]: missing required property 'score'",
                "$: unexpected property 'extra'"), p);
        assertEquals(List.of("$: missing required property 'name'", "$: missing required property 'traits'"),
                JsonAnswer.read("{}", schema).problems());
        assertEquals(List.of("$: expected object, got array"), JsonAnswer.read("[]", schema).problems());
        assertTrue(JsonAnswer.read("{\"v\": 2.0}", json("{\"properties\":{\"v\":{\"type\":\"integer\"}}}")).valid());
        assertTrue(JsonAnswer.read("{\"v\": null}", json("{\"properties\":{\"v\":{\"type\":[\"string\",\"null\"]}}}"))
                .valid());
    }
}
