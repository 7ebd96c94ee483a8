package org.personalab.ui.specs;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.personalab.cluster.SplitMembers;
import org.personalab.cluster.SplitSetInfo;
import org.personalab.data.DatasetInfo;
import org.personalab.llm.ApiKeys;
import org.personalab.llm.LlmGateway;
import org.personalab.llm.ProviderRegistry;
import org.personalab.service.SpecGenerationService;
import org.personalab.service.SpecService;
import org.personalab.service.SplitSelection;
import org.personalab.spec.PromptTemplate;
import org.personalab.store.Workspace;
import org.personalab.task.BackgroundTask;
import org.personalab.task.Failures;
import org.personalab.ui.WorkbenchContext;

/**
 * Starts a spec-generation run from the workbench: who (a split part or a whole dataset), which engine (the offline
 * template writer or any configured PROVIDER:MODEL), samples, temperature and a budget cap; a cost estimate before it
 * starts; then progress, cost, pause/resume and cancel while it runs. An LLM run uses the template of the Prompt tab.
 * A stopped LLM run is resumed by starting the same generation again: answers already received are never bought twice.
 *
 * <p>"Use Batch API" sends an LLM run through its provider's Batch API (the provider's batch price, answers within
 * hours); it can be ticked only for providers that offer one ({@link SpecGenerationService#supportsBatch}), and the
 * estimate is then at the batch price. Cancelling a batch run stops waiting; its batch stays at the provider and
 * starting the same generation again collects it without sending it again.
 */
public final class SpecGenerationViewModel {

    /** A whole dataset in the "who" list is written like this, a split part as {@code SET:PART}. */
    public static final String DATASET_PREFIX = "dataset ";
    public static final String TEMPLATE = "template";

    private final WorkbenchContext ctx;
    private final PromptPreviewModel prompt;
    private final Runnable onFinished;
    private final ObservableList<String> selections = FXCollections.observableArrayList();
    private final ObservableList<String> engines = FXCollections.observableArrayList();
    private final StringProperty selection = new SimpleStringProperty(this, "selection");
    private final StringProperty engine = new SimpleStringProperty(this, "engine", TEMPLATE);
    private final IntegerProperty samples = new SimpleIntegerProperty(this, "samples", 1);
    private final StringProperty temperature = new SimpleStringProperty(this, "temperature",
            Double.toString(SpecGenerationService.DEFAULT_TEMPERATURE));
    private final StringProperty budget = new SimpleStringProperty(this, "budget", "");
    private final BooleanProperty batch = new SimpleBooleanProperty(this, "batch");
    private final BooleanProperty batchAvailable = new SimpleBooleanProperty(this, "batchAvailable");
    /** Names of the configured providers that offer the Batch API, and their batch price factors. */
    private volatile java.util.Map<String, Double> batchProviders = java.util.Map.of();
    private final StringProperty status = new SimpleStringProperty(this, "status", "");
    private final BooleanProperty running = new SimpleBooleanProperty(this, "running");
    private final BooleanProperty paused = new SimpleBooleanProperty(this, "paused");
    private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress", 0);
    private SpecGenerationService.PauseGate gate;
    private BackgroundTask<String> task;

    public SpecGenerationViewModel(WorkbenchContext ctx, PromptPreviewModel prompt, Runnable onFinished) {
        this.ctx = ctx;
        this.prompt = prompt;
        this.onFinished = onFinished;
        engine.addListener((o, a, v) -> updateBatchAvailable());
    }

    /** Batch mode is offered for an engine whose provider has the Batch API; otherwise it is switched off. */
    private void updateBatchAvailable() {
        boolean ok = batchFactor(engine.get()) != null;
        batchAvailable.set(ok);
        if (!ok) {
            batch.set(false);
        }
    }

    /** The batch price factor of the engine's provider, or null when the engine has no Batch API. */
    private Double batchFactor(String eng) {
        if (eng == null || TEMPLATE.equals(eng) || eng.indexOf(':') <= 0) {
            return null;
        }
        return batchProviders.get(eng.substring(0, eng.indexOf(':')).strip());
    }

