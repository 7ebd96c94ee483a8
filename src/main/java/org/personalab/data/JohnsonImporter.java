package org.personalab.data;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;
import org.personalab.task.TaskContext;

/**
 * Reads Johnson's fixed-width IPIP120.dat (151 characters per record) and IPIP300.dat (333). Columns, 1-based:
 * CASE 1–6, SEX 7, AGE 8–9, SEC 10–11, MIN 12–13, HOUR 14–15, DAY 16–17, MONTH 18–19, YEAR 20–22, COUNTRY 23–31
 * (A9; A11 in the 300 file, 23–33), then one digit 0..5 per item. Numeric fields may be padded with spaces or zeros.
 *
 * <p>The file is parsed as bytes, one reused buffer, with Strings made only for ids and (shared) countries, so that
 * the 619,150 records of IPIP120.dat parse in a fraction of a second.
 */
public final class JohnsonImporter implements Importer {

    private static final String[] TIME_NAMES = {"SEC", "MIN", "HOUR", "DAY", "MONTH", "YEAR"};
    /** 0-based start (inclusive) and end (exclusive) offsets of the time fields. */
    private static final int[] TIME_FROM = {9, 11, 13, 15, 17, 19};
    private static final int[] TIME_TO = {11, 13, 15, 17, 19, 22};
    private static final int CASE_TO = 6;
    private static final int SEX_AT = 6;
    private static final int AGE_FROM = 7;
    private static final int AGE_TO = 9;
    private static final int COUNTRY_FROM = 22;
    /** Johnson's CASE has 6 digits. */
    private static final int MAX_CASE = 999_999;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ZEROS = 0x3030303030303030L;
    private static final long SIX_UP = 0x7A7A7A7A7A7A7A7AL;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final int BLANK = -1;
    private static final int BAD = -2;
    /** PAIRS[(c1 << 8) | c2] = the value of the two-character number field c1c2, blank = 0, or PAIR_BAD. */
    private static final short[] PAIRS = new short[1 << 16];
    private static final int PAIR_BAD = 0x4000;
    private static final int PAIR_VALUE = 0x3FFF;

    static {
        byte[] two = new byte[2];
        for (int i = 0; i < PAIRS.length; i++) {
            two[0] = (byte) (i >>> 8);
            two[1] = (byte) i;
            int v = number(two, 0, 2);
            PAIRS[i] = (short) (v == BAD ? PAIR_BAD : v == BLANK ? 0 : v);
        }
    }

    private static final int CHECK_EVERY = 4096;
    private static final ImportInterner.Decoder UTF8 =
            (b, from, to) -> new String(b, from, to - from, StandardCharsets.UTF_8);

    private final ImportFormat format;
    private final Inventory inventory;
    private final int width;
    private final int itemsFrom;
    private final int otherWidth;

    public JohnsonImporter(ImportFormat format) {
        if (format != ImportFormat.JOHNSON120 && format != ImportFormat.JOHNSON300) {
            throw new IllegalArgumentException("not a Johnson format: " + format);
        }
        this.format = format;
        this.inventory = format.inventory();
        this.itemsFrom = format == ImportFormat.JOHNSON120 ? 31 : 33;
        this.width = itemsFrom + inventory.size();
        this.otherWidth = format == ImportFormat.JOHNSON120 ? 333 : 151;
    }

    @Override
    public ParsedFile read(Path file, ImportOptions options, TaskContext context) throws ImportException, IOException {
        ImportProblems problems = new ImportProblems(file.getFileName().toString(), options);
        AnswerEncoding encoding = options.encoding() != null ? options.encoding() : format.defaultEncoding();
        try (LineReader in = new LineReader(file, LineReader.DEFAULT_BUFFER)) {
            if (in.isEmpty()) {
                throw problems.fatal(1, 1, "", "", "file is empty");
            }
            if (in.utf16()) {
                throw problems.fatal(1, 1, "", "", "file is UTF-16 encoded; expected ASCII text");
            }
            long size = in.size();
            context.progress(0, size);
            Parse p = null;
            long records = 0;
            while (in.next()) {
                if (in.length() == 0) {
                    continue;
                }
                records++;
                if (p == null) {
                    // pre-size for the whole file, exactly when every record has the width and line end of the first
                    long perRecord = in.length() + (in.crlf() ? 2 : 1);
                    int expected = ImportProblems.presize((in.contentSize() + perRecord - 1) / perRecord, inventory);
                    p = new Parse(problems, new Responses.Builder(inventory, encoding, expected));
                }
                if (records % CHECK_EVERY == 0) {
                    context.checkCancelled();
                    context.progress(in.position(), size);
                }
                p.record(in.buffer(), in.start(), in.length(), in.lineNumber());
            }
            if (p == null) {
                throw problems.fatal(1, 1, "", "", "file has no records (only blank lines)");
            }
            context.progress(size, size);
            return problems.finish(p.builder, records);
        }
    }

