package org.personalab.sim;

/**
 * A respondent's answer to one {@link Question}.
 *
 * @param value raw value 1..5 (5 = Very Accurate) when {@code status} is ANSWERED, else 0
 * @param rawText the reply as received (for a model), or a short description (offline engines)
 * @param promptHash the LLM request hash, or for offline engines a hash of what the answer was computed from
 * @param promptTokens prompt tokens the provider reported (or estimated when {@code tokensEstimated}); 0 offline
 * @param cached the answer came from the workspace's LLM cache (nothing paid now)
 * @param costUsd money paid now for this answer (0 when cached or offline; NaN when unpriced)
 */
public record Reply(AnswerStatus status, int value, String rawText, String promptHash, int promptTokens,
        int completionTokens, boolean tokensEstimated, boolean cached, double costUsd) {

    public Reply {
        if ((status == AnswerStatus.ANSWERED) != (value >= 1 && value <= 5) || (status != AnswerStatus.ANSWERED
                && value != 0)) {
            throw new IllegalArgumentException("reply value " + value + " does not fit status " + status);
        }
    }
}
