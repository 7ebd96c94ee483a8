package org.personalab.llm;

import java.time.Instant;
import java.util.List;

/**
 * What a batch run did: how many requests were answered from the workspace, sent, found already waiting in a batch,
 * answered by the provider, answered invalidly, and which failed (with the provider's reason).
 *
 * @param requests distinct requests asked for
 * @param cached answered in the workspace before (nothing sent)
 * @param submitted sent in a new batch now
 * @param alreadyPending found waiting in a batch sent before (by this or a killed process): collected, not re-sent
 * @param needCorrection holding a rejected answer with tries left: left to a live call, which asks for a correction
 * @param answered valid answers collected and stored
 * @param invalid answers collected that fail their JSON schema (stored; a live call asks for a correction when the
 *        retry policy allows)
 * @param failed requests without an answer, one line each
 * @param batches the provider batches involved
 * @param usage tokens of the answers collected now
 * @param costUsd money of the answers collected now, at the batch price (NaN when a model has no price)
 */
public record BatchReport(int requests, int cached, int submitted, int alreadyPending, int needCorrection,
        int answered, int invalid, List<FailedLine> failed, List<PendingBatch> batches, Usage usage, double costUsd) {

    public BatchReport {
        failed = List.copyOf(failed);
        batches = List.copyOf(batches);
    }

    /** One request of a batch that came back without an answer. */
    public record FailedLine(String requestHash, String batchId, Integer httpStatus, String message) {
    }

    /**
     * A provider batch holding requests of this workspace.
     *
     * @param batchId null while the batch is being created
     * @param status the provider's last word on it ("submitted" before the first poll)
     */
    public record PendingBatch(String provider, String inputFileId, String batchId, int requests, Instant submittedAt,
            String status) {
    }

    /** One line: "40 requests: 12 cached, 28 sent in 1 batch; 27 answered, 1 invalid, 0 failed; $0.0123". */
    public String summary() {
        return String.format(java.util.Locale.ROOT, "%d requests: %d cached, %d sent, %d already waiting in a batch, "
                + "%d awaiting a live correction; %d answered, %d invalid, %d failed; %d prompt + %d completion "
                + "tokens, $%.4f at the batch price", requests, cached, submitted, alreadyPending, needCorrection,
                answered, invalid, failed.size(), usage.promptTokens(), usage.completionTokens(), costUsd);
    }
}
