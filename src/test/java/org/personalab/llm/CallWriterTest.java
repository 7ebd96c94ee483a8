package org.personalab.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.store.LlmCallRepository;
import org.personalab.store.LlmCallRepository.StoredCall;
import org.personalab.store.StoreException;
import org.personalab.store.Workspace;

/** Group commit of llm_call rows: every caller's row is on disk when it returns; a bad row fails only its caller. */
class CallWriterTest {

    @TempDir
    Path dir;

    static StoredCall row(String hash, String status, Long runId) {
        return new StoredCall(hash, "p", "m", "{}", "{\"text\":\"" + hash + "\"}", status, 1, 2, 0.5, 3L, runId,
                null);
    }

    @Test
    void concurrentCallersAreAllCommittedAndABadRowFailsOnlyItsOwnCaller() throws Exception {
        Workspace ws = Workspace.openOrCreate(dir.resolve("ws"));
        try (LlmCallRepository.Session s = LlmCallRepository.session(ws); CallWriter w = new CallWriter(s)) {
            ExecutorService pool = Executors.newFixedThreadPool(32);
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int k = i;
                // row 77 names a run that does not exist: the foreign key refuses it
                fs.add(pool.submit(() -> w.save(row("h" + k, LlmCallRepository.OK, k == 77 ? 999_999L : null))));
            }
            int failed = 0;
            for (int i = 0; i < fs.size(); i++) {
                try {
                    fs.get(i).get();
                    // returned: the row must be visible to a new connection right now
                    String h = "h" + i;
                    assertTrue(ws.read(tx -> tx.llmCalls().find(h)).isPresent(), h);
                } catch (java.util.concurrent.ExecutionException e) {
                    assertEquals(77, i);
                    assertTrue(e.getCause() instanceof StoreException, e.getCause().toString());
                    failed++;
                }
            }
            pool.shutdown();
            assertEquals(1, failed);
            assertEquals(399, ws.read(tx -> tx.llmCalls().countByStatus()).get(LlmCallRepository.OK));
        }
    }

    @Test
    void saveUnlessAnsweredKeepsAnswersAndPendingBatchesButReplacesErrors() {
        Workspace ws = Workspace.openOrCreate(dir.resolve("ws"));
        try (LlmCallRepository.Session s = LlmCallRepository.session(ws); CallWriter w = new CallWriter(s)) {
            w.save(row("answered", LlmCallRepository.OK, null));
            w.save(row("waiting", LlmCallRepository.BATCH, null));
            w.save(row("failed", LlmCallRepository.ERROR, null));
            w.saveAllUnlessAnswered(List.of(row("answered", LlmCallRepository.ERROR, null),
                    row("waiting", LlmCallRepository.ERROR, null), row("failed", LlmCallRepository.BATCH, null),
                    row("new", LlmCallRepository.BATCH, null)));
            assertEquals(LlmCallRepository.OK, s.read(r -> r.find("answered")).orElseThrow().status());
            assertEquals(LlmCallRepository.BATCH, s.read(r -> r.find("waiting")).orElseThrow().status());
            assertEquals(LlmCallRepository.BATCH, s.read(r -> r.find("failed")).orElseThrow().status());
            assertEquals(LlmCallRepository.BATCH, s.read(r -> r.find("new")).orElseThrow().status());
            assertEquals(3, s.read(r -> r.findByStatus(LlmCallRepository.BATCH)).size());
            assertEquals(1, s.read(r -> r.totals()).calls(), "pending batch rows are not calls yet");
        }
    }

    @Test
    void aClosedWriterRefusesNewRows() {
        Workspace ws = Workspace.openOrCreate(dir.resolve("ws"));
        LlmCallRepository.Session s = LlmCallRepository.session(ws);
        CallWriter w = new CallWriter(s);
        w.save(row("a", LlmCallRepository.OK, null));
        w.close();
        assertThrows(StoreException.class, () -> w.save(row("b", LlmCallRepository.OK, null)));
        s.close();
        assertThrows(StoreException.class, () -> s.read(r -> r.find("a")));
        assertTrue(ws.read(tx -> tx.llmCalls().find("a")).isPresent());
    }
}
