package org.personalab.engine.train;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.personalab.engine.EngineException;

/**
 * Entry point of the training child process ({@code personalab train} starts it in its own JVM, so a native crash or
 * an out-of-memory error ends only the child). Arguments: {@code sft|dpo CONFIG [CHECKPOINT|latest] [--device D]
 * [--torch-dtype T]}; the options override the config's {@code device} and {@code torch_dtype}. Each event-log line
 * is also printed to standard output for the parent; errors go to standard error as one line ({@code error: ...})
 * with exit code 1, bad arguments exit with 2.
 */
public final class TrainMain {

    private TrainMain() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        java.util.List<String> positional = new java.util.ArrayList<>();
        String device = null;
        String dtype = null;
        for (int i = 0; i < args.length; i++) {
            if ((args[i].equals("--device") || args[i].equals("--torch-dtype")) && i + 1 < args.length) {
                if (args[i].equals("--device")) {
                    device = args[++i];
                } else {
                    dtype = args[++i];
                }
            } else {
                positional.add(args[i]);
            }
        }
        if (positional.size() < 2 || positional.size() > 3) {
            System.err.println("usage: TrainMain sft|dpo CONFIG [CHECKPOINT|latest] [--device D] [--torch-dtype T]");
            System.exit(2);
        }
        try {
            TrainConfig.Kind kind = TrainConfig.Kind.parse(positional.get(0));
            Path file = Path.of(positional.get(1));
            TrainConfig config = TrainConfig.load(file, kind);
            try {
                config = config.withCompute(device, dtype);
            } catch (IllegalArgumentException e) {
                throw new EngineException("command line: " + e.getMessage(), e);
            }
            Path resume = null;
            if (positional.size() == 3) {
                String r = positional.get(2);
                resume = r.equals("latest") ? TrainCheckpoint.latest(config.outputDir()) : Path.of(r);
                if (resume == null) {
                    throw new EngineException(config.outputDir() + ": no checkpoint to resume from");
                }
            }
            try (Trainer t = kind == TrainConfig.Kind.SFT ? SftTrainer.create(config, resume)
                    : DpoTrainer.create(config, resume)) {
                t.echoTo(out::println);
                t.train();
            }
            System.exit(0);
        } catch (EngineException | IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }
}
