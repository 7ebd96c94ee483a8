package org.personalab.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.data.DatasetInfo;
import org.personalab.data.Responses;
import org.personalab.data.SyntheticParameters;
import org.personalab.data.SyntheticPopulation;
import org.personalab.task.RunRecord;
import org.personalab.task.TaskContext;

/**
 * kill -9 of a child JVM in the middle of an import (while it writes the database) leaves a consistent workspace:
 * the earlier dataset intact, no trace of the killed one, integrity check ok, and the same import then succeeds.
 */
class KillDuringImportTest {

    @TempDir
    Path dir;

    @Test
    void killMinusNineWhileStoringLeavesAConsistentWorkspace() throws Exception {
        Path ws = dir.resolve("ws");
        Responses small = SyntheticPopulation.generate(SyntheticParameters.bundled(), 500, 1, TaskContext.none());
        Path smallFile = dir.resolve("small.dat");
        SyntheticPopulation.writeJohnson120(small, smallFile);
        assertEquals(0, runChild(ws, smallFile, "before", -1));

        Responses big = SyntheticPopulation.generate(SyntheticParameters.bundled(), 300_000, 2, TaskContext.none());
        Path bigFile = dir.resolve("big.dat");
        SyntheticPopulation.writeJohnson120(big, bigFile);
        for (int delayMs : new int[] {0, 150, 400}) {
            int code = runChild(ws, bigFile, "killed", delayMs);
            assertTrue(code != 0, "the child was killed (exit " + code + ")");
            Workspace w = Workspace.open(ws);
            assertEquals("ok", w.integrityCheck());
            List<DatasetInfo> ds = w.read(tx -> tx.datasets().list());
            assertEquals(List.of("before"), ds.stream().map(DatasetInfo::name).toList(), "after kill at +" + delayMs);
            assertEquals(500, w.read(tx -> tx.datasets().loadResponses(ds.get(0), TaskContext.none())).size());
            assertEquals(500, w.read(tx -> tx.datasets().respondentIds(ds.get(0).id())).length);
            assertTrue(w.read(tx -> tx.runs().list()).stream().allMatch(r -> r.status().equals(RunRecord.SUCCEEDED)));
        }
        assertEquals(0, runChild(ws, bigFile, "killed", -1), "the same import succeeds afterwards");
        Workspace w = Workspace.open(ws);
        DatasetInfo d = w.read(tx -> tx.datasets().find("killed")).orElseThrow();
        assertEquals(300_000, d.size());
        assertEquals(300_000, w.read(tx -> tx.datasets().respondentIds(d.id())).length);
    }

    /** Runs an import in a child JVM; with killDelayMs >= 0 kills it (SIGKILL) that long after it starts storing. */
    private static int runChild(Path ws, Path file, String name, int killDelayMs) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("org.personalab.Main");
        cmd.addAll(List.of("import", "--workspace", ws.toString(), "--format", "johnson120", "--timings", "--name",
                name, file.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder log = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                log.append(line).append('\n');
                if (killDelayMs >= 0 && line.startsWith("Storing")) {
                    Thread.sleep(killDelayMs);
                    p.destroyForcibly(); // SIGKILL on Unix
                    break;
                }
            }
        }
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("child did not end:\n" + log);
        }
        if (killDelayMs < 0 && p.exitValue() != 0) {
            throw new AssertionError("child failed:\n" + log);
        }
        return p.exitValue();
    }
}
