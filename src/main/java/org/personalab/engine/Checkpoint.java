package org.personalab.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The weights of a Hugging Face model folder: either one {@code model.safetensors} or shards listed by
 * {@code model.safetensors.index.json} ({@code weight_map}: tensor name → shard file). Tensors are read on demand.
 */
public final class Checkpoint {

    public static final String SINGLE = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path dir;
    private final Map<String, SafeTensorsFile> byTensor;

    private Checkpoint(Path dir, Map<String, SafeTensorsFile> byTensor) {
        this.dir = dir;
        this.byTensor = byTensor;
    }

    /** Opens the weights of model folder {@code dir}. */
    public static Checkpoint open(Path dir) {
        Path index = dir.resolve(INDEX);
        Path single = dir.resolve(SINGLE);
        Map<String, SafeTensorsFile> byTensor = new LinkedHashMap<>();
        if (Files.isRegularFile(index)) {
            JsonNode root;
            try {
                root = MAPPER.readTree(Files.readString(index, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new EngineException(index + ": cannot read: " + e.getMessage(), e);
            }
            JsonNode map = root == null ? null : root.get("weight_map");
            if (map == null || !map.isObject()) {
                throw new EngineException(index + ": field 'weight_map' (tensor name → shard file) is missing");
            }
            Map<String, SafeTensorsFile> shards = new LinkedHashMap<>();
            for (var e : map.properties()) {
                String shardName = e.getValue().asText();
                Path shardPath = dir.resolve(shardName).normalize();
                if (!shardPath.startsWith(dir.normalize()) || !Files.isRegularFile(shardPath)) {
                    throw new EngineException(index + ": weight_map['" + e.getKey() + "'] names shard '" + shardName
                            + "', which is not a file in " + dir);
                }
                SafeTensorsFile shard = shards.computeIfAbsent(shardName, n -> SafeTensorsFile.open(shardPath));
                if (!shard.contains(e.getKey())) {
                    throw new EngineException(index + ": weight_map says '" + e.getKey() + "' is in " + shardName
                            + ", but that file has no such tensor");
                }
                byTensor.put(e.getKey(), shard);
            }
        } else if (Files.isRegularFile(single)) {
            SafeTensorsFile f = SafeTensorsFile.open(single);
            for (String n : f.names()) {
                byTensor.put(n, f);
            }
        } else {
            throw new EngineException(dir + ": no " + SINGLE + " or " + INDEX + " (a Hugging Face model folder "
                    + "with safetensors weights is expected)");
        }
        return new Checkpoint(dir, Collections.unmodifiableMap(byTensor));
    }

    public Path dir() {
        return dir;
    }

    public Set<String> names() {
        return byTensor.keySet();
    }

    public boolean contains(String name) {
        return byTensor.containsKey(name);
    }

    /** Reads tensor {@code name} and checks its shape; the message names the file when it is absent or wrong. */
    public HostTensor read(String name, long... expectedShape) {
        SafeTensorsFile f = byTensor.get(name);
        if (f == null) {
            throw new EngineException(dir + ": weight '" + name + "' is missing from the checkpoint");
        }
        long[] shape = f.entry(name).shape();
        if (expectedShape.length > 0 && !java.util.Arrays.equals(shape, expectedShape)) {
            throw new EngineException(f.file() + ": weight '" + name + "' has shape " + java.util.Arrays.toString(shape)
                    + ", config.json implies " + java.util.Arrays.toString(expectedShape));
        }
        return f.read(name);
    }

    /** The dtype a tensor is stored in. */
    public DType dtype(String name) {
        SafeTensorsFile f = byTensor.get(name);
        if (f == null) {
            throw new EngineException(dir + ": weight '" + name + "' is missing from the checkpoint");
        }
        return f.entry(name).dtype();
    }

    /**
     * Writes {@code tensors} into {@code dir} as Hugging Face does: one {@code model.safetensors} when they fit in
     * {@code maxShardBytes}, otherwise {@code model-0000i-of-0000n.safetensors} shards plus the index. Shards are
     * filled in map order; the index is written last, so a reader never sees an index without its shards.
     */
    public static void write(Path dir, Map<String, HostTensor> tensors, DType dtype, long maxShardBytes) {
        List<Map<String, HostTensor>> shards = new ArrayList<>();
        Map<String, HostTensor> current = new LinkedHashMap<>();
        long size = 0;
        long total = 0;
        for (Map.Entry<String, HostTensor> e : tensors.entrySet()) {
            long bytes = (long) e.getValue().data().length * dtype.bytes();
            if (!current.isEmpty() && size + bytes > maxShardBytes) {
                shards.add(current);
                current = new LinkedHashMap<>();
                size = 0;
            }
            current.put(e.getKey(), e.getValue());
            size += bytes;
            total += bytes;
        }
        shards.add(current);
        try {
            Files.createDirectories(dir);
            if (shards.size() == 1) {
                Files.deleteIfExists(dir.resolve(INDEX));
                SafeTensorsWriter.write(dir.resolve(SINGLE), shards.get(0), dtype, Map.of("format", "pt"));
                return;
            }
            ObjectNode index = MAPPER.createObjectNode();
            index.putObject("metadata").put("total_size", total);
            Map<String, String> weightMap = new TreeMap<>();
            for (int i = 0; i < shards.size(); i++) {
                String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
                SafeTensorsWriter.write(dir.resolve(name), shards.get(i), dtype, Map.of("format", "pt"));
                for (String t : shards.get(i).keySet()) {
                    weightMap.put(t, name);
                }
            }
            ObjectNode wm = index.putObject("weight_map");
            weightMap.forEach(wm::put);
            Path tmp = Files.createTempFile(dir, "." + INDEX, ".tmp");
            Files.writeString(tmp, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(index));
            Files.move(tmp, dir.resolve(INDEX), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new EngineException(dir + ": cannot write checkpoint: " + e.getMessage(), e);
        }
    }
}
