package org.personalab.engine.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Tiny training set-ups: the engine tests' tiny random chat model (byte-level tokenizer, ChatML template) written as
 * a real model folder, small SFT and DPO JSONL files in the exports' formats, and config files.
 */
final class TrainFixtures {

    static final ObjectMapper M = new ObjectMapper();

    private TrainFixtures() {
    }

    /** The engine tests' {@code TinyChatModel} (package-private there, so reached by reflection). */
    static Path chatModel(Path dir, long seed) {
        try {
            Method write = Class.forName("org.personalab.engine.TinyChatModel")
                    .getDeclaredMethod("write", Path.class, long.class);
            write.setAccessible(true);
            return (Path) write.invoke(null, dir, seed);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode msg(String role, String content) {
        return M.createObjectNode().put("role", role).put("content", content);
    }

    static Path sftFile(Path file) {
        List<String> lines = new ArrayList<>();
        String[][] qa = {{"O=high", "{\"o\":5}"}, {"O=low", "{\"o\":1}"}, {"C=high", "{\"c\":5}"},
                {"C=low", "{\"c\":1}"}};
        for (String[] p : qa) {
            ObjectNode o = M.createObjectNode();
            ArrayNode m = o.putArray("messages");
            m.add(msg("system", "Make a spec."));
            m.add(msg("user", p[0]));
            m.add(msg("assistant", p[1]));
            lines.add(o.toString());
        }
        return write(file, lines);
    }

    static Path dpoFile(Path file) {
        List<String> lines = new ArrayList<>();
        String[][] pcr = {{"O=high", "{\"o\":5}", "{\"o\":2}"}, {"O=low", "{\"o\":1}", "{\"o\":4}"},
                {"C=high", "{\"c\":5}", "{\"c\":3}"}, {"C=low", "{\"c\":1}", "{\"c\":5}"}};
        for (int i = 0; i < pcr.length; i++) {
            String[] p = pcr[i];
            ObjectNode o = M.createObjectNode();
            if (i == 3) {
                // the plain-text form of TRL's explicit-prompt records
                o.put("prompt", p[0] + " ->");
                o.put("chosen", p[1]);
                o.put("rejected", p[2]);
            } else {
                ArrayNode prompt = o.putArray("prompt");
                prompt.add(msg("system", "Make a spec."));
                prompt.add(msg("user", p[0]));
                o.putArray("chosen").add(msg("assistant", p[1]));
                o.putArray("rejected").add(msg("assistant", p[2]));
                o.put("weight", 1.0);
            }
            lines.add(o.toString());
        }
        return write(file, lines);
    }

    static Path write(Path file, List<String> lines) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, lines);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A config file: the given fields over small-run defaults (all-linear r=4, batch 2, log every step). */
    static Path config(Path file, Path model, Path data, Path output, Map<String, Object> fields) {
        ObjectNode c = M.createObjectNode();
        c.put("model", model.toString());
        c.put("train_dataset", data.toString());
        c.put("output_dir", output.toString());
        c.put("learning_rate", 1e-2);
        c.put("per_device_train_batch_size", 2);
        c.put("logging_steps", 1);
        c.put("save_steps", 1000);
        c.put("max_length", 256);
        ObjectNode lora = c.putObject("lora");
        lora.put("r", 4);
        lora.put("lora_alpha", 8);
        lora.put("target_modules", "all-linear");
        fields.forEach((k, v) -> c.set(k, M.valueToTree(v)));
        return write(file, List.of(c.toPrettyString()));
    }

    /** The {@code log} events of a run's event log. */
    static List<ObjectNode> logs(Path output) throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(output.resolve(EventLog.FILE))) {
            ObjectNode o = (ObjectNode) M.readTree(line);
            if (o.path("event").asText().equals("log")) {
                out.add(o);
            }
        }
        return out;
    }
}
