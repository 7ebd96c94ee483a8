package org.personalab.ui.training;

import java.io.File;
import java.nio.file.Path;
import javafx.collections.ListChangeListener;
import javafx.collections.MapChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import org.personalab.engine.train.TrainConfig;
import org.personalab.task.TaskState;
import org.personalab.ui.PanelHeader;
import org.personalab.ui.PanelId;

/**
 * The training panel: on the left the run's config (TRL/PEFT names, TrainConfig's defaults, errors under each field);
 * on the right the live curve, progress with elapsed and remaining time, Start/Abort/Resume, the log tail, the
 * checkpoints and the command that serves a chosen checkpoint's adapter, Serve / Stop and "Add as provider" for the
 * served URL; under the outcome, where the run is recorded in the workspace. Node ids: {@code training-<field>},
 * {@code training-start}, {@code training-abort}, {@code training-resume}, {@code training-checkpoints},
 * {@code training-run-record}, {@code training-serve-add-provider}, {@code training-provider-message}.
 */
public final class TrainingView extends BorderPane {

    private final TrainingViewModel vm;
    private final LossChart chart = new LossChart();

    public TrainingView(TrainingViewModel vm) {
        this.vm = vm;
        setId("panel-TRAINING");
        setTop(PanelHeader.of(PanelId.TRAINING.title(), "LoRA SFT and DPO in a separate Java process: a crash or "
                + "running out of memory ends the run, never the workbench."));
        ScrollPane form = new ScrollPane(form());
        form.setFitToWidth(true);
        form.setMinWidth(300);
        SplitPane split = new SplitPane(form, monitor());
        split.setDividerPositions(0.34);
        setCenter(split);
    }

    private GridPane form() {
        GridPane g = new GridPane();
        g.setHgap(6);
        g.setVgap(2);
        g.setPadding(new Insets(8));
        int row = 0;
        ChoiceBox<TrainConfig.Kind> kind = new ChoiceBox<>();
        kind.setId("training-kind");
        kind.getItems().setAll(TrainConfig.Kind.values());
        kind.valueProperty().bindBidirectional(vm.kindProperty());
        g.addRow(row++, new Label("kind"), kind);
        for (String f : TrainingViewModel.PATH_FIELDS) {
            TextField t = field(f);
            Button browse = new Button("…");
            browse.setId("training-browse-" + f);
            browse.setOnAction(e -> browse(f));
            HBox box = new HBox(4, t, browse);
            if (f.equals("model")) {
                Button download = new Button("Download…");
                download.setId("training-download-model");
                download.setTooltip(new Tooltip("Download a model folder from the Hugging Face hub"));
                download.setOnAction(e -> new ModelDownloadDialog(download.getScene().getWindow(),
                        vm.newModelDownload()).showAndWait().ifPresent(p -> vm.field(f).set(p.toString())));
                box.getChildren().add(download);
            }
            HBox.setHgrow(t, Priority.ALWAYS);
            g.addRow(row++, new Label(f), box);
            g.add(errorLabel(f), 1, row++);
        }
        for (String f : TrainingViewModel.NUMBER_FIELDS) {
            javafx.scene.Node input = switch (f) {
                case "device" -> choice(f, TrainingViewModel.DEVICES,
                        "auto: the first GPU DJL sees, else the CPU; cpu; cuda or cuda:N");
                case "torch_dtype" -> choice(f, TrainingViewModel.DTYPES,
                        "auto: float16 on a GPU, float32 on the CPU (LoRA weights and optimizer stay float32)");
                default -> field(f);
            };
            g.addRow(row++, new Label(f.equals("r") || f.startsWith("lora_") || f.equals("target_modules")
                    ? "lora." + f : f), input);
            g.add(errorLabel(f), 1, row++);
        }
        Label formError = new Label();
        formError.setId("training-form-error");
        formError.getStyleClass().add("form-error");
        formError.setWrapText(true);
        formError.textProperty().bind(vm.formErrorProperty());
        g.add(formError, 0, row, 2, 1);
        return g;
    }

