package org.personalab.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.function.Consumer;
import org.personalab.engine.EngineException;

/**
 * A run's event log: one JSON object per line in {@code events.jsonl}, flushed as each line is written so a reader
 * (the parent process, a plot) sees progress live and a crash loses at most the line being written. Every line has
 * {@code "event"} ({@code start}, {@code resume}, {@code log}, {@code checkpoint}, {@code end}) and {@code "time"}
 * (epoch milliseconds); {@code log} lines carry step, epoch, loss, lr, grad_norm, tokens/s and memory_mb, and for DPO
 * the rewards/* metrics under TRL's names. A resumed run appends to the same file.
 */
public final class EventLog implements AutoCloseable {

    public static final String FILE = "events.jsonl";
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final BufferedWriter out;
    private final Path file;
    private final Consumer<String> echo;

    /** @param echo receives each line too (may be null) */
    public EventLog(Path dir, Consumer<String> echo) {
        this.file = dir.resolve(FILE);
        this.echo = echo;
        try {
            Files.createDirectories(dir);
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new EngineException(file + ": cannot open the event log: " + e.getMessage(), e);
        }
    }

    /** A new event object of type {@code event}, stamped with the time. */
    public static ObjectNode event(String event) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("event", event);
        o.put("time", System.currentTimeMillis());
        return o;
    }

    public synchronized void write(ObjectNode event) {
        String line = event.toString();
        try {
            out.write(line);
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new EngineException(file + ": cannot write the event log: " + e.getMessage(), e);
        }
        if (echo != null) {
            echo.accept(line);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new EngineException(file + ": " + e.getMessage(), e);
        }
    }

    /** One readable line for an event-log line ({@code step 3  epoch 1.50  loss ...}); other lines pass through. */
    public static String render(String line) {
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
                    + e.path("trainable_parameters").asLong() + " trainable parameters"
                    + (e.has("device") ? " on " + e.path("device").asText() + " in " + e.path("torch_dtype").asText()
                            : "") + "; " + e.path("truncation").asText();
            case "overflow" -> "step " + e.path("step").asInt() + ": float16 gradients overflowed, update skipped; "
                    + "loss scale now " + e.path("loss_scale").asDouble();
            case "checkpoint" -> "checkpoint at step " + e.path("step").asInt() + ": " + e.path("path").asText();
            case "end" -> "done after step " + e.path("step").asInt();
            default -> line;
        };
    }
}
