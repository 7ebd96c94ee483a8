package org.personalab.engine.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.personalab.engine.ChatTemplate;
import org.personalab.engine.ChatTurn;
import org.personalab.engine.Checkpoint;
import org.personalab.engine.EngineException;
import org.personalab.engine.ModelConfig;
import org.personalab.engine.SafeTensorsFile;
import org.personalab.engine.Tokenizer;
import org.personalab.task.TaskContext;

/**
 * Checks that a local model folder will load, without loading its weights: {@code config.json} parses as the engine
 * parses it; the weights ({@code model.safetensors}, or every shard {@code model.safetensors.index.json} names) exist,
 * have sound safetensors headers whose tensors lie inside the file, hold every tensor the index assigns them and the
 * embedding, every layer and (untied) the output head; the tokenizer loads and encodes; the chat template renders. When
 * the folder was downloaded, the manifest's files must be present with their sizes (and, on request, their hashes).
 * Every problem found is reported, not just the first, each naming its file.
 */
public final class ModelFolderCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LISTED = 5;

    /**
     * What the check found.
     *
     * @param config      the parsed config, or null when it does not parse
     * @param problems    what stops the engine from loading the folder (empty: it loads)
     * @param notes       what is worth knowing but does not stop it
     * @param weightFiles safetensors files in use
     * @param tensors     tensors found in them
     * @param weightBytes their total size on disk
     */
    public record Report(Path dir, ModelConfig config, List<String> problems, List<String> notes, int weightFiles,
            int tensors, long weightBytes) {

        public Report {
            problems = List.copyOf(problems);
            notes = List.copyOf(notes);
        }

        public boolean ok() {
            return problems.isEmpty();
        }

        /** One line: what the folder holds, or how many problems it has. */
        public String summary() {
            String what = config == null ? "" : config.modelType() + ", " + config.numHiddenLayers() + " layers, "
                    + "hidden " + config.hiddenSize() + ", vocabulary " + config.vocabSize() + "; ";
            return dir + ": " + (ok() ? "OK — " : problems.size() + " problem(s) — ") + what + weightFiles
                    + " weight file(s), " + tensors + " tensors, " + DownloadProgress.bytes(weightBytes);
        }
    }

    private final Path dir;
    private final List<String> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private int weightFiles;
    private int tensors;
    private long weightBytes;

    private ModelFolderCheck(Path dir) {
        this.dir = dir;
    }

    /**
     * Checks {@code dir}.
     *
     * @param verifyHashes also hash every file the download manifest lists (reads every byte)
     */
    public static Report check(Path dir, boolean verifyHashes, TaskContext ctx) {
        Path d = dir.toAbsolutePath().normalize();
        ModelFolderCheck c = new ModelFolderCheck(d);
        if (!Files.isDirectory(d)) {
            c.problems.add(d + ": no such folder");
            return c.report(null);
        }
        ctx.message("Checking " + d);
        ModelConfig config = c.config();
        Set<String> names = c.weights();
        if (config != null && names != null) {
            c.expectedTensors(config, names);
        }
        c.tokenizer();
        c.chatTemplate();
        c.json("generation_config.json", false);
        c.manifest(verifyHashes, ctx);
        return c.report(config);
    }

    private Report report(ModelConfig config) {
        return new Report(dir, config, problems, notes, weightFiles, tensors, weightBytes);
    }

    private ModelConfig config() {
        Path f = dir.resolve("config.json");
        if (!Files.isRegularFile(f)) {
            problems.add(f + ": missing (the model's architecture)");
            return null;
        }
        try {
            return ModelConfig.load(f);
        } catch (EngineException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    /** Checks the weight files; returns the tensor names found (null when there are no usable weights). */
    private Set<String> weights() {
        Path index = dir.resolve(Checkpoint.INDEX);
        Path single = dir.resolve(Checkpoint.SINGLE);
        Set<String> names = new TreeSet<>();
        if (Files.isRegularFile(index)) {
            JsonNode map = json(Checkpoint.INDEX, true);
            if (map == null) {
                return null;
            }
            map = map.get("weight_map");
            if (map == null || !map.isObject()) {
                problems.add(index + ": field 'weight_map' (tensor name → shard file) is missing");
                return null;
            }
            Map<String, List<String>> byShard = new LinkedHashMap<>();
            for (var e : map.properties()) {
                byShard.computeIfAbsent(e.getValue().asText(), k -> new ArrayList<>()).add(e.getKey());
            }
            for (var e : byShard.entrySet()) {
                String shardName = e.getKey();
                Path shard = dir.resolve(shardName).normalize();
                if (!shard.startsWith(dir) || !Files.isRegularFile(shard)) {
                    problems.add(index + ": shard '" + shardName + "' (" + e.getValue().size() + " tensors) is "
                            + "missing from " + dir);
                    continue;
                }
                SafeTensorsFile f = open(shard);
                if (f == null) {
                    continue;
                }
                List<String> absent = e.getValue().stream().filter(t -> !f.contains(t)).toList();
                if (!absent.isEmpty()) {
                    problems.add(index + ": shard '" + shardName + "' lacks " + absent.size() + " tensor(s) the "
                            + "index assigns it: " + listed(absent));
                }
                names.addAll(f.names());
            }
            try (Stream<Path> s = Files.list(dir)) {
                List<String> unlisted = s.map(p -> p.getFileName().toString())
                        .filter(n -> n.endsWith(".safetensors") && !byShard.containsKey(n)).sorted().toList();
                if (!unlisted.isEmpty()) {
                    notes.add(index + " does not list " + listed(unlisted) + " (ignored by the engine)");
                }
            } catch (IOException e) {
                problems.add(dir + ": cannot list: " + e.getMessage());
            }
        } else if (Files.isRegularFile(single)) {
            SafeTensorsFile f = open(single);
            if (f == null) {
                return null;
            }
            names.addAll(f.names());
        } else {
            problems.add(dir + ": no " + Checkpoint.SINGLE + " or " + Checkpoint.INDEX + " (safetensors weights)");
            return null;
        }
        return names;
    }

    private SafeTensorsFile open(Path file) {
        try {
            SafeTensorsFile f = SafeTensorsFile.open(file);
            weightFiles++;
            tensors += f.names().size();
            weightBytes += Files.size(file);
            return f;
        } catch (EngineException e) {
            problems.add(e.getMessage());
        } catch (IOException e) {
            problems.add(file + ": cannot read: " + e.getMessage());
        }
        return null;
    }

    /** The tensors every Qwen2/Llama checkpoint has: embedding, each layer, final norm, and an untied head. */
    private void expectedTensors(ModelConfig config, Set<String> names) {
        List<String> missing = new ArrayList<>();
        for (String n : List.of("model.embed_tokens.weight", "model.norm.weight")) {
            if (!names.contains(n)) {
                missing.add(n);
            }
        }
        if (!config.tieWordEmbeddings() && !names.contains("lm_head.weight")) {
            missing.add("lm_head.weight (tie_word_embeddings is false)");
        }
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            String prefix = "model.layers." + i + ".";
            if (names.stream().noneMatch(n -> n.startsWith(prefix))) {
                missing.add(prefix + "*");
            }
        }
        if (!missing.isEmpty()) {
            problems.add(dir + ": the weights lack " + missing.size() + " tensor group(s) config.json implies: "
                    + listed(missing));
        }
    }

    private void tokenizer() {
        Path f = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(f)) {
            problems.add(f + ": missing (the engine uses Hugging Face's tokenizer.json)");
            return;
        }
        try (Tokenizer t = Tokenizer.load(f)) {
            if (t.encode("Hello world").length == 0) {
                problems.add(f + ": the tokenizer encodes 'Hello world' to no tokens");
            }
        } catch (EngineException e) {
            problems.add(e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            problems.add(f + ": cannot load the tokenizer: " + e);
        }
    }

    private void chatTemplate() {
        try {
            ChatTemplate t = ChatTemplate.load(dir);
            if (t.render(List.of(new ChatTurn("user", "Hello")), true).isBlank()) {
                problems.add(dir + ": the chat template renders an empty prompt");
            }
        } catch (EngineException e) {
            problems.add(e.getMessage());
        } catch (RuntimeException e) {
            problems.add(dir + ": the chat template cannot be used: " + e);
        }
    }

    /** Parses a JSON file of the folder; a problem when it is required and missing or when it is not JSON. */
    private JsonNode json(String name, boolean required) {
        Path f = dir.resolve(name);
        if (!Files.isRegularFile(f)) {
            if (required) {
                problems.add(f + ": missing");
            }
            return null;
        }
        try {
            JsonNode n = JSON.readTree(Files.readString(f, StandardCharsets.UTF_8));
            if (n == null || !n.isObject()) {
                problems.add(f + ": not a JSON object");
                return null;
            }
            return n;
        } catch (IOException e) {
            problems.add(f + ": not valid JSON: " + HubClient.snippet(e.getMessage()));
            return null;
        }
    }

    private void manifest(boolean verifyHashes, TaskContext ctx) {
        DownloadManifest m;
        try {
            m = DownloadManifest.read(dir);
        } catch (HubException e) {
            problems.add(e.getMessage());
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            List<String> parts = s.filter(p -> p.getFileName().toString().endsWith(ModelDownloader.PART))
                    .map(p -> dir.relativize(p).toString()).sorted().toList();
            if (!parts.isEmpty()) {
                notes.add("unfinished download(s): " + listed(parts) + " (downloading again resumes them)");
            }
        } catch (IOException e) {
            problems.add(dir + ": cannot list: " + e.getMessage());
        }
        if (m == null) {
            notes.add("no " + DownloadManifest.FILE + " (not downloaded by PersonaLab): sizes and hashes unchecked");
            return;
        }
        if (!m.complete()) {
            problems.add(dir.resolve(DownloadManifest.FILE) + ": the download of " + m.repo() + "@" + m.revision()
                    + " did not finish (run 'personalab models download' again to resume)");
        }
        int i = 0;
        for (DownloadManifest.Entry e : m.files()) {
            ctx.checkCancelled();
            ctx.progress(++i, m.files().size());
            Path f = dir.resolve(e.path()).normalize();
            try {
                if (!f.startsWith(dir) || !Files.isRegularFile(f)) {
                    problems.add(f + ": missing (listed in " + DownloadManifest.FILE + ")");
                } else if (Files.size(f) != e.size()) {
                    problems.add(f + ": " + Files.size(f) + " bytes, the download verified " + e.size());
                } else if (verifyHashes) {
                    FileHasher.Hashes h = FileHasher.of(f, e.gitSha1() != null, ctx::checkCancelled);
                    if (!h.sha256().equals(e.sha256())) {
                        problems.add(f + ": sha256 mismatch: expected " + e.sha256() + ", got " + h.sha256());
                    }
                }
            } catch (IOException ex) {
                problems.add(f + ": cannot read: " + ex.getMessage());
            }
        }
        notes.add("downloaded from " + m.endpoint() + "/" + m.repo() + " at " + m.revision() + " (commit "
                + m.commit() + ")" + (verifyHashes ? "; sha256 of every file verified" : ""));
    }

    private static String listed(List<String> items) {
        return items.size() <= MAX_LISTED ? String.join(", ", items)
                : String.join(", ", items.subList(0, MAX_LISTED)) + " and " + (items.size() - MAX_LISTED) + " more";
    }
}
