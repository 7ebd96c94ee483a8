package org.personalab.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Agent specifications, each of one respondent; edits point at the spec they edit. A generation run holds at most one
 * original spec per person and sample (edits are versions, not samples).
 */
public interface SpecRepository {

    /**
     * One stored spec.
     *
     * @param document the whole {@code .agent.json} document (type, persona and provenance), as JSON text
     * @param sample the sample index within its run (0 for the first or only one; edits keep their original's)
     * @param temperature the sampling temperature it was generated at, or null (offline engines, edits)
     */
    record SpecRow(long id, long respondentId, String source, long parentId, String document, String requestHash,
            String author, long runId, Instant createdAt, int sample, Double temperature) {
    }

    /** A person and a sample index: what a generation run stores one original spec for. */
    record PersonSample(long respondentId, int sample) {
    }

    long insert(long respondentId, String source, long parentId, String document, String requestHash, String author,
            long runId);

    /**
     * Stores sample {@code sample} of a person's spec in a generation run, unless the run already holds it.
     *
     * @return the new spec's id, or empty when the run already had an original spec for this person and sample
     */
    OptionalLong insertSample(long respondentId, String source, String document, String requestHash, long runId,
            int sample, Double temperature);

    /** The persons and samples that a run holds original specs for. */
    Set<PersonSample> samplesOf(long runId);

    /** Number of original specs (not edits) of a run. */
    int countOriginals(long runId);

    Optional<SpecRow> get(long id);

    List<SpecRow> byRun(long runId);

    List<SpecRow> byRespondent(long respondentId);
}
