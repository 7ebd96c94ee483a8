package org.personalab.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestHashTest {

    static ChatRequest base() {
        return ChatRequest.of("openai", "gpt-4o-mini", List.of(ChatMessage.system("s"), ChatMessage.user("u")))
                .withTemperature(0.5).withTopP(0.9).withMaxTokens(64);
    }

    @Test
    void isAStableSha256OfTheCanonicalRequest() {
        String h = RequestHash.of(base());
        assertEquals(64, h.length());
        assertTrue(h.matches("[0-9a-f]{64}"));
        assertEquals(h, RequestHash.of(base()));
        assertEquals("{\"format\":{\"type\":\"text\"},\"messages\":[{\"content\":\"s\",\"role\":\"system\"},"
                + "{\"content\":\"u\",\"role\":\"user\"}],\"model\":\"gpt-4o-mini\",\"params\":{\"max_tokens\":64,"
                + "\"temperature\":0.5,\"top_p\":0.9},\"provider\":\"openai\",\"sample\":0,\"v\":1}",
                RequestHash.canonicalJson(base()));
        assertEquals(RequestHash.sha256(RequestHash.canonicalJson(base())), h);
    }

    @Test
    void everyPartOfTheRequestChangesTheHash() throws Exception {
        Set<String> hashes = new HashSet<>();
        List<ChatRequest> variants = List.of(base(),
                new ChatRequest("together", "gpt-4o-mini", base().messages(), 0.5, 0.9, 64, null, 0),
                new ChatRequest("openai", "gpt-4o", base().messages(), 0.5, 0.9, 64, null, 0),
                base().withTemperature(0.6), base().withTemperature(null), base().withTopP(1.0),
                base().withMaxTokens(65), base().withSampleIndex(1), base().withSampleIndex(2),
                base().withFormat(ResponseFormat.jsonObject()),
                base().withFormat(ResponseFormat.jsonSchema("x", FakeLlm.JSON.readTree("{\"type\":\"object\"}"))),
                base().withFormat(ResponseFormat.jsonSchema("y", FakeLlm.JSON.readTree("{\"type\":\"object\"}"))),
                ChatRequest.of("openai", "gpt-4o-mini", List.of(ChatMessage.user("s"), ChatMessage.user("u")))
                        .withTemperature(0.5).withTopP(0.9).withMaxTokens(64),
                ChatRequest.of("openai", "gpt-4o-mini", List.of(ChatMessage.system("s"), ChatMessage.user("u ")))
                        .withTemperature(0.5).withTopP(0.9).withMaxTokens(64));
        for (ChatRequest r : variants) {
            hashes.add(RequestHash.of(r));
        }
        assertEquals(variants.size(), hashes.size());
    }

    @Test
    void schemaKeyOrderDoesNotMatter() throws Exception {
        var a = FakeLlm.JSON.readTree("{\"type\":\"object\",\"properties\":{"
                + "\"a\":{\"type\":\"string\",\"maxLength\":3},"
                + "\"b\":{\"type\":\"integer\"}},\"required\":[\"a\"]}");
        var b = FakeLlm.JSON.readTree("{\"required\":[\"a\"],\"properties\":{\"b\":{\"type\":\"integer\"},"
                + "\"a\":{\"maxLength\":3,\"type\":\"string\"}},\"type\":\"object\"}");
        assertEquals(RequestHash.of(base().withFormat(ResponseFormat.jsonSchema("s", a))),
                RequestHash.of(base().withFormat(ResponseFormat.jsonSchema("s", b))));
        var c = FakeLlm.JSON.readTree("{\"required\":[\"b\"],\"properties\":{\"b\":{\"type\":\"integer\"},"
                + "\"a\":{\"maxLength\":3,\"type\":\"string\"}},\"type\":\"object\"}");
        assertNotEquals(RequestHash.of(base().withFormat(ResponseFormat.jsonSchema("s", a))),
                RequestHash.of(base().withFormat(ResponseFormat.jsonSchema("s", c))));
    }

    @Test
    void theStoredCanonicalTextReadsBackAsTheSameRequest() throws Exception {
        var schema = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}}}");
        List<ChatRequest> rs = List.of(
                ChatRequest.of("openai", "gpt-4o-mini", List.of(ChatMessage.user("hi"))),
                ChatRequest.of("lab", "qwen", List.of(ChatMessage.system("s"), ChatMessage.user("u \"q\" ü"),
                        ChatMessage.assistant("a"))).withTemperature(0.7).withTopP(0.95).withMaxTokens(64)
                        .withSampleIndex(3),
                ChatRequest.of("lab", "qwen", List.of(ChatMessage.user("j"))).withFormat(ResponseFormat.jsonObject()),
                ChatRequest.of("lab", "qwen", List.of(ChatMessage.user("s")))
                        .withFormat(new ResponseFormat.JsonSchema("pick", schema, true)));
        for (ChatRequest r : rs) {
            ChatRequest back = RequestHash.request(RequestHash.canonicalJson(r));
            assertEquals(r, back);
            assertEquals(RequestHash.of(r), RequestHash.of(back));
        }
        assertThrows(IllegalArgumentException.class, () -> RequestHash.request("{\"v\": 99}"));
        assertThrows(IllegalArgumentException.class, () -> RequestHash.request("not json"));
    }
}
