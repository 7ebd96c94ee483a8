package org.personalab.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;
import org.personalab.task.TaskContext;

/**
 * Reads a CSV file with a header row. Columns come from {@link ImportOptions#columnMapping()} (roles {@code id, sex,
 * age, country} and {@code items}, the item column prefix) or are detected: id = id|case|case_id, sex = sex|gender,
 * age, country, and items I1..In (any case) with n = 120 or 300, which picks the inventory. Only the id and item
 * columns are required; other columns are ignored. A blank item cell is 0 (missing).
 */
final class CsvImporter implements Importer {

    private static final List<String> ROLES = List.of("id", "sex", "age", "country", "items");
    private static final List<String> ID_NAMES = List.of("id", "case", "case_id");
    private static final List<String> SEX_NAMES = List.of("sex", "gender");
    private static final int MAX_AGE = 150;
    private static final int CHECK_EVERY = 4096;

    @Override
    public ParsedFile read(Path file, ImportOptions options, TaskContext context) throws ImportException, IOException {
        ImportProblems problems = new ImportProblems(file.getFileName().toString(), options);
        AnswerEncoding encoding = options.encoding() != null ? options.encoding() : ImportFormat.CSV.defaultEncoding();
        try (LineReader in = new LineReader(file, LineReader.DEFAULT_BUFFER)) {
            if (in.isEmpty()) {
                throw problems.fatal(1, 1, "", "", "file is empty");
            }
            if (in.utf16()) {
                throw problems.fatal(1, 1, "", "", "file is UTF-16 encoded; expected UTF-8");
            }
            LineCells cells = new LineCells(in, problems);
            problems.startRecord();
            if (!cells.next()) {
                throw problems.fatal(1, 1, "", "", "file has no header (only blank lines)");
            }
            if (problems.recordBad()) {
                throw problems.refuse();
            }
            Layout layout = layout(cells, options.columnMapping(), problems);
            long size = in.size();
            Inventory inventory = Inventory.byItemCount(layout.items.length);
            Responses.Builder builder = new Responses.Builder(inventory, encoding,
                    ImportProblems.presize(size / (layout.columns * 2L + 16) + 16, inventory));
            Rows rows = new Rows(cells, layout, problems, builder);
            long records = 0;
            long headerEnd = cells.endLine();
            context.progress(0, size);
            while (true) {
                problems.startRecord();
                if (!cells.next()) {
                    break;
                }
                records++;
                if (records % CHECK_EVERY == 0) {
                    context.checkCancelled();
                    context.progress(in.position(), size);
                }
                rows.read();
            }
            if (records == 0) {
                throw problems.fatal(headerEnd + 1, 1, "", "", "file has a header but no records");
            }
            context.progress(size, size);
            return problems.finish(builder, records);
        }
    }

    /** Where the columns are: indices into a row, -1 when absent; items[k] = column of item k + 1. */
    private record Layout(String[] names, int columns, int id, int sex, int age, int country, int[] items) {
    }