    /** Lists the split parts, datasets and engines of the open workspace and settings (background). */
    public void refresh() {
        Workspace ws = ctx.workspace();
        if (ws == null) {
            return;
        }
        record Choices(List<String> who, List<String> engines, java.util.Map<String, Double> batch) {
        }
        ctx.submit("List generation choices", c -> {
            List<String> who = new ArrayList<>();
            for (SplitSetInfo s : ws.read(tx -> tx.splits().list())) {
                SplitMembers m = ws.read(tx -> tx.splits().members(s.id()));
                Set<String> parts = new LinkedHashSet<>(List.of(m.splits()));
                for (String p : parts) {
                    who.add(s.name() + ":" + p);
                }
            }
            for (DatasetInfo d : ws.read(tx -> tx.datasets().list())) {
                who.add(DATASET_PREFIX + d.name());
            }
            List<String> eng = new ArrayList<>();
            eng.add(TEMPLATE);
            java.util.Map<String, Double> batchable = new java.util.HashMap<>();
            ProviderRegistry reg = ProviderRegistry.load(ctx.settings().folder());
            for (String p : reg.names()) {
                for (String model : reg.get(p).models().keySet()) {
                    eng.add(p + ":" + model);
                }
                if (SpecGenerationService.supportsBatch(reg.get(p))) {
                    batchable.put(p, reg.get(p).batchPriceFactor());
                }
            }
            return new Choices(who, eng, java.util.Map.copyOf(batchable));
        }, ch -> {
            selections.setAll(ch.who());
            engines.setAll(ch.engines());
            batchProviders = ch.batch();
            updateBatchAvailable();
            if (selection.get() == null || !ch.who().contains(selection.get())) {
                selection.set(ch.who().stream().filter(w -> w.endsWith(":test")).findFirst()
                        .orElse(ch.who().isEmpty() ? null : ch.who().get(0)));
            }
        }, e -> status.set("Could not list the choices: " + Failures.describe(e)));
    }

    /** Shows what the run would cost (LLM engines) or do (template), without sending anything. */
    public void estimate() {
        Workspace ws = ctx.workspace();
        String who = selection.get();
        String eng = engine.get();
        if (ws == null || who == null) {
            status.set("Choose who to write specs for.");
            return;
        }
        ctx.submit("Estimate spec generation", c -> {
            SplitSelection people = resolve(ws, who);
            if (TEMPLATE.equals(eng)) {
                return people.respondentIds().length + " template specs for " + people.label()
                        + " (offline, rule-based, no cost).";
            }
            try (LlmGateway gw = gateway(ws)) {
                var r = request(people);
                var plan = new SpecGenerationService(ws, gw).plan(r, c);
                return r.batch() ? String.format(Locale.ROOT, "Batch API (%.0f %% of the list price, answers within "
                        + "24 h): %s", gw.registry().get(r.engine().provider()).batchPriceFactor() * 100,
                        plan.estimate().summary()) : plan.estimate().summary();
            }
        }, status::set, e -> status.set("Cannot estimate: " + Failures.describe(e)));
    }

    /** Starts the run as a background task with progress and cancel. */
    public void start() {
        Workspace ws = ctx.workspace();
        String who = selection.get();
        String eng = engine.get();
        if (ws == null || who == null) {
            status.set("Choose who to write specs for.");
            return;
        }
        if (running.get()) {
            status.set("A generation is running: pause or cancel it first.");
            return;
        }
        boolean viaBatch = batch.get() && batchFactor(eng) != null;
        gate = new SpecGenerationService.PauseGate();
        SpecGenerationService.PauseGate g = gate;
        running.set(true);
        paused.set(false);
        progress.set(0);
        status.set("Starting…");
        task = BackgroundTask.resumable("Generate specs (" + eng + ") for " + who, c -> {
            SplitSelection people = resolve(ws, who);
            if (TEMPLATE.equals(eng)) {
                SpecService.Outcome o = SpecService.generateTemplate(ws, people, 0, c);
                return String.format(Locale.ROOT, "Run %d: %d template specs for %s.", o.runId(), o.specs(),
                        people.label());
            }
            try (LlmGateway gw = gateway(ws)) {
                SpecGenerationService.Outcome o = new SpecGenerationService(ws, gw).generate(request(people), g, c);
                String batches = o.batches().isEmpty() ? "" : " Batch " + String.join(", ", o.batches().stream()
                        .map(b -> (b.batchId() == null ? "(being created)" : b.batchId()) + " " + b.status())
                        .toList()) + ".";
                return String.format(Locale.ROOT, "Run %d %s: %d of %d specs stored, %d paid calls, %d from the "
                        + "cache, %d invalid; cost $%.4f.%s%s", o.runId(), o.status(), o.stored(), o.expected(),
                        o.paid(), o.cached(), o.invalid(), o.runCostUsd(), batches,
                        o.error() == null ? "" : " " + o.error());
            }
        });
        task.addListener(t -> ctx.ui().execute(() -> {
            progress.set(t.progress());
            if (t.message() != null && !t.message().isEmpty() && running.get()) {
                status.set(t.message());
            }
        }));
        ctx.submit(task, msg -> {
            running.set(false);
            paused.set(false);
            progress.set(1);
            status.set(msg);
            onFinished.run();
        }, e -> {
            running.set(false);
            paused.set(false);
            status.set(!task.isCancelled() ? "Generation failed: " + Failures.describe(e) : viaBatch
                    ? "Cancelled: the batch stays at the provider; start the same generation again to collect it "
                            + "(nothing is sent twice)."
                    : "Cancelled: the specs received so far are kept; start the same generation again to go on.");
            onFinished.run();
        });
    }

