package org.personalab.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.personalab.engine.DType;
import org.personalab.engine.EngineException;
import org.personalab.engine.HostTensor;
import org.personalab.engine.LoraAdapter;
import org.personalab.engine.SafeTensorsFile;
import org.personalab.engine.SafeTensorsWriter;

/**
 * A training checkpoint, {@code output_dir/checkpoint-N} as Hugging Face's Trainer names it: the adapter in PEFT
 * format (so any checkpoint serves as an adapter), {@code optimizer.safetensors} (AdamW moments, float32, exact),
 * {@code extra.safetensors} (the DPO reference log-probabilities) and {@code trainer_state.json} (step, seed, the
 * settings that must match on resume). The folder is written under a temporary name and renamed into place, so a
 * crash leaves either the whole checkpoint or none. Randomness needs no saved state: the data order of epoch e is
 * drawn from {@code seed + e} and the dropout of micro-batch m from {@code seed + m}.
 */
public final class TrainCheckpoint {

    public static final String STATE = "trainer_state.json";
    static final String OPTIMIZER = "optimizer.safetensors";
    static final String EXTRA = "extra.safetensors";

    /** What a checkpoint holds besides the adapter. */
    public record State(int step, ObjectNode json, Map<String, HostTensor> optimizer, Map<String, HostTensor> extra) {
    }

    private TrainCheckpoint() {
    }

    /** Writes {@code output/checkpoint-<step>} atomically; returns it. */
    static Path save(Path output, LoraAdapter adapter, ObjectNode state, Map<String, HostTensor> optimizer,
            Map<String, HostTensor> extra) {
        int step = state.get("global_step").asInt();
        Path target = output.resolve("checkpoint-" + step);
        Path tmp = output.resolve(".checkpoint-" + step + ".tmp");
        try {
            deleteTree(tmp);
            Files.createDirectories(tmp);
            adapter.save(tmp);
            SafeTensorsWriter.write(tmp.resolve(OPTIMIZER), optimizer, DType.F32, Map.of("format", "pt"));
            if (!extra.isEmpty()) {
                SafeTensorsWriter.write(tmp.resolve(EXTRA), extra, DType.F32, Map.of("format", "pt"));
            }
            Files.writeString(tmp.resolve(STATE), state.toPrettyString(), StandardCharsets.UTF_8);
            deleteTree(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new EngineException(target + ": cannot write the checkpoint: " + e.getMessage(), e);
        }
    }

    /** Reads a checkpoint folder written by {@link #save}. */
    public static State load(Path dir) {
        Path stateFile = dir.resolve(STATE);
        if (!Files.isRegularFile(stateFile) || !Files.isRegularFile(dir.resolve(OPTIMIZER))) {
            throw new EngineException(dir + ": not a training checkpoint (needs " + STATE + " and " + OPTIMIZER + ")");
        }
        JsonNode json;
        try {
            json = EventLog.MAPPER.readTree(Files.readString(stateFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new EngineException(stateFile + ": cannot read: " + e.getMessage(), e);
        }
        if (!(json instanceof ObjectNode o) || !o.path("global_step").canConvertToInt()) {
            throw new EngineException(stateFile + ": field 'global_step' is missing");
        }
        return new State(o.get("global_step").asInt(), o, readAll(dir.resolve(OPTIMIZER)),
                Files.isRegularFile(dir.resolve(EXTRA)) ? readAll(dir.resolve(EXTRA)) : Map.of());
    }

    /** The checkpoint with the highest step in {@code output}, or null when there is none. */
    public static Path latest(Path output) {
        if (!Files.isDirectory(output)) {
            return null;
        }
        try (Stream<Path> s = Files.list(output)) {
            return s.filter(p -> p.getFileName().toString().matches("checkpoint-\\d+"))
                    .filter(p -> Files.isRegularFile(p.resolve(STATE)))
                    .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(11))))
                    .orElse(null);
        } catch (IOException e) {
            throw new EngineException(output + ": cannot list checkpoints: " + e.getMessage(), e);
        }
    }

    private static Map<String, HostTensor> readAll(Path file) {
        SafeTensorsFile f = SafeTensorsFile.open(file);
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (String n : f.names()) {
            out.put(n, f.read(n));
        }
        return out;
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
