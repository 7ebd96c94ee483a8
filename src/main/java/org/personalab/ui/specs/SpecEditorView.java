package org.personalab.ui.specs;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Facet;
import org.personalab.inventory.Level;
import org.personalab.profile.Profile;
import org.personalab.profile.PromptContext;
import org.personalab.spec.Finding;
import org.personalab.task.RunRecord;
import org.personalab.ui.LevelPalette;
import org.personalab.ui.PanelHeader;

/**
 * The Specs panel: the specs of a generation run on the left; the open spec as a form and as raw JSON, with a
 * side-by-side compare, in the middle; live findings and the version history on the right.
 */
public final class SpecEditorView extends VBox {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneId.systemDefault());
    private static final String PERSONA = "$.persona.";

    private final SpecEditorViewModel vm;
    private final Map<String, Control> byPath = new HashMap<>();
    private final Map<Domain, Label> domainTargets = new HashMap<>();
    private final Map<Facet, Label> facetTargets = new HashMap<>();
    private final TabPane tabs = new TabPane();
    private boolean syncing;

    public SpecEditorView(SpecEditorViewModel vm) {
        this.vm = vm;
        getStyleClass().addAll("panel", "spec-editor");
        setId("panel-SPECS");

        ComboBox<RunRecord> runChoice = new ComboBox<>(vm.runs());
        runChoice.setId("specRunChoice");
        runChoice.setPromptText("Generation run");
        runChoice.setConverter(new StringConverter<>() {
            @Override
            public String toString(RunRecord r) {
                return r == null ? "" : "#" + r.id() + " · " + r.title()
                        + (r.startedAt() == null ? "" : " · " + WHEN.format(r.startedAt()));
            }

            @Override
            public RunRecord fromString(String s) {
                return null;
            }
        });
        runChoice.valueProperty().addListener((o, a, r) -> {
            if (!syncing && r != null && r != vm.selectedRunProperty().get()) {
                vm.selectedRunProperty().set(r);
            }
        });
        vm.selectedRunProperty().addListener((o, a, r) -> quietly(() -> runChoice.setValue(r)));
        runChoice.setTooltip(new Tooltip("Which spec generation run to show (the latest by default)"));
        Button refresh = new Button("Refresh");
        refresh.setId("specRefresh");
        refresh.setOnAction(e -> vm.refresh());
        VBox header = PanelHeader.of("Specs", "", new Label("Run"), runChoice, refresh);
        PanelHeader.subtitle(header).textProperty().bind(vm.messageProperty());
        PanelHeader.subtitle(header).setId("specMessage");

        SplitPane main = new SplitPane(specList(), centre(), sideColumn());
        main.setDividerPositions(0.22, 0.74);
        SplitPane.setResizableWithParent(main.getItems().get(0), false);
        VBox.setVgrow(main, Priority.ALWAYS);
        getChildren().addAll(header, main);

        // read the specs only once the panel is first shown
        visibleProperty().addListener((o, a, v) -> activateIfShown());
        sceneProperty().addListener((o, a, v) -> activateIfShown());
        vm.targetProperty().addListener((o, a, p) -> showTargets(p));
        vm.findings().addListener((ListChangeListener<Finding>) c -> markFields());
    }

    private void activateIfShown() {
        if (isVisible() && getScene() != null) {
            vm.activate();
        }
    }

    private void quietly(Runnable r) {
        syncing = true;
        try {
            r.run();
        } finally {
            syncing = false;
        }
    }

    // ---- left: the specs of the run

    private Node specList() {
        ListView<SpecEntry> list = new ListView<>(vm.specs());
        list.setId("specList");
        list.setCellFactory(l -> new SpecCells.EntryCell());
        list.setPlaceholder(new Label("No specs in this run"));
        list.getSelectionModel().selectedItemProperty().addListener((o, a, s) -> {
            if (!syncing && s != null && s != vm.selectedSpecProperty().get()) {
                vm.selectedSpecProperty().set(s);
            }
        });
        vm.selectedSpecProperty().addListener((o, a, s) -> quietly(() -> {
            if (s == null) {
                list.getSelectionModel().clearSelection();
            } else {
                list.getSelectionModel().select(s);
                list.scrollTo(s);
            }
        }));
        Label title = new Label("People");
        title.getStyleClass().add("section-title");
        Label count = new Label();
        count.getStyleClass().add("muted");
        count.textProperty().bind(Bindings.createStringBinding(() -> vm.specs().size() + " specs", vm.specs()));
        VBox.setVgrow(list, Priority.ALWAYS);
        VBox box = new VBox(6, new HBox(8, title, count), list);
        box.getStyleClass().add("side-column");
        box.setMinWidth(200);
        return box;
    }

    // ---- centre: title, actions, tabs

    private Node centre() {
        Label title = new Label();
        title.setId("specTitle");
        title.getStyleClass().add("detail-title");
        title.textProperty().bind(Bindings.createStringBinding(() -> {
            SpecEntry e = vm.selectedSpecProperty().get();
            return e == null ? "No spec selected" : e.personId() + " — " + e.agentName();
        }, vm.selectedSpecProperty()));
        Label engine = new Label();
        engine.setId("specEngineNote");
        engine.textProperty().bind(vm.engineNoteProperty());
        engine.setWrapText(true);
        vm.templateEngineProperty().addListener((o, a, t) -> engine.getStyleClass().setAll("label",
                t ? "engine-template" : "engine-other"));
        engine.getStyleClass().add("engine-other");

        TextField author = new TextField();
        author.setId("specAuthor");
        author.setPromptText("Annotator name");
        author.setPrefColumnCount(12);
        author.textProperty().bindBidirectional(vm.authorProperty());
        Button save = new Button("Save as new version");
        save.setId("specSave");
        save.getStyleClass().add("accent-button");
        save.disableProperty().bind(vm.readOnlyProperty().or(vm.dirtyProperty().not()).or(vm.busyProperty()));
        save.setOnAction(e -> save());
        Button revert = new Button("Revert");
        revert.setId("specRevert");
        revert.disableProperty().bind(vm.dirtyProperty().not());
        revert.setOnAction(e -> vm.revert());
        Label state = new Label();
        state.setId("specState");
        state.getStyleClass().add("muted");
        state.textProperty().bind(Bindings.createStringBinding(() -> vm.readOnlyProperty().get()
                ? "Older version (read-only)" : vm.dirtyProperty().get() ? "Unsaved changes" : "Saved",
                vm.readOnlyProperty(), vm.dirtyProperty()));
        Button editOld = new Button("Edit this version");
        editOld.setId("specEditOld");
        editOld.visibleProperty().bind(vm.readOnlyProperty().and(vm.selectedVersionProperty().isNotNull()));
        editOld.managedProperty().bind(editOld.visibleProperty());
        editOld.setOnAction(e -> vm.editThisVersion());
        engine.setMinHeight(Region.USE_PREF_SIZE);
        for (Control c : new Control[] {state, editOld, revert, save}) {
            c.setMinWidth(Region.USE_PREF_SIZE);
        }
        author.setTooltip(new Tooltip("Annotator name, saved with every version you save"));
        Region titleSpacer = new Region();
        HBox.setHgrow(titleSpacer, Priority.ALWAYS);
        HBox titleRow = new HBox(8, title, titleSpacer, state, editOld);
        titleRow.setAlignment(Pos.CENTER_LEFT);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Button regenerate = new Button("Regenerate");
        regenerate.setId("specRegenerate");
        regenerate.setTooltip(new Tooltip("Write this person's spec again with the engine that wrote it (the template "
                + "engine offline, or the same model with a fresh sample); review it, then save it as a new version"));
        regenerate.disableProperty().bind(vm.readOnlyProperty().or(vm.busyProperty()));
        regenerate.setOnAction(e -> vm.regenerate());
        HBox actions = new HBox(8, regenerate, spacer, author, revert, save);
        actions.setAlignment(Pos.CENTER_LEFT);

        Label formError = new Label();
        formError.setId("specFormError");
        formError.getStyleClass().add("form-error");
        formError.setWrapText(true);
        formError.textProperty().bind(vm.formErrorProperty());
        formError.visibleProperty().bind(vm.formErrorProperty().isNotNull());
        formError.managedProperty().bind(formError.visibleProperty());

        Tab form = new Tab("Form", formPane());
        TextArea raw = new TextArea();
        raw.setId("specRawJson");
        raw.getStyleClass().addAll("numeric", "spec-raw");
        raw.textProperty().bindBidirectional(vm.documentProperty());
        raw.editableProperty().bind(vm.readOnlyProperty().not());
        Tab rawTab = new Tab("Raw JSON", raw);
        Tab compare = new Tab("Compare", comparePane());
        Tab prompt = new Tab("Prompt", promptPane());
        Tab generate = new Tab("Generate", generatePane());
        generate.setId("specGenerateTab");
        generate.setOnSelectionChanged(e -> {
            if (generate.isSelected()) {
                vm.generation().refresh();
            }
        });
        tabs.getTabs().setAll(form, rawTab, compare, prompt, generate);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("specTabs");
        VBox.setVgrow(tabs, Priority.ALWAYS);

        VBox box = new VBox(6, titleRow, engine, actions, formError, tabs);
        box.setPadding(new Insets(10, 12, 10, 12));
        return box;
    }

    /**
     * Starts a generation run: who, engine, samples, temperature, budget, Batch API; estimate, progress, pause,
     * cancel.
     */
    private javafx.scene.Node generatePane() {
        SpecGenerationViewModel g = vm.generation();
        javafx.scene.control.ComboBox<String> who = new javafx.scene.control.ComboBox<>(g.selections());
        who.setId("genWho");
        who.valueProperty().bindBidirectional(g.selectionProperty());
        javafx.scene.control.ComboBox<String> engine = new javafx.scene.control.ComboBox<>(g.engines());
        engine.setId("genEngine");
        engine.setEditable(true);
        engine.valueProperty().bindBidirectional(g.engineProperty());
        javafx.scene.control.Spinner<Integer> samples = new javafx.scene.control.Spinner<>(1, 100, 1);
        samples.getValueFactory().valueProperty().addListener((o, a, v) -> g.samplesProperty().set(v));
        TextField temperature = new TextField();
        temperature.textProperty().bindBidirectional(g.temperatureProperty());
        temperature.setPrefColumnCount(5);
        TextField budget = new TextField();
        budget.setId("genBudget");
        budget.setPromptText("no cap");
        budget.textProperty().bindBidirectional(g.budgetProperty());
        budget.setPrefColumnCount(6);
        javafx.scene.control.CheckBox useBatch = new javafx.scene.control.CheckBox(
                "Use Batch API (50 % price, hours not seconds)");
        useBatch.setId("genBatch");
        useBatch.selectedProperty().bindBidirectional(g.batchProperty());
        useBatch.disableProperty().bind(g.batchAvailableProperty().not().or(g.runningProperty()));
        useBatch.setTooltip(new Tooltip("Send the requests through the provider's Batch API at its batch price "
                + "(OpenAI and Together: half the list price); answers come within 24 hours. Cancelling stops "
                + "waiting: the batch stays at the provider and starting again collects it without paying twice. "
                + "Only for providers with an API (not local servers)."));
        javafx.scene.layout.GridPane grid = new javafx.scene.layout.GridPane();
        grid.setHgap(8);
        grid.setVgap(6);
        grid.addRow(0, new Label("People"), who);
        grid.addRow(1, new Label("Engine"), engine);
        grid.addRow(2, new Label("Samples per person"), samples);
        grid.addRow(3, new Label("Temperature (±10 % per sample)"), temperature);
        grid.addRow(4, new Label("Budget, US$"), budget);
        grid.add(useBatch, 1, 5);
        Button estimate = new Button("Estimate");
        estimate.setOnAction(e -> g.estimate());
        estimate.disableProperty().bind(g.runningProperty());
        Button start = new Button("Start");
        start.setId("genStart");
        start.getStyleClass().add("accent-button");
        start.disableProperty().bind(g.runningProperty());
        start.setOnAction(e -> g.start());
        Button pause = new Button();
        pause.setId("genPause");
        pause.textProperty().bind(Bindings.when(g.pausedProperty()).then("Resume").otherwise("Pause"));
        pause.disableProperty().bind(g.runningProperty().not());
        pause.setOnAction(e -> g.togglePause());
        Button cancel = new Button("Cancel");
        cancel.disableProperty().bind(g.runningProperty().not());
        cancel.setOnAction(e -> g.cancel());
        javafx.scene.control.ProgressBar bar = new javafx.scene.control.ProgressBar();
        bar.progressProperty().bind(g.progressProperty());
        bar.setPrefWidth(260);
        Label status = new Label();
        status.setId("genStatus");
        status.setWrapText(true);
        status.textProperty().bind(g.statusProperty());
        Label note = new Label("The template engine is offline and rule-based. An LLM engine (PROVIDER:MODEL from "
                + "Settings → LLM providers) uses the Prompt tab's template; a stopped run goes on where it stopped "
                + "when started again, and never pays twice for an answer.");
        note.getStyleClass().add("muted");
        note.setWrapText(true);
        VBox box = new VBox(8, note, grid, new HBox(8, estimate, start, pause, cancel, bar), status);
        box.setPadding(new Insets(8));
        return box;
    }

    /** The generation prompt as an editable template with a live preview for the person on screen. */
    private javafx.scene.Node promptPane() {
        PromptPreviewModel pm = vm.promptPreview();
        TextArea template = new TextArea();
        template.setId("specPromptTemplate");
        template.getStyleClass().add("numeric");
        template.textProperty().bindBidirectional(pm.templateProperty());
        TextArea preview = new TextArea();
        preview.setId("specPromptPreview");
        preview.setEditable(false);
        preview.setWrapText(true);
        preview.textProperty().bind(pm.previewProperty());
        Label error = new Label();
        error.setId("specPromptError");
        error.getStyleClass().add("form-error");
        error.setWrapText(true);
        error.textProperty().bind(pm.errorProperty());
        error.visibleProperty().bind(pm.errorProperty().isNotNull());
        error.managedProperty().bind(error.visibleProperty());
        Button reset = new Button("Bundled template");
        reset.setOnAction(e -> pm.reset());
        Button saveAs = new Button("Save template…");
        saveAs.setOnAction(e -> {
            javafx.stage.FileChooser fc = new javafx.stage.FileChooser();
            fc.setInitialFileName("spec-prompt.mustache");
            java.io.File f = fc.showSaveDialog(getScene() == null ? null : getScene().getWindow());
            if (f != null) {
                pm.save(f.toPath());
            }
        });
        Label note = new Label();
        note.getStyleClass().add("muted");
        note.setWrapText(true);
        note.textProperty().bind(Bindings.createStringBinding(() -> pm.messageProperty().get().isEmpty()
                ? "Edit the template on the left; the right side shows the prompt this person would get. Use a "
                        + "saved template with: personalab specs generate --template FILE" : pm.messageProperty().get(),
                pm.messageProperty()));
        javafx.scene.control.SplitPane split = new javafx.scene.control.SplitPane(template, preview);
        VBox box = new VBox(6, new HBox(8, reset, saveAs), note, error, split);
        VBox.setVgrow(split, Priority.ALWAYS);
        box.setPadding(new Insets(6));
        return box;
    }

    private void save() {
        String who = vm.authorProperty().get();
        if (who == null || who.isBlank()) {
            TextInputDialog d = new TextInputDialog();
            d.setTitle("Save spec");
            d.setHeaderText("Who is saving this version?");
            d.setContentText("Annotator name:");
            d.getDialogPane().setId("specAuthorDialog");
            if (getScene() != null) {
                d.initOwner(getScene().getWindow());
                d.getDialogPane().getStylesheets().setAll(getScene().getStylesheets());
            }
            var answer = d.showAndWait();
            if (answer.isEmpty() || answer.get().isBlank()) {
                return;
            }
            vm.authorProperty().set(answer.get().strip());
        }
        vm.save();
    }

    private Node formPane() {
        GridPane basics = new GridPane();
        basics.setHgap(10);
        basics.setVgap(6);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(90);
        ColumnConstraints values = new ColumnConstraints();
        values.setHgrow(Priority.ALWAYS);
        basics.getColumnConstraints().setAll(labels, values);
        int row = 0;
        for (SpecEditorViewModel.Field f : SpecEditorViewModel.Field.values()) {
            TextField t = new TextField();
            t.setId("form-" + f.name());
            t.textProperty().bindBidirectional(vm.field(f));
            Label l = new Label(f.label());
            l.getStyleClass().add("form-label");
            basics.addRow(row++, l, t);
            byPath.put(PERSONA + (f == SpecEditorViewModel.Field.OCCUPATION ? "occupation.title"
                    : f.name().toLowerCase()), t);
            if (f == SpecEditorViewModel.Field.OCCUPATION) {
                byPath.put(PERSONA + "occupation", t);
            }
        }

        GridPane five = new GridPane();
        five.setHgap(10);
        five.setVgap(6);
        five.getColumnConstraints().setAll(labels, new ColumnConstraints(), values);
        row = 0;
        for (Domain d : PromptContext.OCEAN) {
            Label name = new Label(d.displayName());
            name.getStyleClass().add("form-label");
            Label badge = new Label("–");
            badge.setId("target-" + d.name());
            badge.getStyleClass().setAll("label", "level-chip", "level-none");
            badge.setMinWidth(Region.USE_PREF_SIZE);
            domainTargets.put(d, badge);
            TextArea statement = new TextArea();
            statement.setId("form-bigFive-" + d.name());
            statement.setWrapText(true);
            statement.setPrefRowCount(2);
            statement.textProperty().bindBidirectional(vm.bigFive(d));
            byPath.put(PERSONA + "personality.big_five." + PromptContext.key(d), statement);
            five.addRow(row++, name, badge, statement);
        }

        GridPane facetGrid = new GridPane();
        facetGrid.setHgap(14);
        facetGrid.setVgap(4);
        List<String> levels = new ArrayList<>();
        for (Level l : Level.values()) {
            levels.add(l.label());
        }
        int col = 0;
        for (Domain d : PromptContext.OCEAN) {
            Label head = new Label(d.displayName());
            head.getStyleClass().add("section-title");
            facetGrid.add(head, col, 0, 3, 1);
            int r = 1;
            for (Facet f : d.facets()) {
                Label name = new Label(f.displayName());
                name.getStyleClass().add("facet-name");
                name.setMinWidth(Region.USE_PREF_SIZE);
                ChoiceBox<String> value = new ChoiceBox<>();
                value.getItems().setAll(levels);
                value.setId("form-facet-" + f.name());
                value.getStyleClass().add("facet-choice");
                value.valueProperty().bindBidirectional(vm.facet(f));
                Label target = new Label("–");
                target.setId("target-" + f.name());
                target.getStyleClass().setAll("label", "level-chip", "level-none");
                target.setMinWidth(Region.USE_PREF_SIZE);
                facetTargets.put(f, target);
                byPath.put(PERSONA + "personality.facets." + PromptContext.key(f), value);
                facetGrid.add(name, col, r);
                facetGrid.add(value, col + 1, r);
                facetGrid.add(target, col + 2, r);
                r++;
            }
            col += 3;
        }

        Label fiveTitle = new Label("Big Five statements (each should open with the person's level)");
        fiveTitle.getStyleClass().add("section-title");
        Label facetTitle = new Label("Facet levels (the chip is the person's level)");
        facetTitle.getStyleClass().add("section-title");
        VBox content = new VBox(10, basics, fiveTitle, five, facetTitle, new ScrollPane(facetGrid));
        content.setPadding(new Insets(10));
        content.disableProperty().bind(vm.readOnlyProperty().or(vm.selectedVersionProperty().isNull()));
        ScrollPane scroll = new ScrollPane(content);
        scroll.setFitToWidth(true);
        scroll.setId("specForm");
        return scroll;
    }

    private void showTargets(Profile p) {
        for (Domain d : PromptContext.OCEAN) {
            chip(domainTargets.get(d), p == null ? null : p.level(d), false);
        }
        for (Facet f : Facet.values()) {
            chip(facetTargets.get(f), p == null ? null : p.level(f), true);
        }
    }

    private static void chip(Label l, Level level, boolean shortForm) {
        l.setText(level == null ? "no target" : shortForm ? LevelPalette.shortLabel(level) : level.label());
        l.getStyleClass().setAll("label", "level-chip", LevelPalette.styleClass(level));
        l.setTooltip(new Tooltip(level == null ? "The person's level is not known"
                : "The person's level: " + level.label()));
    }

    /** Marks the form controls whose JSON path has an error or a warning. */
    private void markFields() {
        byPath.values().forEach(c -> c.getStyleClass().removeAll("field-error", "field-warning"));
        for (Finding f : vm.findings()) {
            Control c = byPath.get(f.jsonPath());
            if (c == null || f.severity() == Finding.Severity.INFO) {
                continue;
            }
            String cls = f.severity() == Finding.Severity.ERROR ? "field-error" : "field-warning";
            if (!c.getStyleClass().contains(cls)) {
                c.getStyleClass().add(cls);
            }
        }
    }

    // ---- compare

    private Node comparePane() {
        ComboBox<SpecVersion> left = versionChoice("compareLeft", vm.compareLeftProperty());
        ComboBox<SpecVersion> right = versionChoice("compareRight", vm.compareRightProperty());
        Label summary = new Label();
        summary.setId("diffSummary");
        summary.getStyleClass().add("muted");
        summary.textProperty().bind(vm.diffSummaryProperty());
        ListView<LineDiff.Row> rows = new ListView<>(vm.diff());
        rows.setId("specDiff");
        rows.getStyleClass().add("diff-list");
        rows.setCellFactory(l -> new SpecCells.DiffCell());
        rows.setPlaceholder(new Label("Choose two specs of this person to compare"));
        VBox.setVgrow(rows, Priority.ALWAYS);
        HBox.setHgrow(left, Priority.ALWAYS);
        HBox.setHgrow(right, Priority.ALWAYS);
        left.setMaxWidth(Double.MAX_VALUE);
        right.setMaxWidth(Double.MAX_VALUE);
        HBox choose = new HBox(8, left, new Label("→"), right);
        choose.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(6, choose, summary, rows);
        box.setPadding(new Insets(8));
        return box;
    }

    private ComboBox<SpecVersion> versionChoice(String id, javafx.beans.property.ObjectProperty<SpecVersion> p) {
        ComboBox<SpecVersion> c = new ComboBox<>(vm.compareChoices());
        c.setId(id);
        c.setPromptText("Version or other source");
        c.valueProperty().addListener((o, a, v) -> {
            if (!syncing && v != null && v != p.get()) {
                p.set(v);
            }
        });
        p.addListener((o, a, v) -> quietly(() -> c.setValue(v)));
        return c;
    }

    // ---- right: findings and history

    private Node sideColumn() {
        Label findingsTitle = new Label("Findings");
        findingsTitle.getStyleClass().add("section-title");
        Label findingsCount = new Label();
        findingsCount.setId("findingCount");
        findingsCount.getStyleClass().add("muted");
        findingsCount.textProperty().bind(Bindings.createStringBinding(() -> {
            if (vm.validatingProperty().get()) {
                return "checking…";
            }
            if (vm.parseErrorProperty().get() != null) {
                return "invalid JSON";
            }
            long errors = vm.errorCount();
            int n = vm.findings().size();
            return n == 0 ? "none" : errors + (errors == 1 ? " error, " : " errors, ") + (n - errors) + " other";
        }, vm.findings(), vm.validatingProperty(), vm.parseErrorProperty()));
        ListView<Finding> findings = new ListView<>(vm.findings());
        findings.setId("specFindings");
        findings.setCellFactory(l -> new SpecCells.FindingCell());
        findings.setPlaceholder(new Label("No findings: the spec matches its person"));
        findings.getSelectionModel().selectedItemProperty().addListener((o, a, f) -> focusField(f));
        Label parseError = new Label();
        parseError.setId("specParseError");
        parseError.getStyleClass().addAll("form-error", "parse-error");
        parseError.setWrapText(true);
        parseError.setMaxWidth(Double.MAX_VALUE);
        parseError.setAlignment(Pos.TOP_LEFT);
        parseError.textProperty().bind(vm.parseErrorProperty());
        parseError.visibleProperty().bind(vm.parseErrorProperty().isNotNull());
        findings.visibleProperty().bind(vm.parseErrorProperty().isNull());
        StackPane findingsArea = new StackPane(findings, parseError);
        StackPane.setAlignment(parseError, Pos.TOP_LEFT);
        VBox.setVgrow(findingsArea, Priority.ALWAYS);

        Label historyTitle = new Label("Versions");
        historyTitle.getStyleClass().add("section-title");
        ListView<SpecVersion> history = new ListView<>(vm.versions());
        history.setId("specVersions");
        history.setCellFactory(l -> new SpecCells.VersionCell());
        history.setPrefHeight(150);
        history.getSelectionModel().selectedItemProperty().addListener((o, a, v) -> {
            if (!syncing && v != null && v != vm.selectedVersionProperty().get()) {
                vm.selectedVersionProperty().set(v);
            }
        });
        vm.selectedVersionProperty().addListener((o, a, v) -> quietly(() -> {
            if (v == null) {
                history.getSelectionModel().clearSelection();
            } else {
                history.getSelectionModel().select(v);
            }
        }));
        VBox box = new VBox(6, new HBox(8, findingsTitle, findingsCount), findingsArea, historyTitle, history);
        box.getStyleClass().add("side-column");
        box.setMinWidth(220);
        return box;
    }

    private void focusField(Finding f) {
        if (f == null) {
            return;
        }
        Control c = byPath.get(f.jsonPath());
        if (c != null && !c.isDisabled()) {
            tabs.getSelectionModel().select(0);
            c.requestFocus();
        }
    }

    public SpecEditorViewModel viewModel() {
        return vm;
    }
}
