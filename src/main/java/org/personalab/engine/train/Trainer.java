package org.personalab.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.personalab.engine.DecoderModel;
import org.personalab.engine.DjlRuntime;
import org.personalab.engine.EngineException;
import org.personalab.engine.HostTensor;
import org.personalab.engine.KvCache;
import org.personalab.engine.LoraAdapter;

/**
 * The training loop both objectives share, as Hugging Face's Trainer runs it: micro-batches of
 * {@code per_device_train_batch_size} from a seeded shuffle per epoch, gradients summed over
 * {@code gradient_accumulation_steps} backward passes (each micro-batch's loss divided by the whole step's item count,
 * so k micro-batches of b equal one batch of k·b), clipping by global norm, AdamW with linear warm-up and decay, a
 * {@link EventLog} line every {@code logging_steps}, a {@link TrainCheckpoint} every {@code save_steps}, and the final
 * adapter in PEFT format in {@code output_dir}. Only the LoRA matrices train; the base weights stay frozen.
 */
public abstract class Trainer implements AutoCloseable {

    /** What one micro-batch contributed: its share of the step loss and metric sums. */
    protected record Micro(double loss, long tokens, double[] metrics) {
    }

    /** How a run ended. */
    public record Result(int steps, double firstLoss, double lastLoss, Path adapterDir) {
    }

    /**
     * What one optimizer step did: its loss (unscaled), the gradient norm before clipping, the learning rate, the
     * items and tokens it trained on, and whether float16 gradients overflowed so the update was skipped.
     */
    record Step(double loss, double gradNorm, double lr, long items, long tokens, double[] metrics, boolean skipped) {
    }

    protected final TrainConfig config;
    protected final DecoderModel model;
    protected final LoraAdapter adapter;
    private final TrainableAdapter params;
    private final AdamW optimizer;
    private final int examples;
    private final int totalSteps;
    private final LrSchedule schedule;
    private final LossScaler scaler;
    private int skippedSteps;
    private int startStep;
    private Consumer<String> echo;

    protected Trainer(TrainConfig config, DecoderModel model, LoraAdapter adapter, int examples) {
        this.config = config;
        this.model = model;
        this.adapter = adapter;
        this.examples = examples;
        this.params = new TrainableAdapter(adapter);
        this.optimizer = new AdamW(params.values(), config.adamBeta1(), config.adamBeta2(), config.adamEpsilon(),
                config.weightDecay());
        this.totalSteps = config.totalSteps(examples);
        this.schedule = new LrSchedule(config.learningRate(), config.warmup(totalSteps), totalSteps,
                config.lrSchedulerType());
        this.scaler = new LossScaler(model.compute().dtype() == org.personalab.engine.DType.F16);
    }

    /** Echo every event line to {@code echo} as well (the child process prints them for its parent). */
    public void echoTo(Consumer<String> echo) {
        this.echo = echo;
    }

    public int totalSteps() {
        return totalSteps;
    }

    /** Items (SFT: trained tokens; DPO: pairs) the loss of a micro-batch is averaged over. */
    protected abstract long items(int[] batch);

    /** Runs one micro-batch forward and backward inside {@code gc}; the loss is divided by {@code normaliser}. */
    protected abstract Micro micro(int[] batch, double normaliser, GradientCollector gc);

    /** Names of the metrics {@link Micro#metrics} sums (averaged over items in the log). */
    protected abstract List<String> metricNames();

    /** Tensors a checkpoint must keep besides adapter and optimizer (DPO: reference log-probabilities). */
    protected Map<String, HostTensor> extraState() {
        return Map.of();
    }

    /** Restores what {@link #extraState} saved. */
    protected void restoreExtra(Map<String, HostTensor> extra, Path from) {
    }

    /** Fields describing the data for the start event. */
    protected abstract void describe(ObjectNode start);

