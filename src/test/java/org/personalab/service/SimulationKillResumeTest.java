package org.personalab.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.store.SimAnswerRepository;
import org.personalab.store.Workspace;
import org.personalab.task.RunRecord;
import org.personalab.support.ProcessOutput;

/**
 * A simulation killed with SIGKILL in the middle (a child JVM, answers arriving and being stored) resumes in a new
 * JVM: every stored answer is kept and not asked again, the memory of each agent continues from its stored replies,
 * and only requests in flight at the kill may reach the server twice.
 */
class SimulationKillResumeTest {

    @TempDir
    Path dir;

    @Test
    void aKilledSimulationResumesWithoutAskingStoredAnswersAgain() throws Exception {
        Path wsDir = dir.resolve("ws");
        Workspace ws = Workspace.openOrCreate(wsDir);
        SimulationFixture.workspace(ws, 1200, 3);
        SimFakeModel fake = new SimFakeModel();
        fake.delayMs = 15;
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(fake);
            server.start();
            String url = server.url("/v1").toString();
            Process first = child(wsDir, url);
            ProcessOutput out1 = ProcessOutput.of(first);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (stored(ws) < 60) {
                assertTrue(first.isAlive(), "the child ended before it could be killed:\n" + out1);
                assertTrue(System.nanoTime() < deadline, "no progress:\n" + out1);
                Thread.sleep(5);
            }
            first.destroyForcibly();
            assertTrue(first.waitFor(20, TimeUnit.SECONDS));
            out1.join();
            assertTrue(!out1.text().contains("DONE"), "killed before the end:\n" + out1);

            Workspace after = Workspace.open(wsDir); // a new session marks the killed run interrupted
            assertEquals("ok", after.integrityCheck());
            RunRecord killed = after.read(tx -> tx.runs().list()).stream()
                    .filter(r -> r.kind().equals(SimulationService.RUN_KIND)).findFirst().orElseThrow();
            assertEquals(RunRecord.FAILED, killed.status());
            int before = stored(after);
            assertTrue(before >= 60 && before < 360, before + " answers stored before the kill");
            int servedBefore = fake.total.get();

            Process second = child(wsDir, url);
            ProcessOutput out2 = ProcessOutput.of(second);
            assertTrue(second.waitFor(90, TimeUnit.SECONDS), "the resumed run ended");
            out2.join();
            assertEquals(0, second.exitValue(), out2.text());
            assertTrue(out2.text().contains("DONE succeeded " + (360 - before) + " " + before), out2.text());

            SimAnswerRepository.RunAnswers ra = after.read(tx -> tx.simAnswers().answers(killed.id()));
            assertEquals(360, ra.counts().total());
            assertEquals(RunRecord.SUCCEEDED, after.read(tx -> tx.runs().get(killed.id())).orElseThrow().status());
            // answers received before the kill (stored, or in llm_call only) were not bought again; only requests in
            // flight at the moment of the kill (at most one per agent) could be sent twice
            int resent = fake.total.get() - 360;
            assertTrue(resent >= 0 && resent <= 3, "re-sent " + resent + " (served " + servedBefore + " before the "
                    + "kill, " + fake.total.get() + " in all)");
            assertTrue(fake.maxRepeats() <= 2);
            System.out.println("sim kill-resume: " + before + " answers stored before the kill, " + resent
                    + " requests sent again");
        }
    }

    private static int stored(Workspace ws) {
        List<SimAnswerRepository.RunSummary> runs = ws.read(tx -> tx.simAnswers().runs());
        return runs.isEmpty() ? 0 : runs.get(0).counts().total();
    }

    private Process child(Path ws, String url) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(SimulationChild.class.getName());
        cmd.addAll(List.of(ws.toString(), url, dir.resolve("settings").toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }
}
