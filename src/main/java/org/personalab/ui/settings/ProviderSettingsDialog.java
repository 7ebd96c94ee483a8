package org.personalab.ui.settings;

import java.util.Arrays;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import javafx.util.StringConverter;
import org.personalab.llm.Provider;
import org.personalab.llm.StructuredMode;

/**
 * The LLM provider settings dialog: the providers on the left (add, remove or reset a built-in), the selected one's
 * form on the right (name, base URL, key variable, structured output, models with prices per million tokens, limits,
 * whether it supports the Batch API and its batch price, editable only when it does), its key (typed masked, stored owner-only, never shown back) and "Test connection", which runs in the
 * background and shows what the server answered. Problems are shown as typed and block saving.
 */
public final class ProviderSettingsDialog extends Dialog<ButtonType> {

    public ProviderSettingsDialog(Window owner, ProviderSettingsViewModel vm) {
        initOwner(owner);
        setTitle("LLM providers");
        setHeaderText("Chat providers: where requests go, what they cost, how hard they may be used");
        setResizable(true);
        getDialogPane().setId("providerSettingsDialog");
        if (owner != null && owner.getScene() != null) {
            getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        getDialogPane().getButtonTypes().setAll(ButtonType.CLOSE);

        ListView<Provider> list = new ListView<>(vm.providers());
        list.setId("providerList");
        list.setPrefWidth(260);
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(Provider p, boolean empty) {
                super.updateItem(p, empty);
                setText(empty || p == null ? null : ProviderSettingsViewModel.label(p));
            }
        });
        list.getSelectionModel().select(vm.selectedProperty().get());
        list.getSelectionModel().selectedItemProperty().addListener((o, a, p) -> {
            if (p != null && p != vm.selectedProperty().get()) {
                vm.selectedProperty().set(p);
            }
        });
        vm.selectedProperty().addListener((o, a, p) -> {
            if (list.getSelectionModel().getSelectedItem() != p) {
                list.getSelectionModel().select(p);
            }
        });
        Button add = new Button("Add");
        add.setId("providerAdd");
        add.setOnAction(e -> vm.add());
        Button remove = new Button("Remove");
        remove.setId("providerRemove");
        remove.disableProperty().bind(vm.selectedProperty().isNull());
        vm.selectedProperty().addListener((o, a, p) -> remove.setText(vm.selectedIsBuiltIn() ? "Reset" : "Remove"));
        remove.setText(vm.selectedIsBuiltIn() ? "Reset" : "Remove");
        remove.setOnAction(e -> vm.removeSelected());
        VBox left = new VBox(6, list, new HBox(6, add, remove));
        VBox.setVgrow(list, Priority.ALWAYS);

        TextField name = field("providerName", vm.nameProperty(), "lab-vllm");
        TextField url = field("providerBaseUrl", vm.baseUrlProperty(), "https://api.openai.com/v1");
        TextField keyEnv = field("providerKeyEnv", vm.keyEnvProperty(), "OPENAI_API_KEY (empty: no key needed)");
        ComboBox<StructuredMode> structured = new ComboBox<>();
        structured.setId("providerStructured");
        structured.getItems().setAll(Arrays.asList(StructuredMode.values()));
        structured.valueProperty().bindBidirectional(vm.structuredProperty());
        structured.setConverter(new StringConverter<>() {
            @Override
            public String toString(StructuredMode m) {
                return m == null ? "" : switch (m) {
                    case JSON_SCHEMA -> "json_schema (provider enforces the schema)";
                    case JSON_OBJECT -> "json_object (JSON mode, schema in the prompt)";
                    case PROMPT -> "prompt (schema in the prompt only)";
                };
            }

            @Override
            public StructuredMode fromString(String s) {
                return null;
            }
        });
        TextArea models = new TextArea();
        models.setId("providerModels");
        models.setPromptText("one model a line: name  input-price  output-price (US dollars per million tokens)\n"
                + "gpt-4o-mini  0.15  0.60");
        models.setPrefRowCount(5);
        models.textProperty().bindBidirectional(vm.modelsProperty());
        CheckBox free = new CheckBox("Models not listed are free (local server)");
        free.setId("providerFree");
        free.selectedProperty().bindBidirectional(vm.freeProperty());
        TextField concurrent = small("providerMaxConcurrent", vm.maxConcurrentProperty());
        TextField rpm = small("providerRpm", vm.requestsPerMinuteProperty());
        TextField tpm = small("providerTpm", vm.tokensPerMinuteProperty());
        HBox limits = new HBox(6, concurrent, hint("calls at once"), rpm, hint("requests/min"), tpm,
                hint("tokens/min (0 = no limit)"));
        CheckBox batchApi = new CheckBox("Supports Batch API");
        batchApi.setId("providerBatchApi");
        batchApi.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        batchApi.selectedProperty().bindBidirectional(vm.batchApiProperty());
        batchApi.setTooltip(new Tooltip("The server has /v1/files and /v1/batches (OpenAI, "
                + "Together); most local servers and some hosted APIs (Groq, OpenRouter) do not"));
        TextField batch = small("providerBatchFactor", vm.batchPriceFactorProperty());
        batch.disableProperty().bind(vm.batchApiProperty().not());
        Label batchHint = hint("× list price in the Batch API");
        batchHint.disableProperty().bind(vm.batchApiProperty().not());
        HBox batchRow = new HBox(6, batchApi, batch, batchHint);

