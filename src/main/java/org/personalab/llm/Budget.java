package org.personalab.llm;

/**
 * A hard cap on the money a run may spend. Before each paid try the gateway reserves that try's worst case (estimated
 * prompt tokens plus {@code max_tokens}); a try whose reservation would take spent plus reserved money over the cap is
 * not sent ({@link LlmException.BudgetExceeded}), so a run stops cleanly with every answer it paid for stored. After
 * the answer the reservation is replaced by the real cost. Thread-safe; one budget may be shared by concurrent calls.
 */
public final class Budget {

    private final double capUsd;
    private double spentUsd;
    private double reservedUsd;
    private long promptTokens;
    private long completionTokens;

    private Budget(double capUsd) {
        this.capUsd = capUsd;
    }

    public static Budget ofUsd(double capUsd) {
        if (!(capUsd >= 0)) {
            throw new IllegalArgumentException("a budget must be >= 0 dollars");
        }
        return new Budget(capUsd);
    }

    /** No cap; still counts what is spent. */
    public static Budget unlimited() {
        return new Budget(Double.POSITIVE_INFINITY);
    }

    public boolean isCapped() {
        return !Double.isInfinite(capUsd);
    }

    /** Reserves {@code usd} for one try, or throws when the cap would be exceeded. */
    public synchronized Reservation reserve(double usd, String what) {
        if (spentUsd + reservedUsd + usd > capUsd + 1e-12) {
            throw new LlmException.BudgetExceeded(String.format(java.util.Locale.ROOT,
                    "budget of $%.4f reached: spent $%.4f, in flight $%.4f, next call (%s) may cost up to $%.4f",
                    capUsd, spentUsd, reservedUsd, what, usd));
        }
        reservedUsd += usd;
        return new Reservation(usd);
    }

    synchronized void settle(Reservation r, double actualUsd, Usage usage) {
        release(r);
        spentUsd += actualUsd;
        promptTokens += usage.promptTokens();
        completionTokens += usage.completionTokens();
    }

    /** Counts money spent without a reservation (a batch collected by another process than the one that sent it). */
    synchronized void spend(double actualUsd, Usage usage) {
        spentUsd += actualUsd;
        promptTokens += usage.promptTokens();
        completionTokens += usage.completionTokens();
    }

    synchronized void release(Reservation r) {
        if (!r.done) {
            r.done = true;
            reservedUsd -= r.usd;
        }
    }

    public synchronized double spentUsd() {
        return spentUsd;
    }

    public synchronized double capUsd() {
        return capUsd;
    }

    public synchronized long promptTokens() {
        return promptTokens;
    }

    public synchronized long completionTokens() {
        return completionTokens;
    }

    /** Money set aside for one try in flight. */
    public static final class Reservation {
        private final double usd;
        private boolean done;

        private Reservation(double usd) {
            this.usd = usd;
        }
    }
}
