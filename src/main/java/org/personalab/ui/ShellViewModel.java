package org.personalab.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.personalab.service.DemoWorkspace;
import org.personalab.store.Workspace;
import org.personalab.task.BackgroundTask;
import org.personalab.ui.tasks.TaskListViewModel;

/**
 * The shell: which panel shows, which workspace is open (opening, creating, the first-start demo), the theme, the
 * recent workspaces and what the status bar says. Never touches controls.
 */
public final class ShellViewModel {

    private final WorkbenchContext ctx;
    private final TaskListViewModel tasks;
    private final ObjectProperty<PanelId> selectedPanel = new SimpleObjectProperty<>(this, "selectedPanel",
            PanelId.BROWSER);
    private final StringProperty theme = new SimpleStringProperty(this, "theme");
    private final IntegerProperty datasetCount = new SimpleIntegerProperty(this, "datasetCount", 0);
    private final ObjectProperty<String> error = new SimpleObjectProperty<>(this, "error");
    private final StringProperty lastMessage = new SimpleStringProperty(this, "lastMessage", "");

    public ShellViewModel(WorkbenchContext ctx, TaskListViewModel tasks) {
        this.ctx = ctx;
        this.tasks = tasks;
        theme.set(Theme.normalise(ctx.settings().theme()));
        theme.addListener((o, a, t) -> ctx.settings().setTheme(Theme.normalise(t)));
        lastMessage.set(ctx.statusMessageProperty().get());
        ctx.statusMessageProperty().addListener((o, a, m) -> lastMessage.set(m));
        tasks.lastMessageProperty().addListener((o, a, m) -> lastMessage.set(m));
    }

    /**
     * First start: the requested workspace, else the most recent one that still exists, else the demo workspace
     * (built in the background; the window shows meanwhile).
     */
    public void start(Path requested) {
        if (requested != null) {
            open(requested, !Workspace.isWorkspace(requested) && isEmptyOrMissing(requested));
            return;
        }
        Optional<Path> recent = ctx.settings().recentWorkspaces().stream().filter(Workspace::isWorkspace).findFirst();
        if (recent.isPresent()) {
            open(recent.get(), false);
        } else {
            buildDemo(DemoWorkspace.defaultDir());
        }
    }

    /** Builds (or completes) the demo workspace in {@code dir} as a background task, then opens it. */
    public BackgroundTask<Workspace> buildDemo(Path dir) {
        ctx.status("Building the demo workspace in " + dir.toAbsolutePath());
        return ctx.submit("Build demo workspace", c -> DemoWorkspace.build(dir, c), this::opened, this::failed);
    }

    /** Opens an existing workspace, or creates one when {@code create} is set, in the background. */
    public BackgroundTask<Workspace> open(Path dir, boolean create) {
        String verb = create ? "Create" : "Open";
        return ctx.submit(verb + " workspace " + dir.getFileName(), c -> {
            c.message(verb + "ing " + dir.toAbsolutePath());
            return create ? Workspace.openOrCreate(dir) : Workspace.open(dir);
        }, this::opened, this::failed);
    }

    private void opened(Workspace ws) {
        ctx.workspaceProperty().set(ws);
        try {
            ctx.settings().addRecent(ws.dir());
        } catch (RuntimeException e) {
            ctx.status("Opened " + ws.dir() + " (could not save recent workspaces: " + e.getMessage() + ")");
            return;
        }
        ctx.status("Opened workspace " + ws.dir());
    }

    private void failed(Throwable t) {
        error.set(org.personalab.task.Failures.describe(t));
    }

    /** Whether a folder may become a new workspace: it does not exist yet or is empty. */
    public static boolean isEmptyOrMissing(Path dir) {
        if (!Files.exists(dir)) {
            return true;
        }
        try (var s = Files.list(dir)) {
            return Files.isDirectory(dir) && s.findAny().isEmpty();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Checks a folder chosen with New… : an empty or new folder, or an existing workspace to reopen. */
    public Optional<String> checkNewLocation(Path dir) {
        if (Workspace.isWorkspace(dir) || isEmptyOrMissing(dir)) {
            return Optional.empty();
        }
        return Optional.of(dir + " is not empty and holds no PersonaLab workspace; choose an empty or new folder.");
    }

    /** Checks a folder chosen with Open… . */
    public Optional<String> checkOpenLocation(Path dir) {
        return Workspace.isWorkspace(dir) ? Optional.empty()
                : Optional.of(dir + " is not a PersonaLab workspace (it has no " + Workspace.DB_FILE + ").");
    }

    /** Recent workspaces from the user settings, newest first. */
    public List<Path> recentWorkspaces() {
        return ctx.settings().recentWorkspaces();
    }

    /** The question to ask before quitting, naming the tasks whose work would be lost; empty when nothing would be. */
    public Optional<String> quitWarning() {
        var active = tasks.unresumableActive();
        if (active.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of((active.size() == 1 ? "This task is" : "These tasks are")
                + " still running and cannot resume after a restart:\n\n"
                + active.stream().map(t -> "  • " + t.title()).collect(Collectors.joining("\n"))
                + "\n\nQuit anyway and lose " + (active.size() == 1 ? "its" : "their") + " work?");
    }

    /** Status bar text for the workspace. */
    public StringBinding workspaceText() {
        return Bindings.createStringBinding(() -> {
            Workspace ws = ctx.workspace();
            return ws == null ? "No workspace open" : ws.dir().toString();
        }, ctx.workspaceProperty());
    }

    public StringBinding datasetCountText() {
        return Bindings.createStringBinding(() -> datasetCount.get() == 1 ? "1 dataset"
                : datasetCount.get() + " datasets", datasetCount);
    }

    public StringBinding runningText() {
        return Bindings.createStringBinding(() -> {
            int n = tasks.runningProperty().get();
            return n == 0 ? "No tasks running" : n == 1 ? "1 task running" : n + " tasks running";
        }, tasks.runningProperty());
    }

    /** The latest status or task message, whichever came last. */
    public StringProperty lastMessageProperty() {
        return lastMessage;
    }

    public ObjectProperty<PanelId> selectedPanelProperty() {
        return selectedPanel;
    }

    public StringProperty themeProperty() {
        return theme;
    }

    public IntegerProperty datasetCountProperty() {
        return datasetCount;
    }

    public ObjectProperty<String> errorProperty() {
        return error;
    }

    public WorkbenchContext context() {
        return ctx;
    }

    public TaskListViewModel tasks() {
        return tasks;
    }
}
