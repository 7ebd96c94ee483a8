package org.personalab.ui.specs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.personalab.ui.specs.LineDiff.Kind;
import org.personalab.ui.specs.LineDiff.Row;

class LineDiffTest {

    @Test
    void identicalTextsAreAllSame() {
        List<Row> rows = LineDiff.diff("a\nb\nc\n", "a\nb\nc\n");
        assertEquals(3, rows.size());
        assertTrue(rows.stream().allMatch(r -> r.kind() == Kind.SAME));
        assertEquals(new Row(Kind.SAME, "b", "b", 2, 2), rows.get(1));
        assertArrayEquals(new int[] {0, 0}, LineDiff.counts(rows));
    }

    @Test
    void aChangedLineIsPairedAndNumberedOnBothSides() {
        List<Row> rows = LineDiff.diff("{\n  \"name\": \"Ann\",\n  \"age\": 30\n}", "{\n  \"name\": \"Bea\",\n  \"age\": 30\n}");
        assertEquals(List.of(Kind.SAME, Kind.CHANGED, Kind.SAME, Kind.SAME), rows.stream().map(Row::kind).toList());
        assertEquals(new Row(Kind.CHANGED, "  \"name\": \"Ann\",", "  \"name\": \"Bea\",", 2, 2), rows.get(1));
        assertArrayEquals(new int[] {1, 1}, LineDiff.counts(rows));
    }

    @Test
    void insertionsAndDeletionsKeepTheCommonLinesAligned() {
        List<Row> rows = LineDiff.diff(List.of("a", "b", "c", "d"), List.of("a", "x", "c", "d", "e"));
        assertEquals(List.of(Kind.SAME, Kind.CHANGED, Kind.SAME, Kind.SAME, Kind.ADDED),
                rows.stream().map(Row::kind).toList());
        Row added = rows.get(4);
        assertNull(added.left());
        assertEquals(0, added.leftLine());
        assertEquals("e", added.right());
        assertEquals(5, added.rightLine());

        List<Row> removed = LineDiff.diff(List.of("a", "b", "c"), List.of("a", "c"));
        assertEquals(List.of(Kind.SAME, Kind.REMOVED, Kind.SAME), removed.stream().map(Row::kind).toList());
        assertEquals(new Row(Kind.REMOVED, "b", null, 2, 0), removed.get(1));
    }

    @Test
    void emptySides() {
        assertEquals(List.of(), LineDiff.diff("", ""));
        List<Row> rows = LineDiff.diff("", "x\ny");
        assertEquals(2, rows.size());
        assertTrue(rows.stream().allMatch(r -> r.kind() == Kind.ADDED));
        assertTrue(LineDiff.diff("x\ny", null).stream().allMatch(r -> r.kind() == Kind.REMOVED));
    }

    /** Reassembling either side from the rows gives that side back, and SAME rows form a longest common subsequence. */
    @Test
    void rowsReassembleBothSidesAndKeepAMaximalCommonPart() {
        Random rnd = new Random(7);
        for (int t = 0; t < 200; t++) {
            List<String> a = randomLines(rnd);
            List<String> b = randomLines(rnd);
            List<Row> rows = LineDiff.diff(a, b);
            List<String> left = new ArrayList<>();
            List<String> right = new ArrayList<>();
            int same = 0;
            for (Row r : rows) {
                if (r.left() != null) {
                    left.add(r.left());
                    assertEquals(left.size(), r.leftLine());
                }
                if (r.right() != null) {
                    right.add(r.right());
                    assertEquals(right.size(), r.rightLine());
                }
                if (r.kind() == Kind.SAME) {
                    assertEquals(r.left(), r.right());
                    same++;
                }
            }
            assertEquals(a, left);
            assertEquals(b, right);
            assertEquals(lcsLength(a, b), same, a + " vs " + b);
        }
    }

    @Test
    void refusesHugeInputs() {
        List<String> big = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            big.add("line " + i);
        }
        assertThrows(IllegalArgumentException.class, () -> LineDiff.diff(big, big));
    }

    private static List<String> randomLines(Random rnd) {
        int n = rnd.nextInt(9);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(String.valueOf((char) ('a' + rnd.nextInt(4))));
        }
        return out;
    }

    /** An independent recursive LCS length, for small inputs. */
    private static int lcsLength(List<String> a, List<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return 0;
        }
        if (a.get(0).equals(b.get(0))) {
            return 1 + lcsLength(a.subList(1, a.size()), b.subList(1, b.size()));
        }
        return Math.max(lcsLength(a.subList(1, a.size()), b), lcsLength(a, b.subList(1, b.size())));
    }
}
