package org.personalab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.engine.hub.DownloadManifest;
import org.personalab.engine.hub.FakeHub;
import org.personalab.engine.hub.HubTestModel;

/** {@code personalab models download|check} through the real command line against a fake hub. */
class ModelsCommandTest {

    @TempDir
    Path tmp;

    @Test
    void downloadThenCheckThenDownloadAgainSkipsEverything() throws IOException {
        Path src = HubTestModel.write(tmp.resolve("repo"), 3);
        Path out = tmp.resolve("models/tiny");
        try (FakeHub hub = new FakeHub("tiny-org/Tiny", src).start()) {
            CliTestSupport.Result r = CliTestSupport.run("models", "download", "tiny-org/Tiny", "--endpoint",
                    hub.endpoint(), "--out", out.toString());
            assertEquals(0, r.code(), r.err() + r.out());
            assertTrue(r.out().contains("tiny-org/Tiny@main (commit " + FakeHub.COMMIT.substring(0, 12) + ")"),
                    r.out());
            assertTrue(r.out().contains(HubTestModel.ENGINE_FILES.size() + " file(s) downloaded"), r.out());
            assertTrue(r.out().contains(": OK — qwen2, 2 layers"), r.out());
            assertTrue(r.err().contains("model-00001-of-00002.safetensors (5/9, "), r.err());
            for (String f : HubTestModel.ENGINE_FILES) {
                assertArrayEquals(Files.readAllBytes(src.resolve(f)), Files.readAllBytes(out.resolve(f)), f);
            }
            assertTrue(Files.exists(out.resolve(DownloadManifest.FILE)));

            int before = hub.requests.size();
            CliTestSupport.Result again = CliTestSupport.run("models", "download", "tiny-org/Tiny", "--endpoint",
                    hub.endpoint(), "--out", out.toString());
            assertEquals(0, again.code(), again.err());
            assertTrue(again.out().contains("0 file(s) downloaded (0 B), " + HubTestModel.ENGINE_FILES.size()
                    + " already verified"), again.out());
            assertEquals(before + 1, hub.requests.size());

            CliTestSupport.Result check = CliTestSupport.run("models", "check", out.toString(), "--hashes");
            assertEquals(0, check.code(), check.out() + check.err());
            assertTrue(check.out().contains("sha256 of every file verified"), check.out());

            CliTestSupport.Result missing = CliTestSupport.run("models", "download", "tiny-org/Nope", "--endpoint",
                    hub.endpoint(), "--out", tmp.resolve("nope").toString());
            assertEquals(1, missing.code());
            assertTrue(missing.err().contains("error: no model repository 'tiny-org/Nope'"), missing.err());
        }
    }

    @Test
    void checkReportsABrokenFolderAndFailsTheCommand() throws IOException {
        Path dir = HubTestModel.write(tmp.resolve("m"), 3);
        Files.delete(dir.resolve("model-00001-of-00002.safetensors"));
        CliTestSupport.Result r = CliTestSupport.run("models", "check", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.out().contains("problem(s)"), r.out());
        assertTrue(r.out().contains("  problem: " + dir.resolve("model.safetensors.index.json")
                + ": shard 'model-00001-of-00002.safetensors'"), r.out());

        CliTestSupport.Result bad = CliTestSupport.run("models", "download", "not a repo", "--out",
                tmp.resolve("x").toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("'not a repo' is not a hub repository id"), bad.err());
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test
    void theDefaultFolderIsUserLevelAndNamedAfterTheRepository() {
        String old = System.getProperty("personalab.home");
        System.setProperty("personalab.home", tmp.toString());
        try {
            assertEquals(tmp.resolve("models/Qwen__Qwen2.5-0.5B-Instruct"),
                    ModelsCommand.defaultFolder("Qwen/Qwen2.5-0.5B-Instruct"));
        } finally {
            if (old == null) {
                System.clearProperty("personalab.home");
            } else {
                System.setProperty("personalab.home", old);
            }
        }
    }
}
