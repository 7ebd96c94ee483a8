package org.personalab.ui.browser;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.personalab.data.ImportFormat;
import org.personalab.data.ImportOptions;
import org.personalab.inventory.AnswerEncoding;

/**
 * Import dialog: file (typed or chosen), format, raw/keyed/format default, lenient, name. Non-blocking: on Import it
 * hands the file and options to {@code onImport} and closes; the import itself runs as a background task.
 */
final class ImportDialog extends Dialog<ButtonType> {

    static final ButtonType IMPORT = new ButtonType("Import", ButtonBar.ButtonData.OK_DONE);

    ImportDialog(Window owner, List<String> takenNames, BiConsumer<Path, ImportOptions> onImport) {
        ImportViewModel vm = new ImportViewModel(takenNames);
        initOwner(owner);
        setTitle("Import dataset");
        setHeaderText("Import questionnaire answers into this workspace");
        getDialogPane().setId("importDialog");
        if (owner != null && owner.getScene() != null) {
            getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        getDialogPane().getButtonTypes().setAll(IMPORT, ButtonType.CANCEL);

        TextField file = new TextField();
        file.setId("importFile");
        file.setPromptText("/path/to/answers.csv");
        file.setPrefColumnCount(32);
        file.textProperty().bindBidirectional(vm.fileProperty());
        Button browse = new Button("Browse…");
        browse.setId("importBrowse");
        browse.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("Choose a file to import");
            fc.getExtensionFilters().addAll(
                    new FileChooser.ExtensionFilter("Answer files", "*.csv", "*.dat", "*.json", "*.txt"),
                    new FileChooser.ExtensionFilter("All files", "*"));
            Path p = vm.path();
            if (p != null && p.toAbsolutePath().getParent() != null && p.toAbsolutePath().getParent().toFile().isDirectory()) {
                fc.setInitialDirectory(p.toAbsolutePath().getParent().toFile());
            }
            File f = fc.showOpenDialog(getDialogPane().getScene().getWindow());
            if (f != null) {
                vm.fileProperty().set(f.getAbsolutePath());
            }
        });
        HBox.setHgrow(file, Priority.ALWAYS);
        HBox fileRow = new HBox(6, file, browse);

        ComboBox<ImportFormat> format = new ComboBox<>();
        format.getItems().setAll(ImportFormat.values());
        format.setId("importFormat");
        format.valueProperty().bindBidirectional(vm.formatProperty());
        format.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(ImportFormat f) {
                return f == null ? "" : switch (f) {
                    case JOHNSON120 -> "Johnson IPIP120.dat (fixed width)";
                    case JOHNSON300 -> "Johnson IPIP300.dat (fixed width)";
                    case PAPI -> "PAPI test set (JSON)";
                    case CSV -> "CSV with header (id, sex, age, country, I1…)";
                };
            }

            @Override
            public ImportFormat fromString(String s) {
                return null;
            }
        });

        ComboBox<Choice<AnswerEncoding>> encoding = new ComboBox<>(Choice.of("Format default",
                Arrays.asList(AnswerEncoding.values()), e -> e == AnswerEncoding.RAW
                        ? "Raw (agreement with each statement)" : "Keyed (reversed items already reversed)"));
        encoding.setId("importEncoding");
        Choice.bind(encoding, vm.encodingProperty());
        Label encodingHint = new Label();
        encodingHint.getStyleClass().add("muted");
        encodingHint.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> vm.formatProperty().get() == null ? "" : "default for this format: "
                        + vm.formatProperty().get().defaultEncoding().name().toLowerCase(), vm.formatProperty()));

        CheckBox lenient = new CheckBox("Lenient: skip bad records (each is reported) and import the rest");
        lenient.setId("importLenient");
        lenient.selectedProperty().bindBidirectional(vm.lenientProperty());

        TextField name = new TextField();
        name.setId("importName");
        name.promptTextProperty().bind(vm.defaultNameProperty());
        name.textProperty().bindBidirectional(vm.nameProperty());

        Label problem = new Label();
        problem.setId("importProblem");
        problem.getStyleClass().add("form-error");
        problem.setWrapText(true);
        problem.textProperty().bind(vm.problemProperty());

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(10);
        grid.setPadding(new Insets(12, 4, 4, 4));
        ColumnConstraints labels = new ColumnConstraints();
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().addAll(labels, fields);
        row(grid, 0, "File", fileRow);
        row(grid, 1, "Format", format);
        row(grid, 2, "Answers", new HBox(8, encoding, encodingHint));
        row(grid, 3, "", lenient);
        row(grid, 4, "Dataset name", name);
        grid.add(problem, 1, 5);
        grid.setPrefWidth(620);
        getDialogPane().setContent(grid);

        Node ok = getDialogPane().lookupButton(IMPORT);
        ok.setId("importOk");
        ok.disableProperty().bind(vm.problemProperty().isNotEmpty());
        setOnHidden(e -> {
            if (getResult() == IMPORT && vm.problemProperty().get().isEmpty()) {
                onImport.accept(vm.path(), vm.options());
            }
        });
    }

    private static void row(GridPane g, int r, String label, Node field) {
        Label l = new Label(label);
        l.getStyleClass().add("form-label");
        l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        g.addRow(r, l, field);
    }
}
