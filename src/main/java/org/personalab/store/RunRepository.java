package org.personalab.store;

import java.util.List;
import java.util.Optional;
import org.personalab.task.RunRecord;

/** The run journal: every pipeline step with its parameters, inputs and outputs. */
public interface RunRepository {

    /** Records a run as running; params and inputs are JSON text. */
    long start(String kind, String title, String paramsJson, String inputsJson);

    /**
     * Records a run that already ended, in the caller's transaction: used where the run and its outputs must appear
     * together or not at all (an import).
     */
    long insertFinished(String kind, String title, String paramsJson, String inputsJson, String outputsJson,
            java.time.Instant startedAt);

    /** Ends a run with a status (succeeded, failed, cancelled), its outputs (JSON) and an error text or null. */
    void finish(long runId, String status, String outputsJson, String error);

    /**
     * Marks an ended run as running again in this process (a resumed run): this process id, no end time, no error.
     * A second process resuming the same run then sees it running and leaves it alone.
     */
    void reopen(long runId);

    Optional<RunRecord> get(long runId);

    /** Runs, newest first. */
    List<RunRecord> list();

    /** Marks runs left "running" by a process that no longer exists as failed; returns how many. */
    int markInterrupted();
}
