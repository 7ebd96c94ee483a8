package org.personalab.ui.specs;

import java.util.ArrayList;
import java.util.List;

/**
 * A line-based diff by longest common subsequence (O(n·m) time and memory: meant for documents of a few hundred
 * lines, such as a pretty-printed persona), laid out side by side: unchanged lines face each other, a run of removed
 * lines followed by added ones is paired row by row as changed lines.
 */
public final class LineDiff {

    /** What happened to a row's lines. */
    public enum Kind {
        SAME, REMOVED, ADDED, CHANGED
    }

    /**
     * One row of the side-by-side view.
     *
     * @param left      the left line, or null where only the right side has one
     * @param right     the right line, or null where only the left side has one
     * @param leftLine  1-based line number on the left, 0 when none
     * @param rightLine 1-based line number on the right, 0 when none
     */
    public record Row(Kind kind, String left, String right, int leftLine, int rightLine) {
    }

    /** Refuses documents whose LCS table would not fit comfortably in memory. */
    public static final long MAX_CELLS = 25_000_000L;

    private LineDiff() {
    }

    public static List<String> lines(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        String t = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        return List.of(t.split("\r?\n", -1));
    }

    /** Side-by-side rows of the diff from {@code a} (left) to {@code b} (right). */
    public static List<Row> diff(String a, String b) {
        return diff(lines(a), lines(b));
    }

    public static List<Row> diff(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        if ((long) (n + 1) * (m + 1) > MAX_CELLS) {
            throw new IllegalArgumentException("documents too long to compare (" + n + " and " + m + " lines)");
        }
        // lcs[i][j] = length of the LCS of a[i..] and b[j..]
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Row> rows = new ArrayList<>(Math.max(n, m));
        List<Integer> removed = new ArrayList<>();
        List<Integer> added = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                flush(a, b, removed, added, rows);
                rows.add(new Row(Kind.SAME, a.get(i), b.get(j), i + 1, j + 1));
                i++;
                j++;
            } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
                added.add(j++);
            } else {
                removed.add(i++);
            }
        }
        flush(a, b, removed, added, rows);
        return rows;
    }

    private static void flush(List<String> a, List<String> b, List<Integer> removed, List<Integer> added,
            List<Row> rows) {
        int k = Math.max(removed.size(), added.size());
        for (int r = 0; r < k; r++) {
            Integer li = r < removed.size() ? removed.get(r) : null;
            Integer ri = r < added.size() ? added.get(r) : null;
            Kind kind = li != null && ri != null ? Kind.CHANGED : li != null ? Kind.REMOVED : Kind.ADDED;
            rows.add(new Row(kind, li == null ? null : a.get(li), ri == null ? null : b.get(ri),
                    li == null ? 0 : li + 1, ri == null ? 0 : ri + 1));
        }
        removed.clear();
        added.clear();
    }

    /** How many lines were removed and added (a changed row counts as one of each). */
    public static int[] counts(List<Row> rows) {
        int del = 0;
        int add = 0;
        for (Row r : rows) {
            if (r.kind() == Kind.REMOVED || r.kind() == Kind.CHANGED) {
                del++;
            }
            if (r.kind() == Kind.ADDED || r.kind() == Kind.CHANGED) {
                add++;
            }
        }
        return new int[] {del, add};
    }
}
