package org.personalab.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;
import org.personalab.store.LlmCallRepository;
import org.personalab.store.LlmCallRepository.StoredCall;

/**
 * The {@code llm_call} rows of requests waiting in a provider's batch (status {@value LlmCallRepository#BATCH}). The
 * response envelope of such a row is {@code {"batch": {"provider", "input_file_id", "id", "submitted_at", "mode"}}}
 * (mode: the structured-output mode the request was sent with): the input
 * file is uploaded and recorded before the batch is created, and the batch id is recorded as soon as the provider
 * returns it, so a process killed at any point finds its batch again (by id, or by input file) instead of paying for
 * a second one.
 */
final class BatchRows {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BatchRows() {
    }

    /** The pending row of {@code req}, sent in the batch made from {@code inputFileId} ({@code batchId} when known). */
    static StoredCall pending(ChatRequest req, String hash, String inputFileId, StructuredMode mode,
            Instant submittedAt, Long runId) {
        ObjectNode env = JSON.createObjectNode();
        ObjectNode b = info(req.provider(), inputFileId, null, submittedAt);
        b.put("mode", mode.id());
        env.set("batch", b);
        return new StoredCall(hash, req.provider(), req.model(), RequestHash.canonicalJson(req), env.toString(),
                LlmCallRepository.BATCH, null, null, null, null, runId, null);
    }

    /** The same pending row, now with the id of its batch. */
    static StoredCall withBatchId(StoredCall row, String batchId) {
        ObjectNode env = (ObjectNode) Journal.parse(row.response());
        ObjectNode b = env.with("batch");
        b.put("id", batchId);
        return new StoredCall(row.requestHash(), row.provider(), row.model(), row.request(), env.toString(),
                row.status(), row.promptTokens(), row.completionTokens(), row.costUsd(), row.latencyMs(), row.runId(),
                row.createdAt());
    }

    static ObjectNode info(String provider, String inputFileId, String batchId, Instant submittedAt) {
        ObjectNode b = JSON.createObjectNode();
        b.put("provider", provider);
        b.put("input_file_id", inputFileId);
        if (batchId == null) {
            b.putNull("id");
        } else {
            b.put("id", batchId);
        }
        b.put("submitted_at", submittedAt.toString());
        return b;
    }

    /** The batch id a row waits for; empty while the batch is being created. */
    static Optional<String> batchId(StoredCall row) {
        JsonNode id = batch(row).get("id");
        return id != null && id.isTextual() ? Optional.of(id.asText()) : Optional.empty();
    }

    static StructuredMode mode(StoredCall row) {
        try {
            return StructuredMode.parse(batch(row).path("mode").asText("json_schema"));
        } catch (IllegalArgumentException e) {
            return StructuredMode.JSON_SCHEMA;
        }
    }

    static String inputFileId(StoredCall row) {
        return batch(row).path("input_file_id").asText();
    }

    static Instant submittedAt(StoredCall row) {
        try {
            return Instant.parse(batch(row).path("submitted_at").asText());
        } catch (RuntimeException e) {
            return row.createdAt();
        }
    }

    static JsonNode batch(StoredCall row) {
        return Journal.parse(row.response()).path("batch");
    }
}
