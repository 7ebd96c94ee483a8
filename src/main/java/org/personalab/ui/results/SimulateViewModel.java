package org.personalab.ui.results;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javafx.beans.Observable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.personalab.cluster.SplitMembers;
import org.personalab.cluster.SplitSetInfo;
import org.personalab.inventory.Inventory;
import org.personalab.llm.ApiKeys;
import org.personalab.llm.LlmGateway;
import org.personalab.llm.Provider;
import org.personalab.llm.ProviderRegistry;
import org.personalab.service.SimulationService;
import org.personalab.service.SpecGenerationService;
import org.personalab.service.SpecService;
import org.personalab.sim.ItemOrder;
import org.personalab.sim.ItemPrompt;
import org.personalab.sim.MemoryPolicy;
import org.personalab.sim.OptionOrder;
import org.personalab.sim.PersonaRenderer;
import org.personalab.sim.PsychometricRespondent;
import org.personalab.sim.SimSettings;
import org.personalab.store.Workspace;
import org.personalab.task.BackgroundTask;
import org.personalab.task.Failures;
import org.personalab.task.RunRecord;
import org.personalab.task.TaskState;
import org.personalab.ui.WorkbenchContext;

/**
 * Starts a simulation run from the results panel: which agents (a spec run, optionally only the people of one split
 * part), which engine (the offline psychometric respondent or any configured PROVIDER:MODEL), memory, persona
 * rendering, item shuffling, option order, samples and, for a model, a budget cap. Fields are checked as they change,
 * each problem named by its field. A model run shows its cost estimate first and starts on a second press; then
 * {@link SimulationService} runs as a background task with progress, pause/resume and cancel. A cancelled or stopped
 * run keeps its answers: starting the same choices again resumes it. When a run succeeds, {@code onSucceeded} gets it
 * (the panel lists it and offers to evaluate it). The FX thread only reads and writes these properties.
 */
public final class SimulateViewModel {

    /** The split choice meaning every agent of the spec run. */
    public static final String ALL_AGENTS = "all agents";
    public static final String PSYCHOMETRIC = PsychometricRespondent.ENGINE;
    public static final int MAX_SAMPLES = 100;

    /** A spec-generation run to simulate, with the number of people it has specs for. */
    public record SpecRunChoice(long runId, String title, int people) {
        @Override
        public String toString() {
            return runId + " · " + title + " (" + people + (people == 1 ? " person)" : " people)");
        }
    }

    /** What a simulation task ends with: the attempt's outcome and the run as stored after it. */
    private record Finished(SimulationService.Outcome outcome, RunRecord run) {
    }

    /** The field values at one moment: what a request (and its estimate) is built from. */
    record Choices(SpecRunChoice specRun, String split, String engine, Inventory inventory, String memory,
            PersonaRenderer.Mode persona, String shuffleSeed, boolean reverseOptions, String samples, String budget) {
    }

    private final WorkbenchContext ctx;
    private final Consumer<RunRecord> onSucceeded;
    private final ObservableList<SpecRunChoice> specRuns = FXCollections.observableArrayList();
    private final ObservableList<String> splits = FXCollections.observableArrayList();
    private final ObservableList<String> engines = FXCollections.observableArrayList();
    private final ObjectProperty<SpecRunChoice> specRun = new SimpleObjectProperty<>(this, "specRun");
    private final StringProperty split = new SimpleStringProperty(this, "split", ALL_AGENTS);
    private final StringProperty engine = new SimpleStringProperty(this, "engine", PSYCHOMETRIC);
    private final ObjectProperty<Inventory> inventory = new SimpleObjectProperty<>(this, "inventory",
            Inventory.IPIP_NEO_120);
    private final StringProperty memory = new SimpleStringProperty(this, "memory", "none");
    private final ObjectProperty<PersonaRenderer.Mode> persona = new SimpleObjectProperty<>(this, "persona",
            PersonaRenderer.Mode.TINYTROUPE);
    private final StringProperty shuffleSeed = new SimpleStringProperty(this, "shuffleSeed", "");
    private final BooleanProperty reverseOptions = new SimpleBooleanProperty(this, "reverseOptions");
    private final StringProperty samples = new SimpleStringProperty(this, "samples", "1");
    private final StringProperty budget = new SimpleStringProperty(this, "budget", "");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final BooleanProperty psychometric = new SimpleBooleanProperty(this, "psychometric", true);
    private final StringProperty status = new SimpleStringProperty(this, "status", "");
    private final BooleanProperty running = new SimpleBooleanProperty(this, "running");
    private final BooleanProperty paused = new SimpleBooleanProperty(this, "paused");
    private final BooleanProperty awaitingConfirmation = new SimpleBooleanProperty(this, "awaitingConfirmation");
    private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress", 0);
    private final ReadOnlyObjectWrapper<RunRecord> lastRun = new ReadOnlyObjectWrapper<>(this, "lastRun");
    private final ItemPrompt prompt = ItemPrompt.standard();
    private Set<String> providers = Set.of();
    private SpecGenerationService.PauseGate gate;
    private BackgroundTask<Finished> task;
    private long listGeneration;

