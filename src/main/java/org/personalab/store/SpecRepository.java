package org.personalab.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Agent specifications, each of one respondent; edits point at the spec they edit. */
public interface SpecRepository {

    /**
     * One stored spec.
     *
     * @param document the whole {@code .agent.json} document (type, persona and provenance), as JSON text
     */
    record SpecRow(long id, long respondentId, String source, long parentId, String document, String requestHash,
            String author, long runId, Instant createdAt) {
    }

    long insert(long respondentId, String source, long parentId, String document, String requestHash, String author,
            long runId);

    Optional<SpecRow> get(long id);

    List<SpecRow> byRun(long runId);

    List<SpecRow> byRespondent(long respondentId);
}
