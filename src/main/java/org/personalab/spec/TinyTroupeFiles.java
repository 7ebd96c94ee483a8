package org.personalab.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads and writes TinyTroupe agent files ({@code {"type":"TinyPerson","persona":{…}}}). Reading also accepts a
 * bare persona object (what LLMs and the seed project produce). Errors name the file and the JSON path; writes go
 * to a temporary file in the target folder that is then moved over the target, so a reader never sees half a file.
 */
public final class TinyTroupeFiles {

    public static final String SUFFIX = ".agent.json";

    private TinyTroupeFiles() {
    }

    public static AgentFile read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            return parse(text);
        } catch (SpecFormatException e) {
            throw e.inFile(file);
        }
    }

    /** Parses agent-file JSON (or a bare persona). */
    public static AgentFile parse(String json) {
        JsonNode root;
        try {
            root = SpecJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new SpecFormatException(null, null, "not valid JSON"
                    + (loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr()) + ": "
                    + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new SpecFormatException("$", "the file is empty");
        }
        if (!root.isObject()) {
            throw new SpecFormatException("$", "expected a JSON object, got " + AgentSpec.kind(root));
        }
        ObjectNode o = (ObjectNode) root;
        if (!o.has("persona") && !o.has("type")) {
            return AgentFile.of(AgentSpec.wrap(o, "$"), null);
        }
        JsonNode type = o.get("type");
        if (type != null && !"TinyPerson".equals(type.asText())) {
            throw new SpecFormatException("$.type", "expected \"TinyPerson\", got " + SpecJson.compact(type)
                    + (type.isTextual() && "Fragment".equals(type.asText()) ? " (fragments are partial personas)"
                            : ""));
        }
        JsonNode persona = o.get("persona");
        if (persona == null) {
            throw new SpecFormatException("$.persona", "missing: an agent file needs a persona object");
        }
        if (!persona.isObject()) {
            throw new SpecFormatException("$.persona", "expected an object, got " + AgentSpec.kind(persona));
        }
        SpecProvenance prov = o.has(SpecProvenance.KEY)
                ? SpecProvenance.fromJson(o.get(SpecProvenance.KEY), "$." + SpecProvenance.KEY) : null;
        ObjectNode extras = SpecJson.object();
        o.properties().forEach(e -> {
            String k = e.getKey();
            if (!k.equals("type") && !k.equals("persona") && !k.equals(SpecProvenance.KEY)) {
                extras.set(k, e.getValue());
            }
        });
        return new AgentFile(AgentSpec.wrap((ObjectNode) persona), prov, extras);
    }

    /** The file's text: indented JSON with "\n" line ends. */
    public static String format(AgentFile f) {
        return SpecJson.pretty(f.toJson());
    }

    /** Writes atomically: a temporary file in the same folder, then a move over {@code file}. */
    public static void write(Path file, AgentFile f) throws IOException {
        writeAtomically(file, format(f));
    }

    public static void write(Path file, AgentSpec spec, SpecProvenance provenance) throws IOException {
        write(file, AgentFile.of(spec, provenance));
    }

    /** Reads every {@code *.agent.json} in a folder (not recursive), sorted by file name. */
    public static List<AgentFile> readFolder(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(p)).sorted()
                    .toList();
        }
        List<AgentFile> out = new ArrayList<>(files.size());
        for (Path p : files) {
            out.add(read(p));
        }
        return out;
    }

    static void writeAtomically(Path file, String text) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
