package org.personalab.llm;

import org.personalab.task.TaskContext;

/**
 * Who a call is made for: the task (progress messages, cancellation), the run it belongs to (its id is stored with
 * each paid answer; null for none) and the run's budget.
 */
public record CallContext(TaskContext task, Long runId, Budget budget) {

    public CallContext {
        task = task == null ? TaskContext.none() : task;
        budget = budget == null ? Budget.unlimited() : budget;
    }

    public static CallContext of(TaskContext task) {
        return new CallContext(task, null, Budget.unlimited());
    }

    public CallContext withRun(Long id) {
        return new CallContext(task, id, budget);
    }

    public CallContext withBudget(Budget b) {
        return new CallContext(task, runId, b);
    }
}
