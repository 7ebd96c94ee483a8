package org.personalab.ui;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.personalab.service.DatasetService;
import org.personalab.service.UserSettings;
import org.personalab.store.Workspace;
import org.personalab.task.BackgroundTask;
import org.personalab.task.TaskExecutor;
import org.personalab.task.Work;

/**
 * What every ViewModel of the workbench shares: the task executor, the way back to the UI thread, the user settings,
 * the open workspace and the status line. Tests build one with a {@code CurrentThreadTaskExecutor} and a direct
 * {@link #DIRECT} UI executor, so ViewModels run without a window.
 */
public final class WorkbenchContext {

    /** Runs on the calling thread: for ViewModel tests without the JavaFX toolkit. */
    public static final Executor DIRECT = Runnable::run;

    /** Runs on the JavaFX application thread: directly when already there, else with {@code Platform.runLater}. */
    public static final Executor FX = r -> {
        if (Platform.isFxApplicationThread()) {
            r.run();
        } else {
            Platform.runLater(r);
        }
    };

    private final TaskExecutor executor;
    private final Executor ui;
    private final UserSettings settings;
    private final ObjectProperty<Workspace> workspace = new SimpleObjectProperty<>(this, "workspace");
    private final ObjectProperty<DatasetService> datasets = new SimpleObjectProperty<>(this, "datasets");
    private final StringProperty statusMessage = new SimpleStringProperty(this, "statusMessage", "Ready");

    public WorkbenchContext(TaskExecutor executor, Executor ui, UserSettings settings) {
        this.executor = Objects.requireNonNull(executor);
        this.ui = Objects.requireNonNull(ui);
        this.settings = Objects.requireNonNull(settings);
        workspace.addListener((o, old, ws) -> datasets.set(ws == null ? null : new DatasetService(ws)));
    }

    public TaskExecutor executor() {
        return executor;
    }

    public Executor ui() {
        return ui;
    }

    public UserSettings settings() {
        return settings;
    }

    /** The open workspace (null before one is open). Set it on the UI thread. */
    public ObjectProperty<Workspace> workspaceProperty() {
        return workspace;
    }

    public Workspace workspace() {
        return workspace.get();
    }

    /** The dataset service of the open workspace; replaced whenever the workspace changes. */
    public ReadOnlyObjectProperty<DatasetService> datasetServiceProperty() {
        return datasets;
    }

    public DatasetService datasetService() {
        return datasets.get();
    }

    /** The last thing the workbench wants the user to know, shown in the status bar. */
    public StringProperty statusMessageProperty() {
        return statusMessage;
    }

    public void status(String message) {
        ui.execute(() -> statusMessage.set(message));
    }

    /**
     * Submits work as a background task; {@code onSuccess} and {@code onFailure} run on the UI thread.
     *
     * @param onFailure may be null: the failure then only shows in the task list and the status bar
     */
    public <T> BackgroundTask<T> submit(String title, Work<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        return submit(BackgroundTask.of(title, work), onSuccess, onFailure);
    }

    /** Submits an already built task, with UI-thread callbacks as in {@link #submit(String, Work, Consumer, Consumer)}. */
    public <T> BackgroundTask<T> submit(BackgroundTask<T> task, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        task.onSuccess(r -> ui.execute(() -> {
            if (onSuccess != null) {
                onSuccess.accept(r);
            }
        }));
        task.onFailure(e -> ui.execute(() -> {
            statusMessage.set(task.title() + " failed: " + task.failureSummary());
            if (onFailure != null) {
                onFailure.accept(e);
            }
        }));
        return executor.submit(task);
    }
}
