package org.personalab.ui.clusters;

import javafx.beans.property.LongProperty;
import javafx.beans.property.StringProperty;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Separator;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.personalab.cluster.FeatureSpec;
import org.personalab.data.DatasetInfo;

/**
 * The controls of a recompute: dataset, k, seed and the feature choices of {@link FeatureSpec}. Every change
 * schedules a debounced recompute in the view model; Run recomputes at once; Save stores the unsaved result shown.
 */
public final class ClusterControls extends VBox {

    public ClusterControls(ClusterViewModel vm) {
        super(6);
        getStyleClass().add("side-column");
        setPadding(new Insets(4, 8, 8, 8));
        setId("clusterControls");

        ComboBox<DatasetInfo> dataset = new ComboBox<>(vm.datasets());
        dataset.setId("clusterDataset");
        dataset.setMaxWidth(Double.MAX_VALUE);
        dataset.setConverter(new StringConverter<>() {
            @Override
            public String toString(DatasetInfo d) {
                return d == null ? "" : d.name() + " (" + String.format("%,d", d.size()) + ")";
            }

            @Override
            public DatasetInfo fromString(String s) {
                return null;
            }
        });
        dataset.valueProperty().bindBidirectional(vm.datasetProperty());

        Spinner<Integer> k = new Spinner<>(1, 500, vm.kProperty().get());
        k.setId("clusterK");
        k.setEditable(true);
        k.setPrefWidth(90);
        k.valueProperty().addListener((o, a, v) -> {
            if (v != null && v != vm.kProperty().get()) {
                vm.kProperty().set(v);
            }
        });
        vm.kProperty().addListener((o, a, v) -> {
            if (!v.equals(k.getValue())) {
                k.getValueFactory().setValue(v.intValue());
            }
        });
        TextField seed = longField("clusterSeed", vm.seedProperty(), vm.messageProperty(), "seed");

        ChoiceBox<FeatureSpec.Items> items = new ChoiceBox<>();
        items.getItems().setAll(FeatureSpec.Items.values());
        items.setConverter(capitalised());
        items.setId("clusterItems");
        items.valueProperty().bindBidirectional(vm.itemsProperty());
        items.setTooltip(new Tooltip("Item answers as features: none, raw (agreement with the statement) or keyed "
                + "(trait-aligned, reversed items flipped)"));
        CheckBox sex = check("clusterSex", "Sex", vm.sexProperty());
        CheckBox age = check("clusterAge", "Age", vm.ageProperty());
        CheckBox country = check("clusterCountry", "Country, top", vm.countryProperty());
        Spinner<Integer> top = new Spinner<>(0, 500, vm.topCountriesProperty().get());
        top.setId("clusterTopCountries");
        top.setEditable(true);
        top.setPrefWidth(70);
        top.disableProperty().bind(vm.countryProperty().not());
        top.valueProperty().addListener((o, a, v) -> {
            if (v != null) {
                vm.topCountriesProperty().set(v);
            }
        });
        vm.topCountriesProperty().addListener((o, a, v) -> top.getValueFactory().setValue(v.intValue()));
        ChoiceBox<FeatureSpec.Scores> scores = new ChoiceBox<>();
        scores.getItems().setAll(FeatureSpec.Scores.values());
        scores.setConverter(capitalised());
        scores.setId("clusterScores");
        scores.valueProperty().bindBidirectional(vm.scoresProperty());
        scores.setTooltip(new Tooltip("Facet and/or domain scores (1–5) as features"));
        CheckBox standardize = check("clusterStandardize", "Standardise columns", vm.standardizeProperty());

        ProgressIndicator spinner = new ProgressIndicator();
        spinner.setId("clusterRecomputing");
        spinner.setPrefSize(18, 18);
        spinner.visibleProperty().bind(vm.recomputingProperty());
        Button run = new Button("Run");
        run.setId("clusterRun");
        run.setTooltip(new Tooltip("Recompute now (changes recompute by themselves after a short pause)"));
        run.setOnAction(e -> vm.recomputeNow());
        run.disableProperty().bind(vm.datasetProperty().isNull());

        TextField name = new TextField();
        name.setId("clusterSaveName");
        name.setPromptText("name (default: dataset-kK-sSEED)");
        name.textProperty().bindBidirectional(vm.saveNameProperty());
        Button save = new Button("Save clustering");
        save.setId("clusterSave");
        save.getStyleClass().add("accent-button");
        save.setMaxWidth(Double.MAX_VALUE);
        save.setOnAction(e -> vm.saveClustering());
        save.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(() ->
                vm.pictureProperty().get() == null || vm.pictureProperty().get().isSaved()
                        || vm.busyProperty().get(), vm.pictureProperty(), vm.busyProperty()));

        Label title = new Label("Recompute");
        title.getStyleClass().add("section-title");
        Label features = new Label("Features");
        features.getStyleClass().add("section-title");
        getChildren().addAll(title, new Label("Dataset"), dataset, row(new Label("k"), k), row(new Label("Seed"),
                seed), new Separator(), features, row(new Label("Items"), items), sex, age, row(country, top),
                row(new Label("Scores"), scores), standardize, new Separator(), row(run, spinner), name, save);
    }

    /** Shows an enum constant as "Keyed" rather than "KEYED". */
    private static <E extends Enum<E>> StringConverter<E> capitalised() {
        return new StringConverter<>() {
            @Override
            public String toString(E e) {
                if (e == null) {
                    return "";
                }
                String n = e.name().toLowerCase(java.util.Locale.ROOT);
                return Character.toUpperCase(n.charAt(0)) + n.substring(1);
            }

            @Override
            public E fromString(String s) {
                return null;
            }
        };
    }

    private static HBox row(javafx.scene.Node... nodes) {
        HBox h = new HBox(6, nodes);
        h.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        return h;
    }

    private static CheckBox check(String id, String text, javafx.beans.property.BooleanProperty p) {
        CheckBox c = new CheckBox(text);
        c.setId(id);
        c.selectedProperty().bindBidirectional(p);
        return c;
    }

    /**
     * A text field for a whole number bound to {@code target}: applied on Enter or when focus leaves; a bad number
     * is marked and explained in {@code message}, and the property keeps its value.
     */
    static TextField longField(String id, LongProperty target, StringProperty message, String what) {
        TextField f = new TextField(Long.toString(target.get()));
        f.setId(id);
        f.setPrefColumnCount(8);
        Runnable commit = () -> {
            String s = f.getText() == null ? "" : f.getText().strip();
            try {
                long v = Long.parseLong(s);
                f.getStyleClass().remove("field-error");
                if (v != target.get()) {
                    target.set(v);
                }
            } catch (NumberFormatException e) {
                if (!f.getStyleClass().contains("field-error")) {
                    f.getStyleClass().add("field-error");
                }
                message.set("The " + what + " must be a whole number, got '" + s + "'.");
            }
        };
        f.setOnAction(e -> commit.run());
        f.focusedProperty().addListener((o, a, focused) -> {
            if (!focused) {
                commit.run();
            }
        });
        target.addListener((o, a, v) -> {
            if (!Long.toString(v.longValue()).equals(f.getText())) {
                f.setText(Long.toString(v.longValue()));
                f.getStyleClass().remove("field-error");
            }
        });
        return f;
    }
}
