package org.personalab.engine.train;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.personalab.engine.EngineException;

/**
 * Entry point of the training child process ({@code personalab train} starts it in its own JVM, so a native crash or
 * an out-of-memory error ends only the child). Arguments: {@code sft|dpo CONFIG [CHECKPOINT|latest]}. Each event-log
 * line is also printed to standard output for the parent; errors go to standard error as one line
 * ({@code error: ...}) with exit code 1, bad arguments exit with 2.
 */
public final class TrainMain {

    private TrainMain() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: TrainMain sft|dpo CONFIG [CHECKPOINT|latest]");
            System.exit(2);
        }
        try {
            TrainConfig.Kind kind = TrainConfig.Kind.parse(args[0]);
            TrainConfig config = TrainConfig.load(Path.of(args[1]), kind);
            Path resume = null;
            if (args.length == 3) {
                resume = args[2].equals("latest") ? TrainCheckpoint.latest(config.outputDir()) : Path.of(args[2]);
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
