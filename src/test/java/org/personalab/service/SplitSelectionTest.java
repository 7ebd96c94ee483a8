package org.personalab.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.cluster.SplitMembers;
import org.personalab.store.StoreException;
import org.personalab.store.Workspace;

class SplitSelectionTest {

    @TempDir
    Path dir;

    @Test
    void aPartASetOrADatasetResolveToTheirFrozenPeople() {
        Workspace ws = SpecGenFixture.workspaceWithSplit(dir.resolve("ws"), 300);
        SplitMembers m = ws.read(tx -> tx.splits().members(tx.splits().find("s").orElseThrow().id()));
        long[] test = java.util.stream.IntStream.range(0, m.size()).filter(i -> m.splits()[i].equals("test"))
                .mapToLong(i -> m.respondentIds()[i]).sorted().toArray();

        SplitSelection part = SplitSelection.resolve(ws, "s:test");
        assertArrayEquals(test, part.respondentIds());
        assertEquals("s:test", part.label());
        assertEquals("syn", part.dataset().name());
        Map<String, Object> in = part.inputs();
        assertEquals("test", in.get("part"));
        assertEquals(part.splitSet().id(), in.get("splitSetId"));
        assertEquals(10, in.get("people"));

        SplitSelection set = SplitSelection.resolve(ws, " s ");
        assertEquals(SpecGenFixture.TEST_PEOPLE + SpecGenFixture.TRAIN_PEOPLE, set.size());
        assertNull(set.part());
        long[] sorted = set.respondentIds().clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, set.respondentIds(), "ascending");

        SplitSelection all = SplitSelection.wholeDataset(ws, ws.read(tx -> tx.datasets().find("syn")).orElseThrow());
        assertEquals(300, all.size());
        assertEquals("syn", all.label());
        // what a run recorded resolves to the same people
        assertEquals(part, SplitSelection.of(ws, part.dataset().id(), part.splitSet().id(), "test"));
        assertEquals(all, SplitSelection.of(ws, all.dataset().id(), 0, null));
    }

    @Test
    void unknownSetsAndPartsAreNamedWithWhatExists() {
        Workspace ws = SpecGenFixture.workspaceWithSplit(dir.resolve("ws"), 300);
        StoreException e = assertThrows(StoreException.class, () -> SplitSelection.resolve(ws, "s:validation"));
        assertEquals("split set s has no part 'validation' (its parts: test (10 people), train (40 people))",
                e.getMessage());
        e = assertThrows(StoreException.class, () -> SplitSelection.resolve(ws, "other:test"));
        assertTrue(e.getMessage().startsWith("no split set named 'other' in ") && e.getMessage().endsWith(
                "(it has: s)"), e.getMessage());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                () -> SplitSelection.resolve(ws, "s:"));
        assertTrue(b.getMessage().contains("nothing after the colon"), b.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SplitSelection.resolve(ws, " "));
    }
}
