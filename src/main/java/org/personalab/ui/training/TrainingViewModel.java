package org.personalab.ui.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;
import org.personalab.engine.ChatServer;
import org.personalab.engine.EngineException;
import org.personalab.engine.LocalModel;
import org.personalab.engine.LoraAdapter;
import org.personalab.engine.train.EventLog;
import org.personalab.engine.train.TrainCheckpoint;
import org.personalab.engine.train.TrainConfig;
import org.personalab.engine.train.TrainProcess;
import org.personalab.llm.LlmException;
import org.personalab.llm.ModelPrice;
import org.personalab.llm.Provider;
import org.personalab.llm.ProviderRegistry;
import org.personalab.llm.StructuredMode;
import org.personalab.service.TrainingRuns;
import org.personalab.store.Workspace;
import org.personalab.task.BackgroundTask;
import org.personalab.task.TaskState;
import org.personalab.ui.WorkbenchContext;
import org.personalab.ui.training.TrainMonitor.LossPoint;

/**
 * The training panel's state: a config form under TRL's and PEFT's field names, pre-filled with
 * {@link TrainConfig}'s defaults and validated by it (errors by field); Start writes the config into the output
 * folder and runs the child JVM ({@link TrainProcess}) from a background task that tails {@code events.jsonl} every
 * 250 ms and pushes what it read to the UI thread; Abort ends the child's process tree; Resume continues from the
 * selected (or latest) checkpoint; the run's checkpoints are listed, and the {@code personalab serve} command for a
 * chosen adapter is offered to copy. With a workspace open, each run is recorded in its run journal
 * ({@link TrainingRuns}: config, dataset exports used, adapter, steps, final loss or margin, how it ended). A served
 * adapter can be added as an LLM provider in one click ({@link #addAsProvider()}).
 */
public final class TrainingViewModel {

    /** The form's fields in display order (TRL/PEFT names; the LoRA ones without their {@code lora.} prefix). */
    public static final List<String> PATH_FIELDS = List.of("model", "train_dataset", "adapter_init", "output_dir");
    public static final List<String> NUMBER_FIELDS = List.of("learning_rate", "num_train_epochs", "max_steps",
            "per_device_train_batch_size", "gradient_accumulation_steps", "warmup_ratio", "max_grad_norm",
            "max_length", "truncation_mode", "max_prompt_length", "beta", "r", "lora_alpha", "lora_dropout", "target_modules", "seed", "save_steps",
            "logging_steps", "heap", "device", "torch_dtype");
    /** Choices offered for {@code device} (any cuda:N may be typed) and {@code torch_dtype}. */
    public static final List<String> DEVICES = List.of("auto", "cpu", "cuda:0");
    public static final List<String> DTYPES = List.of("auto", "float32", "float16");
    /** The name of the config file written into the output folder. */
    public static final String CONFIG_FILE = "train_config.json";
    /** The smoothing weight of the loss curve's moving average. */
    public static final double SMOOTHING = 0.6;

