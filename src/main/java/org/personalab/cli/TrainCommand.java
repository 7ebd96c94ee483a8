package org.personalab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.personalab.engine.train.TrainConfig;
import org.personalab.engine.train.TrainMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code personalab train sft|dpo --config FILE}: LoRA training of a local model in a child JVM (same Java, same
 * class path, {@code -Xmx} from the config's {@code heap}), so a native crash or running out of memory ends the child
 * and is reported here as a clear error; the calling process (the workbench, a script) lives on. The child's event
 * log lines are shown as they arrive; the full log is {@code output_dir/events.jsonl}.
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

        private static final ObjectMapper MAPPER = new ObjectMapper();
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

        Run(TrainConfig.Kind kind) {
            this.kind = kind;
        }

        @Override
        public Integer call() throws IOException, InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            TrainConfig c = TrainConfig.load(config, kind);
            String xmx = heap != null ? heap : c.heap();
            List<String> cmd = command(kind, config, resume, xmx);
            out.println("Training (" + kind.code() + ") in a child JVM with -Xmx" + xmx + "; events in "
                    + c.outputDir().resolve("events.jsonl"));
            out.flush();
            Process p = new ProcessBuilder(cmd).start();
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
                return 0;
            }
            String last;
            synchronized (errors) {
                last = errors.stream().filter(l -> l.startsWith("error: ")).reduce((a, b) -> b).orElse(null);
            }
            err.println("error: training " + describeExit(code, xmx) + (last == null ? "" : ": "
                    + last.substring("error: ".length())));
            err.flush();
            return 1;
        }

        /** The child's command line: this Java, this class path, the heap, {@link TrainMain}. */
        static List<String> command(TrainConfig.Kind kind, Path config, String resume, String xmx) {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx" + xmx);
            cmd.add("-XX:+ExitOnOutOfMemoryError");
            cmd.add("--enable-native-access=ALL-UNNAMED");
            cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
            cmd.add("-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error");
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(TrainMain.class.getName());
            cmd.add(kind.code());
            cmd.add(config.toAbsolutePath().toString());
            if (resume != null) {
                cmd.add(resume);
            }
            return cmd;
        }

        /** One readable line for an event-log line (other lines pass through). */
        static String render(String line) {
            JsonNode e;
            try {
                e = MAPPER.readTree(line);
            } catch (IOException ex) {
                return line;
            }
            if (e == null || !e.isObject() || !e.has("event")) {
                return line;
            }
            return switch (e.get("event").asText()) {
                case "log" -> {
                    StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                            "step %d  epoch %.2f  loss %.4f  lr %.3g  grad_norm %.3f", e.path("step").asInt(),
                            e.path("epoch").asDouble(), e.path("loss").asDouble(), e.path("lr").asDouble(),
                            e.path("grad_norm").asDouble()));
                    if (e.has("rewards/margins")) {
                        b.append(String.format(Locale.ROOT, "  margin %.4f  acc %.2f",
                                e.get("rewards/margins").asDouble(), e.path("rewards/accuracies").asDouble()));
                    }
                    b.append(String.format(Locale.ROOT, "  %.0f tok/s  %.0f MiB", e.path("tokens/s").asDouble(),
                            e.path("memory_mb").asDouble()));
                    yield b.toString();
                }
                case "start", "resume" -> e.get("event").asText() + ": " + e.path("examples").asInt() + " examples, "
                        + e.path("total_steps").asInt() + " steps from step " + e.path("step").asInt() + ", "
                        + e.path("trainable_parameters").asLong() + " trainable parameters; "
                        + e.path("truncation").asText();
                case "checkpoint" -> "checkpoint at step " + e.path("step").asInt() + ": " + e.path("path").asText();
                case "end" -> "done after step " + e.path("step").asInt();
                default -> line;
            };
        }
    }

    /** What the child's exit code means. */
    static String describeExit(int code, String xmx) {
        return switch (code) {
            case 1 -> "failed (exit code 1)";
            case 2 -> "child was started wrongly (exit code 2)";
            case 3 -> "ran out of Java heap (exit code 3, -Xmx" + xmx + "); raise 'heap' in the config or --heap";
            case 134 -> "crashed in native code (SIGABRT, exit code 134; e.g. libtorch aborted or CUDA out of memory)";
            case 137 -> "was killed (SIGKILL, exit code 137; usually the system ran out of memory)";
            case 139 -> "crashed in native code (SIGSEGV, exit code 139)";
            default -> code > 128 ? "was ended by signal " + (code - 128) + " (exit code " + code + ")"
                    : "failed (exit code " + code + ")";
        };
    }
}
