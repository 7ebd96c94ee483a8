package org.personalab.ui.results;

import java.io.File;
import java.util.Locale;
import javafx.beans.property.SimpleStringProperty;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.personalab.eval.Comparison;
import org.personalab.eval.Estimate;
import org.personalab.eval.Metric;
import org.personalab.eval.ScaleMetric;
import org.personalab.eval.SummaryRow;
import org.personalab.inventory.Scale;
import org.personalab.service.AgentDrillDown;
import org.personalab.task.RunRecord;
import org.personalab.ui.PanelHeader;
import org.personalab.ui.PanelId;

/**
 * The results panel: a heatmap of the chosen evaluation (rows = the evaluated run, a compared run and the baselines;
 * columns = facets and domains), the summary with 95 % intervals, paired comparison of two runs, the drill-down into
 * one agent (its answers against its person's, both domain profiles, its spec), exports (PNG, SVG, CSV, HTML), and
 * "Simulate…" to start a new simulation run ({@link SimulateDialog}) that is then offered for evaluation.
 */
public final class ResultsView extends BorderPane {

    private final ResultsViewModel vm;
    private final HeatmapChart chart = new HeatmapChart();
    private SimulateDialog simulateDialog;

    public ResultsView(ResultsViewModel vm) {
        this.vm = vm;
        setId("panel-RESULTS");
        getStyleClass().add("results-panel");
        setTop(new VBox(PanelHeader.of(PanelId.RESULTS.title(), "Agents against their people: per-facet fidelity "
                + "with 95 % intervals, baselines beside every model."), controls()));

        Label hover = new Label();
        hover.setId("results-hover");
        hover.textProperty().bind(chart.hoverTextProperty());
        hover.getStyleClass().add("muted");
        hover.setWrapText(true);
        ScrollPane scroll = new ScrollPane(chart);
        scroll.setId("results-heatmap-scroll");
        scroll.setFitToWidth(false);
        VBox heat = new VBox(6, scroll, hover, summaryTable(), comparisonTable());
        VBox.setVgrow(scroll, Priority.ALWAYS);
        heat.setPadding(new Insets(6));

        SplitPane split = new SplitPane(heat, drillDown());
        split.setDividerPositions(0.66);
        setCenter(split);
        Label msg = new Label();
        msg.setId("results-message");
        msg.textProperty().bind(vm.messageProperty());
        msg.setPadding(new Insets(4, 8, 4, 8));
        setBottom(msg);

        chart.selectedRowProperty().addListener((o, a, r) -> vm.selectedRowProperty().set(r.intValue()));
        vm.selectedRowProperty().addListener((o, a, r) -> chart.selectedRowProperty().set(r == null ? -1 : r));
        vm.matrixProperty().addListener(o -> redraw());
        vm.rowOrder().addListener((javafx.collections.ListChangeListener<Integer>) c -> redraw());
        visibleProperty().addListener((o, a, v) -> activateIfShown());
        sceneProperty().addListener((o, a, v) -> activateIfShown());
    }

    private void activateIfShown() {
        if (isVisible() && getScene() != null) {
            vm.activate();
        }
    }

    public HeatmapChart chart() {
        return chart;
    }

    private void redraw() {
        var m = vm.matrixProperty().get();
        chart.show(m, vm.rowOrder(), m == null ? HeatScale.of(vm.metricProperty().get()) : HeatScale.of(m.metric()));
    }

