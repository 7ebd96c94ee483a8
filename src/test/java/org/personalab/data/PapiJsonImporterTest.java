package org.personalab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;
import org.personalab.task.TaskContext;

class PapiJsonImporterTest {

    @TempDir
    Path dir;

    static Path sharedData() {
        Path data = Path.of(System.getProperty("personalab.shared", "../shared")).resolve("data");
        Assumptions.assumeTrue(Files.isDirectory(data), "shared data not present: " + data);
        return data;
    }

    static ParsedFile read(Path file, ImportOptions options) throws Exception {
        return new PapiJsonImporter().read(file, options, TaskContext.none());
    }

    static ImportOptions strict() {
        return ImportOptions.of(ImportFormat.PAPI);
    }

    static List<String> strings(List<ImportProblem> problems) {
        return problems.stream().map(ImportProblem::toString).toList();
    }

    @Test
    void readsThePapiTestSetExactlyAsTheFlattenedCsv() throws Exception {
        Path data = sharedData();
        ParsedFile p = read(data.resolve("palign_PAPI_Test-set.json"), strict());
        Responses r = p.responses();
        assertEquals(Inventory.IPIP_NEO_300, r.inventory());
        assertEquals(AnswerEncoding.KEYED, r.encoding());
        assertEquals(300, r.size());
        assertEquals(300, p.recordsRead());
        long male = 0;
        long female = 0;
        for (int i = 0; i < r.size(); i++) {
            male += r.sex(i) == Sex.MALE ? 1 : 0;
            female += r.sex(i) == Sex.FEMALE ? 1 : 0;
        }
        assertEquals(97, male);
        assertEquals(203, female);
        assertEquals("172481", r.id(0));
        assertEquals(Sex.MALE, r.sex(0));
        assertEquals(17, r.age(0));
        assertEquals("USA", r.country(0));
        assertEquals(3, r.answer(0, 1));
        assertEquals(4, r.answer(0, 2));

        // every cell equals papi_test300_ipip300_keyed.csv (case,sex,age,sec,min,hour,day,month,year,country,i1..i300)
        List<String> lines = Files.readAllLines(data.resolve("papi_test300_ipip300_keyed.csv"));
        assertEquals(301, lines.size());
        int zeros = 0;
        for (int row = 0; row < 300; row++) {
            String[] c = lines.get(row + 1).split(",", -1);
            assertEquals(310, c.length);
            assertEquals(c[0], r.id(row));
            assertEquals(Integer.parseInt(c[1]), r.sexCode(row));
            assertEquals(Integer.parseInt(c[2]), r.age(row));
            assertEquals(c[9], r.country(row));
            for (int k = 1; k <= 300; k++) {
                assertEquals(Integer.parseInt(c[9 + k]), r.answer(row, k), "row " + row + " i" + k);
                zeros += r.answer(row, k) == 0 ? 1 : 0;
            }
        }
        assertEquals(52, zeros, "SOURCES.md: 52 missing answers");
    }

    /** One respondent, one key per line, in the layout of Test-set.json. */
    static String object(String caseValue, int seed, String extra) {
        StringBuilder sb = new StringBuilder();
        sb.append("  {\n    \"case\": ").append(caseValue).append(",\n    \"sex\": ").append(1 + seed % 2)
                .append(",\n    \"age\": ").append(20 + seed).append(",\n    \"country\": \"Canada\",\n")
                .append("    \"month\": 7,\n    \"year\": 103");
        sb.append(extra);
        for (int k = 1; k <= 300; k++) {
            sb.append(",\n    \"i").append(k).append("\": ").append(answer(seed, k));
        }
        return sb.append("\n  }").toString();
    }

    static int answer(int seed, int k) {
        return (seed + k * 7) % 6;
    }

    Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** 1-based line and column of the first occurrence of {@code needle} in {@code text}. */
    static String where(String text, String needle) {
        int at = text.indexOf(needle);
        assertTrue(at >= 0, needle);
        int line = 1 + (int) text.substring(0, at).chars().filter(ch -> ch == '\n').count();
        int column = at - text.lastIndexOf('\n', at - 1);
        return line + ":" + column;
    }

    @Test
    void readsSyntheticObjectsAndIgnoresUnknownKeys() throws Exception {
        String json = "\uFEFF[\n" + object("7", 1, ",\n    \"note\": {\"x\": [1, 2, {\"i5\": 9}]}") + ",\n"
                + object("\"p-8\"", 2, ",\n    \"i301\": 9") + "\n]\n";
        ParsedFile p = read(write("two.json", json), strict().withEncoding(AnswerEncoding.RAW));
        Responses r = p.responses();
        assertEquals(AnswerEncoding.RAW, r.encoding());
        assertEquals(List.of("7", "p-8"), List.of(r.idColumn()));
        assertEquals(Sex.FEMALE, r.sex(0));
        assertEquals(Sex.MALE, r.sex(1));
        assertEquals(21, r.age(0));
        assertEquals("Canada", r.country(1));
        byte[] expected = new byte[300];
        for (int k = 1; k <= 300; k++) {
            expected[k - 1] = (byte) answer(2, k);
        }
        assertArrayEquals(expected, r.answersOf(1));
    }

