package org.personalab.ui.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.personalab.task.BackgroundTask;
import org.personalab.task.CurrentThreadTaskExecutor;
import org.personalab.task.TaskState;
import org.personalab.ui.DeferredTaskExecutor;
import org.personalab.ui.WorkbenchContext;

class TaskListViewModelTest {

    @Test
    void mirrorsTasksNewestFirstWithStateMessageAndError() {
        CurrentThreadTaskExecutor ex = new CurrentThreadTaskExecutor();
        TaskListViewModel vm = new TaskListViewModel(ex, WorkbenchContext.DIRECT);
        ex.submit(BackgroundTask.of("Score", c -> {
            c.message("scoring");
            c.progress(1, 2);
            return 1;
        }));
        ex.submit(BackgroundTask.of("Read file", c -> {
            throw new IllegalStateException("cannot parse", new IOException("disk on fire"));
        }));
        assertEquals(2, vm.items().size());
        TaskItem failed = vm.items().get(0);
        assertEquals("Read file", failed.titleProperty().get());
        assertEquals(TaskState.FAILED, failed.stateProperty().get());
        assertEquals("cannot parse (caused by: disk on fire)", failed.errorProperty().get());
        TaskItem done = vm.items().get(1);
        assertEquals(TaskState.SUCCEEDED, done.stateProperty().get());
        assertTrue(done.messageProperty().get().startsWith("Finished"), done.messageProperty().get());
        assertEquals(1.0, done.progressProperty().get());
        assertEquals("Score: scoring", vm.lastMessageProperty().get());
        assertEquals(0, vm.runningProperty().get());
        vm.clearFinished();
        assertTrue(vm.items().isEmpty());
        assertTrue(ex.tasks().isEmpty());
    }

    @Test
    void countsRunningTasksAndCancels() {
        DeferredTaskExecutor ex = new DeferredTaskExecutor();
        TaskListViewModel vm = new TaskListViewModel(ex, WorkbenchContext.DIRECT);
        ex.submit(BackgroundTask.of("Long", c -> {
            c.checkCancelled();
            return 0;
        }));
        ex.submit(BackgroundTask.of("Other", c -> 0));
        assertEquals(2, vm.runningProperty().get());
        vm.items().get(1).cancel();
        ex.runAll();
        assertEquals(TaskState.CANCELLED, vm.items().get(1).stateProperty().get());
        assertEquals("Cancelled", vm.items().get(1).messageProperty().get());
        assertEquals(TaskState.SUCCEEDED, vm.items().get(0).stateProperty().get());
        assertEquals(0, vm.runningProperty().get());
    }
}
