package org.personalab.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Leader/follower group commit: callers hand over an item and return once it is committed. Whoever gets the lock
 * first commits every item queued meanwhile in one transaction (its own and those of the callers waiting behind it);
 * a caller that gets the lock after its item was committed just returns. Alone, a caller commits on its own thread
 * without any hand-over. When a group fails, each of its items is committed alone, so one bad item fails only its
 * own caller. Waiting is not interruptible: an item that was paid for is written whatever happens to the caller.
 * Shared by the gateway's call writer and the simulation's answer writer.
 *
 * @param <T> what one caller hands over (committed all or nothing)
 */
public final class GroupCommit<T> {

    private record Job<T>(T item, CompletableFuture<Void> done) {
    }

    private final int maxGroup;
    private final Consumer<List<T>> commit;
    private final ConcurrentLinkedQueue<Job<T>> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();

    /**
     * @param maxGroup most items in one transaction
     * @param commit commits the items in one transaction, all or nothing; called under the lock, one group at a time
     */
    public GroupCommit(int maxGroup, Consumer<List<T>> commit) {
        this.maxGroup = maxGroup;
        this.commit = commit;
    }

    /**
     * Commits {@code item} (with whatever else is queued) and returns once it is on disk.
     *
     * @param wrap turns a failure that is not a {@link RuntimeException} into one
     */
    public void submit(T item, Function<Throwable, RuntimeException> wrap) {
        Job<T> job = new Job<>(item, new CompletableFuture<>());
        queue.add(job);
        lock.lock();
        try {
            if (!job.done().isDone()) { // still queued: lead a group of everything queued so far
                List<Job<T>> group = new ArrayList<>();
                for (Job<T> j = queue.poll(); j != null; j = group.size() < maxGroup ? queue.poll() : null) {
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
            throw wrap.apply(e.getCause());
        }
    }

    /** Runs {@code r} under the commit lock: after the group being written, before the next. */
    public void locked(Runnable r) {
        lock.lock();
        try {
            r.run();
        } finally {
            lock.unlock();
        }
    }

    private void write(List<Job<T>> group) {
        try {
            commit.accept(group.stream().map(Job::item).toList());
            group.forEach(j -> j.done().complete(null));
        } catch (RuntimeException | Error groupFailed) {
            if (group.size() == 1) {
                group.get(0).done().completeExceptionally(groupFailed);
                return;
            }
            for (Job<T> j : group) {
                try {
                    commit.accept(List.of(j.item()));
                    j.done().complete(null);
                } catch (RuntimeException | Error e) {
                    j.done().completeExceptionally(e);
                }
            }
        }
    }
}
