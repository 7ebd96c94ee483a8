package org.personalab.sim;

/**
 * One answer of one agent as stored: to item {@code item} (1-based number in the run's inventory), sample
 * {@code sample}, asked at {@code position} of the agent's order.
 *
 * @param value raw value 1..5 (5 = Very Accurate) when answered, else 0
 */
public record ItemAnswer(int item, int sample, int position, AnswerStatus status, int value, String rawText,
        String promptHash, int promptTokens, int completionTokens, boolean tokensEstimated) {

    static ItemAnswer of(Question q, Reply r) {
        return new ItemAnswer(q.item().number(), q.sample(), q.position(), r.status(), r.value(), r.rawText(),
                r.promptHash(), r.promptTokens(), r.completionTokens(), r.tokensEstimated());
    }
}
