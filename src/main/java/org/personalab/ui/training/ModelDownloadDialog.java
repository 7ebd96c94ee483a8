package org.personalab.ui.training;

import java.io.File;
import java.nio.file.Path;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.Window;

/**
 * Download a model folder from the Hugging Face hub: repository, revision, target folder (Browse…), optional hub URL;
 * Download shows a progress bar, the current file and the rate; Cancel keeps the partial file for the next Download.
 * The dialog returns the folder when the user presses "Use this folder" (enabled once the download is complete and the
 * folder passed the check). Closing the dialog during a download leaves it running in the task list.
 */
public final class ModelDownloadDialog extends Dialog<Path> {

    /** The button that returns the downloaded folder. */
    public static final ButtonType USE = new ButtonType("Use this folder", ButtonBar.ButtonData.OK_DONE);

    public ModelDownloadDialog(Window owner, ModelDownloadViewModel vm) {
        if (owner != null) {
            initOwner(owner);
            if (owner.getScene() != null) {
                getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
            }
        }
        setTitle("Download a model");
        setHeaderText("Download a model folder from the Hugging Face hub (safetensors weights, config, tokenizer)."
                + "\nGated or private models need HF_TOKEN in the environment.");
        setResizable(true);
        getDialogPane().setId("modelDownloadDialog");
        getDialogPane().getButtonTypes().setAll(USE, ButtonType.CLOSE);
        getDialogPane().lookupButton(USE).disableProperty().bind(vm.resultProperty().isNull());

        TextField repo = field("modelRepo", "owner/name, e.g. Qwen/Qwen2.5-0.5B-Instruct");
        repo.textProperty().bindBidirectional(vm.repoProperty());
        TextField revision = field("modelRevision", "branch, tag or commit");
        revision.textProperty().bindBidirectional(vm.revisionProperty());
        TextField folder = field("modelFolder", "target folder");
        folder.textProperty().bindBidirectional(vm.folderProperty());
        Button browse = new Button("Browse…");
        browse.setId("modelBrowse");
        browse.setOnAction(e -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle("Target folder");
            File chosen = chooser.showDialog(getDialogPane().getScene().getWindow());
            if (chosen != null) {
                vm.folderProperty().set(chosen.getAbsolutePath());
            }
        });
        TextField endpoint = field("modelEndpoint", "default: HF_ENDPOINT or https://huggingface.co");
        endpoint.textProperty().bindBidirectional(vm.endpointProperty());

        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(6);
        ColumnConstraints labels = new ColumnConstraints();
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        form.getColumnConstraints().setAll(labels, fields);
        form.addRow(0, new Label("Repository"), repo);
        form.addRow(1, new Label("Revision"), revision);
        HBox folderRow = new HBox(6, folder, browse);
        HBox.setHgrow(folder, Priority.ALWAYS);
        form.addRow(2, new Label("Folder"), folderRow);
        form.addRow(3, new Label("Hub URL"), endpoint);
        form.disableProperty().bind(vm.runningProperty());

        Button download = new Button("Download");
        download.setId("modelDownload");
        download.setDefaultButton(true);
        download.disableProperty().bind(vm.runningProperty());
        download.setOnAction(e -> vm.download());
        Button cancel = new Button("Cancel download");
        cancel.setId("modelCancel");
        cancel.disableProperty().bind(vm.runningProperty().not());
        cancel.setOnAction(e -> vm.cancel());

        ProgressBar bar = new ProgressBar(0);
        bar.setId("modelProgress");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.progressProperty().bind(vm.progressProperty());
        bar.visibleProperty().bind(vm.runningProperty().or(vm.progressProperty().greaterThan(0)));
        Label rate = new Label();
        rate.setId("modelRate");
        rate.textProperty().bind(vm.rateTextProperty());
        rate.setMinWidth(90);
        HBox barRow = new HBox(8, bar, rate);
        HBox.setHgrow(bar, Priority.ALWAYS);
        Label progressText = wrapped("modelProgressText");
        progressText.textProperty().bind(vm.progressTextProperty());
        Label status = wrapped("modelStatus");
        status.textProperty().bind(vm.statusProperty());
        Label error = wrapped("modelError");
        error.textProperty().bind(vm.errorProperty());
        error.setStyle("-fx-text-fill: #b00020;");

        VBox content = new VBox(10, form, new HBox(8, download, cancel), barRow, progressText, status, error);
        content.setPadding(new Insets(10));
        content.setPrefWidth(620);
        getDialogPane().setContent(content);
        setResultConverter(b -> b == USE ? vm.resultProperty().get() : null);
    }

    private static TextField field(String id, String prompt) {
        TextField f = new TextField();
        f.setId(id);
        f.setPromptText(prompt);
        return f;
    }

    private static Label wrapped(String id) {
        Label l = new Label();
        l.setId(id);
        l.setWrapText(true);
        l.setMaxWidth(Double.MAX_VALUE);
        return l;
    }
}