    /** @param onSucceeded called on the UI thread with a run that finished complete */
    public SimulateViewModel(WorkbenchContext ctx, Consumer<RunRecord> onSucceeded) {
        this.ctx = ctx;
        this.onSucceeded = onSucceeded;
        Observable[] fields = {specRun, split, engine, inventory, memory, persona, shuffleSeed, reverseOptions,
            samples, budget};
        for (Observable o : fields) {
            o.addListener(x -> {
                problem.set(validate(choices()));
                awaitingConfirmation.set(false);
            });
        }
        engine.addListener((o, a, e) -> psychometric.set(PSYCHOMETRIC.equals(e == null ? null : e.strip())));
        problem.set(validate(choices()));
    }

    /** Lists the spec runs (with their people), split parts and engines of the open workspace and settings. */
    public void refresh() {
        Workspace ws = ctx.workspace();
        if (ws == null) {
            return;
        }
        long gen = ++listGeneration;
        record Lists(List<SpecRunChoice> runs, List<String> splits, List<String> engines, Set<String> providers) {
        }
        ctx.submit("List simulation choices", c -> {
            List<SpecRunChoice> runs = new ArrayList<>();
            for (RunRecord r : ws.read(tx -> tx.runs().list())) {
                if (r.kind().equals(SpecService.RUN_KIND) && RunRecord.SUCCEEDED.equals(r.status())) {
                    runs.add(new SpecRunChoice(r.id(), r.title(), ws.read(tx -> tx.specs().countOriginals(r.id()))));
                }
            }
            List<String> parts = new ArrayList<>();
            parts.add(ALL_AGENTS);
            for (SplitSetInfo s : ws.read(tx -> tx.splits().list())) {
                SplitMembers m = ws.read(tx -> tx.splits().members(s.id()));
                for (String p : new LinkedHashSet<>(List.of(m.splits()))) {
                    parts.add(s.name() + ":" + p);
                }
            }
            List<String> eng = new ArrayList<>();
            eng.add(PSYCHOMETRIC);
            ProviderRegistry reg = ProviderRegistry.load(ctx.settings().folder());
            for (String p : reg.names()) {
                for (String model : reg.get(p).models().keySet()) {
                    eng.add(p + ":" + model);
                }
            }
            return new Lists(runs, parts, eng, Set.copyOf(reg.names()));
        }, l -> {
            if (gen != listGeneration) {
                return;
            }
            SpecRunChoice cur = specRun.get();
            String curSplit = split.get();
            specRuns.setAll(l.runs());
            splits.setAll(l.splits());
            engines.setAll(l.engines());
            providers = l.providers();
            specRun.set(l.runs().stream().filter(r -> cur != null && r.runId() == cur.runId()).findFirst()
                    .orElse(l.runs().isEmpty() ? null : l.runs().get(0)));
            split.set(l.splits().contains(curSplit) ? curSplit : ALL_AGENTS);
            problem.set(validate(choices()));
            if (l.runs().isEmpty()) {
                status.set("No spec run yet: generate specs first (Specs panel or personalab specs generate).");
            }
        }, e -> status.set("Could not list the choices: " + Failures.describe(e)));
    }

