package org.personalab.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.store.SimAnswerRepository;
import org.personalab.store.Workspace;
import org.personalab.support.ProcessOutput;
import org.personalab.task.RunRecord;

/**
 * The offline engine stores each agent's questionnaire in one transaction: a psychometric simulation killed with
 * SIGKILL in the middle (a child JVM) leaves only whole agents, and the resumed run asks exactly the agents that were
 * not stored, reusing every stored answer.
 */
class OfflineSimulationKillTest {

    private static final int AGENTS = 40;

    @TempDir
    Path dir;

    @Test
    void aKilledOfflineSimulationLeavesOnlyWholeAgentsAndResumesWithTheRest() throws Exception {
        Path wsDir = dir.resolve("ws");
        Workspace ws = Workspace.openOrCreate(wsDir);
        SimulationFixture.workspace(ws, 1200, AGENTS);

        Process first = child(wsDir, 40);
        ProcessOutput out1 = ProcessOutput.of(first);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (stored(ws) < 5 * 120) {
            assertTrue(first.isAlive(), "the child ended before it could be killed:\n" + out1);
            assertTrue(System.nanoTime() < deadline, "no progress:\n" + out1);
            Thread.sleep(5);
        }
        first.destroyForcibly();
        assertTrue(first.waitFor(20, TimeUnit.SECONDS));
        out1.join();
        assertFalse(out1.text().contains("DONE"), "killed before the end:\n" + out1);

        Workspace after = Workspace.open(wsDir); // a new session marks the killed run interrupted
        assertEquals("ok", after.integrityCheck());
        RunRecord killed = after.read(tx -> tx.runs().list()).stream()
                .filter(r -> r.kind().equals(SimulationService.RUN_KIND)).findFirst().orElseThrow();
        assertEquals(RunRecord.FAILED, killed.status());
        SimAnswerRepository.RunAnswers before = after.read(tx -> tx.simAnswers().answers(killed.id()));
        int whole = before.agents().size();
        assertTrue(whole >= 5 && whole < AGENTS, whole + " agents stored before the kill");
        for (SimAnswerRepository.AgentAnswers a : before.agents()) {
            assertEquals(120, a.counts().answered(), "spec " + a.specId() + " is stored whole or not at all");
        }

        Process second = child(wsDir, 0);
        ProcessOutput out2 = ProcessOutput.of(second);
        assertTrue(second.waitFor(90, TimeUnit.SECONDS), "the resumed run ended");
        out2.join();
        assertEquals(0, second.exitValue(), out2.text());
        assertTrue(out2.text().contains("DONE succeeded " + (AGENTS - whole) * 120 + " " + whole * 120),
                out2.text());
        SimAnswerRepository.RunAnswers all = after.read(tx -> tx.simAnswers().answers(killed.id()));
        assertEquals(AGENTS * 120, all.counts().answered());
        for (SimAnswerRepository.AgentAnswers a : before.agents()) {
            assertEquals(a, all.agent(a.specId()).orElseThrow(), "a stored agent is kept as it was");
        }
        assertEquals(RunRecord.SUCCEEDED, after.read(tx -> tx.runs().get(killed.id())).orElseThrow().status());
    }

    private static int stored(Workspace ws) {
        List<SimAnswerRepository.RunSummary> runs = ws.read(tx -> tx.simAnswers().runs());
        return runs.isEmpty() ? 0 : runs.get(0).counts().total();
    }

    private Process child(Path ws, long pauseMs) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(OfflineSimulationChild.class.getName());
        cmd.addAll(List.of(ws.toString(), Long.toString(pauseMs)));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }
}
