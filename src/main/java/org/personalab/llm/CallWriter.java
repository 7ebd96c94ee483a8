package org.personalab.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
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
    private record Job(List<StoredCall> rows, boolean unlessAnswered, CompletableFuture<Void> done) {
    }

    private final LlmCallRepository.Session session;
    private final ConcurrentLinkedQueue<Job> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean closed;

    CallWriter(LlmCallRepository.Session session) {
        this.session = session;
    }

    /** Stores one row and returns once it is committed. */
    void save(StoredCall row) {
        submit(new Job(List.of(row), false, new CompletableFuture<>()));
    }

    /** Stores rows in the same transaction and returns once they are committed. */
    void saveAll(List<StoredCall> rows) {
        if (!rows.isEmpty()) {
            submit(new Job(List.copyOf(rows), false, new CompletableFuture<>()));
        }
    }

    /** Stores rows in one transaction, each unless its hash holds an answer or a pending batch already. */
    void saveAllUnlessAnswered(List<StoredCall> rows) {
        if (!rows.isEmpty()) {
            submit(new Job(List.copyOf(rows), true, new CompletableFuture<>()));
        }
    }

    /** Stores a row unless its hash already holds an answer or a pending batch; returns once committed. */
    void saveUnlessAnswered(StoredCall row) {
        submit(new Job(List.of(row), true, new CompletableFuture<>()));
    }

    private void submit(Job job) {
        if (closed) {
            throw new StoreException("the LLM gateway is closed; cannot store " + job.rows().get(0).requestHash());
        }
        queue.add(job);
        // not interruptible: the answer may already be paid for, so it is written whatever happens to the caller
        lock.lock();
        try {
            if (!job.done().isDone()) { // still queued: lead a group of everything queued so far
                List<Job> group = new ArrayList<>();
                for (Job j = queue.poll(); j != null; j = group.size() < MAX_GROUP ? queue.poll() : null) {
                    group.add(j);
                }
                write(group);
            }
        } finally {
            lock.unlock();
        }
        try {
            job.done().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new StoreException(String.valueOf(e.getCause().getMessage()), e.getCause());
        }
    }

    private void write(List<Job> group) {
        try {
            session.write(repo -> {
                for (Job j : group) {
                    apply(repo, j);
                }
                return null;
            });
            group.forEach(j -> j.done().complete(null));
        } catch (RuntimeException | Error groupFailed) {
            if (group.size() == 1) {
                group.get(0).done().completeExceptionally(groupFailed);
                return;
            }
            for (Job j : group) {
                try {
                    session.write(repo -> {
                        apply(repo, j);
                        return null;
                    });
                    j.done().complete(null);
                } catch (RuntimeException | Error e) {
                    j.done().completeExceptionally(e);
                }
            }
        }
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