    /** Restores adapter weights (already loaded by the caller), optimizer and extras from a checkpoint. */
    public void resumeFrom(Path checkpoint) {
        TrainCheckpoint.State s = TrainCheckpoint.load(checkpoint);
        ObjectNode j = s.json();
        check(checkpoint, j, "seed", config.seed());
        check(checkpoint, j, "total_steps", totalSteps);
        check(checkpoint, j, "examples", examples);
        check(checkpoint, j, "gradient_accumulation_steps", config.gradientAccumulationSteps());
        check(checkpoint, j, "per_device_train_batch_size", config.batchSize());
        if (!j.path("kind").asText().equals(config.kind().code())) {
            throw new EngineException(checkpoint + ": a " + j.path("kind").asText() + " checkpoint cannot resume "
                    + config.kind().code() + " training");
        }
        optimizer.restore(s.optimizer(), params.names(), s.step(), checkpoint.toString());
        scaler.restore(j.path("loss_scale").asDouble(LossScaler.INITIAL), j.path("loss_scale_good_steps").asInt(0));
        restoreExtra(s.extra(), checkpoint);
        startStep = s.step();
    }

    private static void check(Path dir, ObjectNode j, String field, int expected) {
        if (j.path(field).asInt(Integer.MIN_VALUE) != expected) {
            throw new EngineException(dir + ": " + TrainCheckpoint.STATE + " has " + field + " = " + j.get(field)
                    + ", this run has " + expected + "; resuming would not continue the same run");
        }
    }

    /** Trains from the current step to the end. */
    public Result train() {
        Path out = config.outputDir();
        double first = Double.NaN;
        double last = Double.NaN;
        try (EventLog log = new EventLog(out, echo)) {
            ObjectNode start = EventLog.event(startStep == 0 ? "start" : "resume");
            start.put("kind", config.kind().code());
            start.put("step", startStep);
            start.put("total_steps", totalSteps);
            start.put("examples", examples);
            start.put("trainable_parameters", params.size());
            start.put("seed", config.seed());
            start.put("device", model.compute().device());
            start.put("torch_dtype", model.compute().torchDtype());
            if (scaler.enabled()) {
                start.put("loss_scale", scaler.scale());
            }
            describe(start);
            log.write(start);
            Window w = new Window(metricNames().size());
            for (int step = startStep; step < totalSteps; step++) {
                Step st = step(step);
                double loss = st.loss();
                if (!Double.isFinite(loss)) {
                    throw new EngineException("the loss became " + loss + " at step " + (step + 1)
                            + "; lower learning_rate" + (scaler.enabled() ? " or train in float32 (torch_dtype)"
                                    : ""));
                }
                w.tokens += st.tokens();
                for (int k = 0; k < st.metrics().length; k++) {
                    w.metrics[k] += st.metrics()[k];
                }
                // a skipped step has no gradient norm; the log line counts it instead
                double norm = st.skipped() ? 0 : st.gradNorm();
                double lr = st.lr();
                long items = st.items();
                if (st.skipped()) {
                    w.skipped++;
                    ObjectNode e = EventLog.event("overflow");
                    e.put("step", step + 1);
                    e.put("loss_scale", scaler.scale());
                    e.put("message", "float16 gradients overflowed; update skipped, loss scale lowered");
                    log.write(e);
                }
                first = Double.isNaN(first) ? loss : first;
                last = loss;
                w.add(loss, norm, lr, items);
                int done = step + 1;
                if (done % config.loggingSteps() == 0 || done == totalSteps) {
                    log.write(w.event(done, epoch(done), metricNames()));
                    w = new Window(metricNames().size());
                }
                if (done % config.saveSteps() == 0 && done < totalSteps) {
                    Path c = TrainCheckpoint.save(out, adapter, state(done),
                            optimizer.state(params.names()), extraState());
                    ObjectNode e = EventLog.event("checkpoint");
                    e.put("step", done);
                    e.put("path", c.toString());
                    log.write(e);
                }
            }
            Path adapterDir = saveFinal(out);
            ObjectNode end = EventLog.event("end");
            end.put("step", totalSteps);
            end.put("adapter", adapterDir.toString());
            log.write(end);
            return new Result(totalSteps, first, last, adapterDir);
        }
    }