    static final long POLL_MS = 250;
    private static final Set<String> INTEGERS = Set.of("max_steps", "per_device_train_batch_size",
            "gradient_accumulation_steps", "max_length", "max_prompt_length", "r", "seed", "save_steps",
            "logging_steps");
    private static final Set<String> LORA = Set.of("r", "lora_alpha", "lora_dropout", "target_modules");
    private static final Set<String> TEXT = Set.of("target_modules", "heap", "truncation_mode", "device",
            "torch_dtype");
    private static final Pattern FIELD = Pattern.compile("field '(?:lora\\.)?([a-z_0-9]+)'");
    private static final Pattern LEADING_FIELD = Pattern.compile("^([a-z_]+): ");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final WorkbenchContext ctx;
    private final ObjectProperty<TrainConfig.Kind> kind = new SimpleObjectProperty<>(this, "kind", TrainConfig.Kind.SFT);
    private final Map<String, StringProperty> fields = new LinkedHashMap<>();
    private final ObservableMap<String, String> errors = FXCollections.observableHashMap();
    private final StringProperty formError = new SimpleStringProperty(this, "formError", "");
    private final ObservableList<LossPoint> points = FXCollections.observableArrayList();
    private final ObservableList<String> tail = FXCollections.observableArrayList();
    private final ObservableList<Path> checkpoints = FXCollections.observableArrayList();
    private final ObjectProperty<Path> selectedCheckpoint = new SimpleObjectProperty<>(this, "selectedCheckpoint");
    private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress", 0);
    private final javafx.beans.property.IntegerProperty totalSteps =
            new javafx.beans.property.SimpleIntegerProperty(this, "totalSteps", 0);
    private final StringProperty progressText = new SimpleStringProperty(this, "progressText", "Not started");
    private final ObjectProperty<TaskState> state = new SimpleObjectProperty<>(this, "state");
    private final StringProperty outcome = new SimpleStringProperty(this, "outcome", "");
    private final BooleanProperty running = new SimpleBooleanProperty(this, "running", false);
    private final StringProperty serveCommand = new SimpleStringProperty(this, "serveCommand", "");
    private TrainMonitor monitor = new TrainMonitor();
    private Path finalAdapter;
    private BackgroundTask<Void> serving;
    private final StringProperty serveUrl = new SimpleStringProperty(this, "serveUrl", "");
    private Served served;
    private final StringProperty providerMessage = new SimpleStringProperty(this, "providerMessage", "");
    private final StringProperty addedProvider = new SimpleStringProperty(this, "addedProvider", "");
    private final javafx.beans.property.LongProperty recordedRun =
            new javafx.beans.property.SimpleLongProperty(this, "recordedRun", 0);
    private final StringProperty record = new SimpleStringProperty(this, "record", "");
    private volatile BackgroundTask<Integer> task;

    public TrainingViewModel(WorkbenchContext ctx) {
        this.ctx = ctx;
        for (String f : PATH_FIELDS) {
            fields.put(f, new SimpleStringProperty(this, f, ""));
        }
        TrainConfig d = TrainConfig.defaults(TrainConfig.Kind.SFT);
        for (String f : NUMBER_FIELDS) {
            fields.put(f, new SimpleStringProperty(this, f, defaultText(d, f)));
        }
        kind.addListener((o, old, k) -> {
            // the learning rate follows the kind's default unless the user changed it
            StringProperty lr = fields.get("learning_rate");
            if (old != null && lr.get().equals(defaultText(TrainConfig.defaults(old), "learning_rate"))) {
                lr.set(defaultText(TrainConfig.defaults(k), "learning_rate"));
            }
        });
        fields.forEach((f, p) -> p.addListener((o, a, b) -> errors.remove(f)));
        selectedCheckpoint.addListener(o -> updateServeCommand());
        fields.get("model").addListener(o -> updateServeCommand());
    }

    /** A field's default as the form shows it. */
    static String defaultText(TrainConfig c, String field) {
        return switch (field) {
            case "learning_rate" -> number(c.learningRate());
            case "num_train_epochs" -> number(c.numTrainEpochs());
            case "max_steps" -> Integer.toString(c.maxSteps());
            case "per_device_train_batch_size" -> Integer.toString(c.batchSize());
            case "gradient_accumulation_steps" -> Integer.toString(c.gradientAccumulationSteps());
            case "warmup_ratio" -> number(c.warmupRatio());
            case "max_grad_norm" -> number(c.maxGradNorm());
            case "max_length" -> Integer.toString(c.maxLength());
            case "truncation_mode" -> c.truncationMode();
            case "max_prompt_length" -> Integer.toString(c.maxPromptLength());
            case "beta" -> number(c.beta());
            case "r" -> Integer.toString(c.lora().r());
            case "lora_alpha" -> number(c.lora().loraAlpha());
            case "lora_dropout" -> number(c.lora().loraDropout());
            case "target_modules" -> String.join(",", c.lora().targetModules());
            case "seed" -> Integer.toString(c.seed());
            case "save_steps" -> Integer.toString(c.saveSteps());
            case "logging_steps" -> Integer.toString(c.loggingSteps());
            case "heap" -> c.heap();
            case "device" -> c.device();
            case "torch_dtype" -> c.torchDtype();
            default -> "";
        };
    }

