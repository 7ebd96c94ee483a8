package org.personalab.ui.results;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.personalab.eval.Comparison;
import org.personalab.eval.Estimate;
import org.personalab.eval.ScaleMatrix;
import org.personalab.eval.ScaleMetric;
import org.personalab.eval.SummaryRow;
import org.personalab.inventory.Scale;
import org.personalab.service.AgentDrillDown;
import org.personalab.service.EvaluationService;
import org.personalab.service.ExperimentReport;
import org.personalab.service.SimulationService;
import org.personalab.store.Workspace;
import org.personalab.task.Failures;
import org.personalab.task.RunRecord;
import org.personalab.ui.WorkbenchContext;

/**
 * The results panel's state: the evaluation runs of the workspace, the chosen one's heatmaps (one per
 * {@link ScaleMetric}) and summary, the row order after filter and sort, the drill-down into one agent, paired
 * comparisons and exports, and starting a new simulation ({@link SimulateViewModel}: when it succeeds it is listed,
 * chosen and offered for evaluation). Every read, evaluation and file write is a background task; only the latest
 * request of each kind updates the view (a generation counter discards late answers).
 */
public final class ResultsViewModel {

    /** How rows are ordered. */
    public enum Sort {
        TABLE("As evaluated"), LABEL("By name"), COLUMN("By the chosen column");

        private final String label;

