package org.personalab.task;

/** The body of a background task. */
@FunctionalInterface
public interface Work<T> {
    T run(TaskContext context) throws Exception;
}