    /** The state of one parse. */
    private final class Parse {
        private final ImportProblems problems;
        private final Responses.Builder builder;
        private final ImportInterner countries = new ImportInterner();
        private final byte[] answers = new byte[inventory.size()];
        /** firstLine[case] = line where that CASE was first seen, 0 = not yet. */
        private final int[] firstLine = new int[MAX_CASE + 1];

        Parse(ImportProblems problems, Responses.Builder builder) {
            this.problems = problems;
            this.builder = builder;
        }

        void record(byte[] b, int s, int len, long line) {
            problems.startRecord();
            if (len != width) {
                String hint = len != otherWidth ? ""
                        : otherWidth == 151 ? " (is this IPIP120.dat? use johnson120)"
                        : " (is this IPIP300.dat? use johnson300)";
                problems.add(line, Math.min(len, width) + 1, "", "",
                        "record is " + len + " characters, expected " + width + hint);
                problems.endRecord();
                return;
            }
            int caseNo = number(b, s, s + CASE_TO);
            byte sexByte = b[s + SEX_AT];
            int age = pair(b, s + AGE_FROM);
            // SEC MIN HOUR DAY MONTH (two characters each) and YEAR (three): validated, not stored
            int times = pair(b, s + 9) | pair(b, s + 11) | pair(b, s + 13) | pair(b, s + 15) | pair(b, s + 17);
            boolean timesOk = (times & PAIR_BAD) == 0 && number(b, s + 19, s + 22) != BAD;
            int itemBase = s + itemsFrom;
            boolean badItems = !digits(b, itemBase, answers);
            int countryFrom = s + COUNTRY_FROM;
            int countryTo = itemBase;
            boolean plainCountry = true;
            for (int i = countryFrom; i < countryTo; i++) {
                plainCountry &= b[i] > 0;
            }
            boolean sexOk = sexByte == '1' || sexByte == '2' || sexByte == '0' || sexByte == ' ';
            if (caseNo < 0 || !sexOk || (age & PAIR_BAD) != 0 || !timesOk || badItems || !plainCountry) {
                report(b, s, line, caseNo, sexByte, badItems, plainCountry);
            }
            if (caseNo >= 0) {
                int first = firstLine[caseNo];
                if (first != 0) {
                    problems.add(line, 1, "CASE", Integer.toString(caseNo),
                            "duplicate id " + caseNo + " (first on line " + first + ")");
                } else {
                    firstLine[caseNo] = (int) Math.min(line, Integer.MAX_VALUE);
                }
            }
            if (!problems.endRecord()) {
                return;
            }
            String country = country(b, countryFrom, countryTo);
            Sex sex = sexByte == '1' ? Sex.MALE : sexByte == '2' ? Sex.FEMALE : Sex.UNKNOWN;
            builder.add(Integer.toString(caseNo), sex, age & PAIR_VALUE, country, answers, 0);
        }

        private String country(byte[] b, int from, int to) {
            while (from < to && b[from] <= ' ' && b[from] >= 0) {
                from++;
            }
            while (to > from && b[to - 1] <= ' ' && b[to - 1] >= 0) {
                to--;
            }
            return countries.intern(b, from, to, UTF8);
        }

