package org.personalab.judge;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The rules of human review, as pure functions:
 * <ul>
 *   <li>the effective verdict of a judgment is its latest non-reverted override, else the judge's;</li>
 *   <li>an annotator's label is their own latest non-reverted override (agreeing with the judge counts);</li>
 *   <li>each annotator sees each pair in an order of their own (spec B on the left for about half the pairs), fixed
 *       by a hash of name and judgment so the order is the same every time they return to it;</li>
 *   <li>an annotator's queues: done (they labelled it), flagged (not labelled, and flagged by them or by the judge),
 *       pending (the rest).</li>
 * </ul>
 */
public final class ReviewState {

    /** An annotator's review queues. */
    public enum Queue {
        PENDING, DONE, FLAGGED;

        public String label() {
            return name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT);
        }
    }

    private ReviewState() {
    }

    /** The verdict in force: the latest active override's, else the judge's. */
    public static Verdict effective(Verdict judge, List<VerdictOverride> overrides) {
        VerdictOverride last = latestActive(overrides, null);
        return last == null ? judge : last.verdict();
    }

    /** Whether an active override decides the verdict (rather than the judge). */
    public static boolean overridden(List<VerdictOverride> overrides) {
        return latestActive(overrides, null) != null;
    }

    /** The annotator's label, or null when they have none standing. */
    public static Verdict labelOf(String annotator, List<VerdictOverride> overrides) {
        VerdictOverride last = latestActive(overrides, annotator);
        return last == null ? null : last.verdict();
    }

    /** The annotator's latest active override, or null. */
    public static VerdictOverride latestActive(List<VerdictOverride> overrides, String annotator) {
        VerdictOverride last = null;
        for (VerdictOverride o : overrides) {
            if (o.active() && (annotator == null || o.annotator().equals(annotator))
                    && (last == null || o.id() > last.id())) {
                last = o;
            }
        }
        return last;
    }

    /** Whether {@code annotator} sees spec B on the left for {@code judgmentId}. */
    public static boolean swapped(String annotator, long judgmentId) {
        CRC32 crc = new CRC32();
        crc.update((annotator + "#" + judgmentId).getBytes(StandardCharsets.UTF_8));
        return (crc.getValue() & 1) == 1;
    }

    /** The queue a judgment is in for an annotator. */
    public static Queue queue(String annotator, List<VerdictOverride> overrides, boolean judgeFlagged,
            boolean flaggedByAnnotator) {
        if (labelOf(annotator, overrides) != null) {
            return Queue.DONE;
        }
        return judgeFlagged || flaggedByAnnotator ? Queue.FLAGGED : Queue.PENDING;
    }
}