    /**
     * Runs optimizer step {@code step} (0-based): its micro-batches forward and backward (gradients summed, the loss
     * scaled for float16), the gradients unscaled, clipped by global norm, and AdamW at the schedule's learning rate.
     * A float16 step whose gradients overflowed leaves the adapter and optimizer as they were.
     */
    Step step(int step) {
        int accum = config.gradientAccumulationSteps();
        int[][] batches = new int[accum][];
        long items = 0;
        for (int i = 0; i < accum; i++) {
            batches[i] = batch((long) step * accum + i);
            items += items(batches[i]);
        }
        double normaliser = Math.max(1, items);
        double scale = scaler.scale();
        double loss = 0;
        long tokens = 0;
        double[] metrics = new double[metricNames().size()];
        params.dropout(config.lora().loraDropout());
        for (int i = 0; i < accum; i++) {
            if (config.lora().loraDropout() > 0) {
                DjlRuntime.engine().setRandomSeed(config.seed() + step * accum + i);
            }
            try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
                Micro m = micro(batches[i], normaliser / scale, gc);
                loss += m.loss() / scale;
                tokens += m.tokens();
                for (int k = 0; k < m.metrics().length; k++) {
                    metrics[k] += m.metrics()[k];
                }
            }
        }
        params.dropout(0);
        List<float[]> grads = params.takeGradients();
        boolean apply = scaler.unscale(grads);
        double lr = schedule.at(step);
        double norm;
        if (apply) {
            norm = AdamW.clipByGlobalNorm(grads, config.maxGradNorm());
            List<float[]> values = params.values();
            optimizer.step(values, grads, lr);
            params.write(values);
        } else {
            norm = Double.NaN;
            skippedSteps++;
        }
        return new Step(loss, norm, lr, items, tokens, metrics, !apply);
    }

    /** Steps skipped so far because float16 gradients overflowed. */
    int skippedSteps() {
        return skippedSteps;
    }

    private double epoch(int steps) {
        return (double) steps / config.stepsPerEpoch(examples);
    }

    private ObjectNode state(int step) {
        ObjectNode s = EventLog.MAPPER.createObjectNode();
        s.put("global_step", step);
        s.put("kind", config.kind().code());
        s.put("seed", config.seed());
        s.put("total_steps", totalSteps);
        s.put("examples", examples);
        s.put("per_device_train_batch_size", config.batchSize());
        s.put("gradient_accumulation_steps", config.gradientAccumulationSteps());
        s.put("epoch", epoch(step));
        s.put("device", model.compute().device());
        s.put("torch_dtype", model.compute().torchDtype());
        if (scaler.enabled()) {
            s.put("loss_scale", scaler.scale());
            s.put("loss_scale_good_steps", scaler.goodSteps());
        }
        s.put("rng", "data order of epoch e from seed + e; dropout of micro-batch m from seed + m");
        return s;
    }

    /** Saves the adapter into {@code out} (weights, then config, each replaced atomically). */
    private Path saveFinal(Path out) {
        Path tmp = out.resolve(".final.tmp");
        try {
            TrainCheckpoint.deleteTree(tmp);
            adapter.save(tmp);
            for (String f : List.of(LoraAdapter.WEIGHTS_FILE, LoraAdapter.CONFIG_FILE)) {
                Files.move(tmp.resolve(f), out.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            TrainCheckpoint.deleteTree(tmp);
            return out;
        } catch (IOException e) {
            throw new EngineException(out + ": cannot save the adapter: " + e.getMessage(), e);
        }
    }

    /** Example indices of micro-batch {@code m} of the run (epochs drop the batches that do not fill a step). */
    int[] batch(long m) {
        int perEpoch = config.stepsPerEpoch(examples) * config.gradientAccumulationSteps();
        int epoch = (int) (m / perEpoch);
        int j = (int) (m % perEpoch);
        int[] order = order(epoch);
        int from = j * config.batchSize();
        int to = Math.min(examples, from + config.batchSize());
        if (from >= examples) {
            from = (from % examples);
            to = Math.min(examples, from + config.batchSize());
        }
        return Arrays.copyOfRange(order, from, to);
    }

    private int cachedEpoch = -1;
    private int[] cachedOrder;

    private int[] order(int epoch) {
        if (epoch != cachedEpoch) {
            int[] o = new int[examples];
            for (int i = 0; i < examples; i++) {
                o[i] = i;
            }
            Random r = new Random(config.seed() + (long) epoch);
            for (int i = examples - 1; i > 0; i--) {
                int k = r.nextInt(i + 1);
                int t = o[i];
                o[i] = o[k];
                o[k] = t;
            }
            cachedOrder = o;
            cachedEpoch = epoch;
        }
        return cachedOrder;
    }

    /**
     * Sum of log p(label) over each sequence's labelled positions, {@code [B]}, for sequences run as one left-padded
     * batch. Computed inside the caller's scope; the result is part of the autograd graph when a collector is open.
     */
    protected NDArray sequenceLogProbs(List<Sequence> seqs) {
        int b = seqs.size();
        int len = 0;
        for (Sequence s : seqs) {
            len = Math.max(len, s.ids().length);
        }
        if (len < 2) {
            throw new EngineException("a training sequence needs at least 2 tokens");
        }
        int[][] tokens = new int[b][len];
        boolean[][] valid = new boolean[b][len];
        long[] target = new long[b * (len - 1)];
        float[] mask = new float[b * (len - 1)];
        for (int r = 0; r < b; r++) {
            Sequence s = seqs.get(r);
            int pad = len - s.ids().length;
            for (int t = 0; t < s.ids().length; t++) {
                tokens[r][pad + t] = s.ids()[t];
                valid[r][pad + t] = true;
            }
            for (int t = 1; t < s.ids().length; t++) {
                int label = s.labels()[t];
                int slot = r * (len - 1) + pad + t - 1;
                if (label != Sequence.IGNORE) {
                    target[slot] = label;
                    mask[slot] = 1;
                }
            }
        }
        NDManager manager = model.manager();
        NDArray logits;
        try (KvCache cache = model.newCache(b)) {
            logits = model.forward(tokens, valid, cache, false);
        }
        NDScope.register(logits);
        NDArray logp = logits.get(new NDIndex(":, :-1, :")).logSoftmax(-1);
        NDArray idx = manager.create(target, new Shape(b, len - 1, 1));
        NDArray picked = logp.gather(idx, 2).reshape(b, len - 1);
        return picked.mul(manager.create(mask, new Shape(b, len - 1))).sum(new int[] {1});
    }

    /** Stable {@code log(1 + e^x)}. */
    protected static NDArray softplus(NDArray x) {
        return x.maximum(0).add(x.abs().neg().exp().add(1).log());
    }

    static float[] floats(NDArray a) {
        return a.toType(DataType.FLOAT32, false).toFloatArray();
    }

    @Override
    public void close() {
        adapter.close();
        model.close();
    }

    /** Sums over a logging window. */
    private static final class Window {
        double loss;
        double norm;
        double lr;
        long items;
        long tokens;
        int steps;
        int skipped;
        final double[] metrics;
        final long started = System.nanoTime();

        Window(int metrics) {
            this.metrics = new double[metrics];
        }

        void add(double loss, double norm, double lr, long items) {
            this.loss += loss;
            this.norm += norm;
            this.lr = lr;
            this.items += items;
            steps++;
        }

        ObjectNode event(int step, double epoch, List<String> names) {
            ObjectNode e = EventLog.event("log");
            double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
            e.put("step", step);
            e.put("epoch", epoch);
            e.put("loss", loss / steps);
            e.put("lr", lr);
            e.put("grad_norm", norm / steps);
            for (int k = 0; k < names.size(); k++) {
                e.put(names.get(k), metrics[k] / Math.max(1, items));
            }
            e.put("tokens/s", tokens / seconds);
            if (skipped > 0) {
                e.put("skipped_steps", skipped);
            }
            e.put("memory_mb", residentMb());
            e.put("heap_mb", (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1048576.0);
            return e;
        }
    }

    /** Resident memory of the process in MiB (native libtorch memory included), or -1 where /proc is absent. */
    static double residentMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Creates the model and adapter a run starts from: a checkpoint, the init adapter, or a fresh adapter. */
    static LoraAdapter startingAdapter(TrainConfig config, DecoderModel model, Path resume) {
        if (resume != null) {
            return LoraAdapter.load(model, resume);
        }
        if (config.adapterInit() != null) {
            return LoraAdapter.load(model, config.adapterInit());
        }
        return LoraAdapter.create(model, config.lora(), config.seed());
    }

    /** The list of {@code indices} picked out of {@code all}. */
    static <T> List<T> pick(List<T> all, int[] indices) {
        List<T> out = new ArrayList<>(indices.length);
        for (int i : indices) {
            out.add(all.get(i));
        }
        return out;
    }
}
