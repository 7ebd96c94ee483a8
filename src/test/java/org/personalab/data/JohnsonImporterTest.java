package org.personalab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;
import org.personalab.task.TaskContext;

class JohnsonImporterTest {

    @TempDir
    Path dir;

    /** Item digits 0..5 that differ per respondent and item. */
    static String items(int seed, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append((char) ('0' + (seed * 7 + i * 3 + i / 5) % 6));
        }
        return sb.toString();
    }

    static byte[] values(String digits) {
        byte[] b = new byte[digits.length()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (digits.charAt(i) - '0');
        }
        return b;
    }

    /** A record: CASE (6) SEX (1) AGE (2), fixed time fields (13), country (9 or 11) and items. */
    static String rec(String caseNo, String sex, String age, String country, String items) {
        int countryWidth = items.length() == 120 ? 9 : 11;
        String s = String.format("%6s%1s%2s%s%-" + countryWidth + "s%s", caseNo, sex, age, " 647132107103", country, items);
        assertEquals(items.length() == 120 ? 151 : 333, s.length(), "test record width");
        return s;
    }

    /** Writes text with one byte per char (ISO-8859-1), so tests can place any byte. */
    Path write(String name, String text) throws IOException {
        return Files.write(dir.resolve(name), text.getBytes(StandardCharsets.ISO_8859_1));
    }

    static ParsedFile read120(Path file, ImportOptions options) throws Exception {
        return new JohnsonImporter(ImportFormat.JOHNSON120).read(file, options, TaskContext.none());
    }

    static ImportOptions strict120() {
        return ImportOptions.of(ImportFormat.JOHNSON120);
    }

    static List<String> strings(List<ImportProblem> problems) {
        return problems.stream().map(ImportProblem::toString).toList();
    }

    @Test
    void readsPaddedFieldsOf120() throws Exception {
        String a = items(1, 120);
        String b = items(2, 120);
        String c = items(3, 120);
        Path f = write("IPIP120.dat", rec("522", "1", "17", "USA", a) + "\n"
                + rec("000017", "2", "07", "  Canada", b) + "\n"
                + rec("172481", " ", "  ", "USA", c) + "\n");
        ParsedFile p = read120(f, strict120());
        Responses r = p.responses();
        assertEquals(Inventory.IPIP_NEO_120, r.inventory());
        assertEquals(AnswerEncoding.KEYED, r.encoding());
        assertEquals(3, r.size());
        assertEquals(3, p.recordsRead());
        assertEquals(0, p.skippedCount());
        assertTrue(p.skipped().isEmpty());
        assertEquals(List.of("522", "17", "172481"), List.of(r.idColumn()));
        assertEquals(List.of(Sex.MALE, Sex.FEMALE, Sex.UNKNOWN), List.of(r.sex(0), r.sex(1), r.sex(2)));
        assertEquals(List.of(17, 7, 0), List.of(r.age(0), r.age(1), r.age(2)));
        assertEquals(List.of("USA", "Canada", "USA"), List.of(r.countryColumn()));
        assertSame(r.country(0), r.country(2), "countries are shared");
        assertArrayEquals(values(a), r.answersOf(0));
        assertArrayEquals(values(b), r.answersOf(1));
        assertArrayEquals(values(c), r.answersOf(2));
    }

    @Test
    void reads300WithBomCrlfAndNoFinalNewline() throws Exception {
        String a = items(4, 300);
        String b = items(5, 300);
        Path f = write("IPIP300.dat", "\u00EF\u00BB\u00BF" + rec("  9001", "2", "35", "New Zealand", a) + "\r\n"
                + rec("009002", "0", "9 ", "UK", b));
        ParsedFile p = new JohnsonImporter(ImportFormat.JOHNSON300).read(f, ImportOptions.of(ImportFormat.JOHNSON300),
                TaskContext.none());
        Responses r = p.responses();
        assertEquals(Inventory.IPIP_NEO_300, r.inventory());
        assertEquals(List.of("9001", "9002"), List.of(r.idColumn()));
        assertEquals(Sex.FEMALE, r.sex(0));
        assertEquals(Sex.UNKNOWN, r.sex(1));
        assertEquals(35, r.age(0));
        assertEquals(9, r.age(1));
        assertEquals(List.of("New Zealand", "UK"), List.of(r.countryColumn()));
        assertArrayEquals(values(a), r.answersOf(0));
        assertArrayEquals(values(b), r.answersOf(1));
    }

    @Test
    void crlfBlankLinesAndUtf8CountryAndRawEncoding() throws Exception {
        String a = items(6, 120);
        String curacao = new String("Curaçao".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        Path f = write("x.dat", rec("1", "1", "20", curacao, a) + "\r\n\r\n" + rec("2", "2", "30", "USA", a) + "\r\n\n");
        ParsedFile p = read120(f, strict120().withEncoding(AnswerEncoding.RAW));
        assertEquals(2, p.recordsRead());
        assertEquals(AnswerEncoding.RAW, p.responses().encoding());
        assertEquals("Curaçao", p.responses().country(0));
        assertArrayEquals(values(a), p.responses().answersOf(1));
    }

    /** Line 1 is good; every other line has exactly the problems listed in {@link #BAD_EXPECTED}. */
    private Path badFile() throws IOException {
        String good = items(7, 120);
        StringBuilder sb = new StringBuilder();
        sb.append(rec("522", "1", "17", "USA", good)).append('\n');                                // 1 good
        sb.append(rec("600", "1", "17", "USA", good), 0, 150).append('\n');                        // 2 short
        sb.append(rec("601", "1", "17", "USA", good.substring(0, 16) + "7" + good.substring(17))).append('\n');
        sb.append(rec("602", "1", "x1", "USA", good)).append('\n');                                // 4 age
        sb.append(rec("603", "3", "17", "USA", good)).append('\n');                                // 5 sex
        sb.append(rec("522", "2", "40", "UK", good)).append('\n');                                 // 6 duplicate
        sb.append(rec("604", "1", "17", "USA", good.substring(0, 4) + "\u00C3" + good.substring(5))).append('\n');
        sb.append(rec("605", "1", "17", "USA", "\u0000" + good.substring(1))).append('\n');        // 8 NUL
        sb.append(rec("606", "1", "17", "USA", good)).append("9\n");                               // 9 long
        sb.append(rec("", "1", "17", "USA", good)).append('\n');                                   // 10 no id
        String month = rec("607", "1", "17", "USA", good);
        sb.append(month, 0, 17).append("1x").append(month.substring(19)).append('\n');            // 11 month
        sb.append(rec("608", "1", "17", "US\u00FF", good)).append('\n');                           // 12 country
        sb.append(rec("12a456", "9", "17", "USA", good.substring(0, 119) + " ")).append('\n');     // 13 three
        sb.append(rec("609", "2", "33", "Canada", good)).append('\n');                             // 14 good
        return write("bad.dat", sb.toString());
    }

    private static final List<String> BAD_EXPECTED = List.of(
            "bad.dat:2:151: record is 150 characters, expected 151",
            "bad.dat:3:48: I17: answer out of range 0..5 (found '7')",
            "bad.dat:4:8: AGE: must be a whole number (found 'x1')",
            "bad.dat:5:7: SEX: must be 1 (male), 2 (female), or 0 or blank (unknown) (found '3')",
            "bad.dat:6:1: CASE: duplicate id 522 (first on line 1) (found '522')",
            "bad.dat:7:36: I5: non-ASCII byte (found '0xC3')",
            "bad.dat:8:32: I1: NUL byte (found '0x00')",
            "bad.dat:9:152: record is 152 characters, expected 151",
            "bad.dat:10:1: CASE: missing id",
            "bad.dat:11:18: MONTH: must be a whole number (found '1x')",
            "bad.dat:12:23: COUNTRY: not valid UTF-8 (found '0xFF')",
            "bad.dat:13:1: CASE: must be a whole number (found '12a456')",
            "bad.dat:13:7: SEX: must be 1 (male), 2 (female), or 0 or blank (unknown) (found '9')",
            "bad.dat:13:151: I120: not a digit 0..5 (found ' ')");

    @Test
    void strictModeListsEveryProblemWithItsLocation() throws Exception {
        ImportException e = assertThrows(ImportException.class, () -> read120(badFile(), strict120()));
        assertEquals(BAD_EXPECTED, strings(e.problems()));
        assertEquals(BAD_EXPECTED.get(0) + " (and 13 more problems)", e.getMessage());
    }

    @Test
    void lenientModeSkipsExactlyTheBadRecords() throws Exception {
        ParsedFile p = read120(badFile(), strict120().withLenient(true));
        assertEquals(List.of("522", "609"), List.of(p.responses().idColumn()));
        assertEquals(14, p.recordsRead());
        assertEquals(12, p.skippedCount());
        assertEquals(BAD_EXPECTED, strings(p.skipped()));
        assertEquals(Sex.MALE, p.responses().sex(0), "the first of two records with id 522 is kept");
        assertEquals("Canada", p.responses().country(1));
    }

    @Test
    void maxProblemsCapsTheListButCountsTheRest() throws Exception {
        ImportOptions options = new ImportOptions(ImportFormat.JOHNSON120, null, false, null, null, 3);
        ImportException e = assertThrows(ImportException.class, () -> read120(badFile(), options));
        assertEquals(BAD_EXPECTED.subList(0, 3), strings(e.problems()).subList(0, 3));
        assertEquals("bad.dat:0:0: 11 more problems not listed (14 in all)", e.problems().get(3).toString());
        assertEquals(4, e.problems().size());

        ParsedFile lenient = read120(badFile(), options.withLenient(true));
        assertEquals(3, lenient.skipped().size());
        assertEquals(12, lenient.skippedCount());
    }

    @Test
    void emptyFilesAndFilesWithoutGoodRecordsAreRefused() throws Exception {
        for (String content : new String[] {"", "\u00EF\u00BB\u00BF"}) {
            ImportException e = assertThrows(ImportException.class, () -> read120(write("empty.dat", content), strict120()));
            assertEquals(List.of("empty.dat:1:1: file is empty"), strings(e.problems()));
        }
        ImportException blank = assertThrows(ImportException.class, () -> read120(write("blank.dat", "\n\r\n"), strict120()));
        assertEquals("blank.dat:1:1: file has no records (only blank lines)", blank.getMessage());

        Path allBad = write("allbad.dat", rec("1", "7", "20", "USA", items(1, 120)) + "\n");
        ImportException e = assertThrows(ImportException.class, () -> read120(allBad, strict120().withLenient(true)));
        assertEquals(List.of("allbad.dat:0:0: no valid records: all 1 records have problems",
                "allbad.dat:1:7: SEX: must be 1 (male), 2 (female), or 0 or blank (unknown) (found '7')"),
                strings(e.problems()));
    }

    @Test
    void aFileOfTheOtherWidthGetsAHint() throws Exception {
        Path f = write("IPIP300.dat", rec("1", "1", "20", "USA", items(1, 300)) + "\n");
        ImportException e = assertThrows(ImportException.class, () -> read120(f, strict120()));
        assertEquals("IPIP300.dat:1:152: record is 333 characters, expected 151 (is this IPIP300.dat? use johnson300)",
                e.getMessage());
        Path g = write("IPIP120.dat", rec("1", "1", "20", "USA", items(1, 120)) + "\n");
        ImportException e300 = assertThrows(ImportException.class, () -> new JohnsonImporter(ImportFormat.JOHNSON300)
                .read(g, ImportOptions.of(ImportFormat.JOHNSON300), TaskContext.none()));
        assertEquals("IPIP120.dat:1:152: record is 151 characters, expected 333 (is this IPIP120.dat? use johnson120)",
                e300.getMessage());
    }

    @Test
    void reportsProgressAndStopsWhenCancelled() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 10_000; i++) {
            sb.append(rec(Integer.toString(i), "1", "30", "USA", items(i, 120))).append('\n');
        }
        Path f = write("many.dat", sb.toString());
        List<double[]> calls = new ArrayList<>();
        ParsedFile p = new JohnsonImporter(ImportFormat.JOHNSON120).read(f, strict120(), new TaskContext() {
            @Override
            public void progress(double done, double total) {
                calls.add(new double[] {done, total});
            }

            @Override
            public void message(String message) {
            }

            @Override
            public boolean isCancelled() {
                return false;
            }
        });
        assertEquals(10_000, p.responses().size());
        assertArrayEquals(values(items(9_999, 120)), p.responses().answersOf(9_998));
        assertTrue(calls.size() >= 3, "progress at start, during and at the end");
        double size = Files.size(f);
        assertEquals(size, calls.get(calls.size() - 1)[0]);
        for (int i = 1; i < calls.size(); i++) {
            assertEquals(size, calls.get(i)[1]);
            assertTrue(calls.get(i)[0] >= calls.get(i - 1)[0], "progress never goes back");
        }

        TaskContext cancelled = new TaskContext() {
            @Override
            public void progress(double done, double total) {
            }

            @Override
            public void message(String message) {
            }

            @Override
            public boolean isCancelled() {
                return true;
            }
        };
        assertThrows(CancellationException.class,
                () -> new JohnsonImporter(ImportFormat.JOHNSON120).read(f, strict120(), cancelled));
    }

    @Test
    void eightBytesAtATimeDigitCheckAgreesWithAByteByByteCheck() {
        for (int n : new int[] {120, 300}) {
            byte[] base = ("abc" + items(n, n) + "xyz").getBytes(StandardCharsets.ISO_8859_1);
            for (int at = 0; at < n; at++) {
                for (int v = 0; v < 256; v++) {
                    byte[] line = base.clone();
                    line[3 + at] = (byte) v;
                    byte[] out = new byte[n];
                    boolean valid = v >= '0' && v <= '5';
                    assertEquals(valid, JohnsonImporter.digits(line, 3, out), "item " + at + " byte " + v);
                    if (valid) {
                        byte[] expected = values(new String(line, 3, n, StandardCharsets.ISO_8859_1));
                        assertArrayEquals(expected, out);
                    }
                }
            }
        }
    }

    @Test
    void refusesFormatsThatAreNotJohnson() {
        assertThrows(IllegalArgumentException.class, () -> new JohnsonImporter(ImportFormat.CSV));
    }
}
