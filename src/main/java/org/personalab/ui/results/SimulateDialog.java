package org.personalab.ui.results;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Window;
import javafx.util.StringConverter;
import org.personalab.inventory.Inventory;
import org.personalab.sim.PersonaRenderer;

/**
 * The "Simulate…" dialog of the results panel: the choices of a {@link SimulateViewModel}, its estimate, progress,
 * pause/resume and cancel. It is not modal and closing it does not stop the run (the task list keeps showing it).
 * When the run succeeds it offers "Evaluate", which runs the panel's own evaluation of the new run.
 */
final class SimulateDialog extends Dialog<ButtonType> {

    /** How the offline engine is labelled in the engine box. */
    static final String PSYCHOMETRIC_LABEL = "psychometric (offline rule-based respondent)";

    SimulateDialog(Window owner, ResultsViewModel results) {
        SimulateViewModel vm = results.simulate();
        initOwner(owner);
        initModality(Modality.NONE);
        setTitle("Simulate");
        setHeaderText("Let the agents of a spec run answer the questionnaire");
        getDialogPane().setId("simulateDialog");
        if (owner != null && owner.getScene() != null) {
            getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        getDialogPane().getButtonTypes().setAll(ButtonType.CLOSE);

        ComboBox<SimulateViewModel.SpecRunChoice> specRun = new ComboBox<>(vm.specRuns());
        specRun.setId("simSpecRun");
        specRun.setPromptText("Spec run");
        specRun.valueProperty().bindBidirectional(vm.specRunProperty());
        specRun.setPrefWidth(420);
        ComboBox<String> split = new ComboBox<>(vm.splits());
        split.setId("simSplit");
        split.valueProperty().bindBidirectional(vm.splitProperty());
        split.setTooltip(new Tooltip("Only the agents of the people in one part of a split (e.g. the test part)"));
        ComboBox<String> engine = new ComboBox<>(vm.engines());
        engine.setId("simEngine");
        engine.setEditable(true);
        engine.setConverter(new StringConverter<>() {
            @Override
            public String toString(String e) {
                return SimulateViewModel.PSYCHOMETRIC.equals(e) ? PSYCHOMETRIC_LABEL : e;
            }

            @Override
            public String fromString(String s) {
                return s == null ? null : s.strip().equals(PSYCHOMETRIC_LABEL) ? SimulateViewModel.PSYCHOMETRIC
                        : s.strip();
            }
        });
        engine.valueProperty().bindBidirectional(vm.engineProperty());
        engine.setPrefWidth(320);
        engine.setTooltip(new Tooltip("The offline psychometric respondent, or PROVIDER:MODEL from Settings → LLM "
                + "providers"));
        ComboBox<Inventory> inventory = new ComboBox<>();
        inventory.setId("simInventory");
        inventory.getItems().setAll(Inventory.IPIP_NEO_120, Inventory.IPIP_NEO_300);
        inventory.setCellFactory(l -> new InventoryCell());
        inventory.setButtonCell(new InventoryCell());
        inventory.valueProperty().bindBidirectional(vm.inventoryProperty());
        ComboBox<String> memory = new ComboBox<>();
        memory.setId("simMemory");
        memory.setEditable(true);
        memory.getItems().setAll("none", "last:5", "last:20", "tinytroupe");
        memory.valueProperty().bindBidirectional(vm.memoryProperty());
        memory.setTooltip(new Tooltip("none, last:K (the last K items with their replies) or tinytroupe (first 10 "
                + "and last 40 messages)"));
        ComboBox<PersonaRenderer.Mode> persona = new ComboBox<>();
        persona.setId("simPersona");
        persona.getItems().setAll(PersonaRenderer.Mode.values());
        persona.valueProperty().bindBidirectional(vm.personaProperty());
        TextField shuffle = new TextField();
        shuffle.setId("simShuffle");
        shuffle.setPromptText("fixed order");
        shuffle.setPrefColumnCount(8);
        shuffle.textProperty().bindBidirectional(vm.shuffleSeedProperty());
        shuffle.setTooltip(new Tooltip("A seed shuffles the items per agent; empty keeps the inventory's order"));
        CheckBox reverse = new CheckBox("Reverse the options: (A) Very Inaccurate … (E) Very Accurate");
        reverse.setId("simReverse");
        reverse.selectedProperty().bindBidirectional(vm.reverseOptionsProperty());
        TextField samples = new TextField();
        samples.setId("simSamples");
        samples.setPrefColumnCount(4);
        samples.textProperty().bindBidirectional(vm.samplesProperty());
        TextField budget = new TextField();
        budget.setId("simBudget");
        budget.setPromptText("no cap");
        budget.setPrefColumnCount(6);
        budget.textProperty().bindBidirectional(vm.budgetProperty());
        budget.disableProperty().bind(vm.psychometricProperty());

        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(6);
        grid.addRow(0, new Label("Spec run"), specRun);
        grid.addRow(1, new Label("People"), split);
        grid.addRow(2, new Label("Engine"), engine);
        grid.addRow(3, new Label("Inventory"), inventory);
        grid.addRow(4, new Label("Memory"), memory);
        grid.addRow(5, new Label("Persona"), persona);
        grid.addRow(6, new Label("Shuffle items, seed"), shuffle);
        grid.addRow(7, new Label("Options"), reverse);
        grid.addRow(8, new Label("Samples per item"), samples);
        grid.addRow(9, new Label("Budget, US$"), budget);
        grid.disableProperty().bind(vm.runningProperty());

        Label problem = new Label();
        problem.setId("simProblem");
        problem.getStyleClass().add("error-text");
        problem.setWrapText(true);
        problem.textProperty().bind(vm.problemProperty());

        Button estimate = new Button("Estimate");
        estimate.setId("simEstimate");
        estimate.disableProperty().bind(vm.runningProperty().or(vm.problemProperty().isNotEmpty()));
        estimate.setOnAction(e -> vm.estimate());
        Button start = new Button();
        start.setId("simStart");
        start.getStyleClass().add("accent-button");
        start.textProperty().bind(Bindings.when(vm.awaitingConfirmationProperty()).then("Start (confirm cost)")
                .otherwise("Start"));
        start.disableProperty().bind(vm.runningProperty().or(vm.problemProperty().isNotEmpty()));
        start.setOnAction(e -> vm.start());
        Button pause = new Button();
        pause.setId("simPause");
        pause.textProperty().bind(Bindings.when(vm.pausedProperty()).then("Resume").otherwise("Pause"));
        pause.disableProperty().bind(vm.runningProperty().not());
        pause.setOnAction(e -> vm.togglePause());
        Button cancel = new Button("Cancel run");
        cancel.setId("simCancel");
        cancel.disableProperty().bind(vm.runningProperty().not());
        cancel.setOnAction(e -> vm.cancel());
        ProgressBar bar = new ProgressBar();
        bar.setId("simProgress");
        bar.progressProperty().bind(vm.progressProperty());
        bar.setPrefWidth(220);
        HBox actions = new HBox(8, estimate, start, pause, cancel, bar);
        actions.setAlignment(Pos.CENTER_LEFT);

        Label status = new Label();
        status.setId("simStatus");
        status.setWrapText(true);
        status.setMaxWidth(640);
        status.textProperty().bind(vm.statusProperty());
        Button evaluate = new Button();
        evaluate.setId("simEvaluate");
        evaluate.getStyleClass().add("accent-button");
        evaluate.textProperty().bind(Bindings.createStringBinding(() -> vm.lastRunProperty().get() == null
                ? "Evaluate" : "Evaluate run " + vm.lastRunProperty().get().id(), vm.lastRunProperty()));
        evaluate.visibleProperty().bind(vm.lastRunProperty().isNotNull());
        evaluate.managedProperty().bind(evaluate.visibleProperty());
        evaluate.disableProperty().bind(results.busyProperty());
        evaluate.setOnAction(e -> {
            results.evaluate(vm.lastRunProperty().get(), null);
            close();
        });

        Label note = new Label("The psychometric engine is the offline rule-based respondent: it answers from the "
                + "levels each spec states, costs nothing and ignores memory and prompts. A model engine shows its "
                + "cost estimate first. A cancelled run keeps its answers: Start with the same choices resumes it.");
        note.getStyleClass().add("muted");
        note.setWrapText(true);
        note.setMaxWidth(640);
        VBox box = new VBox(8, note, grid, problem, actions, status, evaluate);
        box.setPadding(new Insets(8));
        getDialogPane().setContent(box);
        setResizable(true);
        vm.refresh();
    }

    private static final class InventoryCell extends ListCell<Inventory> {
        @Override
        protected void updateItem(Inventory i, boolean empty) {
            super.updateItem(i, empty);
            setText(empty || i == null ? null : i.name());
        }
    }
}
