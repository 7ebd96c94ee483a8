package org.personalab.ui.training;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.personalab.engine.hub.DownloadProgress;
import org.personalab.engine.hub.DownloadResult;
import org.personalab.engine.hub.FileSelection;
import org.personalab.engine.hub.HubClient;
import org.personalab.engine.hub.HubException;
import org.personalab.engine.hub.ModelDownloader;
import org.personalab.service.UserSettings;
import org.personalab.task.BackgroundTask;
import org.personalab.task.Failures;
import org.personalab.task.TaskState;
import org.personalab.ui.WorkbenchContext;

/**
 * The model download dialog's state: repository id, revision and target folder (which follows the repository, as
 * {@code <PersonaLab home>/models/owner__name} like {@code personalab models download}, until the user edits it);
 * Download runs {@link ModelDownloader} as a background task whose progress, current file and rate come back to the UI
 * thread; Cancel stops it and keeps the partial file, so Download resumes; when the folder is complete and passes the
 * check, {@link #resultProperty()} holds it ("use this folder").
 */
public final class ModelDownloadViewModel {

    private final WorkbenchContext ctx;
    private final Function<String, HubClient> clients;
    private final Path modelsRoot;
    private final StringProperty repo = new SimpleStringProperty(this, "repo", "");
    private final StringProperty revision = new SimpleStringProperty(this, "revision", "main");
    private final StringProperty folder = new SimpleStringProperty(this, "folder", "");
    private final StringProperty endpoint = new SimpleStringProperty(this, "endpoint", "");
    private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress", 0);
    private final StringProperty progressText = new SimpleStringProperty(this, "progressText", "");
    private final StringProperty rateText = new SimpleStringProperty(this, "rateText", "");
    private final StringProperty status = new SimpleStringProperty(this, "status", "");
    private final StringProperty error = new SimpleStringProperty(this, "error", "");
    private final BooleanProperty running = new SimpleBooleanProperty(this, "running", false);
    private final ObjectProperty<Path> result = new SimpleObjectProperty<>(this, "result");
    private boolean folderEdited;
    private boolean settingFolder;
    private volatile BackgroundTask<DownloadResult> task;

    /** For the workbench: endpoint and token from the environment (HF_ENDPOINT, HF_TOKEN), models in the user home. */
    public ModelDownloadViewModel(WorkbenchContext ctx) {
        this(ctx, endpoint -> HubClient.builder()
                .fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")))
                .endpoint(endpoint).build(), UserSettings.home().resolve("models"));
    }

    /**
     * @param clients    makes the hub client for an endpoint typed in the dialog (blank: the default)
     * @param modelsRoot where default target folders go
     */
    public ModelDownloadViewModel(WorkbenchContext ctx, Function<String, HubClient> clients, Path modelsRoot) {
        this.ctx = ctx;
        this.clients = clients;
        this.modelsRoot = modelsRoot;
        repo.addListener((o, a, r) -> {
            error.set("");
            if (!folderEdited) {
                settingFolder = true;
                try {
                    folder.set(defaultFolder(r));
                } finally {
                    settingFolder = false;
                }
            }
        });
        folder.addListener((o, a, f) -> {
            if (!settingFolder) {
                folderEdited = f != null && !f.isBlank();
            }
        });
    }

    private String defaultFolder(String r) {
        try {
            return modelsRoot.resolve(ModelDownloader.folderName(r == null ? "" : r.strip())).toString();
        } catch (HubException notYetAnId) {
            return "";
        }
    }

    /** Starts the download; a form error goes to {@link #errorProperty()} and nothing starts. */
    public void download() {
        if (running.get()) {
            return;
        }
        error.set("");
        result.set(null);
        String r = repo.get() == null ? "" : repo.get().strip();
        String f = folder.get() == null ? "" : folder.get().strip();
        ModelDownloader.Request req;
        HubClient client;
        try {
            HubClient.checkRepo(r);
            if (f.isEmpty()) {
                throw new HubException(HubException.Reason.INVALID, "choose a target folder");
            }
            req = new ModelDownloader.Request(r, revision.get(), Path.of(f), FileSelection.engineDefault());
            client = clients.apply(endpoint.get() == null ? "" : endpoint.get().strip());
        } catch (HubException | java.nio.file.InvalidPathException e) {
            error.set(e.getMessage());
            return;
        }
        running.set(true);
        progress.set(-1);
        progressText.set("Listing " + r + "@" + req.revision() + " on " + client.endpoint() + " …");
        rateText.set("");
        status.set("");
        BackgroundTask<DownloadResult> t = BackgroundTask.of("Download " + r, c ->
                new ModelDownloader(client).download(req, c, p -> ctx.ui().execute(() -> show(p))));
        t.addListener(x -> {
            if (x.state() == TaskState.CANCELLED) {
                ctx.ui().execute(this::cancelled);
            }
        });
        task = t;
        ctx.submit(t, this::finished, e -> {
            running.set(false);
            progress.set(0);
            rateText.set("");
            error.set(Failures.describe(e));
        });
    }

    private void show(DownloadProgress p) {
        if (!running.get()) {
            return; // a late update after the end
        }
        progress.set(p.fraction());
        progressText.set(p.describe());
        rateText.set(p.bytesPerSecond() > 0 ? DownloadProgress.rate(p.bytesPerSecond()) : "");
    }

    private void finished(DownloadResult r) {
        running.set(false);
        progress.set(1);
        rateText.set("");
        progressText.set(r.summary());
        if (r.check() == null || r.check().ok()) {
            status.set(r.check() == null ? "Downloaded." : r.check().summary());
            result.set(r.folder());
        } else {
            List<String> problems = r.check().problems();
            error.set("Downloaded and verified, but the engine cannot load this folder: "
                    + String.join("; ", problems));
        }
        ctx.status(r.summary());
    }

    private void cancelled() {
        running.set(false);
        rateText.set("");
        status.set("Cancelled. The partial file is kept: Download resumes it.");
    }

    /** Stops a running download (the partial file stays for the next Download). */
    public void cancel() {
        BackgroundTask<DownloadResult> t = task;
        if (t != null && !t.state().isDone()) {
            t.cancel();
        }
    }

    public StringProperty repoProperty() {
        return repo;
    }

    public StringProperty revisionProperty() {
        return revision;
    }

    /** The target folder; follows the repository until edited. */
    public StringProperty folderProperty() {
        return folder;
    }

    /** A hub URL other than the default (blank: HF_ENDPOINT or huggingface.co). */
    public StringProperty endpointProperty() {
        return endpoint;
    }

    /** 0..1, or -1 while the size is not known yet. */
    public DoubleProperty progressProperty() {
        return progress;
    }

    public StringProperty progressTextProperty() {
        return progressText;
    }

    public StringProperty rateTextProperty() {
        return rateText;
    }

    public StringProperty statusProperty() {
        return status;
    }

    /** What went wrong (form, hub, checksum, check), or "". */
    public StringProperty errorProperty() {
        return error;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running;
    }

    /** The downloaded folder once it is complete and passes the check; null before. */
    public ReadOnlyObjectProperty<Path> resultProperty() {
        return result;
    }
}