    /** Pauses (no new calls; those in flight finish and are stored) or resumes the running generation. */
    public void togglePause() {
        SpecGenerationService.PauseGate g = gate;
        if (g == null || !running.get()) {
            return;
        }
        if (g.isPaused()) {
            g.resume();
            paused.set(false);
            status.set("Resumed.");
        } else {
            g.pause();
            paused.set(true);
            status.set("Paused: calls in flight finish and are stored; no new ones start.");
        }
    }

    /** Cancels the running generation (calls in flight are cancelled too). */
    public void cancel() {
        if (task != null && running.get()) {
            task.cancel();
        }
    }

    /** The request the form describes (batch mode only when ticked and the engine's provider offers it). */
    SpecGenerationService.Request request(SplitSelection people) {
        double t;
        Double b;
        try {
            t = Double.parseDouble(temperature.get().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("temperature '" + temperature.get() + "' is not a number");
        }
        try {
            b = budget.get() == null || budget.get().isBlank() ? null : Double.valueOf(budget.get().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("budget '" + budget.get() + "' is not a number of dollars");
        }
        PromptTemplate template = new PromptTemplate("edited in the workbench", prompt.templateProperty().get());
        return new SpecGenerationService.Request(people, SpecGenerationService.Engine.parse(engine.get()), template,
                samples.get(), t, SpecGenerationService.DEFAULT_SEED, SpecGenerationService.DEFAULT_MAX_TOKENS, 0, b,
                0, batch.get() && batchFactor(engine.get()) != null);
    }

    private LlmGateway gateway(Workspace ws) {
        return LlmGateway.builder(ws).registry(ProviderRegistry.load(ctx.settings().folder()))
                .keys(ApiKeys.in(ctx.settings().folder())).build();
    }

    static SplitSelection resolve(Workspace ws, String who) {
        if (who.startsWith(DATASET_PREFIX)) {
            String name = who.substring(DATASET_PREFIX.length());
            DatasetInfo d = ws.read(tx -> tx.datasets().find(name)).orElseThrow(() -> new IllegalArgumentException(
                    "no dataset named '" + name + "'"));
            return SplitSelection.wholeDataset(ws, d);
        }
        return SplitSelection.resolve(ws, who);
    }

    public ObservableList<String> selections() {
        return selections;
    }

    public ObservableList<String> engines() {
        return engines;
    }

    public StringProperty selectionProperty() {
        return selection;
    }

    public StringProperty engineProperty() {
        return engine;
    }

    public IntegerProperty samplesProperty() {
        return samples;
    }

    public StringProperty temperatureProperty() {
        return temperature;
    }

    public StringProperty budgetProperty() {
        return budget;
    }

    /** Send the run through the provider's Batch API. */
    public BooleanProperty batchProperty() {
        return batch;
    }

    /** Whether the engine's provider offers the Batch API (false for the template engine and local servers). */
    public javafx.beans.property.ReadOnlyBooleanProperty batchAvailableProperty() {
        return batchAvailable;
    }

    public StringProperty statusProperty() {
        return status;
    }

    public BooleanProperty runningProperty() {
        return running;
    }

    public BooleanProperty pausedProperty() {
        return paused;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }
}
