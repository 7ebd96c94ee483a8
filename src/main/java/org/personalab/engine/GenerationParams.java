package org.personalab.engine;

import java.util.Set;

/**
 * Limits of one generation call: at most {@code maxNewTokens} new tokens per prompt, ending a row early at any of
 * {@code stopTokens} (the stop token is not part of the output), choosing tokens by {@code sampling}.
 */
public record GenerationParams(int maxNewTokens, Set<Integer> stopTokens, SamplingParams sampling) {

    public GenerationParams {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max_tokens must be at least 1, not " + maxNewTokens);
        }
        stopTokens = Set.copyOf(stopTokens);
    }

    public static GenerationParams greedy(int maxNewTokens, Set<Integer> stopTokens) {
        return new GenerationParams(maxNewTokens, stopTokens, SamplingParams.GREEDY);
    }
}
