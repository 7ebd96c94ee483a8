package org.personalab.ui.clusters;

import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The split builder: train/test by stratified fractions or by centroid representatives, a seed and a name; Preview
 * draws the split set without storing it and shows its sizes per cluster and per cohort (the scatter shows it too
 * when coloured by split); Save stores exactly the previewed split set.
 */
public final class SplitBuilder extends VBox {

    private final TableView<SplitPreview.Row> byCluster = table("splitByCluster", "Cluster");
    private final TableView<SplitPreview.Row> byCohort = table("splitByCohort", "Cohort");

    public SplitBuilder(ClusterViewModel vm) {
        super(8);
        getStyleClass().add("split-builder");
        setId("splitBuilder");

        ChoiceBox<SplitMode> mode = new ChoiceBox<>();
        mode.getItems().setAll(SplitMode.values());
        mode.setId("splitMode");
        mode.valueProperty().bindBidirectional(vm.splitModeProperty());
        mode.setTooltip(new Tooltip("Stratified fractions: within every cluster, the test share of its people at "
                + "random. Centroid representatives: the people nearest each centroid form test, the rest train."));

        Spinner<Double> share = new Spinner<>(0.05, 0.95, vm.testShareProperty().get(), 0.05);
        share.setId("splitTestShare");
        share.setEditable(true);
        share.setPrefWidth(90);
        share.getValueFactory().setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(Double v) {
                return v == null ? "" : String.format(java.util.Locale.ROOT, "%.2f", v);
            }

            @Override
            public Double fromString(String s) {
                try {
                    return Double.parseDouble(s.strip().replace(',', '.'));
                } catch (NumberFormatException e) {
                    return vm.testShareProperty().get();
                }
            }
        });
        share.valueProperty().addListener((o, a, v) -> {
            if (v != null) {
                vm.testShareProperty().set(v);
            }
        });
        vm.testShareProperty().addListener((o, a, v) -> share.getValueFactory().setValue(v.doubleValue()));

        Spinner<Integer> per = new Spinner<>(1, 100_000, vm.perCentroidProperty().get());
        per.setId("splitPerCentroid");
        per.setEditable(true);
        per.setPrefWidth(90);
        per.valueProperty().addListener((o, a, v) -> {
            if (v != null) {
                vm.perCentroidProperty().set(v);
            }
        });
        vm.perCentroidProperty().addListener((o, a, v) -> per.getValueFactory().setValue(v.intValue()));

        TextField seed = ClusterControls.longField("splitSeed", vm.splitSeedProperty(), vm.splitMessageProperty(),
                "split seed");
        TextField name = new TextField();
        name.setId("splitName");
        name.setPromptText("name (default: clustering-split-sSEED)");
        name.textProperty().bindBidirectional(vm.splitNameProperty());

        Label shareLabel = new Label("Test share");
        Label perLabel = new Label("Test people per centroid");
        shareLabel.visibleProperty().bind(vm.splitModeProperty().isEqualTo(SplitMode.FRACTIONS));
        share.visibleProperty().bind(shareLabel.visibleProperty());
        perLabel.visibleProperty().bind(shareLabel.visibleProperty().not());
        per.visibleProperty().bind(perLabel.visibleProperty());
        for (var n : new javafx.scene.Node[] {shareLabel, share, perLabel, per}) {
            n.managedProperty().bind(n.visibleProperty());
        }

        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(6);
        form.addRow(0, new Label("Mode"), mode);
        form.addRow(1, shareLabel, share);
        form.addRow(2, perLabel, per);
        form.addRow(3, new Label("Seed"), seed);
        form.addRow(4, new Label("Name"), name);
        GridPane.setHgrow(name, Priority.ALWAYS);

        Button preview = new Button("Preview");
        preview.setId("splitPreview");
        preview.setOnAction(e -> vm.previewSplit());
        preview.disableProperty().bind(vm.previewingProperty().or(vm.pictureProperty().isNull()));
        Button save = new Button("Save split set");
        save.setId("splitSave");
        save.getStyleClass().add("accent-button");
        save.setOnAction(e -> vm.saveSplit());
        save.disableProperty().bind(vm.previewProperty().isNull().or(vm.previewingProperty()));
        HBox actions = new HBox(8, preview, save);
        actions.setAlignment(Pos.CENTER_LEFT);

        Label message = new Label();
        message.setId("splitMessage");
        message.setWrapText(true);
        message.getStyleClass().add("muted");
        message.textProperty().bind(vm.splitMessageProperty());
        message.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);

        Label clusterTitle = new Label("Per cluster");
        clusterTitle.getStyleClass().add("section-title");
        Label cohortTitle = new Label("Per cohort (sex × age group)");
        cohortTitle.getStyleClass().add("section-title");
        VBox.setVgrow(byCluster, Priority.ALWAYS);
        VBox.setVgrow(byCohort, Priority.ALWAYS);
        getChildren().addAll(form, actions, message, clusterTitle, byCluster, cohortTitle, byCohort);

        vm.previewProperty().addListener((o, a, p) -> showPreview(p));
        Label empty = new Label();
        empty.textProperty().bind(Bindings.createStringBinding(() -> vm.pictureProperty().get() != null
                && !vm.pictureProperty().get().isSaved() ? "Save the clustering, then preview a split"
                        : "Preview to see the sizes", vm.pictureProperty()));
        byCluster.setPlaceholder(empty);
    }

    private static TableView<SplitPreview.Row> table(String id, String first) {
        TableView<SplitPreview.Row> t = new TableView<>();
        t.setId(id);
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        t.setPlaceholder(new Label("Preview to see the sizes"));
        t.setPrefHeight(180);
        t.setUserData(first);
        return t;
    }

    private void showPreview(SplitPreview p) {
        fill(byCluster, p, p == null ? null : p.byCluster());
        fill(byCohort, p, p == null ? null : p.byCohort());
    }

    private static void fill(TableView<SplitPreview.Row> t, SplitPreview p, java.util.List<SplitPreview.Row> rows) {
        t.getColumns().clear();
        if (p == null) {
            t.getItems().clear();
            return;
        }
        TableColumn<SplitPreview.Row, String> label = new TableColumn<>((String) t.getUserData());
        label.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().label()));
        label.setPrefWidth(130);
        t.getColumns().add(label);
        t.getColumns().add(count("People", r -> r.people()));
        for (int s = 0; s < p.names().size(); s++) {
            int split = s;
            t.getColumns().add(count(p.names().get(s), r -> r.perSplit()[split]));
        }
        if (p.unassigned() > 0) {
            t.getColumns().add(count("No split", SplitPreview.Row::none));
        }
        t.getItems().setAll(rows);
    }

    private static TableColumn<SplitPreview.Row, Number> count(String title,
            java.util.function.ToIntFunction<SplitPreview.Row> value) {
        TableColumn<SplitPreview.Row, Number> c = new TableColumn<>(title);
        c.setCellValueFactory(r -> new ReadOnlyObjectWrapper<>(value.applyAsInt(r.getValue())));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(Number v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : String.format("%,d", v.intValue()));
            }
        });
        c.setStyle("-fx-alignment: CENTER-RIGHT;");
        c.setPrefWidth(70);
        return c;
    }
}
