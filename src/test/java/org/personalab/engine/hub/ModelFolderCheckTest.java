package org.personalab.engine.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.task.TaskContext;

/** A local folder is checked as far as config, weight headers, tokenizer and template; every problem is named. */
class ModelFolderCheckTest {

    @TempDir
    Path tmp;

    static ModelFolderCheck.Report check(Path dir) {
        return ModelFolderCheck.check(dir, false, TaskContext.none());
    }

    static boolean mentions(ModelFolderCheck.Report r, String... parts) {
        return r.problems().stream().anyMatch(p -> List.of(parts).stream().allMatch(p::contains));
    }

    @Test
    void aCompleteFolderPassesAndSaysWhatItHolds() {
        Path dir = HubTestModel.write(tmp.resolve("m"), 1);
        ModelFolderCheck.Report r = check(dir);
        assertTrue(r.ok(), r.problems()::toString);
        assertEquals(2, r.weightFiles());
        assertEquals(1 + 2 * 12 + 1, r.tensors());
        assertEquals("qwen2", r.config().modelType());
        assertTrue(r.summary().contains(
                "OK — qwen2, 2 layers, hidden 64, vocabulary 300; 2 weight file(s), 26 tensors"), r.summary());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("not downloaded by PersonaLab")), r.notes()::toString);
    }

    @Test
    void everyProblemIsReportedNamingItsFile() throws IOException {
        Path dir = HubTestModel.write(tmp.resolve("m"), 1);
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        Files.delete(dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("generation_config.json"), "{\"do_sample\": tru");
        ModelFolderCheck.Report r = check(dir);
        assertFalse(r.ok());
        assertTrue(mentions(r, "model.safetensors.index.json", "shard 'model-00002-of-00002.safetensors'",
                "missing"), r.problems()::toString);
        assertTrue(mentions(r, "tokenizer.json", "missing"), r.problems()::toString);
        assertTrue(mentions(r, "generation_config.json", "not valid JSON"), r.problems()::toString);
        // the layers that lived in the missing shard are reported against config.json's layer count
        assertTrue(mentions(r, "the weights lack", "config.json implies"), r.problems()::toString);
        assertEquals(4, r.problems().size(), r.problems()::toString);
    }

    @Test
    void aBrokenConfigATruncatedShardAndAMissingTemplateAreFound() throws IOException {
        Path dir = HubTestModel.write(tmp.resolve("m"), 1);
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"qwen2\", \"hidden_size\": \"big\"}");
        Path shard = dir.resolve("model-00001-of-00002.safetensors");
        try (FileChannel ch = FileChannel.open(shard, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 1000);
        }
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"<|im_end|>\"}");
        ModelFolderCheck.Report r = check(dir);
        assertNull(r.config());
        assertTrue(mentions(r, "config.json", "hidden_size"), r.problems()::toString);
        assertTrue(mentions(r, "model-00001-of-00002.safetensors"), r.problems()::toString);
        assertTrue(mentions(r, "tokenizer_config.json", "chat_template"), r.problems()::toString);
    }

    @Test
    void aDownloadedFolderIsCheckedAgainstItsManifest() throws IOException {
        Path dir = HubTestModel.write(tmp.resolve("m"), 1);
        FileHasher.Hashes cfg = FileHasher.of(dir.resolve("config.json"), true, () -> { });
        FileHasher.Hashes readme = FileHasher.of(dir.resolve("README.md"), true, () -> { });
        new DownloadManifest("o/m", "main", FakeHub.COMMIT, "https://hub.example", true, java.time.Instant.now(),
                List.of(new DownloadManifest.Entry("config.json", cfg.size(), cfg.sha256(), cfg.gitSha1(), false, 0),
                        new DownloadManifest.Entry("README.md", readme.size(), readme.sha256(), readme.gitSha1(),
                                false, 0),
                        new DownloadManifest.Entry("LICENSE", 5, "00", null, false, 0),
                        new DownloadManifest.Entry("gone.txt", 5, "00", null, false, 0))).write(dir);
        Files.writeString(dir.resolve("README.md"), "# tiny test modeL\n"); // same size, other content
        Files.writeString(dir.resolve("tokenizer.json.part"), "{");
        ModelFolderCheck.Report quick = check(dir);
        assertTrue(mentions(quick, "LICENSE", "bytes, the download verified 5"), quick.problems()::toString);
        assertTrue(mentions(quick, "gone.txt", "missing"), quick.problems()::toString);
        assertEquals(2, quick.problems().size(), "a same-size change is only seen with hashes: " + quick.problems());
        assertTrue(quick.notes().stream().anyMatch(n -> n.contains("tokenizer.json.part")), quick.notes()::toString);
        assertTrue(quick.notes().stream().anyMatch(n -> n.contains("https://hub.example/o/m")),
                quick.notes()::toString);

        ModelFolderCheck.Report full = ModelFolderCheck.check(dir, true, TaskContext.none());
        assertTrue(mentions(full, "README.md", "sha256 mismatch", readme.sha256()), full.problems()::toString);
        assertEquals(3, full.problems().size(), full.problems()::toString);
    }

    @Test
    void notAFolder() {
        ModelFolderCheck.Report r = check(tmp.resolve("nothing-here"));
        assertFalse(r.ok());
        assertTrue(r.problems().get(0).endsWith("nothing-here: no such folder"), r.problems()::toString);
    }
}
