package org.personalab.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.personalab.store.SimAnswerRepository.Answer;

/**
 * Stores the answers of simulation runs over one kept writer connection, with group commit.
 *
 * <p>A simulation writes many small batches (one agent's questionnaire from the offline engine, one answer from a chat
 * model). Through {@link Workspace#write} each batch opened its own connection, and closing the last connection
 * checkpointed the write-ahead log every time; this writer keeps one connection for the whole run. Each
 * {@link #insert} returns only once its rows are committed, so a caller may count them as done: a killed process
 * loses only batches whose {@code insert} had not returned, and a batch is never half-stored (it is one transaction,
 * or part of one). Batches of concurrent callers are committed together: whoever gets the write lock first writes
 * everything queued meanwhile in one transaction (as the gateway's call writer does). When such a group fails, each
 * of its batches is written alone, so a bad batch fails only its own caller.
 */
public final class SimAnswerWriter implements AutoCloseable {

    private static final int MAX_GROUP = 256;

    private record Job(long runId, List<Answer> rows) {
    }

    private final Workspace ws;
    private final GroupCommit<Job> group = new GroupCommit<>(MAX_GROUP, this::commit);
    private final AtomicLong transactions = new AtomicLong();
    private Connection connection; // guarded by the group's lock
    private volatile boolean closed;

    private SimAnswerWriter(Workspace ws) {
        this.ws = ws;
    }

    /** A writer on {@code ws}; the connection opens with the first batch. Close it when the run's attempt ends. */
    public static SimAnswerWriter open(Workspace ws) {
        return new SimAnswerWriter(ws);
    }

    /**
     * Stores {@code rows} of run {@code runId} (an answer already stored for the same spec, item and sample is
     * replaced) and returns once they are committed. Not interruptible: answers that were paid for are written
     * whatever happens to the caller.
     *
     * @throws StoreException when the rows cannot be stored (nothing of them is)
     */
    public void insert(long runId, List<Answer> rows) {
        if (rows.isEmpty()) {
            return;
        }
        if (closed) {
            throw new StoreException(ws.dir() + ": the answer writer of run " + runId + " is closed");
        }
        group.submit(new Job(runId, List.copyOf(rows)), cause -> new StoreException(ws.dir()
                + ": cannot store answers of run " + runId + ": " + cause.getMessage(), cause));
    }

    /** Transactions committed so far (fewer than batches when concurrent batches shared one). */
    public long transactions() {
        return transactions.get();
    }

    /** One immediate transaction with every row of {@code jobs}: all or nothing. Runs under the lock. */
    private void commit(List<Job> jobs) {
        try {
            if (connection == null) {
                connection = ws.connect(true);
            }
            Connection c = connection;
            try (var s = c.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
            }
            try {
                SqliteSimAnswerRepository repo = new SqliteSimAnswerRepository(c);
                for (Job j : jobs) {
                    repo.insert(j.runId(), j.rows());
                }
                try (var s = c.createStatement()) {
                    s.execute("COMMIT");
                }
                transactions.incrementAndGet();
            } catch (RuntimeException | SQLException | Error e) {
                rollback(e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(ws.dir() + ": cannot store simulation answers: " + e.getMessage(), e);
        }
    }

    /** Rolls back the transaction begun in {@link #commit}; a connection that cannot is replaced. */
    private void rollback(Throwable cause) {
        try (var s = connection.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException suppressed) {
            cause.addSuppressed(suppressed);
            closeConnection(); // an unknown state: the next batch starts on a fresh connection
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // no transaction is open on it: nothing can be lost
            }
            connection = null;
        }
    }

    /** Refuses new batches and closes the connection once the batch being written is committed. */
    @Override
    public void close() {
        closed = true;
        group.locked(this::closeConnection);
    }
}
