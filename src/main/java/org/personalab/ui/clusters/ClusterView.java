package org.personalab.ui.clusters;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;
import javafx.util.StringConverter;
import org.personalab.cluster.ClusteringInfo;
import org.personalab.cluster.SplitSetInfo;
import org.personalab.inventory.Domain;
import org.personalab.ui.PanelHeader;

/**
 * The Clusters panel: the stored clustering chooser in the header; recompute controls on the left; the scatter of
 * everyone with its colour mode, legend and hover label in the middle; the cluster table and the split builder on
 * the right.
 */
public final class ClusterView extends VBox {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneId.systemDefault());

    private final ClusterViewModel vm;
    private final ScatterCanvas scatter = new ScatterCanvas();
    private boolean syncing;

    public ClusterView(ClusterViewModel vm) {
        this.vm = vm;
        getStyleClass().addAll("panel", "cluster-panel");
        setId("panel-CLUSTERS");

        ComboBox<ClusteringInfo> choice = new ComboBox<>(vm.clusterings());
        choice.setId("clusterChoice");
        choice.setPromptText("Stored clusterings");
        choice.setConverter(new StringConverter<>() {
            @Override
            public String toString(ClusteringInfo c) {
                return c == null ? "" : c.name() + " · k = " + c.k() + " · " + WHEN.format(c.createdAt());
            }

            @Override
            public ClusteringInfo fromString(String s) {
                return null;
            }
        });
        choice.valueProperty().addListener((o, a, c) -> {
            if (!syncing && c != null && c != vm.selectedClusteringProperty().get()) {
                vm.selectedClusteringProperty().set(c);
            }
        });
        vm.selectedClusteringProperty().addListener((o, a, c) -> quietly(() -> choice.setValue(c)));
        Button refresh = new Button("Refresh");
        refresh.setId("clusterRefresh");
        refresh.setOnAction(e -> vm.refresh(null));
        Label choiceLabel = new Label("Clustering");
        choiceLabel.setMinWidth(Region.USE_PREF_SIZE);
        refresh.setMinWidth(Region.USE_PREF_SIZE);
        choice.setPrefWidth(240);
        VBox header = PanelHeader.of("Clusters", "", choiceLabel, choice, refresh);
        PanelHeader.subtitle(header).textProperty().bind(vm.messageProperty());
        PanelHeader.subtitle(header).setId("clusterMessage");

        ScrollPane controls = new ScrollPane(new ClusterControls(vm));
        controls.setFitToWidth(true);
        controls.setMinWidth(210);
        controls.setPrefWidth(230);

        TabPane right = new TabPane(new Tab("Clusters", new ClusterTable(vm)), new Tab("Split builder",
                scrolled(new SplitBuilder(vm))));
        right.setId("clusterTabs");
        right.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        right.setMinWidth(320);
        right.setPrefWidth(440);

        SplitPane main = new SplitPane(controls, centre(), right);
        main.setDividerPositions(0.2, 0.58);
        SplitPane.setResizableWithParent(controls, false);
        VBox.setVgrow(main, Priority.ALWAYS);
        getChildren().addAll(header, main);

        visibleProperty().addListener((o, a, v) -> activateIfShown());
        sceneProperty().addListener((o, a, v) -> activateIfShown());
    }

    private static ScrollPane scrolled(Region r) {
        ScrollPane s = new ScrollPane(r);
        s.setFitToWidth(true);
        s.setFitToHeight(true);
        r.setPadding(new Insets(8));
        return s;
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

    private VBox centre() {
        ChoiceBox<ColorMode> mode = new ChoiceBox<>();
        mode.getItems().setAll(ColorMode.values());
        mode.setId("clusterColorMode");
        mode.valueProperty().bindBidirectional(vm.colorModeProperty());
        ChoiceBox<Domain> domain = new ChoiceBox<>();
        domain.getItems().setAll(Domain.values());
        domain.setId("clusterColorDomain");
        domain.setConverter(new StringConverter<>() {
            @Override
            public String toString(Domain d) {
                return d == null ? "" : d.displayName();
            }

            @Override
            public Domain fromString(String s) {
                return null;
            }
        });
        domain.valueProperty().bindBidirectional(vm.colorDomainProperty());
        domain.visibleProperty().bind(vm.colorModeProperty().isEqualTo(ColorMode.LEVEL));
        domain.managedProperty().bind(domain.visibleProperty());
        ComboBox<SplitSetInfo> splitSet = new ComboBox<>(vm.splitSets());
        splitSet.setId("clusterSplitSet");
        splitSet.setButtonCell(new javafx.scene.control.ListCell<>() {
            @Override
            protected void updateItem(SplitSetInfo s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty || s == null ? "No split set" : s.name());
            }
        });
        Label previewNote = new Label("showing the unsaved preview");
        previewNote.setId("clusterPreviewNote");
        previewNote.getStyleClass().add("muted");
        previewNote.visibleProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(() -> {
            ClusterPicture p = vm.pictureProperty().get();
            return vm.colorModeProperty().get() == ColorMode.SPLIT && p != null && p.split() != null
                    && p.split().name().equals(SplitLayer.PREVIEW);
        }, vm.pictureProperty(), vm.colorModeProperty()));
        previewNote.managedProperty().bind(previewNote.visibleProperty());
        splitSet.valueProperty().bindBidirectional(vm.shownSplitSetProperty());
        splitSet.visibleProperty().bind(vm.colorModeProperty().isEqualTo(ColorMode.SPLIT));
        splitSet.managedProperty().bind(splitSet.visibleProperty());
        Button fit = new Button("Fit");
        fit.setId("clusterFit");
        fit.setTooltip(new Tooltip("Show everyone again (or double-click the plot)"));
        fit.setOnAction(e -> scatter.fit());
        Label hint = new Label("Drag to pan · wheel to zoom · click a point to open the person");
        hint.getStyleClass().add("muted");
        hint.setMinWidth(0);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Label colourBy = new Label("Colour by");
        colourBy.setMinWidth(Region.USE_PREF_SIZE);
        fit.setMinWidth(Region.USE_PREF_SIZE);
        mode.setMinWidth(80);
        domain.setMinWidth(80);
        splitSet.setMinWidth(80);
        HBox bar = new HBox(8, colourBy, mode, domain, splitSet, previewNote, spacer, fit);
        bar.setAlignment(Pos.CENTER_LEFT);

        scatter.setId("clusterScatter");
        scatter.setOnHover(vm::hover);
        scatter.setOnOpen(vm::open);
        vm.hoveredProperty().addListener((o, a, p) -> scatter.setHoverText(p == null ? null : p.describe()));
        vm.pictureProperty().addListener((o, a, p) -> {
            if (p == null) {
                scatter.setPoints(new float[0], new float[0], new int[0], null);
            } else {
                scatter.setPoints(p.x(), p.y(), p.labels(), p.index());
            }
        });
        vm.coloringProperty().addListener((o, a, c) -> scatter.setColors(c == null ? null : c.argb(),
                c == null ? null : c.order()));
        vm.highlightedClusterProperty().addListener((o, a, c) -> scatter.setHighlight(c.intValue()));
        VBox.setVgrow(scatter, Priority.ALWAYS);

        FlowPane legend = new FlowPane(12, 4);
        legend.setId("clusterLegend");
        legend.setPadding(new Insets(2, 0, 0, 0));
        vm.coloringProperty().addListener((o, a, c) -> {
            legend.getChildren().clear();
            if (c == null) {
                return;
            }
            for (Coloring.Entry e : c.legend()) {
                Rectangle swatch = new Rectangle(10, 10, Color.web(ClusterPalette.hex(e.argb())));
                Label l = new Label(e.label() + " (" + String.format("%,d", e.count()) + ")", swatch);
                l.getStyleClass().add("legend-entry");
                legend.getChildren().add(l);
            }
        });
        VBox box = new VBox(6, bar, scatter, legend, hint);
        box.setPadding(new Insets(4, 8, 8, 8));
        return box;
    }

    /** The scatter (for tests that hover and click at a known point). */
    public ScatterCanvas scatter() {
        return scatter;
    }
}
