package org.personalab.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The LLM call journal and cache (table {@code llm_call}): one row per request hash holding the request (canonical
 * JSON, never a key), the answer or the error, tokens, money and latency. A row is written as soon as an answer
 * arrives, so a killed run never pays twice for an answer it already received.
 *
 * <p>Statuses: {@value #OK} (a usable answer), {@value #INVALID} (an answer that failed validation after every allowed
 * try; final, kept with its raw text), {@value #REJECTED} (a paid answer that failed validation while more tries are
 * allowed), {@value #ERROR} (no answer: the provider failed or refused), {@value #BATCH} (sent in a provider's batch
 * whose answers are not collected yet; the response envelope names the batch, so a killed process resumes polling it
 * instead of sending the request again).
 */
public interface LlmCallRepository {

    String OK = "ok";
    String INVALID = "invalid";
    String REJECTED = "rejected";
    String ERROR = "error";
    String BATCH = "batch";

    /** Statuses whose row answers an identical request from the cache. */
    Set<String> FINAL = Set.of(OK, INVALID);

    Optional<StoredCall> find(String requestHash);

    /** Inserts the row or replaces everything but its creation time. */
    void save(StoredCall call);

    /**
     * Inserts the row, or replaces one that holds only an error; a row with an answer or a pending batch is kept.
     *
     * @return whether the row was written
     */
    boolean saveUnlessAnswered(StoredCall call);

    /** The rows of {@code hashes} that exist, by hash. */
    Map<String, StoredCall> findAll(Collection<String> hashes);

    /** Every row with the given status, oldest first. */
    List<StoredCall> findByStatus(String status);

    /** The subset of {@code hashes} that have a final answer (answered from the cache at no cost). */
    Set<String> finalHashes(Collection<String> hashes);

    /** Tokens and money over the whole workspace (rows waiting in a batch are not counted). */
    Totals totals();

    /** Tokens and money paid by one run. */
    Totals totalsForRun(long runId);

    /** Number of rows per status. */
    Map<String, Integer> countByStatus();

    /**
     * A long-lived channel to {@code llm_call} for a busy caller (the LLM gateway): reader connections are pooled and
     * one writer connection is kept, instead of a connection per transaction. Keeping a connection open also keeps
     * SQLite from checkpointing and deleting the write-ahead log each time the last connection closes. Thread-safe;
     * close it when done.
     */
    interface Session extends AutoCloseable {

        /** Runs {@code work} on a pooled read-only connection (each statement sees the latest commit). */
        <T> T read(Function<LlmCallRepository, T> work);

        /** Runs {@code work} in one immediate write transaction: all or nothing; writes are serialized. */
        <T> T write(Function<LlmCallRepository, T> work);

        @Override
        void close();
    }

    /** Opens a {@link Session} on {@code workspace}. */
    static Session session(Workspace workspace) {
        return new SqliteLlmCallRepository.SqliteSession(workspace);
    }

    /**
     * One row of {@code llm_call}.
     *
     * @param request canonical request JSON (the hash input)
     * @param response JSON envelope of the answer or error, or null
     * @param costUsd money paid for this request so far, over all paid tries
     */
    record StoredCall(String requestHash, String provider, String model, String request, String response,
            String status, Integer promptTokens, Integer completionTokens, Double costUsd, Long latencyMs, Long runId,
            Instant createdAt) {
    }

    /** Sums over calls: how many rows, how many with a paid answer, tokens and money. */
    record Totals(int calls, int answered, long promptTokens, long completionTokens, double costUsd) {

        public long totalTokens() {
            return promptTokens + completionTokens;
        }
    }
}
