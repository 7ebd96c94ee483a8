package org.personalab.llm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a set of requests will cost before it is sent: prompt tokens estimated as characters / 4 (plus a few per
 * message), completion tokens as the expected length (at most {@code max_tokens}), times each model's price. Requests
 * already answered in the workspace cost nothing and are counted apart.
 *
 * @param costUsd estimated dollars of the priced requests not yet answered
 * @param unpriced "provider / model" of requests whose model has no price (not in {@code costUsd})
 */
public record CostEstimate(List<Line> lines, int requests, int cached, long promptTokens, long completionTokens,
        double costUsd, List<String> unpriced) {

    /** Completion tokens assumed for the worst case of a request without {@code max_tokens}. */
    public static final int DEFAULT_MAX_COMPLETION_TOKENS = 4096;

    /** One provider and model: requests to send, requests already cached, tokens and dollars (null when unpriced). */
    public record Line(String provider, String model, int requests, int cached, long promptTokens,
            long completionTokens, Double costUsd) {
    }

    /** Estimated tokens of a text. */
    public static int tokensOf(String text) {
        return text == null ? 0 : (text.length() + 3) / 4;
    }

    /** Estimated prompt tokens of a list of messages (text plus a small overhead per message). */
    public static int promptTokens(Collection<ChatMessage> messages) {
        int n = 3;
        for (ChatMessage m : messages) {
            n += 4 + tokensOf(m.content());
        }
        return n;
    }

    /** Completion tokens of the worst case: {@code max_tokens}, else {@link #DEFAULT_MAX_COMPLETION_TOKENS}. */
    public static int worstCaseCompletion(ChatRequest r) {
        return r.maxTokens() != null ? r.maxTokens() : DEFAULT_MAX_COMPLETION_TOKENS;
    }

    /**
     * Estimates {@code requests}.
     *
     * @param cachedHashes request hashes already answered in the workspace
     * @param expectedCompletionTokens the typical answer length (capped by each request's {@code max_tokens})
     */
    public static CostEstimate of(List<ChatRequest> requests, ProviderRegistry registry, Set<String> cachedHashes,
            int expectedCompletionTokens) {
        Map<String, long[]> acc = new LinkedHashMap<>();
        Map<String, Double> cost = new LinkedHashMap<>();
        Map<String, String[]> names = new LinkedHashMap<>();
        for (ChatRequest r : requests) {
            String k = r.provider() + "\u0000" + r.model();
            names.putIfAbsent(k, new String[] {r.provider(), r.model()});
            long[] a = acc.computeIfAbsent(k, x -> new long[4]);
            var price = registry.find(r.provider()).flatMap(p -> p.price(r.model()));
            if (cachedHashes.contains(RequestHash.of(r))) {
                a[1]++;
                cost.putIfAbsent(k, price.isPresent() ? 0.0 : null);
                continue;
            }
            int pt = promptTokens(r.messages());
            int ct = r.maxTokens() == null ? expectedCompletionTokens
                    : Math.min(r.maxTokens(), expectedCompletionTokens);
            a[0]++;
            a[2] += pt;
            a[3] += ct;
            if (price.isPresent()) {
                Double prev = cost.get(k);
                cost.put(k, (prev == null ? 0 : prev) + price.get().cost(pt, ct));
            } else {
                cost.put(k, null);
            }
        }
        List<Line> lines = new ArrayList<>();
        List<String> unpriced = new ArrayList<>();
        int n = 0;
        int cached = 0;
        long pt = 0;
        long ct = 0;
        double usd = 0;
        for (var e : acc.entrySet()) {
            long[] a = e.getValue();
            String[] nm = names.get(e.getKey());
            Double c = cost.get(e.getKey());
            lines.add(new Line(nm[0], nm[1], (int) a[0], (int) a[1], a[2], a[3], c));
            n += (int) a[0];
            cached += (int) a[1];
            pt += a[2];
            ct += a[3];
            if (c == null) {
                if (a[0] > 0) {
                    unpriced.add(nm[0] + " / " + nm[1]);
                }
            } else {
                usd += c;
            }
        }
        return new CostEstimate(List.copyOf(lines), n, cached, pt, ct, usd, List.copyOf(unpriced));
    }

    /** One line for a confirmation prompt: "40 requests (12 cached), ~52,000 tokens, ~$0.31". */
    public String summary() {
        String s = String.format(Locale.ROOT, "%d requests to send (%d already answered), ~%,d prompt + ~%,d "
                + "completion tokens, ~$%.4f", requests, cached, promptTokens, completionTokens, costUsd);
        return unpriced.isEmpty() ? s : s + " (no price for " + String.join(", ", unpriced) + ")";
    }
}
