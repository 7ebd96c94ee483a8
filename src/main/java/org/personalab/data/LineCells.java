package org.personalab.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a CSV file (RFC 4180: comma separated, fields optionally in double quotes, {@code ""} for a quote inside,
 * line breaks allowed inside quotes) into records of cells, each with the 1-based line and character column where it
 * starts. Empty lines between records are skipped. Bytes that are not UTF-8, NUL bytes and broken quoting are
 * reported to the current record of {@link ImportProblems}.
 */
final class LineCells {

    private final LineReader in;
    private final ImportProblems problems;
    private int size;
    /** Cell i is {@code source[i].substring(from[i], to[i])}. */
    private String[] source = new String[64];
    private int[] from = new int[64];
    private int[] to = new int[64];
    private long[] line = new long[64];
    private int[] column = new int[64];
    private long endLine;
    private int endColumn;
    private String text;
    private long textLine;

    LineCells(LineReader in, ImportProblems problems) {
        this.in = in;
        this.problems = problems;
    }

    /** Reads the next record; false at the end of the file. */
    boolean next() throws IOException {
        do {
            if (!in.next()) {
                return false;
            }
        } while (in.length() == 0);
        size = 0;
        decodeLine();
        int i = 0;
        while (true) {
            String s = text;
            if (i < s.length() && s.charAt(i) == '"') {
                i = quoted(i);
            } else {
                int comma = s.indexOf(',', i);
                int end = comma < 0 ? s.length() : comma;
                add(s, i, end, textLine, i + 1);
                i = end;
            }
            if (i < text.length() && text.charAt(i) == ',') {
                i++;
                continue;
            }
            endLine = textLine;
            endColumn = text.length() + 1;
            return true;
        }
    }

    /** Reads the quoted cell whose opening quote is at {@code start}; returns the index after it. */
    private int quoted(int start) throws IOException {
        long startLine = textLine;
        StringBuilder sb = new StringBuilder();
        int i = start + 1;
        while (true) {
            String s = text;
            if (i >= s.length()) {
                if (!in.next()) {
                    problems.add(startLine, start + 1, "", "", "quoted field is not closed before the end of the file");
                    add(sb.toString(), 0, sb.length(), startLine, start + 1);
                    return text.length();
                }
                sb.append('\n');
                decodeLine();
                i = 0;
                continue;
            }
            int quote = s.indexOf('"', i);
            if (quote < 0) {
                sb.append(s, i, s.length());
                i = s.length();
                continue;
            }
            sb.append(s, i, quote);
            if (quote + 1 < s.length() && s.charAt(quote + 1) == '"') {
                sb.append('"');
                i = quote + 2;
                continue;
            }
            i = quote + 1;
            break;
        }
        add(sb.toString(), 0, sb.length(), startLine, start + 1);
        if (i < text.length() && text.charAt(i) != ',') {
            int comma = text.indexOf(',', i);
            int end = comma < 0 ? text.length() : comma;
            problems.add(textLine, i + 1, "", text.substring(i, end),
                    "unexpected text after a closing quote (a quote inside a quoted field is written \"\")");
            i = end;
        }
        return i;
    }

    /** Decodes the reader's current line into {@link #text}, reporting NUL and invalid UTF-8 bytes. */
    private void decodeLine() {
        byte[] b = in.buffer();
        int s = in.start();
        int e = in.end();
        textLine = in.lineNumber();
        boolean plain = true;
        for (int i = s; i < e; i++) {
            plain &= b[i] > 0;
        }
        if (plain) {
            text = new String(b, s, e - s, StandardCharsets.ISO_8859_1);
            return;
        }
        int nul = ImportText.indexOfNul(b, s, e);
        int bad = ImportText.invalidUtf8(b, s, e);
        int at = nul < 0 ? bad : bad < 0 ? nul : Math.min(nul, bad);
        if (at >= 0) {
            int col = new String(b, s, at - s, StandardCharsets.UTF_8).length() + 1;
            problems.add(textLine, col, "", ImportText.hex(b[at]), at == nul ? "NUL byte" : "not valid UTF-8");
        }
        text = new String(b, s, e - s, StandardCharsets.UTF_8);
    }

    private void add(String src, int f, int t, long ln, int col) {
        if (size == source.length) {
            int n = size * 2;
            source = Arrays.copyOf(source, n);
            from = Arrays.copyOf(from, n);
            to = Arrays.copyOf(to, n);
            line = Arrays.copyOf(line, n);
            column = Arrays.copyOf(column, n);
        }
        source[size] = src;
        from[size] = f;
        to[size] = t;
        line[size] = ln;
        column[size] = col;
        size++;
    }

    /** Number of cells of the current record. */
    int size() {
        return size;
    }

    /** Cell {@code i} as written (without its quotes). */
    String raw(int i) {
        return source[i].substring(from[i], to[i]);
    }

    /** Cell {@code i} without surrounding white space. */
    String trimmed(int i) {
        return raw(i).trim();
    }

    /**
     * The answer in cell {@code i}: 0..9 for a single digit (blank = 0), -1 for anything else. No String is made.
     */
    int digit(int i) {
        String s = source[i];
        int f = from[i];
        int t = to[i];
        while (f < t && s.charAt(f) == ' ') {
            f++;
        }
        while (t > f && s.charAt(t - 1) == ' ') {
            t--;
        }
        if (f == t) {
            return 0;
        }
        int d = s.charAt(f) - '0';
        return t - f == 1 && d >= 0 && d <= 9 ? d : -1;
    }

    /** 1-based line where cell {@code i} starts. */
    long line(int i) {
        return line[i];
    }

    /** 1-based character column where cell {@code i} starts (its opening quote, if quoted). */
    int column(int i) {
        return column[i];
    }

    /** Line of the end of the current record. */
    long endLine() {
        return endLine;
    }

    /** Column just after the last character of the current record. */
    int endColumn() {
        return endColumn;
    }
}
