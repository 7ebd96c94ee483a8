package org.personalab.sim;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.personalab.llm.ChatMessage;
import org.personalab.llm.CostEstimate;

/**
 * Prompt and completion tokens per questionnaire (one agent, one sample, every item) under a memory policy: the token
 * economy of the memory policies, measured on the calls a run makes.
 *
 * <p>Two kinds of figures, labelled as such. <b>Reported</b>: the tokens the provider counted (its usage), for
 * engines that call a model; calls whose provider gave no usage carry the gateway's estimate and are counted in
 * {@link Summary#estimatedUsageCalls}. <b>Estimated</b> (characters / 4 plus a few tokens per message, the gateway's
 * {@link CostEstimate} rule), for every engine including the offline one: the prompt as built, and the part of it that
 * repeats the previous call of the same agent message for message — the <em>cacheable prefix</em> that providers'
 * prompt caches bill at a discount or not at all (the persona system prompt under "none"; TinyTroupe's sliding window
 * breaks it after the first messages). Providers cache only prefixes above a minimum length (OpenAI: 1,024 tokens), so
 * the cacheable figure is an upper bound. Thread-safe.
 */
public final class TokenTally {

    private final String policy;
    private final Map<String, long[]> byQuestionnaire = new HashMap<>();

    /** Indices into the per-questionnaire counters. */
    private static final int CALLS = 0;
    private static final int EST_PROMPT = 1;
    private static final int PREFIX = 2;
    private static final int PROMPT = 3;
    private static final int COMPLETION = 4;
    private static final int ESTIMATED_USAGE = 5;
    private static final int MODEL_CALLS = 6;

    public TokenTally(String policy) {
        this.policy = policy;
    }

    /**
     * Per-questionnaire means.
     *
     * @param estimatedPrompt prompt tokens of the messages built (estimate)
     * @param cacheablePrefix the part of {@code estimatedPrompt} repeating the agent's previous call (estimate)
     * @param uncachedPrompt {@code estimatedPrompt - cacheablePrefix}
     * @param reportedPrompt prompt tokens in the providers' usage (NaN for an offline engine)
     * @param reportedCompletion completion tokens in the providers' usage (NaN for an offline engine)
     * @param source where the reported figures come from: "provider usage", "provider usage, N calls estimated",
     *        "estimated (no usage reported)" or "none (offline engine: nothing sent)"
     */
    public record Summary(String policy, int questionnaires, long calls, double estimatedPrompt,
            double cacheablePrefix, double uncachedPrompt, double reportedPrompt, double reportedCompletion,
            long estimatedUsageCalls, String source) {
    }

    /** Records one item: the messages it was (or would be) sent with, the agent's previous call, and its answer. */
    public void add(long specId, int sample, List<ChatMessage> messages, List<ChatMessage> previous, ItemAnswer a,
            boolean model) {
        long est = CostEstimate.promptTokens(messages);
        long prefix = commonPrefixTokens(messages, previous);
        synchronized (byQuestionnaire) {
            long[] c = byQuestionnaire.computeIfAbsent(specId + "/" + sample, k -> new long[7]);
            c[CALLS]++;
            c[EST_PROMPT] += est;
            c[PREFIX] += prefix;
            if (model && a.status() != AnswerStatus.FAILED) {
                c[MODEL_CALLS]++;
                c[PROMPT] += a.promptTokens();
                c[COMPLETION] += a.completionTokens();
                if (a.tokensEstimated()) {
                    c[ESTIMATED_USAGE]++;
                }
            }
        }
    }

    /** Estimated tokens of the leading messages that equal the previous call's, or 0 when the first differs. */
    static long commonPrefixTokens(List<ChatMessage> now, List<ChatMessage> previous) {
        if (previous == null) {
            return 0;
        }
        long t = 0;
        int n = Math.min(now.size(), previous.size());
        for (int i = 0; i < n && now.get(i).equals(previous.get(i)); i++) {
            t += (i == 0 ? 3 : 0) + 4 + CostEstimate.tokensOf(now.get(i).content());
        }
        return t;
    }

    public Summary summary() {
        synchronized (byQuestionnaire) {
            int q = byQuestionnaire.size();
            long[] sum = new long[7];
            for (long[] c : byQuestionnaire.values()) {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += c[i];
                }
            }
            double d = Math.max(1, q);
            boolean model = sum[MODEL_CALLS] > 0;
            String source = !model ? "none (offline engine: nothing sent)"
                    : sum[ESTIMATED_USAGE] == 0 ? "provider usage"
                    : sum[ESTIMATED_USAGE] == sum[MODEL_CALLS] ? "estimated (no usage reported)"
                    : "provider usage, " + sum[ESTIMATED_USAGE] + " calls estimated";
            return new Summary(policy, q, sum[CALLS], sum[EST_PROMPT] / d, sum[PREFIX] / d,
                    (sum[EST_PROMPT] - sum[PREFIX]) / d, model ? sum[PROMPT] / d : Double.NaN,
                    model ? sum[COMPLETION] / d : Double.NaN, sum[ESTIMATED_USAGE], source);
        }
    }
}
