package org.personalab.engine;

/**
 * What one prompt produced: the new tokens (without the stop token) and why generation ended —
 * {@code STOP} at a stop token, {@code LENGTH} at max_new_tokens (OpenAI's {@code finish_reason}).
 */
public record Generation(int[] tokens, FinishReason finishReason, int promptTokens) {

    /** Why a row stopped. */
    public enum FinishReason { STOP, LENGTH }

    public Generation {
        tokens = tokens.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }
}
