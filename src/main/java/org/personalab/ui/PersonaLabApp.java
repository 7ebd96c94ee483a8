package org.personalab.ui;

import javafx.application.Application;
import javafx.stage.Stage;
import org.personalab.service.UserSettings;
import org.personalab.task.ThreadPoolTaskExecutor;

/** The JavaFX application. Started by {@link WorkbenchLauncher}; the workspace to open comes from there. */
public final class PersonaLabApp extends Application {

    private ThreadPoolTaskExecutor executor;

    @Override
    public void start(Stage stage) {
        executor = new ThreadPoolTaskExecutor(3);
        WorkbenchContext ctx = new WorkbenchContext(executor, WorkbenchContext.FX, UserSettings.load());
        new MainWindow(stage, ctx).show(WorkbenchLauncher.requestedWorkspace());
    }

    @Override
    public void stop() {
        if (executor != null) {
            executor.close();
        }
    }
}