    private VBox controls() {
        ComboBox<RunRecord> eval = new ComboBox<>(vm.evaluations());
        eval.setId("results-evaluation");
        eval.setPromptText("Evaluation");
        eval.valueProperty().bindBidirectional(vm.selectedEvaluationProperty());
        eval.setCellFactory(l -> new RunCell());
        eval.setButtonCell(new RunCell());
        eval.setPrefWidth(300);

        ComboBox<ScaleMetric> metric = new ComboBox<>();
        metric.setId("results-metric");
        metric.getItems().setAll(ScaleMetric.values());
        metric.valueProperty().bindBidirectional(vm.metricProperty());

        TextField filter = new TextField();
        filter.setId("results-filter");
        filter.setPromptText("Filter rows");
        filter.textProperty().bindBidirectional(vm.filterProperty());

        ComboBox<ResultsViewModel.Sort> sort = new ComboBox<>();
        sort.setId("results-sort");
        sort.getItems().setAll(ResultsViewModel.Sort.values());
        sort.valueProperty().bindBidirectional(vm.sortProperty());
        ComboBox<Scale> column = new ComboBox<>();
        column.setId("results-sort-column");
        column.getItems().setAll(Scale.values());
        column.valueProperty().bindBidirectional(vm.sortColumnProperty());
        column.disableProperty().bind(vm.sortProperty().isNotEqualTo(ResultsViewModel.Sort.COLUMN));
        CheckBox desc = new CheckBox("High first");
        desc.selectedProperty().bindBidirectional(vm.descendingProperty());
        desc.disableProperty().bind(column.disableProperty());
        CheckBox baselines = new CheckBox("Baselines");
        baselines.setId("results-baselines");
        baselines.selectedProperty().bindBidirectional(vm.showBaselinesProperty());

        Button png = new Button("PNG…");
        png.setOnAction(e -> savePng());
        Button svg = new Button("SVG…");
        svg.setOnAction(e -> choose("heatmap.svg", "SVG", "*.svg", f -> vm.exportSvg(f.toPath())));
        Button csv = new Button("CSV…");
        csv.setOnAction(e -> choose("heatmap.csv", "CSV", "*.csv", f -> vm.exportCsv(f.toPath())));
        Button report = new Button("HTML report…");
        report.setId("results-report");
        report.setOnAction(e -> choose("report.html", "HTML", "*.html", f -> vm.exportReport(f.toPath())));
        Button refresh = new Button("Refresh");
        refresh.setOnAction(e -> vm.refresh());
        HBox row1 = new HBox(8, new Label("Evaluation"), eval, new Label("Cells"), metric, filter, sort, column, desc,
                baselines);

        ComboBox<RunRecord> run = new ComboBox<>(vm.simulations());
        run.setId("results-run");
        run.valueProperty().bindBidirectional(vm.selectedSimulationProperty());
        run.setPromptText("Simulation run");
        run.setCellFactory(l -> new RunCell());
        run.setButtonCell(new RunCell());
        ComboBox<RunRecord> vs = new ComboBox<>(vm.simulations());
        vs.setId("results-vs");
        vs.setPromptText("compared with (optional)");
        vs.setCellFactory(l -> new RunCell());
        vs.setButtonCell(new RunCell());
        Button evaluate = new Button("Evaluate");
        evaluate.setId("results-evaluate");
        evaluate.disableProperty().bind(run.valueProperty().isNull().or(vm.busyProperty()));
        evaluate.setOnAction(e -> vm.evaluate(run.getValue(), vs.getValue()));
        Button simulate = new Button("Simulate…");
        simulate.setId("results-simulate");
        simulate.setTooltip(new javafx.scene.control.Tooltip("Let the agents of a spec run answer the questionnaire "
                + "(offline psychometric respondent or a chat model)"));
        simulate.setOnAction(e -> openSimulate());
        HBox row2 = new HBox(8, new Label("Simulation"), run, vs, evaluate, simulate, refresh, png, svg, csv, report);
        for (HBox h : new HBox[] {row1, row2}) {
            h.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        }
        VBox box = new VBox(6, row1, row2);
        box.setPadding(new Insets(6, 8, 6, 8));
        return box;
    }

    /** Opens the simulate dialog (one per panel; it keeps its choices and a running simulation between openings). */
    private void openSimulate() {
        if (simulateDialog == null) {
            simulateDialog = new SimulateDialog(getScene() == null ? null : getScene().getWindow(), vm);
        } else {
            vm.simulate().refresh();
        }
        if (simulateDialog.isShowing()) {
            simulateDialog.getDialogPane().getScene().getWindow().requestFocus();
        } else {
            simulateDialog.show();
        }
    }

