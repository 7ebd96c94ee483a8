package org.personalab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.data.DatasetInfo;
import org.personalab.store.Workspace;
import org.personalab.task.RunRecord;

class BadInputCommandTest {

    @TempDir
    Path dir;

    static String record(String id, int sex, int age, String country, String answers) {
        return String.format("%6s%1d%2d%2d%2d%2d%2d%2d%3d%-9s%s", id, sex, age, 1, 2, 3, 4, 5, 105, country, answers);
    }

    static String answers(char fill) {
        return String.valueOf(fill).repeat(120);
    }

    @Test
    void badFileIsRefusedWithLineAndColumnAndWorkspaceUnchanged() throws Exception {
        Path ws = dir.resolve("ws");
        Path good = dir.resolve("good.dat");
        Files.writeString(good, record("1", 1, 30, "USA", answers('3')) + "\n" + record("2", 2, 20, "UK",
                answers('4')) + "\n");
        assertEquals(0, CliTestSupport.run("import", "--workspace", ws.toString(), "--format", "johnson120",
                good.toString()).code());
        Workspace w = Workspace.open(ws);
        List<DatasetInfo> before = w.read(tx -> tx.datasets().list());
        List<RunRecord> runsBefore = w.read(tx -> tx.runs().list());

        Path bad = dir.resolve("bad.dat");
        String a = answers('3');
        String badAnswers = a.substring(0, 13) + "7" + a.substring(14); // item 14 at column 31 + 14 = 45
        Files.writeString(bad, record("10", 1, 30, "USA", a) + "\n" + record("11", 2, 20, "UK", a) + "\n"
                + record("12", 1, 40, "USA", badAnswers) + "\n" + record("13", 1, 40, "USA", a).substring(0, 150)
                + "\n", StandardCharsets.US_ASCII);
        CliTestSupport.Result r = CliTestSupport.run("import", "--workspace", ws.toString(), "--format", "johnson120",
                bad.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("bad.dat:3:45: "), r.err());
        assertTrue(r.err().contains("bad.dat:4:"), r.err());
        assertTrue(r.err().contains("workspace is unchanged"), r.err());
        assertEquals(before, w.read(tx -> tx.datasets().list()));
        assertEquals(runsBefore, w.read(tx -> tx.runs().list()));
        assertEquals("ok", w.integrityCheck());

        // lenient: the two bad records are skipped and reported, the rest imported
        CliTestSupport.Result l = CliTestSupport.run("import", "--workspace", ws.toString(), "--format",
                "johnson120", "--lenient", "--name", "lenient", bad.toString());
        assertEquals(0, l.code(), l.err());
        assertTrue(l.out().contains("respondents: 2 of 4 records (2 skipped)"), l.out());
        assertTrue(l.err().contains("bad.dat:3:45: ") && l.err().contains("(record skipped)"), l.err());
        DatasetInfo d = w.read(tx -> tx.datasets().find("lenient")).orElseThrow();
        assertEquals(2, d.size());
        assertTrue(d.provenance().contains("2 bad records skipped"), d.provenance());
    }

    @Test
    void emptyFileMissingFileAndDuplicateNameAreClearErrors() throws Exception {
        Path ws = dir.resolve("ws");
        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "");
        CliTestSupport.Result r = CliTestSupport.run("import", "--workspace", ws.toString(), "--format", "csv",
                empty.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("empty.csv:1:1: "), r.err());

        CliTestSupport.Result m = CliTestSupport.run("import", "--workspace", ws.toString(), "--format", "csv",
                dir.resolve("nope.csv").toString());
        assertEquals(2, m.code());
        assertTrue(m.err().contains("nope.csv:0:0: file not found"), m.err());

        Path good = dir.resolve("good.dat");
        Files.writeString(good, record("1", 1, 30, "USA", answers('3')) + "\n");
        assertEquals(0, CliTestSupport.run("import", "--workspace", ws.toString(), "--format", "johnson120",
                good.toString()).code());
        CliTestSupport.Result dup = CliTestSupport.run("import", "--workspace", ws.toString(), "--format",
                "johnson120", good.toString());
        assertEquals(1, dup.code());
        assertTrue(dup.err().contains("already exists"), dup.err());
    }

    @Test
    void cutPointsAreConfigurableAndValidated() throws Exception {
        Path ws = dir.resolve("ws");
        Path good = dir.resolve("good.dat");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            sb.append(record(Integer.toString(i + 1), 1 + i % 2, 20 + i, "USA", answers((char) ('1' + i % 5))))
                    .append('\n');
        }
        Files.writeString(good, sb.toString());
        CliTestSupport.Result bad = CliTestSupport.run("import", "--workspace", ws.toString(), "--format",
                "johnson120", "--cut-points", "30,10,70,90", good.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("strictly increasing"), bad.err());
        // with cut points 20/40/60/80 the 5 answer patterns (10 people each) land one per level
        CliTestSupport.Result ok = CliTestSupport.run("import", "--workspace", ws.toString(), "--format",
                "johnson120", "--cut-points", "20,40,60,80", "--min-cohort", "1000", good.toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("Neuroticism             10      10      10      10      10       0"), ok.out());
    }

    @Test
    void demoCommandBuildsTheDemoWorkspaceOnce() {
        Path ws = dir.resolve("demo");
        CliTestSupport.Result r = CliTestSupport.run("demo", "--workspace", ws.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("demo-synthetic: 10000 respondents"), r.out());
        assertEquals(0, CliTestSupport.run("demo", "--workspace", ws.toString()).code());
        assertEquals(1, Workspace.open(ws).read(tx -> tx.datasets().list()).size());
        CliTestSupport.Result list = CliTestSupport.run("datasets", "--workspace", ws.toString());
        assertTrue(list.out().contains("synthetic"), list.out());
    }
}
