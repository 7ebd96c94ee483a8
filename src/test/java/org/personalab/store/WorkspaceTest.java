package org.personalab.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.data.DatasetInfo;
import org.personalab.data.Responses;
import org.personalab.data.Sex;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;
import org.personalab.task.RunRecord;
import org.personalab.task.TaskContext;

class WorkspaceTest {

    @TempDir
    Path dir;

    @Test
    void newWorkspaceIsMigratedInWalModeAndReopens() throws Exception {
        Workspace ws = Workspace.openOrCreate(dir.resolve("w"));
        assertEquals(Migrations.latest(), ws.schemaVersion());
        assertTrue(Workspace.isWorkspace(dir.resolve("w")));
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + ws.database());
                var rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertEquals("wal", rs.getString(1));
        }
        assertEquals("ok", ws.integrityCheck());
        Workspace again = Workspace.open(dir.resolve("w"));
        assertEquals(Migrations.latest(), again.schemaVersion());
        assertTrue(again.read(tx -> tx.datasets().list()).isEmpty());
    }

    @Test
    void refusesAFolderWithoutWorkspaceAndANewerSchema() throws Exception {
        StoreException e = assertThrows(StoreException.class, () -> Workspace.open(dir));
        assertTrue(e.getMessage().contains("not a PersonaLab workspace"), e.getMessage());
        Workspace ws = Workspace.openOrCreate(dir.resolve("w"));
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + ws.database())) {
            c.createStatement().execute("PRAGMA user_version = 99");
        }
        StoreException e2 = assertThrows(StoreException.class, () -> Workspace.open(dir.resolve("w")));
        assertTrue(e2.getMessage().contains("newer than this PersonaLab"), e2.getMessage());
    }

    @Test
    void respondentsRoundTripExactly() {
        for (Inventory inv : new Inventory[] {Inventory.IPIP_NEO_120, Inventory.IPIP_NEO_300}) {
            Workspace ws = Workspace.openOrCreate(dir.resolve("rt" + inv.size()));
            Responses r = random(inv, 777, 9);
            DatasetInfo back = ws.write(tx -> {
                long run = tx.runs().start("import", "t", "{}", "{}");
                DatasetInfo d = tx.datasets().insert(info("d", r, run));
                tx.datasets().insertRespondents(d.id(), r, TaskContext.none());
                return d;
            });
            Responses loaded = ws.read(tx -> tx.datasets().loadResponses(back, TaskContext.none()));
            assertEquals(r.size(), loaded.size());
            assertArrayEquals(r.answerMatrix(), loaded.answerMatrix());
            assertArrayEquals(r.idColumn(), loaded.idColumn());
            assertArrayEquals(r.sexColumn(), loaded.sexColumn());
            assertArrayEquals(r.ageColumn(), loaded.ageColumn());
            assertArrayEquals(r.countryColumn(), loaded.countryColumn());
            assertEquals(AnswerEncoding.RAW, loaded.encoding());
            assertEquals(r.size(), ws.read(tx -> tx.datasets().respondentIds(back.id())).length);
        }
    }

    @Test
    void aFailedWriteLeavesNothing() {
        Workspace ws = Workspace.openOrCreate(dir.resolve("w"));
        Responses r = random(Inventory.IPIP_NEO_120, 500, 1);
        assertThrows(IllegalStateException.class, () -> ws.write(tx -> {
            long run = tx.runs().start("import", "t", "{}", "{}");
            DatasetInfo d = tx.datasets().insert(info("d", r, run));
            tx.datasets().insertRespondents(d.id(), r, TaskContext.none());
            throw new IllegalStateException("boom after the inserts");
        }));
        assertTrue(ws.read(tx -> tx.datasets().list()).isEmpty());
        assertTrue(ws.read(tx -> tx.runs().list()).isEmpty());
        assertEquals(0, ws.read(tx -> tx.datasets().respondentIds(1)).length);
    }

    @Test
    void duplicateDatasetNameIsAClearError() {
        Workspace ws = Workspace.openOrCreate(dir.resolve("w"));
        Responses r = random(Inventory.IPIP_NEO_120, 3, 1);
        ws.write(tx -> tx.datasets().insert(info("same", r, tx.runs().start("import", "t", "{}", "{}"))));
        StoreException e = assertThrows(StoreException.class, () -> ws.write(
                tx -> tx.datasets().insert(info("same", r, tx.runs().start("import", "t", "{}", "{}")))));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    }

    @Test
    void runsLeftRunningByADeadProcessAreMarkedInterrupted() throws Exception {
        Workspace ws = Workspace.openOrCreate(dir.resolve("w"));
        long id = ws.write(tx -> tx.runs().start("simulation", "t", "{}", "{}"));
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + ws.database())) {
            c.createStatement().execute("UPDATE run SET pid = 2147483000 WHERE id = " + id); // no such process
        }
        Workspace.open(dir.resolve("w"));
        RunRecord r = ws.read(tx -> tx.runs().get(id)).orElseThrow();
        assertEquals(RunRecord.FAILED, r.status());
        assertTrue(r.error().contains("interrupted"));
        // a run of this very process stays running
        long mine = ws.write(tx -> tx.runs().start("simulation", "t", "{}", "{}"));
        Workspace.open(dir.resolve("w"));
        assertEquals(RunRecord.RUNNING, ws.read(tx -> tx.runs().get(mine)).orElseThrow().status());
    }

    @Test
    void packingCoversEveryValueAndOddCounts() {
        byte[] src = {0, 1, 2, 3, 4, 5, 5};
        byte[] packed = AnswerPacking.pack(src, 0, 7);
        assertEquals(4, packed.length);
        byte[] out = new byte[7];
        AnswerPacking.unpack(packed, out, 0, 7);
        assertArrayEquals(src, out);
        assertThrows(StoreException.class, () -> AnswerPacking.unpack(new byte[2], out, 0, 7));
    }

    static DatasetInfo info(String name, Responses r, long run) {
        return new DatasetInfo(0, name, "csv", r.inventory(), r.encoding(), r.size(), 0.75, null, 0, null, "test",
                0, run, Instant.now());
    }

    static Responses random(Inventory inv, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Responses.Builder b = new Responses.Builder(inv, AnswerEncoding.RAW, n);
        byte[] a = new byte[inv.size()];
        String[] countries = {"USA", "Canada", "UK", "Côte d'Ivoire", ""};
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < a.length; k++) {
                a[k] = (byte) rnd.nextInt(6);
            }
            b.add("id-" + i, Sex.values()[rnd.nextInt(3)], rnd.nextInt(90), countries[rnd.nextInt(5)], a);
        }
        return b.build();
    }
}
