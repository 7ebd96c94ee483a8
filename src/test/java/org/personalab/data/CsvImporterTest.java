package org.personalab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;
import org.personalab.task.TaskContext;

class CsvImporterTest {

    @TempDir
    Path dir;

    static ParsedFile read(Path file, ImportOptions options) throws Exception {
        return new CsvImporter().read(file, options, TaskContext.none());
    }

    static ImportOptions csv() {
        return ImportOptions.of(ImportFormat.CSV);
    }

    static List<String> strings(List<ImportProblem> problems) {
        return problems.stream().map(ImportProblem::toString).toList();
    }

    static String itemHeader(String prefix, int n) {
        return IntStream.rangeClosed(1, n).mapToObj(k -> prefix + k).collect(Collectors.joining(","));
    }

    static String answers(int seed, int n) {
        return IntStream.rangeClosed(1, n).mapToObj(k -> Integer.toString((seed + k * 5) % 6)).collect(Collectors.joining(","));
    }

    static byte[] values(int seed, int n) {
        byte[] b = new byte[n];
        for (int k = 1; k <= n; k++) {
            b[k - 1] = (byte) ((seed + k * 5) % 6);
        }
        return b;
    }

    Path write(String name, String text) throws IOException {
        return Files.write(dir.resolve(name), text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rawAndKeyedPapiFilesAgreeAfterConversion() throws Exception {
        Path data = PapiJsonImporterTest.sharedData();
        ParsedFile raw = read(data.resolve("papi_test300_ipip120_raw.csv"), csv());
        ParsedFile keyed = read(data.resolve("papi_test300_ipip120_keyed.csv"), csv().withEncoding(AnswerEncoding.KEYED));
        Responses r = raw.responses();
        Responses k = keyed.responses();
        assertEquals(Inventory.IPIP_NEO_120, r.inventory());
        assertEquals(AnswerEncoding.RAW, r.encoding());
        assertEquals(AnswerEncoding.KEYED, k.encoding());
        assertEquals(300, r.size());
        assertEquals(300, k.size());
        assertEquals("172481", r.id(0));
        assertEquals(Sex.MALE, r.sex(0));
        assertEquals(17, r.age(0));
        assertEquals("USA", r.country(0));
        String[] first = Files.readAllLines(data.resolve("papi_test300_ipip120_raw.csv")).get(1).split(",");
        for (int item = 1; item <= 120; item++) {
            assertEquals(Integer.parseInt(first[9 + item]), r.answer(0, item));
        }
        assertNotEquals(List.of(r.answerMatrix()), List.of(k.answerMatrix()));
        assertArrayEquals(k.answerMatrix(), r.withEncoding(AnswerEncoding.KEYED).answerMatrix());
        assertArrayEquals(r.answerMatrix(), k.withEncoding(AnswerEncoding.RAW).answerMatrix());
        assertArrayEquals(r.idColumn(), k.idColumn());
        assertArrayEquals(r.countryColumn(), k.countryColumn());

        ParsedFile all = read(data.resolve("papi_test300_ipip300_keyed.csv"), csv().withEncoding(AnswerEncoding.KEYED));
        assertEquals(Inventory.IPIP_NEO_300, all.responses().inventory());
        assertEquals(300, all.responses().size());
        assertEquals(r.id(299), all.responses().id(299));
    }

    @Test
    void quotedFieldsBomCrlfAndBlankAnswers() throws Exception {
        String header = "\uFEFFid,sex,age,country,note," + itemHeader("I", 120);
        String blank = answers(2, 120).replaceFirst("^[0-9]", "");
        String text = header + "\r\n"
                + "\"a\"\"1\",F,31,\"Korea, Republic of\",\"two\nlines, \"\"quoted\"\"\"," + answers(1, 120) + "\r\n"
                + "\r\n"
                + "b2,male,,Canada,," + blank + "\r\n";
        ParsedFile p = read(write("quoted.csv", text), csv());
        Responses r = p.responses();
        assertEquals(List.of("a\"1", "b2"), List.of(r.idColumn()));
        assertEquals(Sex.FEMALE, r.sex(0));
        assertEquals(Sex.MALE, r.sex(1));
        assertEquals(31, r.age(0));
        assertEquals(0, r.age(1));
        assertEquals(List.of("Korea, Republic of", "Canada"), List.of(r.countryColumn()));
        assertArrayEquals(values(1, 120), r.answersOf(0));
        byte[] second = values(2, 120);
        second[0] = 0;
        assertArrayEquals(second, r.answersOf(1));
    }

    @Test
    void columnMappingAndDetectedNames() throws Exception {
        String[] a = answers(3, 120).split(",");
        String text = "person,gender_code,years,land,q1,x," + itemHeader("q", 120).substring(3) + "\n"
                + "p1,2,44,Peru," + a[0] + ",ignored," + String.join(",", List.of(a).subList(1, 120)) + "\n";
        Map<String, String> mapping = Map.of("id", "person", "sex", "gender_code", "age", "years", "country", "land",
                "items", "q");
        Responses r = read(write("mapped.csv", text), csv().withColumnMapping(mapping)).responses();
        assertEquals("p1", r.id(0));
        assertEquals(Sex.FEMALE, r.sex(0));
        assertEquals(44, r.age(0));
        assertEquals("Peru", r.country(0));
        assertArrayEquals(values(3, 120), r.answersOf(0));

        ImportException e = assertThrows(ImportException.class, () -> read(write("mapped.csv", text), csv()));
        assertEquals("mapped.csv:1:1: header has no id column (expected id, case or case_id, or map one to the id role)",
                e.getMessage());
        ImportException wrong = assertThrows(ImportException.class,
                () -> read(write("mapped.csv", text), csv().withColumnMapping(Map.of("id", "who", "items", "q"))));
        assertEquals("mapped.csv:1:1: id: mapped column not in the header (found 'who')", wrong.getMessage());

        // detection: case_id, gender, lower-case items in any column order, demographics optional
        List<String> names = new java.util.ArrayList<>(List.of(itemHeader("i", 300).split(",")));
        List<String> cells = new java.util.ArrayList<>(List.of(answers(4, 300).split(",")));
        names.add(0, names.remove(1));
        cells.add(0, cells.remove(1));
        names.addAll(1, List.of("CASE_ID", "Gender"));
        cells.addAll(1, List.of("x9", "female"));
        String detected = String.join(",", names) + "\n" + String.join(",", cells) + "\n";
        Responses d = read(write("detected.csv", detected), csv()).responses();
        assertEquals(Inventory.IPIP_NEO_300, d.inventory());
        assertEquals("x9", d.id(0));
        assertEquals(Sex.FEMALE, d.sex(0));
        assertEquals(0, d.age(0));
        assertEquals("", d.country(0));
        assertArrayEquals(values(4, 300), d.answersOf(0));
    }

    @Test
    void wrongItemColumnsAreRefused() throws Exception {
        ImportException e = assertThrows(ImportException.class, () -> read(write("short.csv",
                "case,sex," + itemHeader("I", 119) + "\n1,1," + answers(1, 119) + "\n"), csv()));
        assertEquals("short.csv:1:10: found 119 item columns (I1..I119); expected I1..I120 or I1..I300",
                e.getMessage());
        String gap = "id," + itemHeader("I", 121).replace(",I57,", ",") + "\n";
        ImportException g = assertThrows(ImportException.class, () -> read(write("gap.csv", gap + "1\n"), csv()));
        assertEquals("gap.csv:1:4: found 120 item columns numbered up to 121, missing I57; expected I1..I120 or I1..I300",
                g.getMessage());
        ImportException none = assertThrows(ImportException.class, () -> read(write("none.csv", "id,age\n1,2\n"), csv()));
        assertEquals("none.csv:1:1: header has no item columns (expected I1..I120 or I1..I300)", none.getMessage());
        ImportException twice = assertThrows(ImportException.class,
                () -> read(write("twice.csv", "id,i1," + itemHeader("I", 120) + "\n"), csv()));
        assertEquals("twice.csv:1:7: I1: item column appears twice (also column 4)", twice.getMessage());
    }

    @Test
    void badRowsAreLocatedAndLenientModeKeepsTheRest() throws Exception {
        String header = "id,sex,age,country," + itemHeader("I", 120);
        String good = answers(5, 120);
        String[] cells = good.split(",");
        cells[16] = "7";
        String seven = String.join(",", cells);
        cells[16] = "\"x\"";
        String letter = String.join(",", cells);
        String shortRow = "r4,1,20,USA," + good.substring(0, good.length() - 2);
        String text = header + "\n"
                + "r1,1,20,USA," + good + "\n"
                + "r2,1,20,USA," + seven + "\n"
                + "r3,1,20,USA," + letter + "\n"
                + shortRow + "\n"
                + "r5,1,20,USA," + good + ",9\n"
                + "r1,X,200,USA," + good + "\n"
                + ",1,20,USA," + good + "\n"
                + "r8,2,20,\u00c9ire," + good + "\n";
        byte[] bytes = (text + "r9,2,20,Ire\u0000," + good + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] latin = ("r10,2,20,\u00c9ire," + good + "\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[bytes.length + latin.length];
        System.arraycopy(bytes, 0, all, 0, bytes.length);
        System.arraycopy(latin, 0, all, bytes.length, latin.length);
        Path f = Files.write(dir.resolve("rows.csv"), all);
        int i17 = ("r2,1,20,USA," + String.join(",", List.of(good.split(",")).subList(0, 16)) + ",").length() + 1;
        List<String> expected = List.of(
                "rows.csv:3:" + i17 + ": I17: answer out of range 0..5 (blank or 0 = missing) (found '7')",
                "rows.csv:4:" + i17 + ": I17: must be a whole number 0..5 (blank or 0 = missing) (found 'x')",
                "rows.csv:5:" + (shortRow.length() + 1) + ": I120: row has 123 cells, expected 124 (as in the header)",
                "rows.csv:6:" + (("r5,1,20,USA," + good + ",").length() + 1) + ": row has 125 cells, expected 124 (as in the header)",
                "rows.csv:7:1: id: duplicate id r1 (first on line 2) (found 'r1')",
                "rows.csv:7:4: sex: must be 1/2, M/F, male/female, or blank (unknown) (found 'X')",
                "rows.csv:7:6: age: must be a whole number 0..150 (blank or 0 = unknown) (found '200')",
                "rows.csv:8:1: id: missing id",
                "rows.csv:10:12: NUL byte (found '0x00')",
                "rows.csv:11:10: not valid UTF-8 (found '0xC9')");
        ImportException e = assertThrows(ImportException.class, () -> read(f, csv()));
        assertEquals(expected, strings(e.problems()));

        ParsedFile p = read(f, csv().withLenient(true));
        assertEquals(List.of("r1", "r8"), List.of(p.responses().idColumn()));
        assertEquals("Éire", p.responses().country(1));
        assertEquals(10, p.recordsRead());
        assertEquals(8, p.skippedCount());
        assertEquals(expected, strings(p.skipped()));
    }

    @Test
    void emptyHeaderOnlyAndBrokenQuotesAreRefused() throws Exception {
        ImportException empty = assertThrows(ImportException.class, () -> read(write("e.csv", ""), csv()));
        assertEquals("e.csv:1:1: file is empty", empty.getMessage());
        String header = "id," + itemHeader("I", 120);
        ImportException only = assertThrows(ImportException.class, () -> read(write("h.csv", header + "\r\n\r\n"), csv()));
        assertEquals("h.csv:2:1: file has a header but no records", only.getMessage());

        String text = header + "\n" + "1," + answers(1, 120) + "\n" + "\"2\"x," + answers(2, 120) + "\n"
                + "\"3," + answers(3, 120) + "\n";
        ImportException quotes = assertThrows(ImportException.class, () -> read(write("q.csv", text), csv()));
        assertEquals(List.of(
                "q.csv:3:4: unexpected text after a closing quote (a quote inside a quoted field is written \"\") (found 'x')",
                "q.csv:4:1: quoted field is not closed before the end of the file",
                "q.csv:4:" + (("\"3," + answers(3, 120)).length() + 1) + ": I1: row has 1 cells, expected 121 (as in the header)"),
                strings(quotes.problems()));
    }
}
