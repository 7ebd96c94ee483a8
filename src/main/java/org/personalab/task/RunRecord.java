package org.personalab.task;

import java.time.Instant;

/**
 * One entry of the run journal: a pipeline step with its parameters, inputs and outputs (JSON text).
 *
 * @param status running, succeeded, failed or cancelled
 */
public record RunRecord(long id, String kind, String title, String params, String inputs, String outputs,
        String status, String error, String appVersion, Instant startedAt, Instant finishedAt) {

    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";
}