        PasswordField key = new PasswordField();
        key.setId("providerKey");
        key.setPromptText("paste a key to store it in keys.json");
        key.textProperty().bindBidirectional(vm.keyInputProperty());
        HBox.setHgrow(key, Priority.ALWAYS);
        Button storeKey = new Button("Store key");
        storeKey.setId("providerStoreKey");
        storeKey.disableProperty().bind(vm.keyInputProperty().isEmpty());
        storeKey.setOnAction(e -> vm.storeKey());
        Label keyStatus = new Label();
        keyStatus.setId("providerKeyStatus");
        keyStatus.getStyleClass().add("muted");
        keyStatus.textProperty().bind(vm.keyStatusProperty());

        Label problem = new Label();
        problem.setId("providerProblem");
        problem.getStyleClass().add("form-error");
        problem.setWrapText(true);
        problem.textProperty().bind(vm.problemProperty());
        Button save = new Button("Save");
        save.setId("providerSave");
        save.setDefaultButton(true);
        save.disableProperty().bind(vm.problemProperty().isNotEmpty().or(vm.selectedProperty().isNull()));
        save.setOnAction(e -> vm.save());
        Button test = new Button("Test connection");
        test.setId("providerTest");
        test.disableProperty().bind(vm.testingProperty().or(vm.selectedProperty().isNull()));
        test.setOnAction(e -> vm.testConnection());
        ProgressIndicator spinner = new ProgressIndicator();
        spinner.setPrefSize(16, 16);
        spinner.visibleProperty().bind(vm.testingProperty());
        Label testResult = new Label();
        testResult.setId("providerTestResult");
        testResult.setWrapText(true);
        testResult.textProperty().bind(vm.testResultProperty());
        testResult.styleProperty().bind(Bindings.when(vm.testOkProperty()).then("-fx-text-fill: #2e7d32;")
                .otherwise(""));
        Label message = new Label();
        message.setId("providerMessage");
        message.setWrapText(true);
        message.getStyleClass().add("muted");
        message.textProperty().bind(vm.messageProperty());

        GridPane form = new GridPane();
        form.setHgap(10);
        form.setVgap(8);
        ColumnConstraints labels = new ColumnConstraints();
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        form.getColumnConstraints().addAll(labels, fields);
        int r = 0;
        row(form, r++, "Name", name);
        row(form, r++, "Base URL", url);
        row(form, r++, "Key variable", keyEnv);
        row(form, r++, "API key", new VBox(4, new HBox(6, key, storeKey), keyStatus));
        row(form, r++, "Structured output", structured);
        row(form, r++, "Models", new VBox(4, models, free));
        row(form, r++, "Limits", limits);
        row(form, r++, "Batch API", batchRow);
        form.add(problem, 1, r++);
        form.add(new HBox(8, save, test, spinner), 1, r++);
        form.add(testResult, 1, r++);
        form.add(message, 1, r);

        HBox content = new HBox(14, left, form);
        HBox.setHgrow(form, Priority.ALWAYS);
        content.setPadding(new Insets(10, 4, 4, 4));
        content.setPrefSize(900, 560);
        getDialogPane().setContent(content);
    }

    private static TextField field(String id, javafx.beans.property.StringProperty p, String prompt) {
        TextField t = new TextField();
        t.setId(id);
        t.setPromptText(prompt);
        t.textProperty().bindBidirectional(p);
        return t;
    }

    private static TextField small(String id, javafx.beans.property.StringProperty p) {
        TextField t = field(id, p, "0");
        t.setPrefColumnCount(6);
        return t;
    }

    private static Label hint(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("muted");
        l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        l.setMaxHeight(Double.MAX_VALUE);
        return l;
    }

    private static void row(GridPane g, int r, String label, Node field) {
        Label l = new Label(label);
        l.getStyleClass().add("form-label");
        l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        g.addRow(r, l, field);
    }
}
