package org.personalab.llm;

import java.util.List;

/**
 * One chat completion request: what is hashed, cached and paid for. Null parameters are left to the provider's
 * defaults. Identical requests (same provider, model, messages, parameters and sample index) are answered once; ask
 * for another sample of the same prompt with a different {@code sampleIndex}.
 */
public record ChatRequest(String provider, String model, List<ChatMessage> messages, Double temperature,
        Double topP, Integer maxTokens, ResponseFormat format, int sampleIndex) {

    public ChatRequest {
        if (provider == null || provider.isBlank()) {
            throw new IllegalArgumentException("a chat request needs a provider");
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("a chat request needs a model");
        }
        if (messages == null || messages.isEmpty()) {
            throw new IllegalArgumentException("a chat request needs at least one message");
        }
        messages = List.copyOf(messages);
        if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
            throw new IllegalArgumentException("temperature must be between 0 and 2, not " + temperature);
        }
        if (topP != null && !(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], not " + topP);
        }
        if (maxTokens != null && maxTokens < 1) {
            throw new IllegalArgumentException("max_tokens must be at least 1, not " + maxTokens);
        }
        if (sampleIndex < 0) {
            throw new IllegalArgumentException("sample index must be >= 0");
        }
        format = format == null ? ResponseFormat.TEXT : format;
    }

    public static ChatRequest of(String provider, String model, List<ChatMessage> messages) {
        return new ChatRequest(provider, model, messages, null, null, null, ResponseFormat.TEXT, 0);
    }

    public ChatRequest withTemperature(Double t) {
        return new ChatRequest(provider, model, messages, t, topP, maxTokens, format, sampleIndex);
    }

    public ChatRequest withTopP(Double p) {
        return new ChatRequest(provider, model, messages, temperature, p, maxTokens, format, sampleIndex);
    }

    public ChatRequest withMaxTokens(Integer n) {
        return new ChatRequest(provider, model, messages, temperature, topP, n, format, sampleIndex);
    }

    public ChatRequest withFormat(ResponseFormat f) {
        return new ChatRequest(provider, model, messages, temperature, topP, maxTokens, f, sampleIndex);
    }

    /** The same prompt as another sample: a different hash, so it is sent (and paid) even if this one is cached. */
    public ChatRequest withSampleIndex(int i) {
        return new ChatRequest(provider, model, messages, temperature, topP, maxTokens, format, i);
    }
}
