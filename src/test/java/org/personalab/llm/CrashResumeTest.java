package org.personalab.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.store.LlmCallRepository;
import org.personalab.store.Workspace;
import org.personalab.task.RunRecord;
import org.personalab.support.ProcessOutput;

/**
 * A run killed at an arbitrary moment (SIGKILL of a child JVM, while answers are being received and stored) resumes in
 * a fresh JVM without paying twice for any answer already received: counted on the server, per request.
 */
class CrashResumeTest {

    static final int N = 40;
    static final int THREADS = 4;

    @TempDir
    Path dir;

    @Test
    void aKilledRunResumesWithoutPayingTwiceForAnyAnswerReceived() throws Exception {
        FakeLlm fake = new FakeLlm();
        fake.delayMs = 60;
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(fake);
            server.start();
            String url = server.url("/v1").toString();
            Path wsDir = dir.resolve("ws");
            Workspace ws = Workspace.openOrCreate(wsDir);

            Process first = child(wsDir, url);
            ProcessOutput out1 = ProcessOutput.of(first);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (okRows(ws) < 15) {
                assertTrue(first.isAlive(), "the child ended before it could be killed:\n" + out1);
                assertTrue(System.nanoTime() < deadline, "no progress:\n" + out1);
                Thread.sleep(5);
            }
            first.destroyForcibly();
            assertTrue(first.waitFor(20, TimeUnit.SECONDS));
            out1.join();
            assertTrue(!out1.text().contains("DONE"), "killed before the end");

            Workspace after = Workspace.open(wsDir); // a new session: the killed run is marked interrupted
            assertEquals("ok", after.integrityCheck());
            assertEquals(RunRecord.FAILED, after.read(tx -> tx.runs().list()).getLast().status());
            Set<Integer> receivedBeforeKill = new HashSet<>();
            for (int i = 0; i < N; i++) {
                String h = RequestHash.of(GatewayChild.request(i));
                if (after.read(tx -> tx.llmCalls().find(h)).map(r -> r.status().equals(LlmCallRepository.OK))
                        .orElse(false)) {
                    receivedBeforeKill.add(i);
                }
            }
            assertTrue(receivedBeforeKill.size() >= 15 && receivedBeforeKill.size() < N,
                    "killed mid-run: " + receivedBeforeKill.size() + " answers stored");

            Process second = child(wsDir, url);
            ProcessOutput out2 = ProcessOutput.of(second);
            assertTrue(second.waitFor(60, TimeUnit.SECONDS), "resumed run ended");
            out2.join();
            assertEquals(0, second.exitValue(), out2.text());
            assertTrue(out2.text().contains("cached=" + receivedBeforeKill.size() + " failed=0"), out2.text());

            int duplicates = 0;
            List<String> perPrompt = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                int served = fake.servedFor("question " + i);
                perPrompt.add(i + ":" + served);
                assertTrue(served >= 1, "question " + i + " was asked");
                if (receivedBeforeKill.contains(i)) {
                    assertEquals(1, served, "question " + i + " was answered before the kill and never paid again");
                }
                duplicates += served - 1;
            }
            // only requests in flight at the moment of the kill (never received) may have been sent again
            assertTrue(duplicates <= THREADS, "re-sent only what was in flight: " + perPrompt);
            assertEquals(N, okRows(after));
            assertEquals(N + duplicates, fake.total.get());
            System.out.println("crash-resume: " + receivedBeforeKill.size() + " answers stored before the kill, "
                    + duplicates + " in-flight requests sent again, " + fake.total.get() + " served in all");
            LlmCallRepository.Totals t = after.read(tx -> tx.llmCalls().totals());
            assertEquals(N, t.answered());
            assertEquals(N * 100L, t.promptTokens());
        }
    }

    private static int okRows(Workspace ws) {
        return ws.read(tx -> tx.llmCalls().countByStatus()).getOrDefault(LlmCallRepository.OK, 0);
    }

    private Process child(Path ws, String url) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-Dpersonalab.home=" + dir.resolve("home"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(GatewayChild.class.getName());
        cmd.addAll(List.of(ws.toString(), url, String.valueOf(N), String.valueOf(THREADS)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put(GatewayChild.KEY_ENV, "sk-crash-test-key");
        return pb.start();
    }
}