    Choices choices() {
        return new Choices(specRun.get(), split.get(), engine.get(), inventory.get(), memory.get(), persona.get(),
                shuffleSeed.get(), reverseOptions.get(), samples.get(), budget.get());
    }

    /** The first problem of the choices, naming its field, or "" when a run can start. */
    String validate(Choices c) {
        try {
            request(c);
            return "";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** The request the current choices make (checked as {@link #problemProperty()} describes). */
    public SimulationService.Request request() {
        return request(choices());
    }

    private SimulationService.Request request(Choices c) {
        if (c.specRun() == null) {
            throw new IllegalArgumentException("Spec run: choose the spec run whose agents answer.");
        }
        String eng = c.engine() == null ? "" : c.engine().strip();
        boolean offline = PSYCHOMETRIC.equals(eng);
        if (eng.isEmpty()) {
            throw new IllegalArgumentException("Engine: choose psychometric (offline) or PROVIDER:MODEL.");
        }
        int colon = eng.indexOf(':');
        if (!offline && (colon <= 0 || colon == eng.length() - 1)) {
            throw new IllegalArgumentException("Engine '" + eng + "' must be psychometric or PROVIDER:MODEL (e.g. "
                    + "openai:gpt-4o-mini).");
        }
        if (!offline && !providers.isEmpty() && !providers.contains(eng.substring(0, colon))) {
            throw new IllegalArgumentException("Engine: no provider '" + eng.substring(0, colon) + "' is configured "
                    + "(Settings → LLM providers lists " + String.join(", ", providers.stream().sorted().toList())
                    + ").");
        }
        MemoryPolicy mem;
        try {
            mem = MemoryPolicy.parse(c.memory() == null ? "" : c.memory().strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Memory: " + e.getMessage() + " (none, last:K or tinytroupe).", e);
        }
        ItemOrder order = ItemOrder.FIXED;
        String seed = c.shuffleSeed() == null ? "" : c.shuffleSeed().strip();
        if (!seed.isEmpty()) {
            try {
                order = ItemOrder.shuffled(Long.parseLong(seed));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Shuffle-items seed '" + seed + "' must be a whole number (leave it "
                        + "empty for the fixed order).", e);
            }
        }
        int n;
        try {
            n = Integer.parseInt(c.samples() == null ? "" : c.samples().strip());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > MAX_SAMPLES) {
            throw new IllegalArgumentException("Samples '" + c.samples() + "' must be a whole number from 1 to "
                    + MAX_SAMPLES + ".");
        }
        Double usd = null;
        String b = c.budget() == null ? "" : c.budget().strip();
        if (!offline && !b.isEmpty()) {
            try {
                usd = Double.valueOf(b);
            } catch (NumberFormatException e) {
                usd = Double.NaN;
            }
            if (!(usd >= 0) || usd.isInfinite()) {
                throw new IllegalArgumentException("Budget '" + b + "' must be a number of US dollars ≥ 0 (leave it "
                        + "empty for no cap).");
            }
        }
        if (c.inventory() == null || c.persona() == null) {
            throw new IllegalArgumentException("Choose the inventory and the persona mode.");
        }
        SimSettings s = new SimSettings(c.inventory(), c.persona(), mem, order, c.reverseOptions()
                ? OptionOrder.REVERSED : OptionOrder.FIXED, n, prompt);
        SimulationService.Request r = offline ? SimulationService.Request.psychometric(s)
                : SimulationService.Request.model(eng, s).withBudget(usd);
        String part = c.split() == null || c.split().isBlank() || ALL_AGENTS.equals(c.split()) ? null : c.split();
        return r.withSpecRun(Long.toString(c.specRun().runId())).withSplit(part);
    }

    /** Shows what the run would ask (and, for a model, cost) without sending anything. */
    public void estimate() {
        Choices c = choices();
        Workspace ws = ctx.workspace();
        if (!ready(ws, c)) {
            return;
        }
        status.set("Estimating…");
        ctx.submit("Estimate simulation", k -> plan(ws, c, k), p -> {
            if (!c.equals(choices())) {
                return; // the choices changed meanwhile: this estimate is for something else
            }
            // a model's cost has been shown for these choices: Start now runs them
            awaitingConfirmation.set(p.cost() != null);
            status.set(p.summary());
        }, e -> status.set("Cannot estimate: " + Failures.describe(e)));
    }

    /**
     * Starts the run as a background task. A model engine first shows its estimate: the run starts when Start is
     * pressed again with the same choices.
     */
    public void start() {
        Choices c = choices();
        Workspace ws = ctx.workspace();
        if (!ready(ws, c)) {
            return;
        }
        boolean offline = PSYCHOMETRIC.equals(c.engine().strip());
        if (!offline && !awaitingConfirmation.get()) {
            status.set("Estimating the cost before starting…");
            ctx.submit("Estimate simulation", k -> plan(ws, c, k), p -> {
                if (!c.equals(choices())) {
                    return; // the choices changed meanwhile: this estimate is for something else
                }
                awaitingConfirmation.set(true);
                status.set(p.summary() + " Press Start again to run it.");
            }, e -> status.set("Cannot estimate: " + Failures.describe(e)));
            return;
        }
        awaitingConfirmation.set(false);
        gate = new SpecGenerationService.PauseGate();
        SpecGenerationService.PauseGate g = gate;
        AtomicReference<SimulationService.Outcome> outcome = new AtomicReference<>();
        running.set(true);
        paused.set(false);
        progress.set(0);
        lastRun.set(null);
        status.set("Starting…");
        task = BackgroundTask.resumable("Simulate " + c.specRun().runId() + (c.split() == null
                || ALL_AGENTS.equals(c.split()) ? "" : " (" + c.split() + ")") + " with " + c.engine().strip(), k -> {
                    SimulationService.Request r = request(c);
                    SimulationService.Outcome o;
                    if (r.isPsychometric()) {
                        o = new SimulationService(ws, null).simulate(r, g, k);
                    } else {
                        try (LlmGateway gw = gateway(ws, r.provider())) {
                            o = new SimulationService(ws, gw).simulate(r, g, k);
                        }
                    }
                    outcome.set(o);
                    return new Finished(o, ws.read(tx -> tx.runs().get(o.runId())).orElse(null));
                });
        BackgroundTask<Finished> t = task;
        t.addListener(x -> {
            double p = x.progress();
            String m = x.message();
            TaskState state = x.state();
            ctx.ui().execute(() -> {
                if (t != task) {
                    return;
                }
                if (p >= 0) {
                    progress.set(p);
                }
                if (state == TaskState.CANCELLED) {
                    stopped(outcome.get(), null);
                } else if (m != null && !m.isEmpty() && running.get()) {
                    status.set(m);
                }
            });
        });
        ctx.submit(t, f -> {
            SimulationService.Outcome o = f.outcome();
            if (t != task) {
                return;
            }
            if (!o.complete()) {
                stopped(o, null);
                return;
            }
            running.set(false);
            paused.set(false);
            progress.set(1);
            status.set(summary(o) + " Evaluate it to see it in the heatmap.");
            lastRun.set(f.run());
            if (f.run() != null) {
                onSucceeded.accept(f.run());
            }
        }, e -> {
            if (t == task) {
                stopped(outcome.get(), e);
            }
        });
    }

    /** A run that ended before every answer was stored (cancelled, budget, failure): it resumes when started again. */
    private void stopped(SimulationService.Outcome o, Throwable failure) {
        if (!running.get()) {
            return;
        }
        running.set(false);
        paused.set(false);
        if (o == null && failure != null) {
            status.set("Simulation failed: " + Failures.describe(failure));
            return;
        }
        String run = o == null ? "The run" : "Run " + o.runId();
        String why = failure != null ? "failed: " + Failures.describe(failure) + "." : o == null
                || "cancelled".equals(o.stoppedBy()) || task.isCancelled() ? "was cancelled."
                : "stopped (" + o.stoppedBy() + ")" + (o.error() == null ? "." : ": " + o.error());
        status.set(run + " " + why + " The answers stored so far are kept; Start with the same choices resumes it.");
    }

    private static String summary(SimulationService.Outcome o) {
        var c = o.counts();
        return String.format(Locale.ROOT, "Run %d %s: %d agents, %,d answered, %d unparseable, %d refused, %d failed;"
                + " %d paid calls, $%.4f.", o.runId(), o.status(), o.agents(), c.answered(), c.unparseable(),
                c.refused(), c.failed(), o.paidCalls(), o.costUsd());
    }

    /** Pauses (answers in flight finish and are stored; no new item is asked) or resumes the running simulation. */
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
            status.set("Pausing: answers in flight finish and are stored; no new item is asked.");
        }
    }

    /** Cancels the running simulation; its stored answers are kept and the same choices resume it. */
    public void cancel() {
        BackgroundTask<Finished> t = task;
        if (t != null && running.get()) {
            t.cancel(); // a worker waiting at the pause gate sees it too
        }
    }

    private boolean ready(Workspace ws, Choices c) {
        if (ws == null) {
            status.set("Open a workspace first.");
            return false;
        }
        if (running.get()) {
            status.set("A simulation is running: pause or cancel it first.");
            return false;
        }
        String p = validate(c);
        if (!p.isEmpty()) {
            status.set(p);
            return false;
        }
        return true;
    }

    private SimulationService.Plan plan(Workspace ws, Choices c, org.personalab.task.TaskContext k) {
        SimulationService.Request r = request(c);
        if (r.isPsychometric()) {
            return new SimulationService(ws, null).plan(r, k);
        }
        try (LlmGateway gw = gateway(ws, r.provider())) {
            return new SimulationService(ws, gw).plan(r, k);
        }
    }

    /** The gateway for a model engine; refuses a provider whose API key is missing before anything is sent. */
    private LlmGateway gateway(Workspace ws, String provider) {
        ProviderRegistry reg = ProviderRegistry.load(ctx.settings().folder());
        ApiKeys keys = ApiKeys.in(ctx.settings().folder());
        Provider p = reg.get(provider);
        if (p.apiKeyEnv() != null && !keys.hasKey(p)) {
            throw new IllegalArgumentException(p.name() + " needs an API key: set the environment variable "
                    + p.apiKeyEnv() + " or add it in Settings → LLM providers.");
        }
        return LlmGateway.builder(ws).registry(reg).keys(keys).build();
    }

    public ObservableList<SpecRunChoice> specRuns() {
        return specRuns;
    }

    public ObservableList<String> splits() {
        return splits;
    }

    public ObservableList<String> engines() {
        return engines;
    }

    public ObjectProperty<SpecRunChoice> specRunProperty() {
        return specRun;
    }

    public StringProperty splitProperty() {
        return split;
    }

    public StringProperty engineProperty() {
        return engine;
    }

    public ObjectProperty<Inventory> inventoryProperty() {
        return inventory;
    }

    public StringProperty memoryProperty() {
        return memory;
    }

    public ObjectProperty<PersonaRenderer.Mode> personaProperty() {
        return persona;
    }

    public StringProperty shuffleSeedProperty() {
        return shuffleSeed;
    }

    public BooleanProperty reverseOptionsProperty() {
        return reverseOptions;
    }

    public StringProperty samplesProperty() {
        return samples;
    }

    public StringProperty budgetProperty() {
        return budget;
    }

    /** The first problem of the current choices, naming its field; "" when a run can start. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** Whether the chosen engine is the offline psychometric respondent (no budget, no estimate needed). */
    public BooleanProperty psychometricProperty() {
        return psychometric;
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

    /** A model run's estimate is shown: the next Start runs it. */
    public BooleanProperty awaitingConfirmationProperty() {
        return awaitingConfirmation;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    /** The run the last start finished complete (offered for evaluation), or null. */
    public ReadOnlyObjectProperty<RunRecord> lastRunProperty() {
        return lastRun.getReadOnlyProperty();
    }
}
