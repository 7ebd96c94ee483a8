package org.personalab.ui.browser;

import javafx.beans.binding.Bindings;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.personalab.data.DatasetInfo;
import org.personalab.ui.PanelHeader;

/**
 * The dataset browser panel: datasets on the left, the filtered respondent table in the middle, and below it the
 * selected respondent's detail and the distribution view.
 */
public final class DatasetBrowserView extends VBox {

    private final DatasetBrowserViewModel vm;
    private final RespondentTable table;
    private final TabPane lower = new TabPane();
    private final Tab respondentTab;

    public DatasetBrowserView(DatasetBrowserViewModel vm) {
        this.vm = vm;
        setId("panel-BROWSER");
        getStyleClass().add("panel");
        Button importButton = new Button("Import…");
        importButton.setId("importButton");
        importButton.getStyleClass().add("accent-button");
        importButton.setOnAction(e -> showImportDialog());
        importButton.disableProperty().bind(vm.workspaceOpen().not());
        Region gap = new Region();
        gap.setMinWidth(12);
        VBox header = PanelHeader.of("Dataset browser", "", FilterBar.findBox(vm), gap, importButton);
        PanelHeader.subtitle(header).textProperty().bind(Bindings.createStringBinding(() -> {
            DatasetInfo d = vm.selectedDatasetProperty().get();
            return d == null ? "No dataset selected" : d.name() + " · " + DatasetListCell.facts(d);
        }, vm.selectedDatasetProperty()));

        ListView<DatasetInfo> list = new ListView<>(vm.datasets());
        list.setId("datasetList");
        list.setCellFactory(v -> new DatasetListCell());
        list.setPlaceholder(new Label("No datasets yet.\nUse Import… to add one."));
        list.getSelectionModel().selectedItemProperty().addListener((o, a, d) -> {
            if (d != null && d != vm.selectedDatasetProperty().get()) {
                vm.selectedDatasetProperty().set(d);
            }
        });
        vm.selectedDatasetProperty().addListener((o, a, d) -> {
            if (d != list.getSelectionModel().getSelectedItem()) {
                list.getSelectionModel().select(d);
            }
        });
        Label provenance = new Label();
        provenance.setId("datasetProvenance");
        provenance.getStyleClass().addAll("muted", "provenance");
        provenance.setWrapText(true);
        provenance.textProperty().bind(Bindings.createStringBinding(() -> {
            DatasetInfo d = vm.selectedDatasetProperty().get();
            return d == null || d.provenance() == null ? "" : d.provenance();
        }, vm.selectedDatasetProperty()));
        Label listTitle = new Label("Datasets");
        listTitle.getStyleClass().add("section-title");
        VBox.setVgrow(list, Priority.ALWAYS);
        VBox datasets = new VBox(6, listTitle, list, provenance);
        datasets.getStyleClass().add("side-column");
        datasets.setMinWidth(180);

        table = new RespondentTable(vm);
        VBox.setVgrow(table, Priority.ALWAYS);
        FilterBar filters = new FilterBar(vm);
        VBox tableArea = new VBox(filters, table, footer());
        tableArea.getStyleClass().add("table-area");

        RespondentDetailView detail = new RespondentDetailView(vm.detail());
        DistributionView distribution = new DistributionView(vm.distribution(), vm);
        respondentTab = new Tab("Respondent", detail);
        respondentTab.setId("respondentTab");
        Tab distributionTab = new Tab("Distribution", distribution);
        distributionTab.setId("distributionTab");
        lower.getTabs().addAll(respondentTab, distributionTab);
        lower.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        lower.setId("lowerTabs");

        SplitPane center = new SplitPane(tableArea, lower);
        center.setOrientation(Orientation.VERTICAL);
        center.setDividerPositions(0.44);
        SplitPane main = new SplitPane(datasets, center);
        main.setDividerPositions(0.17);
        SplitPane.setResizableWithParent(datasets, false);
        VBox.setVgrow(main, Priority.ALWAYS);
        getChildren().addAll(header, main);

        wireSelection();
        vm.importFailureProperty().addListener((o, a, f) -> {
            if (f != null) {
                new ImportProblemsDialog(getScene() == null ? null : getScene().getWindow(), f).show();
                vm.importFailureProperty().set(null);
            }
        });
    }

    private HBox footer() {
        Label summary = new Label();
        summary.setId("rowSummary");
        summary.textProperty().bind(vm.summaryProperty());
        ProgressIndicator busy = new ProgressIndicator();
        busy.setId("browserBusy");
        busy.setPrefSize(16, 16);
        busy.visibleProperty().bind(vm.busyProperty());
        Label message = new Label();
        message.setId("browserMessage");
        message.getStyleClass().add("muted");
        message.textProperty().bind(vm.messageProperty());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox f = new HBox(8, summary, busy, spacer, message);
        f.setAlignment(Pos.CENTER_LEFT);
        f.getStyleClass().add("table-footer");
        return f;
    }

    private void wireSelection() {
        var sel = table.getSelectionModel();
        sel.selectedIndexProperty().addListener((o, a, i) -> {
            int idx = i.intValue();
            if (idx >= 0 && idx < vm.rows().size()) {
                vm.selectedRowProperty().set(vm.rows().rowAt(idx));
            }
        });
        vm.focusProperty().addListener((o, a, f) -> {
            if (f != null && f.position() < table.getItems().size()) {
                sel.clearAndSelect(f.position());
                table.scrollTo(Math.max(0, f.position() - 3));
                if (f.takeFocus()) {
                    table.requestFocus();
                }
            }
        });
        table.setRowFactory(t -> {
            var row = new javafx.scene.control.TableRow<Integer>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    openRespondent();
                }
            });
            return row;
        });
        table.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                openRespondent();
            }
        });
    }

    /** Brings the respondent detail to the front. */
    public void openRespondent() {
        lower.getSelectionModel().select(respondentTab);
    }

    /** Opens the import dialog (also reachable from the Workspace menu). */
    public void showImportDialog() {
        new ImportDialog(getScene() == null ? null : getScene().getWindow(), vm.datasetNames(), vm::importFile)
                .show();
    }

    public javafx.scene.control.TableView<Integer> table() {
        return table;
    }
}
