package org.personalab.ui.browser;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.personalab.inventory.Level;
import org.personalab.profile.NormGroup;
import org.personalab.inventory.Scale;

/** Pick any domain or facet and a norm group; see the exact score histogram with the level cut points. */
public final class DistributionView extends VBox {

    private final HistogramChart chart = new HistogramChart();
    private final Label info = new Label();

    public DistributionView(DistributionViewModel vm, DatasetBrowserViewModel browser) {
        setId("distributionView");
        getStyleClass().add("distribution-view");
        setPadding(new Insets(10, 12, 8, 12));
        setSpacing(8);
        ComboBox<Scale> scale = new ComboBox<>(FilterBar.scalesDomainsFirst());
        scale.setId("distributionScale");
        scale.setConverter(FilterBar.SCALE_NAMES);
        scale.valueProperty().bindBidirectional(vm.scaleProperty());
        scale.setVisibleRowCount(16);
        ComboBox<NormGroup> group = new ComboBox<>(vm.groups());
        group.setId("distributionGroup");
        group.valueProperty().bindBidirectional(vm.groupProperty());
        group.setConverter(new StringConverter<>() {
            @Override
            public String toString(NormGroup g) {
                if (g == null) {
                    return "";
                }
                var d = browser.data();
                var n = d == null ? null : d.norms().norms(g);
                return g.label() + (n == null ? "" : " (" + String.format("%,d", n.people()) + ")");
            }

            @Override
            public NormGroup fromString(String s) {
                return null;
            }
        });
        group.setVisibleRowCount(16);
        info.getStyleClass().add("muted");
        info.setWrapText(true);
        info.setId("distributionInfo");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Label scaleLabel = new Label("Scale");
        Label groupLabel = new Label("Norm group");
        for (Label l : new Label[] {scaleLabel, groupLabel}) {
            l.setMinWidth(Region.USE_PREF_SIZE);
            l.getStyleClass().add("muted");
        }
        HBox controls = new HBox(8, scaleLabel, scale, groupLabel, group, spacer, legend());
        controls.setAlignment(Pos.CENTER_LEFT);
        VBox.setVgrow(chart, Priority.ALWAYS);
        getChildren().addAll(controls, info, chart);
        vm.histogramProperty().addListener((o, a, h) -> show(h, browser));
        vm.markerProperty().addListener((o, a, m) -> chart.setMarker(m.doubleValue()));
        show(vm.histogramProperty().get(), browser);
    }

    private void show(Histogram h, DatasetBrowserViewModel browser) {
        var d = browser.data();
        chart.setHistogram(h, d == null ? null : d.norms().spec().cutPoints());
        if (h == null) {
            info.setText("Load a dataset to see its score distributions.");
            return;
        }
        info.setText(h.scale().displayName() + " in " + h.group().label() + ": " + String.format("%,d", h.n())
                + " scores, mean " + String.format("%.2f", h.mean()) + "; cut points "
                + String.format("%.2f · %.2f · %.2f · %.2f", h.cuts()[0], h.cuts()[1], h.cuts()[2], h.cuts()[3])
                + " separate the five levels."
                + (h.values().length > HistogramChart.MAX_BARS ? " Bars group scores in steps of 1/12." : ""));
    }

    private static HBox legend() {
        HBox box = new HBox(6);
        box.setAlignment(Pos.CENTER_RIGHT);
        for (Level l : Level.values()) {
            box.getChildren().add(RespondentDetailView.chip(l));
        }
        return box;
    }

    public HistogramChart chart() {
        return chart;
    }
}
