package org.personalab.ui.clusters;

import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.shape.Rectangle;
import javafx.scene.paint.Color;
import org.personalab.inventory.Domain;

/**
 * The table of clusters: colour and number, people, share of everyone, mean score of each domain and a small radar
 * of the five means. Selecting a row highlights that cluster in the scatter.
 */
public final class ClusterTable extends TableView<ClusterSummary> {

    public ClusterTable(ClusterViewModel vm) {
        super(vm.clusters());
        setId("clusterTable");
        setPlaceholder(new Label("No clustering shown"));
        setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        setFixedCellSize(50);

        TableColumn<ClusterSummary, ClusterSummary> id = new TableColumn<>("Cluster");
        id.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        id.setCellFactory(col -> new TableCell<>() {
            private final Rectangle swatch = new Rectangle(12, 12);
            private final Label text = new Label();
            private final HBox box = new HBox(6, swatch, text);

            {
                box.setAlignment(Pos.CENTER_LEFT);
            }

            @Override
            protected void updateItem(ClusterSummary s, boolean empty) {
                super.updateItem(s, empty);
                if (empty || s == null) {
                    setGraphic(null);
                } else {
                    int c = ClusterPalette.cluster(s.cluster());
                    swatch.setFill(Color.web(ClusterPalette.hex(c)));
                    text.setText(Integer.toString(s.cluster()));
                    setGraphic(box);
                }
            }
        });
        id.setComparator((a, b) -> Integer.compare(a.cluster(), b.cluster()));
        id.setPrefWidth(62);

        TableColumn<ClusterSummary, ClusterSummary> size = new TableColumn<>("People");
        size.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        size.setComparator((a, b) -> Integer.compare(a.size(), b.size()));
        size.setCellFactory(col -> {
            TableCell<ClusterSummary, ClusterSummary> cell = new TableCell<>() {
                @Override
                protected void updateItem(ClusterSummary s, boolean empty) {
                    super.updateItem(s, empty);
                    setText(empty || s == null ? null
                            : String.format("%,d · %.1f %%", s.size(), 100 * s.share()));
                }
            };
            cell.setAlignment(Pos.CENTER_RIGHT);
            return cell;
        });
        size.setPrefWidth(96);
        getColumns().add(id);
        getColumns().add(size);
        for (Domain d : Domain.values()) {
            TableColumn<ClusterSummary, Number> m = new TableColumn<>(d.name());
            m.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().mean(d)));
            m.setCellFactory(col -> numberCell(v -> String.format("%.2f", v.doubleValue())));
            m.setPrefWidth(40);
            Label head = new Label(d.name());
            head.setTooltip(new Tooltip("Mean " + d.displayName() + " score (1–5)"));
            m.setText("");
            m.setGraphic(head);
            getColumns().add(m);
        }
        TableColumn<ClusterSummary, ClusterSummary> radar = new TableColumn<>("Profile");
        radar.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        radar.setSortable(false);
        radar.setCellFactory(col -> new TableCell<>() {
            private final ClusterRadar chart = new ClusterRadar(44);

            @Override
            protected void updateItem(ClusterSummary s, boolean empty) {
                super.updateItem(s, empty);
                if (empty || s == null) {
                    setGraphic(null);
                } else {
                    chart.show(s.domainMeans(), ClusterPalette.cluster(s.cluster()));
                    setGraphic(chart);
                }
            }
        });
        radar.setPrefWidth(56);
        getColumns().add(radar);

        getSelectionModel().selectedItemProperty().addListener((o, a, s) ->
                vm.highlightedClusterProperty().set(s == null ? -1 : s.cluster()));
        vm.highlightedClusterProperty().addListener((o, a, c) -> {
            ClusterSummary sel = getSelectionModel().getSelectedItem();
            if (c.intValue() < 0 && sel != null) {
                getSelectionModel().clearSelection();
            }
        });
    }

    private static TableCell<ClusterSummary, Number> numberCell(Function<Number, String> format) {
        TableCell<ClusterSummary, Number> cell = new TableCell<>() {
            @Override
            protected void updateItem(Number v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : Double.isNaN(v.doubleValue()) ? "–" : format.apply(v));
            }
        };
        cell.setAlignment(Pos.CENTER_RIGHT);
        cell.getStyleClass().add("numeric");
        return cell;
    }
}
