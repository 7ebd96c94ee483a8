package org.personalab.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.cluster.ClusterMembers;
import org.personalab.cluster.ClusteringInfo;
import org.personalab.cluster.SplitMembers;
import org.personalab.cluster.SplitSetInfo;
import org.personalab.data.DatasetInfo;
import org.personalab.data.Responses;
import org.personalab.inventory.Inventory;
import org.personalab.task.TaskContext;

class ClusterRepositoryTest {

    @TempDir
    Path dir;

    private record Fixture(Workspace ws, DatasetInfo dataset, long[] ids, long run) {
    }

    private Fixture fixture(int people) {
        Workspace ws = Workspace.openOrCreate(dir.resolve("w"));
        Responses r = WorkspaceTest.random(Inventory.IPIP_NEO_120, people, 3);
        DatasetInfo d = ws.write(tx -> {
            long run = tx.runs().start("import", "t", "{}", "{}");
            DatasetInfo info = tx.datasets().insert(WorkspaceTest.info("d", r, run));
            tx.datasets().insertRespondents(info.id(), r, TaskContext.none());
            return info;
        });
        long run = ws.write(tx -> tx.runs().start("clustering", "t", "{}", "{}"));
        return new Fixture(ws, d, ws.read(tx -> tx.datasets().respondentIds(d.id())), run);
    }

    private static ClusterMembers members(long[] ids) {
        int n = ids.length;
        int[] c = new int[n];
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            c[i] = i % 3;
            x[i] = i * 0.5f;
            y[i] = -i;
        }
        return new ClusterMembers(ids, c, x, y);
    }

    @Test
    void theSchemaKeepsCentroidsFromVersionTwoOn() throws Exception {
        Workspace ws = Workspace.openOrCreate(dir.resolve("v"));
        assertTrue(ws.schemaVersion() >= 2);
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + ws.database());
                var rs = c.createStatement().executeQuery("SELECT name FROM pragma_table_info('clustering')")) {
            boolean found = false;
            while (rs.next()) {
                found |= rs.getString(1).equals("centroids");
            }
            assertTrue(found);
        }
    }

    @Test
    void aClusteringRoundTripsWithItsMembersAndCentroids() {
        Fixture f = fixture(1003);
        float[] centroids = {1, 2, 3, 4.5f, -5, 6e-7f};
        ClusteringInfo stored = f.ws().write(tx -> {
            ClusteringInfo c = tx.clusters().insert(new ClusteringInfo(0, "c1", f.dataset().id(), 3,
                    "{\"columns\":[\"a\",\"b\"]}", "{\"inertia\":1.5}", f.run(), Instant.now()), centroids, 2);
            tx.clusters().insertMembers(c.id(), members(f.ids()), TaskContext.none());
            return c;
        });
        assertTrue(stored.id() > 0);
        ClusteringInfo back = f.ws().read(tx -> tx.clusters().find("c1")).orElseThrow();
        assertEquals(stored.id(), back.id());
        assertEquals(3, back.k());
        assertEquals("{\"inertia\":1.5}", back.metricsJson());
        assertEquals(back, f.ws().read(tx -> tx.clusters().get(stored.id())).orElseThrow());
        assertArrayEquals(centroids, f.ws().read(tx -> tx.clusters().centroids(stored.id())));
        ClusterMembers m = f.ws().read(tx -> tx.clusters().members(stored.id()));
        ClusterMembers want = members(f.ids());
        assertArrayEquals(want.respondentIds(), m.respondentIds());
        assertArrayEquals(want.clusters(), m.clusters());
        assertArrayEquals(want.x(), m.x());
        assertArrayEquals(want.y(), m.y());
        assertEquals(1, f.ws().read(tx -> tx.clusters().list()).size());

        StoreException dup = assertThrows(StoreException.class, () -> f.ws().write(tx -> tx.clusters().insert(
                new ClusteringInfo(0, "c1", f.dataset().id(), 3, "{}", "{}", f.run(), null), centroids, 2)));
        assertTrue(dup.getMessage().contains("already exists"), dup.getMessage());
        assertThrows(IllegalArgumentException.class, () -> f.ws().write(tx -> tx.clusters().insert(
                new ClusteringInfo(0, "c2", f.dataset().id(), 3, "{}", "{}", f.run(), null), new float[5], 2)));

        f.ws().write(tx -> {
            tx.clusters().delete(stored.id());
            return null;
        });
        assertTrue(f.ws().read(tx -> tx.clusters().list()).isEmpty());
        assertEquals(0, f.ws().read(tx -> tx.clusters().members(stored.id())).size());
    }

    @Test
    void aSplitSetRoundTripsAndRefusesAPersonInTwoSplits() {
        Fixture f = fixture(600);
        long[] ids = java.util.Arrays.copyOf(f.ids(), 500);
        String[] split = new String[500];
        for (int i = 0; i < 500; i++) {
            split[i] = i % 5 == 0 ? "test" : "train";
        }
        SplitSetInfo s = f.ws().write(tx -> {
            SplitSetInfo info = tx.splits().insert(new SplitSetInfo(0, "s1", f.dataset().id(), 0, "{\"seed\":1}",
                    f.run(), Instant.now()));
            tx.splits().insertMembers(info.id(), new SplitMembers(ids, split), TaskContext.none());
            return info;
        });
        SplitMembers back = f.ws().read(tx -> tx.splits().members(s.id()));
        assertArrayEquals(ids, back.respondentIds());
        assertArrayEquals(split, back.splits());
        assertEquals("{\"seed\":1}", f.ws().read(tx -> tx.splits().find("s1")).orElseThrow().paramsJson());
        assertEquals(0, f.ws().read(tx -> tx.splits().get(s.id())).orElseThrow().clusteringId());

        long[] twice = {f.ids()[0], f.ids()[1], f.ids()[0]};
        StoreException e = assertThrows(StoreException.class, () -> f.ws().write(tx -> {
            SplitSetInfo info = tx.splits().insert(new SplitSetInfo(0, "s2", f.dataset().id(), 0, "{}", f.run(),
                    null));
            tx.splits().insertMembers(info.id(), new SplitMembers(twice, new String[] {"a", "b", "b"}),
                    TaskContext.none());
            return info;
        }));
        assertTrue(e.getMessage().contains("two splits"), e.getMessage());
        assertTrue(f.ws().read(tx -> tx.splits().find("s2")).isEmpty(), "nothing half-written");
        assertEquals(1, f.ws().read(tx -> tx.splits().list()).size());
    }
}
