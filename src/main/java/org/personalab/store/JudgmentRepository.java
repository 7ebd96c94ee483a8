package org.personalab.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Pairwise judgments of two specs of one person, the human overrides of them (who, when, why, the verdict before,
 * and whether it was reverted), the named local annotators and their review flags. Verdicts are the stored codes
 * {@code A}, {@code B} and {@code tie}, always in the pair's stored order (A = {@code spec_a}), whatever order a judge
 * or an annotator was shown.
 */
public interface JudgmentRepository {

    /**
     * One stored judgment.
     *
     * @param respondentId the person both specs describe (from {@code spec_a})
     * @param detail       JSON: the judge's answer for each presentation order, costs, per-scale errors
     * @param flagged      the judge was unsure (its orders disagreed, or its answer was invalid)
     */
    record JudgmentRow(long id, long runId, long specA, long specB, long respondentId, String judge, String winner,
            Double confidence, String rationale, String detail, boolean flagged, Instant createdAt) {
    }

    /** A judgment to store. */
    record NewJudgment(long specA, long specB, String judge, String winner, Double confidence, String rationale,
            String detail, boolean flagged) {
    }

    /**
     * One override of a judgment by an annotator.
     *
     * @param previous     the effective verdict just before this override
     * @param shownSwapped whether the annotator saw spec B on the left (their A/B order was swapped)
     */
    record OverrideRow(long id, long judgmentId, String annotator, String verdict, String previous, String reason,
            boolean shownSwapped, Instant createdAt, Instant revertedAt, String revertedBy) {

        public boolean active() {
            return revertedAt == null;
        }
    }

    /** An annotator's flag on a judgment; {@code clearedAt} is null while it stands. */
    record FlagRow(long id, long judgmentId, String annotator, String reason, Instant createdAt, Instant clearedAt) {
    }

    /** Stores judgments of one run; a pair already judged in that run is refused (the run/pair key is unique). */
    void insert(long runId, List<NewJudgment> judgments);

    Optional<JudgmentRow> get(long judgmentId);

    /** Judgments of a run in insertion order. */
    List<JudgmentRow> byRun(long runId);

    /** Records an override; returns its id. */
    long addOverride(long judgmentId, String annotator, String verdict, String previous, String reason,
            boolean shownSwapped);

    Optional<OverrideRow> getOverride(long overrideId);

    /** Marks an override reverted (by whom, now); refuses one that is already reverted. */
    void revertOverride(long overrideId, String revertedBy);

    /** Overrides of one judgment, oldest first (reverted ones included). */
    List<OverrideRow> overrides(long judgmentId);

    /** Overrides of every judgment of a run, oldest first (reverted ones included). */
    List<OverrideRow> overridesOfRun(long runId);

    /** Adds an annotator; a known name is kept as it is. */
    void addAnnotator(String name);

    /** Annotator names in alphabetical order. */
    List<String> annotators();

    long addFlag(long judgmentId, String annotator, String reason);

    /** Clears the standing flags of an annotator on a judgment; returns how many. */
    int clearFlags(long judgmentId, String annotator);

    /** Flags of every judgment of a run, oldest first (cleared ones included). */
    List<FlagRow> flagsOfRun(long runId);
}