    private TableView<SummaryRow> summaryTable() {
        TableView<SummaryRow> t = new TableView<>(vm.summary());
        t.setId("results-summary");
        t.setPrefHeight(190);
        TableColumn<SummaryRow, String> src = new TableColumn<>("Source");
        src.setCellValueFactory(c -> new SimpleStringProperty(c.getValue().label()));
        src.setPrefWidth(230);
        TableColumn<SummaryRow, String> n = new TableColumn<>("Agents");
        n.setCellValueFactory(c -> new SimpleStringProperty(Integer.toString(c.getValue().agents())));
        t.getColumns().add(src);
        t.getColumns().add(n);
        for (Metric m : new Metric[] {Metric.EXACT_ACCURACY, Metric.WITHIN_ONE_ACCURACY, Metric.MAD,
            Metric.FACET_LEVEL_AGREEMENT, Metric.DOMAIN_LEVEL_AGREEMENT, Metric.MISSING_RATE}) {
            TableColumn<SummaryRow, String> col = new TableColumn<>(m.column().replace('_', ' '));
            col.setCellValueFactory(c -> new SimpleStringProperty(ci(c.getValue().get(m))));
            col.setPrefWidth(150);
            t.getColumns().add(col);
        }
        t.setPlaceholder(new Label("No evaluation chosen."));
        return t;
    }

    private TableView<Comparison> comparisonTable() {
        TableView<Comparison> t = new TableView<>(vm.comparisons());
        t.setId("results-comparisons");
        t.setPrefHeight(140);
        t.getColumns().add(col("Compared", c -> c.a() + " − " + c.b(), 210));
        t.getColumns().add(col("Metric", c -> c.metric().column(), 150));
        t.getColumns().add(col("Pairs", c -> Integer.toString(c.result().n()), 60));
        t.getColumns().add(col("Mean difference [95 % CI]", c -> ci(c.result().difference()), 190));
        t.getColumns().add(col("Permutation p", c -> p(c.result().permutationP()), 110));
        t.getColumns().add(col("Wilcoxon p", c -> p(c.result().wilcoxonP()), 100));
        t.getColumns().add(col("d_z", c -> String.format(Locale.ROOT, "%.2f", c.result().cohensDz()), 60));
        t.getColumns().add(col("Favours", Comparison::favours, 120));
        t.setPlaceholder(new Label("Evaluate a run against another run to compare them agent by agent."));
        return t;
    }

    private VBox drillDown() {
        TableView<AgentDrillDown.AgentRow> agents = new TableView<>(vm.agents());
        agents.setId("results-agents");
        agents.getColumns().add(acol("Person", AgentDrillDown.AgentRow::personId));
        agents.getColumns().add(acol("Exact", a -> f3(a.exact())));
        agents.getColumns().add(acol("±1", a -> f3(a.withinOne())));
        agents.getColumns().add(acol("MAD", a -> f3(a.mad())));
        agents.getColumns().add(acol("Facet levels", a -> f3(a.facetLevelAgreement())));
        agents.setPlaceholder(new Label("Click a run's row in the heatmap to list its agents."));
        agents.getSelectionModel().selectedItemProperty().addListener((o, a, r) -> vm.selectedAgentProperty().set(r));
        agents.setPrefHeight(220);

        TableView<AgentDrillDown.ItemRow> items = new TableView<>();
        items.setId("results-items");
        items.getColumns().add(icol("#", i -> Integer.toString(i.number()), 40));
        items.getColumns().add(icol("Key", AgentDrillDown.ItemRow::keying, 36));
        items.getColumns().add(icol("Statement", AgentDrillDown.ItemRow::text, 220));
        items.getColumns().add(icol("Person", i -> answer(i.person()), 60));
        items.getColumns().add(icol("Agent", i -> answer(i.agent()), 60));
        items.getColumns().add(icol("", i -> i.person() == 0 || i.agent() == 0 ? "" : i.same() ? "=" : "Δ"
                + Math.abs(i.person() - i.agent()), 36));
        AgentRadar radar = new AgentRadar();
        TextArea spec = new TextArea();
        spec.setId("results-spec");
        spec.setEditable(false);
        spec.setWrapText(true);
        vm.detailProperty().addListener((o, a, d) -> {
            items.getItems().setAll(d == null ? java.util.List.of() : d.items());
            radar.show(d == null ? null : d.personDomains(), d == null ? null : d.agentDomains());
            spec.setText(d == null ? "" : d.specDocument());
        });
        TabPane tabs = new TabPane(new Tab("Answers", items), new Tab("Profile", radar), new Tab("Spec", spec));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        SplitPane s = new SplitPane(agents, tabs);
        s.setOrientation(Orientation.VERTICAL);
        VBox box = new VBox(4, new Label("Agents of the selected run"), s);
        VBox.setVgrow(s, Priority.ALWAYS);
        box.setPadding(new Insets(6));
        return box;
    }

