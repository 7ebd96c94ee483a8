package org.personalab.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CostEstimateTest {

    @Test
    void tokensAreCharactersOverFourPlusAMessageOverhead() {
        assertEquals(0, CostEstimate.tokensOf(""));
        assertEquals(1, CostEstimate.tokensOf("abcd"));
        assertEquals(2, CostEstimate.tokensOf("abcde"));
        assertEquals(3 + 4 + 25 + 4 + 1, CostEstimate.promptTokens(List.of(ChatMessage.system("x".repeat(100)),
                ChatMessage.user("hi"))));
    }

    @Test
    void pricesEachModelSkipsCachedRequestsAndListsUnpricedModels() {
        Provider p = Provider.of("p", "http://localhost/v1", null).withModel(new ModelPrice("cheap", 1, 2))
                .withModel(new ModelPrice("dear", 10, 30));
        ProviderRegistry reg = ProviderRegistry.builtIn().with(p);
        ChatRequest a = ChatRequest.of("p", "cheap", List.of(ChatMessage.user("x".repeat(400))));
        ChatRequest b = ChatRequest.of("p", "dear", List.of(ChatMessage.user("x".repeat(400)))).withMaxTokens(100);
        ChatRequest c = ChatRequest.of("p", "mystery", List.of(ChatMessage.user("y")));
        List<ChatRequest> reqs = List.of(a, a.withSampleIndex(1), b, c);
        CostEstimate e = CostEstimate.of(reqs, reg, Set.of(RequestHash.of(a)), 500);
        int pt = 3 + 4 + 100;
        assertEquals(3, e.requests());
        assertEquals(1, e.cached());
        assertEquals(pt * 1 + 500 * 2, e.lines().get(0).costUsd() * 1e6, 1e-6);
        assertEquals(pt * 10 + 100 * 30, e.lines().get(1).costUsd() * 1e6, 1e-6, "max_tokens caps the completion");
        assertNull(e.lines().get(2).costUsd());
        assertEquals(List.of("p / mystery"), e.unpriced());
        assertEquals((pt + 1000 + pt * 10 + 3000) / 1e6, e.costUsd(), 1e-12);
        assertEquals(500 + 100 + 500, e.completionTokens());
        assertTrue(e.summary().contains("3 requests to send (1 already answered)"), e.summary());
        assertTrue(e.summary().contains("no price for p / mystery"), e.summary());
    }
}