    private static Layout layout(LineCells header, Map<String, String> mapping, ImportProblems problems)
            throws ImportException {
        int n = header.size();
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = header.trimmed(i);
        }
        long line = header.line(0);
        for (String role : mapping.keySet()) {
            if (!ROLES.contains(role.toLowerCase(Locale.ROOT))) {
                throw problems.fatal(0, 0, "", role,
                        "unknown role in the column mapping (roles: " + String.join(", ", ROLES) + ")");
            }
        }
        Map<String, String> byRole = new HashMap<>();
        mapping.forEach((role, column) -> byRole.put(role.toLowerCase(Locale.ROOT), column));
        int id = column(names, byRole.get("id"), ID_NAMES, "id", line, problems);
        if (id < 0) {
            throw problems.fatal(line, 1, "", "",
                    "header has no id column (expected id, case or case_id, or map one to the id role)");
        }
        int sex = column(names, byRole.get("sex"), SEX_NAMES, "sex", line, problems);
        int age = column(names, byRole.get("age"), List.of("age"), "age", line, problems);
        int country = column(names, byRole.get("country"), List.of("country"), "country", line, problems);
        String prefix = byRole.get("items");
        Map<Integer, Integer> itemColumns = new HashMap<>();
        int firstItem = -1;
        int max = 0;
        for (int i = 0; i < n; i++) {
            int number = itemNumber(names[i], prefix);
            if (number <= 0) {
                continue;
            }
            Integer before = itemColumns.putIfAbsent(number, i);
            if (before != null) {
                throw problems.fatal(line, header.column(i), names[i], "",
                        "item column appears twice (also column " + header.column(before) + ")");
            }
            firstItem = firstItem < 0 ? i : firstItem;
            max = Math.max(max, number);
        }
        String p = prefix == null ? "I" : prefix;
        String expect = p + "1.." + p + "120 or " + p + "1.." + p + "300";
        if (itemColumns.isEmpty()) {
            throw problems.fatal(line, 1, "", "", "header has no item columns (expected " + expect + ")");
        }
        int count = itemColumns.size();
        if (count != max || (count != 120 && count != 300)) {
            String written = names[firstItem].substring(0, p.length());
            String found = "found " + count + " item columns";
            found += count == max ? " (" + names[itemColumns.get(1)] + ".." + names[itemColumns.get(max)] + ")"
                    : " numbered up to " + max + ", " + missing(itemColumns, max, written);
            throw problems.fatal(line, header.column(firstItem), "", "", found + "; expected " + expect);
        }
        int[] items = new int[count];
        itemColumns.forEach((k, col) -> items[k - 1] = col);
        return new Layout(names, n, id, sex, age, country, items);
    }

    /** The column of a role: the mapped name (which must exist), else the first detected name, else -1. */
    private static int column(String[] names, String mapped, List<String> detect, String role, long line,
            ImportProblems problems) throws ImportException {
        if (mapped != null) {
            int i = find(names, mapped);
            if (i < 0) {
                throw problems.fatal(line, 1, role, mapped, "mapped column not in the header");
            }
            return i;
        }
        for (String name : detect) {
            int i = find(names, name);
            if (i >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** Exact match first, then ignoring case. */
    private static int find(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /** k for a header "prefix" + k (k without leading zeros, prefix ignoring case; default prefix I), else 0. */
    static int itemNumber(String name, String prefix) {
        String p = prefix == null ? "I" : prefix;
        int n = name.length();
        if (n <= p.length() || n > p.length() + 4 || !name.regionMatches(true, 0, p, 0, p.length())
                || name.charAt(p.length()) == '0') {
            return 0;
        }
        int v = 0;
        for (int i = p.length(); i < n; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static String missing(Map<Integer, Integer> columns, int max, String p) {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        int total = 0;
        for (int k = 1; k <= max; k++) {
            if (!columns.containsKey(k)) {
                total++;
                if (shown++ < 5) {
                    sb.append(shown > 1 ? ", " : "").append(p).append(k);
                }
            }
        }
        return "missing " + sb + (total > 5 ? " and " + (total - 5) + " more" : "");
    }

    /** Validates one row at a time and adds it when it has no problem. */
    private static final class Rows {
        private final LineCells cells;
        private final Layout layout;
        private final ImportProblems problems;
        private final Responses.Builder builder;
        private final ImportInterner countries = new ImportInterner();
        private final Map<String, Long> firstLine = new HashMap<>();
        private final byte[] answers;

        Rows(LineCells cells, Layout layout, ImportProblems problems, Responses.Builder builder) {
            this.cells = cells;
            this.layout = layout;
            this.problems = problems;
            this.builder = builder;
            this.answers = new byte[layout.items.length];
        }

        void read() {
            int n = cells.size();
            int expected = layout.columns;
            if (n != expected) {
                String message = "row has " + n + " cells, expected " + expected + " (as in the header)";
                if (n < expected) {
                    problems.add(cells.endLine(), cells.endColumn(), layout.names[n], "", message);
                } else {
                    problems.add(cells.line(expected), cells.column(expected), "", "", message);
                }
                problems.endRecord();
                return;
            }
            String id = cells.trimmed(layout.id);
            if (id.isEmpty()) {
                problem(layout.id, "", "missing id");
            } else {
                Long first = firstLine.putIfAbsent(id, cells.line(layout.id));
                if (first != null) {
                    problem(layout.id, id, "duplicate id " + id + " (first on line " + first + ")");
                }
            }
            Sex sex = Sex.UNKNOWN;
            if (layout.sex >= 0) {
                try {
                    sex = Sex.parse(cells.raw(layout.sex));
                } catch (IllegalArgumentException e) {
                    problem(layout.sex, cells.trimmed(layout.sex), "must be 1/2, M/F, male/female, or blank (unknown)");
                }
            }
            int age = layout.age >= 0 ? age(cells.trimmed(layout.age)) : 0;
            String country = layout.country >= 0 ? countries.intern(cells.trimmed(layout.country)) : "";
            for (int k = 0; k < answers.length; k++) {
                int col = layout.items[k];
                int v = cells.digit(col);
                if (v >= 0 && v <= 5) {
                    answers[k] = (byte) v;
                } else {
                    String found = cells.trimmed(col);
                    boolean number = v > 5 || found.matches("-?[0-9]+");
                    problem(col, found, (number ? "answer out of range" : "must be a whole number")
                            + " 0..5 (blank or 0 = missing)");
                }
            }
            if (problems.endRecord()) {
                builder.add(id, sex, Math.max(age, 0), country, answers, 0);
            }
        }

        private int age(String text) {
            if (text.isEmpty()) {
                return 0;
            }
            int v = 0;
            for (int i = 0; i < text.length() && v <= MAX_AGE; i++) {
                char c = text.charAt(i);
                v = c >= '0' && c <= '9' ? v * 10 + (c - '0') : Integer.MAX_VALUE;
            }
            if (v <= MAX_AGE) {
                return v;
            }
            problem(layout.age, text, "must be a whole number 0.." + MAX_AGE + " (blank or 0 = unknown)");
            return -1;
        }

        private void problem(int col, String value, String message) {
            problems.add(cells.line(col), cells.column(col), layout.names[col], value, message);
        }
    }
}
