package org.personalab.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.personalab.engine.train.EventLog;
import org.personalab.engine.train.TrainConfig;
import org.personalab.engine.train.TrainProcess;
import org.personalab.engine.train.TrainSummary;
import org.personalab.service.TrainingRuns;
import org.personalab.store.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code personalab train sft|dpo --config FILE [--workspace DIR]}: LoRA training of a local model in a child JVM
 * (same Java, same class path, {@code -Xmx} from the config's {@code heap}), so a native crash or running out of
 * memory ends the child and is reported here as a clear error; the calling process (the workbench, a script) lives
 * on. The child's event log lines are shown as they arrive; the full log is {@code output_dir/events.jsonl}. With
 * {@code --workspace} the run is recorded in that workspace's run journal ({@link TrainingRuns}) before the child
 * starts and when it ends (also when this command is interrupted: the child is ended and the run marked aborted).
 */
@Command(name = "train", description = "LoRA fine-tuning of a local model (SFT or DPO) in its own JVM process.",
        subcommands = {TrainCommand.Sft.class, TrainCommand.Dpo.class})
public final class TrainCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "sft", description = "Supervised fine-tuning on chat records ({\"messages\": [...]}), loss on "
            + "assistant tokens only.")
    static final class Sft extends Run {
        Sft() {
            super(TrainConfig.Kind.SFT);
        }
    }

    @Command(name = "dpo", description = "DPO (sigmoid loss) on preference records ({\"prompt\", \"chosen\", "
            + "\"rejected\"}), starting from adapter_init (the SFT adapter), which is also the reference.")
    static final class Dpo extends Run {
        Dpo() {
            super(TrainConfig.Kind.DPO);
        }
    }

    abstract static class Run implements Callable<Integer> {

        private final TrainConfig.Kind kind;

        @Spec
        CommandSpec spec;

        @Option(names = "--config", required = true, description = "Training config (JSON, TRL/PEFT field names).")
        Path config;

        @Option(names = "--resume", arity = "0..1", fallbackValue = "latest", description = "Resume from a "
                + "checkpoint folder, or (without a value) from the latest checkpoint in output_dir.")
        String resume;

        @Option(names = "--heap", description = "-Xmx of the training JVM (default: the config's heap, else 4g).")
        String heap;

        @Option(names = "--device", description = "Where to train: auto (the first GPU DJL sees, else the CPU), cpu, "
                + "cuda or cuda:N (default: the config's device, else auto).")
        String device;

        @Option(names = "--dtype", description = "Weights and activations: auto (float16 on a GPU, float32 on the "
                + "CPU), float32 or float16; the LoRA matrices and optimizer stay float32 (default: the config's "
                + "torch_dtype, else auto).")
        String dtype;

        @Option(names = "--workspace", description = "Record the run (config, dataset exports used, adapter, steps, "
                + "final loss or margin, status) in this workspace's run journal.")
        Path workspace;

        Run(TrainConfig.Kind kind) {
            this.kind = kind;
        }

        @Override
        public Integer call() throws IOException, InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            TrainConfig c = TrainConfig.load(config, kind);
            try {
                c = c.withCompute(device, dtype);
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                return 2;
            }
            String xmx = heap != null ? heap : c.heap();
            try (Workspace ws = workspace == null ? null : Workspace.open(workspace)) {
                TrainingRuns runs = ws == null ? null : new TrainingRuns(ws);
                TrainingRuns.Started run = runs == null ? null : runs.start(c, config, resume, xmx);
                if (run != null) {
                    out.println("Recording as run " + run.runId() + " (" + TrainingRuns.RUN_KIND + ") in " + ws.dir());
                }
                AtomicBoolean recorded = new AtomicBoolean(run == null);
                Process[] child = new Process[1];
                // Ctrl-C or a kill of this command: end the child too, and record the run as aborted
                Thread hook = new Thread(() -> {
                    if (child[0] != null) {
                        TrainProcess.destroyTree(child[0]);
                    }
                    if (recorded.compareAndSet(false, true)) {
                        runs.finish(run, TrainingRuns.Ending.ABORTED, "the train command was interrupted");
                    }
                }, "train-interrupted");
                Runtime.getRuntime().addShutdownHook(hook);
                try {
                    Outcome o = train(c, xmx, out, err, child);
                    if (recorded.compareAndSet(false, true)) {
                        TrainSummary s = runs.finish(run, o.code() == 0 ? TrainingRuns.Ending.SUCCEEDED
                                : TrainingRuns.Ending.FAILED, o.reason());
                        out.println("Recorded run " + run.runId() + ": " + (o.code() == 0 ? "succeeded" : "failed")
                                + " after step " + s.step() + " of " + s.totalSteps() + (Double.isNaN(s.lastLoss())
                                        ? "" : String.format(java.util.Locale.ROOT, ", final loss %.4f",
                                                s.lastLoss())) + (Double.isNaN(s.lastMargin()) ? ""
                                                        : String.format(java.util.Locale.ROOT, ", margin %.4f",
                                                                s.lastMargin())));
                    }
                    return o.code() == 0 ? 0 : 1;
                } catch (InterruptedException e) {
                    if (child[0] != null) {
                        TrainProcess.destroyTree(child[0]);
                    }
                    if (recorded.compareAndSet(false, true)) {
                        runs.finish(run, TrainingRuns.Ending.ABORTED, "the train command was interrupted");
                    }
                    throw e;
                } catch (IOException | RuntimeException e) {
                    if (recorded.compareAndSet(false, true)) {
                        runs.finish(run, TrainingRuns.Ending.FAILED, e.getMessage());
                    }
                    throw e;
                } finally {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException shuttingDown) {
                        // the hook is running
                    }
                }
            }
        }

        /** How the child ended: its exit code and, when it failed, why. */
        private record Outcome(int code, String reason) {
        }

        private Outcome train(TrainConfig c, String xmx, PrintWriter out, PrintWriter err, Process[] child)
                throws IOException, InterruptedException {
            out.println("Training (" + kind.code() + ") in a child JVM with -Xmx" + xmx + ", device " + c.device()
                    + ", torch_dtype " + c.torchDtype() + "; events in " + c.outputDir().resolve("events.jsonl"));
            out.flush();
            Process p = TrainProcess.start(kind, config, resume, xmx, device == null ? null : c.device(),
                    dtype == null ? null : c.torchDtype());
            child[0] = p;
            List<String> errors = new ArrayList<>();
            Thread errPump = Thread.ofPlatform().daemon().name("train-stderr").start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (errors) {
                            errors.add(line);
                        }
                        err.println(line);
                        err.flush();
                    }
                } catch (IOException e) {
                    // the child is gone; its exit code tells what happened
                }
            });
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.println(render(line));
                    out.flush();
                }
            }
            int code = p.waitFor();
            errPump.join(5000);
            if (code == 0) {
                out.println("Training finished; adapter (PEFT format) in " + c.outputDir());
                return new Outcome(0, null);
            }
            String last;
            synchronized (errors) {
                last = errors.stream().filter(l -> l.startsWith("error: ")).reduce((a, b) -> b).orElse(null);
            }
            String reason = "training " + describeExit(code, xmx) + (last == null ? ""
                    : ": " + last.substring("error: ".length()));
            err.println("error: " + reason);
            err.flush();
            return new Outcome(code, reason);
        }

        /** The child's command line (see {@link TrainProcess#command}). */
        static List<String> command(TrainConfig.Kind kind, Path config, String resume, String xmx) {
            return TrainProcess.command(kind, config, resume, xmx);
        }

        /** One readable line for an event-log line (see {@link EventLog#render}). */
        static String render(String line) {
            return EventLog.render(line);
        }
    }

    /** What the child's exit code means (see {@link TrainProcess#describeExit}). */
    static String describeExit(int code, String xmx) {
        return TrainProcess.describeExit(code, xmx);
    }
}
