package org.personalab.data;

import java.time.Instant;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;

/**
 * A dataset as the workspace knows it: what it is, how its answers are encoded, where it came from.
 *
 * @param id           workspace id
 * @param name         unique name
 * @param format       the import format ("johnson120", "papi", "csv", "synthetic", ...)
 * @param inventory    IPIP-NEO-120 or -300
 * @param encoding     raw or keyed
 * @param size         number of respondents
 * @param scoringRule  minimum answered fraction per facet used for its scores
 * @param sourceFile   path of the imported file, or null
 * @param sourceBytes  size of that file, or 0
 * @param sourceSha256 SHA-256 of that file, or null
 * @param provenance   free text: how it was made (file, options, skipped records, generator parameters)
 * @param normSetId    the norm set its levels are placed with (0 when none yet)
 * @param runId        the run that created it
 * @param createdAt    when
 */
public record DatasetInfo(long id, String name, String format, Inventory inventory, AnswerEncoding encoding, int size,
        double scoringRule, String sourceFile, long sourceBytes, String sourceSha256, String provenance, long normSetId,
        long runId, Instant createdAt) {

    public DatasetInfo withIds(long newId, long newNormSetId, long newRunId) {
        return new DatasetInfo(newId, name, format, inventory, encoding, size, scoringRule, sourceFile, sourceBytes,
                sourceSha256, provenance, newNormSetId, newRunId, createdAt);
    }

    @Override
    public String toString() {
        return name;
    }
}