    private static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    // ---- the form ----

    /**
     * Checks the form: numbers parse, the paths exist, then {@link TrainConfig} judges the whole config. Errors are
     * put by field into {@link #errors()} (a message no field owns goes to {@link #formErrorProperty()}); returns
     * the config JSON when everything is valid, else null.
     */
    public ObjectNode validate() {
        errors.clear();
        formError.set("");
        ObjectNode c = MAPPER.createObjectNode();
        ObjectNode lora = c.putObject("lora");
        for (String f : PATH_FIELDS) {
            String v = text(f);
            if (v.isEmpty()) {
                if (!f.equals("adapter_init") || kind.get() == TrainConfig.Kind.DPO) {
                    errors.put(f, "required");
                }
                continue;
            }
            Path p = Path.of(v).toAbsolutePath().normalize();
            boolean ok = switch (f) {
                case "model", "adapter_init" -> Files.isDirectory(p);
                case "train_dataset" -> Files.isRegularFile(p);
                default -> !Files.isRegularFile(p);
            };
            if (!ok) {
                errors.put(f, f.equals("output_dir") ? "is a file, not a folder" : (f.equals("train_dataset")
                        ? "no such file" : "no such folder") + ": " + p);
            }
            c.put(f, p.toString());
        }
        for (String f : NUMBER_FIELDS) {
            String v = text(f);
            ObjectNode into = LORA.contains(f) ? lora : c;
            if (v.isEmpty()) {
                continue; // the default applies
            }
            if (f.equals("target_modules")) {
                List<String> mods = Stream.of(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
                if (mods.size() == 1) {
                    into.put(f, mods.get(0));
                } else {
                    mods.forEach(into.putArray(f)::add);
                }
            } else if (TEXT.contains(f)) {
                into.put(f, v);
            } else if (INTEGERS.contains(f)) {
                try {
                    into.put(f, Integer.parseInt(v));
                } catch (NumberFormatException e) {
                    errors.put(f, "must be a whole number, not '" + v + "'");
                }
            } else {
                try {
                    into.put(f, Double.parseDouble(v));
                } catch (NumberFormatException e) {
                    errors.put(f, "must be a number, not '" + v + "'");
                }
            }
        }
        if (!errors.isEmpty()) {
            return null;
        }
        Path file = configFile();
        try {
            TrainConfig.fromJson(file, c, kind.get());
        } catch (EngineException | IllegalArgumentException e) {
            String m = e.getMessage().replace(file + ": ", "").replace("lora: ", "");
            Matcher matcher = FIELD.matcher(m);
            Matcher lead = LEADING_FIELD.matcher(m);
            if (matcher.find() && fields.containsKey(matcher.group(1))) {
                errors.put(matcher.group(1), m);
            } else if (lead.find() && fields.containsKey(lead.group(1))) {
                errors.put(lead.group(1), m);
            } else {
                formError.set(m);
            }
            return null;
        }
        return c;
    }

    private String text(String f) {
        String v = fields.get(f).get();
        return v == null ? "" : v.strip();
    }

    /** {@code output_dir/train_config.json}. */
    public Path configFile() {
        String out = text("output_dir");
        return Path.of(out.isEmpty() ? "." : out).toAbsolutePath().normalize().resolve(CONFIG_FILE);
    }

    // ---- running ----

    /** Validates the form and starts a fresh run; false (with errors shown) when the form is not valid or busy. */
    public boolean start() {
        return launch(null);
    }

    /**
     * Continues the run in the output folder from the selected checkpoint, else the latest one; false when the form
     * is not valid, a run is going on, or there is no checkpoint.
     */
    public boolean resume() {
        Path c = selectedCheckpoint.get();
        if (c == null && checkpoints.isEmpty()) {
            formError.set("No checkpoint to resume from in " + configFile().getParent());
            return false;
        }
        return launch(c == null ? "latest" : c.toString());
    }

    private boolean launch(String resumeFrom) {
        if (running.get()) {
            return false;
        }
        ObjectNode json = validate();
        if (json == null) {
            return false;
        }
        TrainConfig.Kind k = kind.get();
        Path file = configFile();
        Path out = file.getParent();
        String heap = json.path("heap").asText("4g");
        monitor = new TrainMonitor();
        refreshView(System.currentTimeMillis());
        checkpoints.clear();
        finalAdapter = null;
        updateServeCommand();
        outcome.set("");
        running.set(true);
        state.set(TaskState.RUNNING);
        String title = (resumeFrom == null ? "Training " : "Resuming ") + k.code() + " → " + out.getFileName();
        BackgroundTask<Integer> t = BackgroundTask.of(title, c -> run(c, k, json, file, resumeFrom, heap));
        t.addListener(bt -> {
            if (bt.state() == TaskState.CANCELLED) {
                ctx.ui().execute(() -> finished(TaskState.CANCELLED, "Aborted; the child process was ended"));
            }
        });
        task = t;
        ctx.submit(t, code -> finished(TaskState.SUCCEEDED, "Finished; adapter (PEFT format) in " + out),
                e -> finished(TaskState.FAILED, e.getMessage()));
        return true;
    }

    private Integer run(org.personalab.task.TaskContext c, TrainConfig.Kind k, ObjectNode json, Path file,
            String resumeFrom, String heap) throws Exception {
        Path out = file.getParent();
        Files.createDirectories(out);
        Path tmp = out.resolve(CONFIG_FILE + ".tmp");
        Files.writeString(tmp, json.toPrettyString(), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Path events = out.resolve(EventLog.FILE);
        // a fresh run shows only its own events; a resumed one re-reads the history (the resume event trims it)
        EventTail tailer = new EventTail(events, resumeFrom == null ? EventTail.size(events) : 0);
        Workspace ws = ctx.workspace();
        if (ws == null) {
            ctx.ui().execute(() -> record.set("No workspace open: this run is not recorded in a run journal"));
            return child(c, k, file, resumeFrom, heap, out, tailer);
        }
        // the parent records the run (the child never opens the workspace): before the start and at the end
        TrainingRuns runs = new TrainingRuns(ws);
        TrainingRuns.Started started = runs.start(TrainConfig.fromJson(file, json, k), file, resumeFrom, heap);
        ctx.ui().execute(() -> {
            recordedRun.set(started.runId());
            record.set("Recording as run " + started.runId() + " in " + ws.dir().getFileName());
        });
        TrainingRuns.Ending ending = TrainingRuns.Ending.FAILED;
        String reason = null;
        try {
            Integer code = child(c, k, file, resumeFrom, heap, out, tailer);
            ending = TrainingRuns.Ending.SUCCEEDED;
            return code;
        } catch (CancellationException | InterruptedException e) {
            ending = TrainingRuns.Ending.ABORTED;
            reason = "aborted in the training panel; the child process was ended";
            throw e;
        } catch (Exception e) {
            reason = e.getMessage();
            throw e;
        } finally {
            TrainingRuns.Ending end = ending;
            org.personalab.engine.train.TrainSummary s = runs.finish(started, end, reason);
            String text = "Run " + started.runId() + " recorded: " + end.label() + " at step " + s.step() + " of "
                    + s.totalSteps() + (Double.isNaN(s.lastLoss()) ? "" : String.format(java.util.Locale.ROOT,
                            ", final loss %.4f", s.lastLoss())) + (Double.isNaN(s.lastMargin()) ? ""
                                    : String.format(java.util.Locale.ROOT, ", margin %.4f", s.lastMargin()));
            ctx.ui().execute(() -> record.set(text));
        }
    }

    /** Runs the child JVM to its end, pushing what it logs to the UI thread. */
    private Integer child(org.personalab.task.TaskContext c, TrainConfig.Kind k, Path file, String resumeFrom,
            String heap, Path out, EventTail tailer) throws Exception {
        c.message("Starting the training JVM (-Xmx" + heap + ")");
        Process p = TrainProcess.builder(k, file, resumeFrom, heap)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        List<String> stderr = Collections.synchronizedList(new ArrayList<>());
        Thread pump = Thread.ofPlatform().daemon().name("train-stderr").start(() -> {
            try (var r = p.errorReader(StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    stderr.add(line);
                }
            } catch (IOException e) {
                // the child is gone; its exit code tells what happened
            }
        });
        // quitting the workbench (after its warning) must not leave the child training on its own
        Thread reaper = new Thread(() -> TrainProcess.destroyTree(p), "train-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
            while (true) {
                boolean exited = !p.isAlive();
                push(tailer.poll(), out, c);
                if (exited) {
                    break;
                }
                if (c.isCancelled()) {
                    throw new CancellationException("aborted");
                }
                Thread.sleep(POLL_MS);
            }
        } catch (InterruptedException | CancellationException e) {
            TrainProcess.destroyTree(p);
            p.waitFor();
            push(tailer.poll(), out, c);
            throw e instanceof CancellationException ce ? ce : new CancellationException("aborted");
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
        int code = p.waitFor();
        pump.join(5000);
        if (code != 0) {
            String last;
            synchronized (stderr) {
                last = stderr.stream().filter(l -> l.startsWith("error: ")).reduce((a, b) -> b).orElse(null);
            }
            throw new EngineException("training " + TrainProcess.describeExit(code, heap) + (last == null ? ""
                    : ": " + last.substring("error: ".length())));
        }
        return code;
    }

    /** Sends what was read (and the checkpoint folders, when they may have changed) to the UI thread. */
    private void push(List<String> lines, Path out, org.personalab.task.TaskContext c) {
        boolean listing = lines.stream().anyMatch(l -> l.contains("\"checkpoint\"") || l.contains("\"end\"")
                || l.contains("\"resume\""));
        List<Path> found = listing ? listCheckpoints(out) : null;
        long now = System.currentTimeMillis();
        ctx.ui().execute(() -> {
            lines.forEach(monitor::accept);
            if (found != null) {
                checkpoints.setAll(found);
            }
            refreshView(now);
        });
        if (!lines.isEmpty()) {
            c.progress(monitor.stepsDone(), monitor.totalSteps());
        }
    }

    private void finished(TaskState s, String message) {
        if (!running.get() && state.get() == s) {
            return;
        }
        running.set(false);
        state.set(s);
        outcome.set(message == null ? "" : message);
        refreshView(System.currentTimeMillis());
        Path out = configFile().getParent();
        ctx.submit("List checkpoints", c -> new Listing(listCheckpoints(out),
                Files.isRegularFile(out.resolve(LoraAdapter.WEIGHTS_FILE)) ? out : null), l -> {
                    checkpoints.setAll(l.checkpoints());
                    finalAdapter = l.finalAdapter();
                    updateServeCommand();
                }, null);
    }

    private record Listing(List<Path> checkpoints, Path finalAdapter) {
    }

    /** Ends the running child process tree; the task ends as cancelled. */
    public void abort() {
        BackgroundTask<Integer> t = task;
        if (t != null) {
            t.cancel();
        }
    }

    /**
     * Serves the base model with the chosen adapter (the selected checkpoint, else the run's final adapter) through
     * the engine's OpenAI-compatible {@link ChatServer} on a free localhost port, as a background task that runs until
     * {@link #stopServing()}; the URL shows in {@link #serveUrlProperty()}. False when there is nothing to serve or
     * a server is already running.
     */
    public boolean serve() {
        Path adapter = selectedCheckpoint.get() != null ? selectedCheckpoint.get() : finalAdapter;
        String modelText = text("model");
        if (adapter == null || modelText.isEmpty() || serving != null) {
            return false;
        }
        Path model = Path.of(modelText).toAbsolutePath().normalize();
        serveUrl.set("starting…");
        BackgroundTask<Void> t = BackgroundTask.of("Serve " + model.getFileName() + " + " + adapter.getFileName(),
                c -> {
                    c.message("Loading " + model + " with adapter " + adapter);
                    try (LocalModel local = LocalModel.load(model, adapter);
                            ChatServer server = ChatServer.start(local, "127.0.0.1", 0, 1024)) {
                        String url = server.baseUrl();
                        String name = local.name();
                        c.message("Serving at " + url);
                        ctx.ui().execute(() -> {
                            served = new Served(url, name, adapter);
                            serveUrl.set(url);
                        });
                        while (!c.isCancelled()) {
                            Thread.sleep(POLL_MS);
                        }
                    }
                    return null;
                });
        t.addListener(bt -> {
            if (bt.state().isDone()) {
                ctx.ui().execute(() -> {
                    if (serving == bt) {
                        serving = null;
                        served = null;
                        serveUrl.set(bt.state() == TaskState.FAILED ? "failed: " + bt.failureSummary() : "");
                    }
                });
            }
        });
        serving = t;
        ctx.submit(t, null, null);
        return true;
    }

    /** What is being served: the base URL, the model name the server answers to, and the adapter folder. */
    private record Served(String url, String model, Path adapter) {
    }

    /**
     * Registers the running server (see {@link #serve()}) as an OpenAI-compatible provider in the user's
     * {@code providers.json}, as Settings → LLM providers would save it: named {@code local-<adapter>} (the adapter
     * folder's name, with its run folder for a checkpoint), free, with the served model priced at 0 and structured
     * output asked for in the prompt (the server refuses {@code response_format}). Spec generation, simulation and
     * judging then reach it as {@code local-<adapter>:<model>} while it is served. False (with the reason in
     * {@link #providerMessageProperty()}) when nothing is served or the providers file cannot be read or written.
     */
    public boolean addAsProvider() {
        Served s = served;
        if (s == null) {
            providerMessage.set("Serve an adapter first");
            return false;
        }
        String name = providerName(s.adapter());
        Path home = ctx.settings().folder();
        try {
            Provider p = Provider.of(name, s.url(), null).withDefaultPrice(ModelPrice.free())
                    .withModel(new ModelPrice(s.model(), 0, 0)).withStructured(StructuredMode.PROMPT);
            ProviderRegistry registry = ProviderRegistry.load(home).with(p);
            ProviderRegistry.save(home, registry.all());
        } catch (LlmException | IllegalArgumentException e) {
            providerMessage.set("Not added: " + e.getMessage());
            return false;
        }
        addedProvider.set(name);
        providerMessage.set("Added provider " + name + " (" + s.url() + ", free) to "
                + home.resolve(ProviderRegistry.FILE) + "; use it as " + name + ":" + s.model()
                + " while this adapter is served");
        return true;
    }

    /** {@code local-<adapter folder>}, with the run folder before a checkpoint's name; only name-safe characters. */
    static String providerName(Path adapter) {
        String leaf = adapter.getFileName() == null ? "adapter" : adapter.getFileName().toString();
        if (leaf.matches("checkpoint-\\d+") && adapter.getParent() != null
                && adapter.getParent().getFileName() != null) {
            leaf = adapter.getParent().getFileName() + "-" + leaf;
        }
        String n = ("local-" + leaf).replaceAll("[^A-Za-z0-9._-]+", "-");
        return n.length() > 64 ? n.substring(0, 64) : n;
    }

    /** Stops the server started by {@link #serve()}. */
    public void stopServing() {
        BackgroundTask<Void> t = serving;
        if (t != null) {
            t.cancel();
        }
    }

    /** The served model's base URL ({@code http://127.0.0.1:PORT/v1}) while serving, else empty. */
    public StringProperty serveUrlProperty() {
        return serveUrl;
    }

    /** What {@link #addAsProvider()} did, in words. */
    public StringProperty providerMessageProperty() {
        return providerMessage;
    }

    /** The name of the provider {@link #addAsProvider()} registered last (empty before). */
    public StringProperty addedProviderProperty() {
        return addedProvider;
    }

    /** The id of the workspace run that records the last training run (0 when none was recorded). */
    public javafx.beans.property.LongProperty recordedRunProperty() {
        return recordedRun;
    }

    /** Where the last run is recorded and how it ended, in words. */
    public StringProperty recordProperty() {
        return record;
    }

    /** The checkpoint folders ({@code checkpoint-N} with a trainer state) of {@code out}, by step. */
    static List<Path> listCheckpoints(Path out) {
        if (!Files.isDirectory(out)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(p -> p.getFileName().toString().matches("checkpoint-\\d+"))
                    .filter(p -> Files.isRegularFile(p.resolve(TrainCheckpoint.STATE)))
                    .sorted(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(11))))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private void refreshView(long now) {
        points.setAll(monitor.points());
        tail.setAll(monitor.tail());
        totalSteps.set(monitor.totalSteps());
        progress.set(monitor.totalSteps() == 0 ? 0 : (double) monitor.stepsDone() / monitor.totalSteps());
        progressText.set(progressText(monitor, now));
    }

    /** "3 / 8 steps · 0:12 elapsed · 0:20 left". */
    static String progressText(TrainMonitor m, long now) {
        if (m.totalSteps() == 0) {
            return "Waiting for the training process";
        }
        Duration left = m.remaining();
        return m.stepsDone() + " / " + m.totalSteps() + " steps · " + clock(m.elapsed(now)) + " elapsed · "
                + (left == null ? "estimating time left" : clock(left) + " left");
    }

    static String clock(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }

    private void updateServeCommand() {
        Path adapter = selectedCheckpoint.get() != null ? selectedCheckpoint.get() : finalAdapter;
        String model = text("model");
        if (adapter == null || model.isEmpty()) {
            serveCommand.set("");
            return;
        }
        serveCommand.set("personalab serve --model " + quote(Path.of(model).toAbsolutePath().normalize().toString())
                + " --adapter " + quote(adapter.toString()) + " --port 8000");
    }

    private static String quote(String s) {
        return s.matches("[A-Za-z0-9_./:=@%+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    // ---- properties ----

    public ObjectProperty<TrainConfig.Kind> kindProperty() {
        return kind;
    }

    /** The form's text of one field (see {@link #PATH_FIELDS}, {@link #NUMBER_FIELDS}). */
    public StringProperty field(String name) {
        StringProperty p = fields.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no form field '" + name + "'");
        }
        return p;
    }

    /** Validation errors by field name. */
    public ObservableMap<String, String> errors() {
        return errors;
    }

    public StringProperty formErrorProperty() {
        return formError;
    }

    public ObservableList<LossPoint> points() {
        return points;
    }

    public ObservableList<String> tail() {
        return tail;
    }

    public ObservableList<Path> checkpoints() {
        return checkpoints;
    }

    public ObjectProperty<Path> selectedCheckpointProperty() {
        return selectedCheckpoint;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    /** Optimizer steps of the current run (0 until the child reports its start). */
    public javafx.beans.property.ReadOnlyIntegerProperty totalStepsProperty() {
        return totalSteps;
    }

    /** Steps done of the current run. */
    public int stepsDone() {
        return monitor.stepsDone();
    }

    public StringProperty progressTextProperty() {
        return progressText;
    }

    /** The last run's state: RUNNING, SUCCEEDED, FAILED or CANCELLED (null before the first). */
    public ObjectProperty<TaskState> stateProperty() {
        return state;
    }

    /** How the last run ended, in words (the failure reason names the exit code). */
    public StringProperty outcomeProperty() {
        return outcome;
    }

    public BooleanProperty runningProperty() {
        return running;
    }

    /**
     * The {@code personalab serve} command for the base model with the selected checkpoint's adapter, or the final
     * adapter of a finished run when no checkpoint is selected.
     */
    public StringProperty serveCommandProperty() {
        return serveCommand;
    }

    /** A fresh model-download dialog model sharing this panel's task executor (Download… next to the model field). */
    public ModelDownloadViewModel newModelDownload() {
        return new ModelDownloadViewModel(ctx);
    }
}