        /** The slow path: says exactly what is wrong with a record whose quick check failed. */
        private void report(byte[] b, int s, long line, int caseNo, byte sexByte, boolean badItems,
                boolean plainCountry) {
            if (caseNo == BLANK) {
                problems.add(line, 1, "CASE", "", "missing id");
            } else if (caseNo == BAD) {
                numberProblem(b, s, 0, CASE_TO, line, "CASE");
            }
            if (!(sexByte == '1' || sexByte == '2' || sexByte == '0' || sexByte == ' ')) {
                if (!encodingProblem(sexByte, line, SEX_AT + 1, "SEX")) {
                    problems.add(line, SEX_AT + 1, "SEX", String.valueOf((char) sexByte),
                            "must be 1 (male), 2 (female), or 0 or blank (unknown)");
                }
            }
            if (number(b, s + AGE_FROM, s + AGE_TO) == BAD) {
                numberProblem(b, s, AGE_FROM, AGE_TO, line, "AGE");
            }
            for (int t = 0; t < TIME_FROM.length; t++) {
                if (number(b, s + TIME_FROM[t], s + TIME_TO[t]) == BAD) {
                    numberProblem(b, s, TIME_FROM[t], TIME_TO[t], line, TIME_NAMES[t]);
                }
            }
            if (!plainCountry) {
                countryProblem(b, s, line);
            }
            if (badItems) {
                for (int i = 0; i < answers.length; i++) {
                    byte c = b[s + itemsFrom + i];
                    int column = itemsFrom + i + 1;
                    String field = "I" + (i + 1);
                    if (c >= '0' && c <= '5' || encodingProblem(c, line, column, field)) {
                        continue;
                    }
                    String found = String.valueOf((char) c);
                    if (c >= '6' && c <= '9') {
                        problems.add(line, column, field, found, "answer out of range 0..5");
                    } else {
                        problems.add(line, column, field, found, "not a digit 0..5");
                    }
                }
            }
        }

        private void numberProblem(byte[] b, int s, int from, int to, long line, String field) {
            for (int i = from; i < to; i++) {
                if (encodingProblem(b[s + i], line, from + 1, field)) {
                    return;
                }
            }
            String text = new String(b, s + from, to - from, StandardCharsets.ISO_8859_1).trim();
            problems.add(line, from + 1, field, text, "must be a whole number");
        }

        private void countryProblem(byte[] b, int s, long line) {
            int from = s + COUNTRY_FROM;
            int to = s + itemsFrom;
            int nul = ImportText.indexOfNul(b, from, to);
            if (nul >= 0) {
                problems.add(line, COUNTRY_FROM + 1, "COUNTRY", ImportText.hex((byte) 0), "NUL byte");
                return;
            }
            int invalid = ImportText.invalidUtf8(b, from, to);
            if (invalid >= 0) {
                problems.add(line, COUNTRY_FROM + 1, "COUNTRY", ImportText.hex(b[invalid]), "not valid UTF-8");
            }
        }

        /** Reports a NUL or non-ASCII byte; false when the byte is plain ASCII. */
        private boolean encodingProblem(byte c, long line, int column, String field) {
            if (c == 0) {
                problems.add(line, column, field, ImportText.hex(c), "NUL byte");
                return true;
            }
            if (c < 0) {
                problems.add(line, column, field, ImportText.hex(c), "non-ASCII byte");
                return true;
            }
            return false;
        }
    }

    /**
     * Copies the item answers {@code b[from .. from + out.length)} into {@code out} as values ('3' becomes 3); true
     * when every byte is a digit 0..5. Eight bytes at a time: {@code x ^ '0'} is at most 5 exactly for '0'..'5',
     * and a byte {@code y} is at most 5 when neither {@code y} nor {@code y + 0x7A} has its high bit set.
     */
    static boolean digits(byte[] b, int from, byte[] out) {
        int n = out.length;
        long high = 0;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long y = (long) LONGS.get(b, from + i) ^ ZEROS;
            LONGS.set(out, i, y);
            high |= y | (y + SIX_UP);
        }
        int tail = 0;
        for (; i < n; i++) {
            int v = b[from + i] - '0';
            out[i] = (byte) v;
            tail |= v | (5 - v);
        }
        return (high & HIGH_BITS) == 0 && tail >= 0;
    }

    /** The two-character number field at {@code b[at]}: its value (blank = 0), or a value with PAIR_BAD set. */
    private static int pair(byte[] b, int at) {
        return PAIRS[(b[at] & 0xFF) << 8 | b[at + 1] & 0xFF];
    }

    /** A space- or zero-padded whole number in {@code b[from..to)}: its value, {@link #BLANK} or {@link #BAD}. */
    private static int number(byte[] b, int from, int to) {
        while (from < to && b[from] == ' ') {
            from++;
        }
        while (to > from && b[to - 1] == ' ') {
            to--;
        }
        if (from == to) {
            return BLANK;
        }
        int v = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return BAD;
            }
            v = v * 10 + d;
        }
        return v;
    }
}
