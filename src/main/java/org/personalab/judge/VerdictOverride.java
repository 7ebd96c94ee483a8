package org.personalab.judge;

import java.time.Instant;

/**
 * An annotator's verdict on a judgment, replacing the judge's (or an earlier annotator's): who, when, why, what the
 * verdict was before, in which order they saw the specs, and whether and by whom it was reverted. Verdicts are in the
 * pair's own order.
 */
public record VerdictOverride(long id, long judgmentId, String annotator, Verdict verdict, Verdict previous,
        String reason,
        boolean shownSwapped, Instant at, Instant revertedAt, String revertedBy) {

    public boolean active() {
        return revertedAt == null;
    }
}
