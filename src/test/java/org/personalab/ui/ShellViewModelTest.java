package org.personalab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.service.DemoWorkspace;
import org.personalab.service.UserSettings;
import org.personalab.store.Workspace;
import org.personalab.task.BackgroundTask;
import org.personalab.task.CurrentThreadTaskExecutor;
import org.personalab.ui.tasks.TaskListViewModel;

/** First start, opening and creating workspaces, theme and the quit warning, without a window. */
class ShellViewModelTest {

    private final UserSettings settings = UiTestData.freshSettings();
    private final CurrentThreadTaskExecutor executor = new CurrentThreadTaskExecutor();
    private final WorkbenchContext ctx = new WorkbenchContext(executor, WorkbenchContext.DIRECT, settings);
    private final TaskListViewModel tasks = new TaskListViewModel(executor, WorkbenchContext.DIRECT);
    private final ShellViewModel vm = new ShellViewModel(ctx, tasks);

    @Test
    void startOpensTheRequestedWorkspaceAndRemembersIt() {
        Path ws = UiTestData.demoWorkspaceCopy();
        vm.start(ws);
        assertEquals(ws.toAbsolutePath().normalize(), ctx.workspace().dir());
        assertEquals(ws.toAbsolutePath().normalize(), settings.recentWorkspaces().get(0));
        assertTrue(vm.workspaceText().get().endsWith(ws.getFileName().toString()));
    }

    @Test
    void startWithoutARequestOpensTheMostRecentExistingWorkspace(@TempDir Path gone) {
        Path ws = UiTestData.demoWorkspaceCopy();
        settings.addRecent(ws);
        settings.addRecent(gone.resolve("deleted-since")); // newer, but no longer a workspace
        vm.start(null);
        assertEquals(ws.toAbsolutePath().normalize(), ctx.workspace().dir());
    }

    @Test
    void aRequestedEmptyFolderBecomesANewWorkspace(@TempDir Path dir) {
        Path fresh = dir.resolve("new-ws");
        vm.start(fresh);
        assertTrue(Workspace.isWorkspace(fresh));
        assertEquals(0, ctx.workspace().read(tx -> tx.datasets().list()).size());
    }

    @Test
    void buildingTheDemoOpensIt(@TempDir Path dir) {
        Path demo = dir.resolve("demo");
        BackgroundTask<Workspace> t = vm.buildDemo(demo);
        assertEquals("Build demo workspace", t.title());
        assertEquals(demo.toAbsolutePath().normalize(), ctx.workspace().dir());
        assertEquals(DemoWorkspace.DATASET, ctx.workspace().read(tx -> tx.datasets().list()).get(0).name());
        assertEquals(demo.toAbsolutePath().normalize(), settings.recentWorkspaces().get(0));
    }

    @Test
    void openingSomethingThatIsNoWorkspaceReportsAnError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "hello");
        assertTrue(vm.checkOpenLocation(dir).orElseThrow().contains("not a PersonaLab workspace"));
        assertTrue(vm.checkNewLocation(dir).orElseThrow().contains("not empty"));
        vm.open(dir, false);
        assertNull(ctx.workspace());
        assertTrue(vm.errorProperty().get().contains("not a PersonaLab workspace"), vm.errorProperty().get());
    }

    @Test
    void themeIsPersisted() {
        assertEquals(Theme.LIGHT, vm.themeProperty().get());
        vm.themeProperty().set(Theme.DARK);
        assertEquals("dark", new UserSettings(settings.file().getParent()).theme());
    }

    @Test
    void quitWarnsAboutRunningWorkThatCannotResume() throws Exception {
        assertTrue(vm.quitWarning().isEmpty());
        var pool = new org.personalab.task.ThreadPoolTaskExecutor(2);
        try {
            TaskListViewModel poolTasks = new TaskListViewModel(pool, WorkbenchContext.DIRECT);
            ShellViewModel shell = new ShellViewModel(new WorkbenchContext(pool, WorkbenchContext.DIRECT, settings),
                    poolTasks);
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            pool.submit(BackgroundTask.of("Import IPIP120.dat", c -> {
                started.countDown();
                release.await();
                return null;
            }));
            pool.submit(BackgroundTask.resumable("Simulate 300 agents", c -> {
                release.await();
                return null;
            }));
            started.await();
            String warning = shell.quitWarning().orElseThrow();
            assertTrue(warning.contains("Import IPIP120.dat"), warning);
            assertTrue(!warning.contains("Simulate 300 agents"), "resumable work is not a reason to warn");
            release.countDown();
        } finally {
            pool.close();
        }
    }
}
