package org.personalab.llm;

import java.util.List;
import org.personalab.store.GroupCommit;
import org.personalab.store.LlmCallRepository;
import org.personalab.store.LlmCallRepository.StoredCall;
import org.personalab.store.StoreException;

/**
 * Group commit of {@code llm_call} rows: callers hand over rows and return once they are committed. Whoever gets the
 * write lock first writes every row queued up meanwhile in one transaction (its own and those of the callers waiting
 * behind it); a caller that gets the lock after its rows were written just returns. Alone, a caller writes its row on
 * its own thread without any hand-over; at 64 concurrent calls, 64 lock-contended transactions become a few. A caller
 * still returns only after its answer is on disk, so a killed process never loses an answer it reported. When a group
 * fails (say one row names a run that does not exist), each of its rows is written alone, so one bad row fails only
 * its own caller.
 */
final class CallWriter implements AutoCloseable {

    private static final int MAX_GROUP = 512;

    /** Rows written together, and whether an existing answer must be kept (see saveUnlessAnswered). */
    private record Job(List<StoredCall> rows, boolean unlessAnswered) {
    }

    private final LlmCallRepository.Session session;
    private final GroupCommit<Job> group = new GroupCommit<>(MAX_GROUP, this::write);
    private volatile boolean closed;

    CallWriter(LlmCallRepository.Session session) {
        this.session = session;
    }

    /** Stores one row and returns once it is committed. */
    void save(StoredCall row) {
        submit(new Job(List.of(row), false));
    }

    /** Stores rows in the same transaction and returns once they are committed. */
    void saveAll(List<StoredCall> rows) {
        if (!rows.isEmpty()) {
            submit(new Job(List.copyOf(rows), false));
        }
    }

    /** Stores rows in one transaction, each unless its hash holds an answer or a pending batch already. */
    void saveAllUnlessAnswered(List<StoredCall> rows) {
        if (!rows.isEmpty()) {
            submit(new Job(List.copyOf(rows), true));
        }
    }

    /** Stores a row unless its hash already holds an answer or a pending batch; returns once committed. */
    void saveUnlessAnswered(StoredCall row) {
        submit(new Job(List.of(row), true));
    }

    private void submit(Job job) {
        if (closed) {
            throw new StoreException("the LLM gateway is closed; cannot store " + job.rows().get(0).requestHash());
        }
        group.submit(job, cause -> new StoreException(String.valueOf(cause.getMessage()), cause));
    }

    private void write(List<Job> jobs) {
        session.write(repo -> {
            for (Job j : jobs) {
                apply(repo, j);
            }
            return null;
        });
    }

    private static void apply(LlmCallRepository repo, Job j) {
        for (StoredCall r : j.rows()) {
            if (j.unlessAnswered()) {
                repo.saveUnlessAnswered(r);
            } else {
                repo.save(r);
            }
        }
    }

    /** Refuses new rows; rows being written are finished by their callers. */
    @Override
    public void close() {
        closed = true;
    }
}