    private void savePng() {
        if (vm.matrixProperty().get() == null) {
            return;
        }
        WritableImage img = chart.snapshot(null, null); // rendering: the FX thread's job
        choose("heatmap.png", "PNG", "*.png", f -> {
            var buffered = toBuffered(img);
            Thread t = new Thread(() -> {
                try {
                    javax.imageio.ImageIO.write(buffered, "png", f);
                    javafx.application.Platform.runLater(() -> vm.messageProperty().set("Wrote " + f));
                } catch (java.io.IOException e) {
                    javafx.application.Platform.runLater(() -> vm.messageProperty().set("Could not write " + f
                            + ": " + e.getMessage()));
                }
            }, "personalab-png-export");
            t.setDaemon(true);
            t.start();
        });
    }

    /** The snapshot's pixels as an AWT image for ImageIO (no javafx-swing needed). */
    static java.awt.image.BufferedImage toBuffered(WritableImage img) {
        int w = (int) img.getWidth();
        int h = (int) img.getHeight();
        int[] argb = new int[w * h];
        img.getPixelReader().getPixels(0, 0, w, h, javafx.scene.image.PixelFormat.getIntArgbInstance(), argb, 0, w);
        var out = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_ARGB);
        out.setRGB(0, 0, w, h, argb, 0, w);
        return out;
    }

    private void choose(String name, String what, String glob, java.util.function.Consumer<File> then) {
        FileChooser fc = new FileChooser();
        fc.setInitialFileName(name);
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(what, glob));
        File f = fc.showSaveDialog(getScene() == null ? null : getScene().getWindow());
        if (f != null) {
            then.accept(f);
        }
    }

    private static String ci(Estimate e) {
        if (e == null || Double.isNaN(e.mean())) {
            return "–";
        }
        return e.hasInterval() ? String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", e.mean(), e.low(), e.high())
                : String.format(Locale.ROOT, "%.3f", e.mean());
    }

    private static String p(double p) {
        return Double.isNaN(p) ? "–" : p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
    }

    private static String f3(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String answer(int raw) {
        return raw <= 0 ? "–" : Character.toString('A' + (5 - raw)) + " (" + raw + ")";
    }

    private static TableColumn<Comparison, String> col(String title,
            java.util.function.Function<Comparison, String> f, double w) {
        TableColumn<Comparison, String> c = new TableColumn<>(title);
        c.setCellValueFactory(x -> new SimpleStringProperty(f.apply(x.getValue())));
        c.setPrefWidth(w);
        return c;
    }

    private static TableColumn<AgentDrillDown.AgentRow, String> acol(String title,
            java.util.function.Function<AgentDrillDown.AgentRow, String> f) {
        TableColumn<AgentDrillDown.AgentRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(x -> new SimpleStringProperty(f.apply(x.getValue())));
        return c;
    }

    private static TableColumn<AgentDrillDown.ItemRow, String> icol(String title,
            java.util.function.Function<AgentDrillDown.ItemRow, String> f, double w) {
        TableColumn<AgentDrillDown.ItemRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(x -> new SimpleStringProperty(f.apply(x.getValue())));
        c.setPrefWidth(w);
        return c;
    }

    private static final class RunCell extends ListCell<RunRecord> {
        @Override
        protected void updateItem(RunRecord r, boolean empty) {
            super.updateItem(r, empty);
            setText(empty || r == null ? null : r.id() + " · " + r.title());
        }
    }
}