        Sort(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final WorkbenchContext ctx;
    private final ObservableList<RunRecord> evaluations = FXCollections.observableArrayList();
    private final ObservableList<RunRecord> simulations = FXCollections.observableArrayList();
    private final ObjectProperty<RunRecord> selectedEvaluation = new SimpleObjectProperty<>(this, "evaluation");
    private final ObjectProperty<RunRecord> selectedSimulation = new SimpleObjectProperty<>(this, "simulation");
    private final SimulateViewModel simulate;
    private final ObjectProperty<ScaleMetric> metric = new SimpleObjectProperty<>(this, "metric",
            ScaleMetric.LEVEL_AGREEMENT);
    private final StringProperty filter = new SimpleStringProperty(this, "filter", "");
    private final ObjectProperty<Sort> sort = new SimpleObjectProperty<>(this, "sort", Sort.TABLE);
    private final ObjectProperty<Scale> sortColumn = new SimpleObjectProperty<>(this, "sortColumn", Scale.N);
    private final BooleanProperty descending = new SimpleBooleanProperty(this, "descending", true);
    private final BooleanProperty showBaselines = new SimpleBooleanProperty(this, "showBaselines", true);
    private final ReadOnlyObjectWrapper<ScaleMatrix> matrix = new ReadOnlyObjectWrapper<>(this, "matrix");
    private final ObservableList<Integer> rowOrder = FXCollections.observableArrayList();
    private final ObservableList<SummaryRow> summary = FXCollections.observableArrayList();
    private final ObjectProperty<Integer> selectedRow = new SimpleObjectProperty<>(this, "selectedRow", -1);
    private final ObservableList<AgentDrillDown.AgentRow> agents = FXCollections.observableArrayList();
    private final ObjectProperty<AgentDrillDown.AgentRow> selectedAgent = new SimpleObjectProperty<>(this, "agent");
    private final ReadOnlyObjectWrapper<AgentDrillDown.AgentDetail> detail = new ReadOnlyObjectWrapper<>(this,
            "detail");
    private final ObservableList<Comparison> comparisons = FXCollections.observableArrayList();
    private final StringProperty message = new SimpleStringProperty(this, "message", "");
    private final BooleanProperty busy = new SimpleBooleanProperty(this, "busy", false);

    private Map<ScaleMetric, ScaleMatrix> matrices = Map.of();
    private AgentDrillDown drill;
    private long listGeneration;
    private long loadGeneration;
    private long drillGeneration;
    private long detailGeneration;
    private boolean active;

    public ResultsViewModel(WorkbenchContext ctx) {
        this.ctx = ctx;
        this.simulate = new SimulateViewModel(ctx, this::simulated);
        selectedEvaluation.addListener((o, a, r) -> load(r));
        metric.addListener((o, a, m) -> showMatrix());
        filter.addListener((o, a, f) -> reorder());
        sort.addListener((o, a, s) -> reorder());
        sortColumn.addListener((o, a, s) -> reorder());
        descending.addListener((o, a, s) -> reorder());
        showBaselines.addListener((o, a, s) -> reorder());
        selectedRow.addListener((o, a, r) -> openRow(r == null ? -1 : r));
        selectedAgent.addListener((o, a, r) -> openAgent(r));
        ctx.workspaceProperty().addListener((o, a, ws) -> {
            evaluations.clear();
            simulations.clear();
            selectedEvaluation.set(null);
            selectedSimulation.set(null);
            if (ws != null && active) {
                refresh();
            }
        });
    }

    /** Starts reading when the panel is first shown. */
    public void activate() {
        if (!active) {
            active = true;
            refresh();
        }
    }

    /** Lists the evaluation and simulation runs again, keeping the chosen evaluation when it still exists. */
    public void refresh() {
        refresh(-1, -1);
    }

    /** A simulation started here succeeded: list it and choose it, ready to evaluate. */
    private void simulated(RunRecord run) {
        refresh(-1, run.id());
    }

    private void refresh(long select, long selectSimulation) {
        Workspace ws = ctx.workspace();
        if (ws == null) {
            return;
        }
        long gen = ++listGeneration;
        ctx.submit("List evaluations", c -> ws.read(tx -> tx.runs().list()), list -> {
            if (gen != listGeneration || ws != ctx.workspace()) {
                return;
            }
            List<RunRecord> evals = list.stream().filter(r -> r.kind().equals(EvaluationService.RUN_KIND)
                    && RunRecord.SUCCEEDED.equals(r.status())).toList();
            simulations.setAll(list.stream().filter(r -> r.kind().equals(SimulationService.RUN_KIND)).toList());
            RunRecord curSim = selectedSimulation.get();
            long wantSim = selectSimulation > 0 ? selectSimulation : curSim == null ? -1 : curSim.id();
            selectedSimulation.set(simulations.stream().filter(r -> r.id() == wantSim).findFirst().orElse(null));
            evaluations.setAll(evals);
            RunRecord cur = selectedEvaluation.get();
            long want = select > 0 ? select : cur == null ? -1 : cur.id();
            RunRecord pick = evals.stream().filter(r -> r.id() == want).findFirst()
                    .orElse(evals.isEmpty() ? null : evals.get(0));
            if (evals.isEmpty() && selectSimulation <= 0) {
                message.set(simulations.isEmpty() ? "No results yet: simulate agents (Simulate… or personalab "
                        + "simulate) and evaluate them here or with personalab evaluate."
                        : "No evaluation yet: choose a simulation run and press Evaluate.");
            }
            if (pick != null && cur != null && pick.id() == cur.id()) {
                if (selectSimulation <= 0) {
                    load(pick);
                }
            } else {
                selectedEvaluation.set(pick);
            }
            RunRecord sim = selectedSimulation.get();
            if (selectSimulation > 0 && sim != null && sim.id() == selectSimulation) {
                message.set("Run " + sim.id() + " is ready: press Evaluate to score it against its people ("
                        + sim.title() + ").");
            }
        }, e -> message.set("Could not list the runs: " + Failures.describe(e)));
    }

    private void load(RunRecord eval) {
        long gen = ++loadGeneration;
        matrices = Map.of();
        matrix.set(null);
        summary.clear();
        rowOrder.clear();
        selectedRow.set(-1);
        if (eval == null) {
            return;
        }
        Workspace ws = ctx.workspace();
        busy.set(true);
        record Loaded(Map<ScaleMetric, ScaleMatrix> maps, List<SummaryRow> summary) {
        }
        ctx.submit("Load evaluation " + eval.id(), c -> {
            EvaluationService svc = new EvaluationService(ws);
            Map<ScaleMetric, ScaleMatrix> maps = new EnumMap<>(ScaleMetric.class);
            for (ScaleMetric m : ScaleMetric.values()) {
                maps.put(m, svc.heatmap(eval.id(), m));
            }
            return new Loaded(maps, svc.summary(eval.id()));
        }, l -> {
            if (gen != loadGeneration) {
                return;
            }
            busy.set(false);
            matrices = l.maps();
            summary.setAll(l.summary());
            message.set(eval.title());
            showMatrix();
            // open the evaluated run's agents right away
            ScaleMatrix m = matrix.get();
            if (m != null && m.rows() > 0 && m.keys().get(0).startsWith("run:")) {
                selectedRow.set(0);
            }
        }, e -> {
            if (gen == loadGeneration) {
                busy.set(false);
                message.set("Could not load evaluation " + eval.id() + ": " + Failures.describe(e));
            }
        });
    }

    private void showMatrix() {
        matrix.set(matrices.get(metric.get()));
        reorder();
    }

    /** Recomputes the visible rows: filter (case-insensitive, on the label), baselines on/off, then sort. */
    void reorder() {
        ScaleMatrix m = matrix.get();
        if (m == null) {
            rowOrder.clear();
            return;
        }
        String f = filter.get() == null ? "" : filter.get().strip().toLowerCase(Locale.ROOT);
        List<Integer> rows = new ArrayList<>();
        for (int r = 0; r < m.rows(); r++) {
            boolean baseline = m.keys().get(r).startsWith("baseline:");
            if (baseline && !showBaselines.get()) {
                continue;
            }
            if (!f.isEmpty() && !m.labels().get(r).toLowerCase(Locale.ROOT).contains(f)) {
                continue;
            }
            rows.add(r);
        }
        switch (sort.get()) {
            case LABEL -> rows.sort(Comparator.comparing(r -> m.labels().get(r).toLowerCase(Locale.ROOT)));
            case COLUMN -> {
                int col = m.columns().indexOf(sortColumn.get());
                if (col >= 0) {
                    Comparator<Integer> byValue = Comparator.comparingDouble(r -> sortValue(m.cells()[r][col]));
                    rows.sort(descending.get() ? byValue.reversed() : byValue);
                    // rows without data last, whichever the direction
                    rows.sort(Comparator.comparing(r -> Double.isNaN(sortValue(m.cells()[r][col]))));
                }
            }
            case TABLE -> {
            }
        }
        rowOrder.setAll(rows);
    }

    private static double sortValue(Estimate e) {
        return e == null ? Double.NaN : e.mean();
    }

    private void openRow(int row) {
        long gen = ++drillGeneration;
        agents.clear();
        selectedAgent.set(null);
        drill = null;
        ScaleMatrix m = matrix.get();
        if (m == null || row < 0 || row >= m.rows() || !m.keys().get(row).startsWith("run:")) {
            return;
        }
        long sim = Long.parseLong(m.keys().get(row).substring(4));
        Workspace ws = ctx.workspace();
        var datasets = ctx.datasetService();
        ctx.submit("Open agents of run " + sim, c -> AgentDrillDown.open(ws, datasets, sim, c), d -> {
            if (gen != drillGeneration) {
                return;
            }
            drill = d;
            agents.setAll(d.agents());
        }, e -> message.set("Could not open the agents of run " + sim + ": " + Failures.describe(e)));
    }

    private void openAgent(AgentDrillDown.AgentRow a) {
        long gen = ++detailGeneration;
        detail.set(null);
        AgentDrillDown d = drill;
        if (a == null || d == null) {
            return;
        }
        ctx.submit("Open agent of " + a.personId(), c -> d.detail(a.specId()), x -> {
            if (gen == detailGeneration) {
                detail.set(x);
            }
        }, e -> message.set("Could not open the agent of " + a.personId() + ": " + Failures.describe(e)));
    }

    /**
     * Evaluates a simulation run, compared agent by agent with {@code vs} when it is not null (paired permutation
     * and Wilcoxon tests with effect sizes); the new evaluation is then shown.
     */
    public void evaluate(RunRecord run, RunRecord vs) {
        if (run == null) {
            message.set("Choose a simulation run to evaluate.");
            return;
        }
        if (vs != null && vs.id() == run.id()) {
            message.set("Compare a run with a different run.");
            return;
        }
        Workspace ws = ctx.workspace();
        var datasets = ctx.datasetService();
        busy.set(true);
        message.set("Evaluating run " + run.id() + (vs == null ? "" : " against run " + vs.id()) + " …");
        ctx.submit("Evaluate run " + run.id() + (vs == null ? "" : " vs " + vs.id()),
                c -> new EvaluationService(ws, datasets).evaluate(
                        EvaluationService.Request.of(run.id(), vs == null ? 0 : vs.id()), c), o -> {
                            busy.set(false);
                            comparisons.setAll(o.comparisons());
                            refresh(o.runId(), -1);
                        }, e -> {
                            busy.set(false);
                            message.set("Evaluation failed: " + Failures.describe(e));
                        });
    }

    /** Writes the visible heatmap as CSV. */
    public void exportCsv(Path out) {
        ScaleMatrix m = matrix.get();
        List<Integer> order = List.copyOf(rowOrder);
        writeText("Export heatmap CSV", out, () -> HeatmapFormat.csv(m, order));
    }

    /** Writes the visible heatmap as SVG. */
    public void exportSvg(Path out) {
        ScaleMatrix m = matrix.get();
        List<Integer> order = List.copyOf(rowOrder);
        writeText("Export heatmap SVG", out, () -> HeatmapFormat.svg(m, order, HeatScale.of(m.metric())));
    }

    /** Writes the one-page HTML report of the chosen evaluation with the visible heatmap. */
    public void exportReport(Path out) {
        RunRecord eval = selectedEvaluation.get();
        ScaleMatrix m = matrix.get();
        if (eval == null || m == null) {
            message.set("Nothing to report: choose an evaluation first.");
            return;
        }
        List<Integer> order = List.copyOf(rowOrder);
        Workspace ws = ctx.workspace();
        ctx.submit("Write report " + out.getFileName(), c -> {
            Map<String, String> figs = ExperimentReport.figures();
            figs.put("Heatmap: " + m.metric().key(), HeatmapFormat.svg(m, order, HeatScale.of(m.metric())));
            ExperimentReport.write(ws, eval.id(), figs, out);
            return out;
        }, p -> message.set("Wrote " + p), e -> message.set("Could not write the report: " + Failures.describe(e)));
    }

    private void writeText(String title, Path out, java.util.function.Supplier<String> text) {
        if (matrix.get() == null) {
            message.set("Nothing to export: choose an evaluation first.");
            return;
        }
        ctx.submit(title, c -> {
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, ".export", ".tmp");
            try {
                Files.writeString(tmp, text.get(), StandardCharsets.UTF_8);
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return out;
        }, p -> message.set("Wrote " + p), e -> message.set(title + " failed: " + Failures.describe(e)));
    }

    public ObservableList<RunRecord> evaluations() {
        return evaluations;
    }

    public ObservableList<RunRecord> simulations() {
        return simulations;
    }

    public ObjectProperty<RunRecord> selectedEvaluationProperty() {
        return selectedEvaluation;
    }

    /** The simulation run chosen for evaluation (the panel's run box). */
    public ObjectProperty<RunRecord> selectedSimulationProperty() {
        return selectedSimulation;
    }

    /** The "Simulate…" dialog's state: starting a new simulation run. */
    public SimulateViewModel simulate() {
        return simulate;
    }

    public ObjectProperty<ScaleMetric> metricProperty() {
        return metric;
    }

    public StringProperty filterProperty() {
        return filter;
    }

    public ObjectProperty<Sort> sortProperty() {
        return sort;
    }

    public ObjectProperty<Scale> sortColumnProperty() {
        return sortColumn;
    }

    public BooleanProperty descendingProperty() {
        return descending;
    }

    public BooleanProperty showBaselinesProperty() {
        return showBaselines;
    }

    public ReadOnlyObjectProperty<ScaleMatrix> matrixProperty() {
        return matrix.getReadOnlyProperty();
    }

    public ObservableList<Integer> rowOrder() {
        return rowOrder;
    }

    public ObservableList<SummaryRow> summary() {
        return summary;
    }

    /** Matrix row of the selected source (-1: none). */
    public ObjectProperty<Integer> selectedRowProperty() {
        return selectedRow;
    }

    public ObservableList<AgentDrillDown.AgentRow> agents() {
        return agents;
    }

    public ObjectProperty<AgentDrillDown.AgentRow> selectedAgentProperty() {
        return selectedAgent;
    }

    public ReadOnlyObjectProperty<AgentDrillDown.AgentDetail> detailProperty() {
        return detail.getReadOnlyProperty();
    }

    public ObservableList<Comparison> comparisons() {
        return comparisons;
    }

    public StringProperty messageProperty() {
        return message;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }
}
