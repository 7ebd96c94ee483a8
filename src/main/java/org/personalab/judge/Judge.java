package org.personalab.judge;

import java.util.Map;
import org.personalab.task.TaskContext;

/**
 * Decides which of two specs better matches a person, looking at the pair in both presentation orders. Implementations:
 * {@link RubricJudge} (offline, deterministic), {@link LlmJudge} (a chat model with a prompt template).
 */
public interface Judge {

    /** The label stored with each judgment, e.g. "rubric (rule-based, offline)" or "openai:gpt-4o". */
    String label();

    /** What the run journal records about this judge (model, prompt hash, temperature, rules version, ...). */
    Map<String, Object> parameters();

    /** Offline judges cost nothing and answer at once (their results are stored in batches). */
    boolean offline();

    /**
     * Judges one pair in both orders.
     *
     * @param runId the judging run, so paid calls are journaled with it
     */
    JudgeResult judge(JudgeInput input, TaskContext task, long runId);
}
