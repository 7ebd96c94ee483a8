package org.personalab.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.data.DatasetInfo;
import org.personalab.data.Responses;
import org.personalab.data.Sex;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;
import org.personalab.store.SimAnswerRepository.Answer;
import org.personalab.store.SimAnswerRepository.SimRun;
import org.personalab.task.TaskContext;

/** The simulation answer writer on a real SQLite workspace: commits, group commit, a bad batch fails alone. */
class SimAnswerWriterTest {

    private static final int AGENTS = 8;

    @TempDir
    Path dir;

    private Workspace ws;
    private long[] specs;
    private long run;

    @BeforeEach
    void workspace() {
        ws = Workspace.openOrCreate(dir.resolve("ws"));
        specs = ws.write(tx -> {
            long r = tx.runs().start("import", "people", "{}", "{}");
            DatasetInfo d = tx.datasets().insert(new DatasetInfo(0, "p", "csv", Inventory.IPIP_NEO_120,
                    AnswerEncoding.RAW, AGENTS, 0.75, null, 0, null, "test", 0, r, java.time.Instant.now()));
            Responses.Builder b = new Responses.Builder(Inventory.IPIP_NEO_120, AnswerEncoding.RAW, AGENTS);
            for (int i = 0; i < AGENTS; i++) {
                b.add("p" + i, Sex.FEMALE, 30, "UK", new byte[120]);
            }
            tx.datasets().insertRespondents(d.id(), b.build(), TaskContext.none());
            long[] ids = tx.datasets().respondentIds(d.id());
            long[] s = new long[AGENTS];
            for (int i = 0; i < AGENTS; i++) {
                s[i] = tx.specs().insert(ids[i], "template", 0, "{}", null, null, r);
            }
            return s;
        });
        run = ws.write(tx -> {
            long id = tx.runs().start("simulation", "sim", "{}", "{}");
            tx.simAnswers().registerRun(new SimRun(id, 0, Inventory.IPIP_NEO_120, 1, "psychometric", "none"));
            return id;
        });
    }

    /** One agent's whole questionnaire: every item answered {@code value}. */
    private static List<Answer> questionnaire(long spec, int value) {
        List<Answer> out = new ArrayList<>();
        for (int i = 1; i <= 120; i++) {
            out.add(new Answer(spec, i, 0, value, SimAnswerRepository.ANSWERED, i - 1, null, "h" + i, 0, 0, false));
        }
        return out;
    }

    private int stored(long spec) {
        return ws.read(tx -> tx.simAnswers().rows(run, spec)).size();
    }

    @Test
    void eachBatchIsCommittedWhenInsertReturnsAndAnAnswerAskedAgainReplacesTheOldOne() {
        try (SimAnswerWriter w = SimAnswerWriter.open(ws)) {
            w.insert(run, questionnaire(specs[0], 3));
            // visible to a new connection: committed, not just written
            assertEquals(120, stored(specs[0]));
            w.insert(run, List.of(new Answer(specs[0], 7, 0, 5, SimAnswerRepository.ANSWERED, 6, "(A)", "again", 1,
                    1, false)));
            assertEquals(120, stored(specs[0]));
            assertEquals(5, ws.read(tx -> tx.simAnswers().answers(run)).agent(specs[0]).orElseThrow().answers()[6]);
            assertEquals(2, w.transactions());
        }
    }

    @Test
    void aClosedWriterRefusesBatches() {
        SimAnswerWriter w = SimAnswerWriter.open(ws);
        w.close();
        StoreException e = assertThrows(StoreException.class, () -> w.insert(run, questionnaire(specs[0], 1)));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertEquals(0, stored(specs[0]));
    }

    @Test
    void batchesQueuedBehindABusyDatabaseAreCommittedTogether() throws Exception {
        try (SimAnswerWriter w = SimAnswerWriter.open(ws); Connection blocker = ws.connect(true)) {
            // another writer holds the database: the first batch waits inside its transaction, holding the writer
            try (var s = blocker.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
            }
            List<Thread> all = new ArrayList<>();
            for (int i = 0; i < AGENTS; i++) {
                long spec = specs[i];
                all.add(start(() -> w.insert(run, questionnaire(spec, 2))));
            }
            // one caller leads and waits inside SQLite's busy wait; the others queue behind it
            waitUntilAllButOneWait(all);
            try (var s = blocker.createStatement()) {
                s.execute("COMMIT");
            }
            for (Thread t : all) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
            assertTrue(FAILURES.isEmpty(), FAILURES.toString());
            for (long spec : specs) {
                assertEquals(120, stored(spec), "spec " + spec);
            }
            assertTrue(w.transactions() <= 2 && w.transactions() >= 1,
                    AGENTS + " batches in " + w.transactions() + " transactions");
        }
    }

    @Test
    void aBadBatchInAGroupFailsOnlyItsOwnCallerAndStoresNothingOfIt() throws Exception {
        try (SimAnswerWriter w = SimAnswerWriter.open(ws); Connection blocker = ws.connect(true)) {
            try (var s = blocker.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
            }
            List<Thread> all = new ArrayList<>();
            for (int i = 0; i < AGENTS; i++) {
                long spec = specs[i];
                all.add(start(() -> w.insert(run, questionnaire(spec, 4))));
            }
            long missing = specs[AGENTS - 1] + 1000; // no such spec: the foreign key refuses the batch
            Thread bad = start(() -> w.insert(run, questionnaire(missing, 5)));
            all.add(bad);
            waitUntilAllButOneWait(all);
            try (var s = blocker.createStatement()) {
                s.execute("COMMIT");
            }
            for (Thread t : all) {
                t.join(30_000);
            }
            assertEquals(1, FAILURES.size(), FAILURES.toString());
            assertTrue(FAILURES.containsKey(bad.getName()), FAILURES.toString());
            assertTrue(FAILURES.get(bad.getName()) instanceof StoreException, FAILURES.toString());
            for (long spec : specs) {
                assertEquals(120, stored(spec), "spec " + spec + " of a good batch is stored whole");
            }
            assertEquals(0, stored(missing));
        }
    }

    private static final ConcurrentHashMap<String, Throwable> FAILURES = new ConcurrentHashMap<>();

    @BeforeEach
    void clearFailures() {
        FAILURES.clear();
    }

    private static Thread start(Runnable r) {
        Thread t = new Thread(() -> {
            try {
                r.run();
            } catch (Throwable e) {
                FAILURES.put(Thread.currentThread().getName(), e);
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits until every thread but one (the leader, blocked by the other connection) waits for the writer. */
    private static void waitUntilAllButOneWait(List<Thread> threads) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (threads.stream().filter(t -> t.getState() == Thread.State.WAITING).count() < threads.size() - 1) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(5);
        }
    }
}