    @Test
    void badValuesAreLocatedAtTheirToken() throws Exception {
        String first = object("1", 1, "");
        String bad = object("2", 2, "").replace("\"i17\": " + answer(2, 17), "\"i17\": 9")
                .replace("\"age\": 22", "\"age\": \"old\"");
        String missing = object("3", 3, "").replace(",\n    \"i5\": " + answer(3, 5), "");
        String duplicate = object("1", 4, "");
        String json = "[\n" + first + ",\n" + bad + ",\n" + missing + ",\n" + duplicate + ",\n" + object("5", 5, "") + "\n]";
        Path f = write("bad.json", json);
        String badStart = where(json, "\"case\": 2");
        int badLine = Integer.parseInt(badStart.split(":")[0]);
        String i17 = where(json, "\"i17\": 9");
        String missingObject = where(json, missing).split(":")[0] + ":3"; // the object's '{'

        List<String> expected = List.of(
                "bad.json:" + (badLine + 2) + ":12: age: must be a whole number 0..150 (0 or null = unknown) (found '\"old\"')",
                "bad.json:" + i17.split(":")[0] + ":12: i17: answer out of range 0..5 (found '9')",
                "bad.json:" + missingObject + ": i5: missing key 'i5'",
                "bad.json:" + where(json, "\"case\": 1,\n    \"sex\": 1") .split(":")[0]
                        + ":13: case: duplicate id 1 (first on line 3) (found '1')");
        ImportException e = assertThrows(ImportException.class, () -> read(f, strict()));
        assertEquals(expected, strings(e.problems()));
        assertEquals("3:5", where(json, "\"case\": 1"), "the first object's case is on line 3");

        ParsedFile lenient = read(f, strict().withLenient(true));
        assertEquals(List.of("1", "5"), List.of(lenient.responses().idColumn()));
        assertEquals(5, lenient.recordsRead());
        assertEquals(3, lenient.skippedCount());
        assertEquals(expected, strings(lenient.skipped()));
    }

    @Test
    void malformedJsonIsRefusedWithItsLocation() throws Exception {
        Path f = write("broken.json", "[\n  {\"case\": 1 \"sex\": 2}\n]");
        ImportException e = assertThrows(ImportException.class, () -> read(f, strict().withLenient(true)));
        assertEquals(1, e.problems().size());
        String text = e.problems().get(0).toString();
        assertTrue(text.startsWith("broken.json:2:14: invalid JSON: Unexpected character ('\"'"), text);

        Path notArray = write("object.json", "\n  {\"case\": 1}");
        ImportException e2 = assertThrows(ImportException.class, () -> read(notArray, strict()));
        assertEquals("object.json:2:3: expected a JSON array of respondents (found '{')", e2.getMessage());

        Path unclosed = write("unclosed.json", "[\n" + object("1", 1, ""));
        ImportException e3 = assertThrows(ImportException.class, () -> read(unclosed, strict()));
        assertTrue(e3.getMessage().startsWith("unclosed.json:309:"), e3.getMessage());
        assertTrue(e3.getMessage().contains("invalid JSON: Unexpected end-of-input"), e3.getMessage());

        Path notObject = write("numbers.json", "[\n" + object("1", 1, "") + ",\n  42\n]");
        ImportException e4 = assertThrows(ImportException.class, () -> read(notObject, strict()));
        assertEquals("numbers.json:310:3: expected an object (one respondent) (found '42')", e4.getMessage());
    }

    @Test
    void badBytesAndEmptyFilesAreRefused() throws Exception {
        byte[] prefix = "[{\"case\": 1, \"country\": \"US".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[prefix.length + 3];
        System.arraycopy(prefix, 0, bytes, 0, prefix.length);
        bytes[prefix.length] = (byte) 0xFF;
        bytes[prefix.length + 1] = '"';
        bytes[prefix.length + 2] = '}';
        Path f = Files.write(dir.resolve("latin.json"), bytes);
        ImportException e = assertThrows(ImportException.class, () -> read(f, strict()));
        assertTrue(e.getMessage().startsWith("latin.json:1:"), e.getMessage());
        assertTrue(e.getMessage().contains("Invalid UTF-8"), e.getMessage());

        for (String empty : new String[] {"", "  \n"}) {
            ImportException ee = assertThrows(ImportException.class, () -> read(write("empty.json", empty), strict()));
            assertEquals("empty.json:1:1: file is empty", ee.getMessage());
        }
        ImportException none = assertThrows(ImportException.class, () -> read(write("none.json", "[ ]"), strict()));
        assertEquals("none.json:1:1: file has no records", none.getMessage());
    }
}