    /** An editable choice bound to the form field {@code f} (a value not in the list may be typed). */
    private javafx.scene.control.ComboBox<String> choice(String f, java.util.List<String> values, String tip) {
        javafx.scene.control.ComboBox<String> box = new javafx.scene.control.ComboBox<>(
                javafx.collections.FXCollections.observableArrayList(values));
        box.setId("training-" + f);
        box.setEditable(true);
        box.valueProperty().bindBidirectional(vm.field(f));
        box.setTooltip(new javafx.scene.control.Tooltip(tip));
        vm.errors().addListener((MapChangeListener<String, String>) c -> {
            if (c.getKey().equals(f)) {
                box.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("invalid"), c.wasAdded());
            }
        });
        return box;
    }

    private TextField field(String f) {
        TextField t = new TextField();
        t.setId("training-" + f);
        t.textProperty().bindBidirectional(vm.field(f));
        t.setPrefColumnCount(14);
        vm.errors().addListener((MapChangeListener<String, String>) c -> {
            if (c.getKey().equals(f)) {
                t.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("invalid"), c.wasAdded());
            }
        });
        return t;
    }

    private Label errorLabel(String f) {
        Label l = new Label();
        l.setId("training-error-" + f);
        l.getStyleClass().add("field-error");
        l.setWrapText(true);
        l.setManaged(false);
        l.setVisible(false);
        vm.errors().addListener((MapChangeListener<String, String>) c -> {
            if (c.getKey().equals(f)) {
                String m = vm.errors().get(f);
                l.setText(m == null ? "" : m);
                l.setManaged(m != null);
                l.setVisible(m != null);
            }
        });
        return l;
    }

    private void browse(String f) {
        String current = vm.field(f).get();
        File start = current == null || current.isBlank() ? null : Path.of(current).toFile();
        File chosen;
        if (f.equals("train_dataset")) {
            FileChooser fc = new FileChooser();
            fc.setTitle("Training data (JSONL export)");
            fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("JSON lines", "*.jsonl", "*.json"));
            if (start != null && start.getParentFile() != null && start.getParentFile().isDirectory()) {
                fc.setInitialDirectory(start.getParentFile());
            }
            chosen = fc.showOpenDialog(getScene().getWindow());
        } else {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle(f);
            if (start != null && start.isDirectory()) {
                dc.setInitialDirectory(start);
            }
            chosen = dc.showDialog(getScene().getWindow());
        }
        if (chosen != null) {
            vm.field(f).set(chosen.getAbsolutePath());
        }
    }

    private VBox monitor() {
        Button start = new Button("Start");
        start.setId("training-start");
        start.setDefaultButton(true);
        start.setOnAction(e -> vm.start());
        Button abort = new Button("Abort");
        abort.setId("training-abort");
        abort.setOnAction(e -> vm.abort());
        Button resume = new Button("Resume");
        resume.setId("training-resume");
        resume.setTooltip(new Tooltip("Continue from the selected checkpoint, or the latest one"));
        resume.setOnAction(e -> vm.resume());
        start.disableProperty().bind(vm.runningProperty());
        resume.disableProperty().bind(vm.runningProperty());
        abort.disableProperty().bind(vm.runningProperty().not());
        ProgressBar bar = new ProgressBar(0);
        bar.setId("training-progress");
        bar.progressProperty().bind(vm.progressProperty());
        bar.setPrefWidth(200);
        Label progress = new Label();
        progress.setId("training-progress-text");
        progress.textProperty().bind(vm.progressTextProperty());
        HBox buttons = new HBox(6, start, abort, resume, bar, progress);
        buttons.setAlignment(javafx.geometry.Pos.CENTER_LEFT);

        Label outcome = new Label();
        outcome.setId("training-outcome");
        outcome.setWrapText(true);
        outcome.textProperty().bind(vm.outcomeProperty());
        vm.stateProperty().addListener((o, a, s) -> {
            outcome.getStyleClass().remove("form-error");
            if (s == TaskState.FAILED) {
                outcome.getStyleClass().add("form-error");
            }
        });

        ListView<String> tail = new ListView<>(vm.tail());
        tail.setId("training-log");
        tail.setPrefHeight(160);
        vm.tail().addListener((ListChangeListener<String>) c -> {
            if (!vm.tail().isEmpty()) {
                tail.scrollTo(vm.tail().size() - 1);
            }
        });
        ListView<Path> checkpoints = new ListView<>(vm.checkpoints());
        checkpoints.setId("training-checkpoints");
        checkpoints.setPrefHeight(110);
        checkpoints.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(Path p, boolean empty) {
                super.updateItem(p, empty);
                setText(empty || p == null ? null : p.getFileName().toString());
            }
        });
        checkpoints.getSelectionModel().selectedItemProperty().addListener((o, a, p) ->
                vm.selectedCheckpointProperty().set(p));
        TextField serve = new TextField();
        serve.setId("training-serve");
        serve.setEditable(false);
        serve.setPromptText("Select a checkpoint to get the command that serves its adapter");
        serve.textProperty().bind(vm.serveCommandProperty());
        Button copy = new Button("Copy");
        copy.setId("training-serve-copy");
        copy.disableProperty().bind(vm.serveCommandProperty().isEmpty());
        copy.setOnAction(e -> {
            var content = new javafx.scene.input.ClipboardContent();
            content.putString(vm.serveCommandProperty().get());
            javafx.scene.input.Clipboard.getSystemClipboard().setContent(content);
        });
        Button serveNow = new Button("Serve");
        serveNow.setId("training-serve-start");
        serveNow.setTooltip(new Tooltip("Serve the base model with this adapter on a free localhost port"));
        serveNow.disableProperty().bind(vm.serveCommandProperty().isEmpty().or(vm.serveUrlProperty().isNotEmpty()));
        serveNow.setOnAction(e -> vm.serve());
        Button stopServe = new Button("Stop");
        stopServe.setId("training-serve-stop");
        stopServe.disableProperty().bind(vm.serveUrlProperty().isEmpty());
        stopServe.setOnAction(e -> vm.stopServing());
        TextField url = new TextField();
        url.setId("training-serve-url");
        url.setEditable(false);
        url.setPrefColumnCount(22);
        url.setPromptText("not serving");
        url.textProperty().bind(vm.serveUrlProperty());
        Button addProvider = new Button("Add as provider");
        addProvider.setId("training-serve-add-provider");
        addProvider.setTooltip(new Tooltip("Register the served URL as a free OpenAI-compatible provider "
                + "(local-<adapter>) for spec generation, simulation and judging"));
        addProvider.disableProperty().bind(vm.serveUrlProperty().isEmpty().or(
                javafx.beans.binding.Bindings.createBooleanBinding(() -> !vm.serveUrlProperty().get()
                        .startsWith("http"), vm.serveUrlProperty())));
        addProvider.setOnAction(e -> vm.addAsProvider());
        HBox serveBox = new HBox(4, new Label("Serve this adapter:"), serve, copy, serveNow, url, stopServe,
                addProvider);
        serveBox.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        HBox.setHgrow(serve, Priority.ALWAYS);
        Label providerMessage = new Label();
        providerMessage.setId("training-provider-message");
        providerMessage.setWrapText(true);
        providerMessage.textProperty().bind(vm.providerMessageProperty());
        Label record = new Label();
        record.setId("training-run-record");
        record.setWrapText(true);
        record.textProperty().bind(vm.recordProperty());

        vm.points().addListener((ListChangeListener<TrainMonitor.LossPoint>) c -> updateChart());
        vm.progressTextProperty().addListener(o -> updateChart());
        VBox box = new VBox(6, buttons, outcome, record, chart, new Label("Log (last " + TrainMonitor.TAIL
                + " lines)"), tail, new Label("Checkpoints"), checkpoints, serveBox, providerMessage);
        VBox.setVgrow(chart, Priority.ALWAYS);
        box.setPadding(new Insets(8));
        return box;
    }

    private void updateChart() {
        chart.setData(vm.points(), vm.totalStepsProperty().get());
    }

    /** The loss chart (for tests). */
    public LossChart chart() {
        return chart;
    }
}
