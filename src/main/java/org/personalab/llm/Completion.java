package org.personalab.llm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One successful HTTP exchange: the answer text, why generation stopped, the tokens, and the provider's whole
 * response body (without any key).
 *
 * @param usageEstimated the provider reported no usage; tokens were estimated from the text
 */
record Completion(String text, String finishReason, Usage usage, boolean usageEstimated, JsonNode body,
        long latencyMs) {
}
