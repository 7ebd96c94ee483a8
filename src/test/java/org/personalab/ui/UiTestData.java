package org.personalab.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import org.personalab.data.DatasetInfo;
import org.personalab.data.Responses;
import org.personalab.data.Sex;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;
import org.personalab.inventory.Scorer;
import org.personalab.inventory.ScoringRule;
import org.personalab.profile.NormSet;
import org.personalab.profile.NormSpec;
import org.personalab.profile.Norms;
import org.personalab.profile.ScoredDataset;
import org.personalab.service.DemoWorkspace;
import org.personalab.service.UserSettings;
import org.personalab.task.TaskContext;

/** Shared fixtures for the UI tests: a demo workspace built once per test JVM, temp settings, small datasets. */
public final class UiTestData {

    private static Path demo;
    private static Path home;

    private UiTestData() {
    }

    /** A private settings folder; also set as {@code personalab.home} so nothing touches the user's own. */
    public static synchronized Path home() {
        if (home == null) {
            home = tempDir("personalab-ui-home");
            System.setProperty("personalab.home", home.toString());
        }
        return home;
    }

    /** Fresh settings in a new private folder. */
    public static UserSettings freshSettings() {
        home();
        return new UserSettings(tempDir("personalab-ui-settings"));
    }

    /** A copy of the demo workspace (10,000 synthetic people), private to the caller. */
    public static Path demoWorkspaceCopy() {
        Path src = demoWorkspace();
        Path dst = tempDir("personalab-ui-ws");
        try (var files = Files.list(src)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, dst.resolve(f.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dst;
    }

    /**
     * Builds the shared demo workspace now (once per JVM). TestFX classes call it from {@code @BeforeAll}: building
     * it inside {@code @Start} would run the whole offline experiment on the FX thread and time out TestFX's setup.
     */
    public static void prepareDemo() {
        demoWorkspace();
    }

    private static synchronized Path demoWorkspace() {
        if (demo == null) {
            home();
            demo = tempDir("personalab-ui-demo");
            DemoWorkspace.build(demo, TaskContext.none());
        }
        return demo;
    }

    private static final java.util.List<Path> CREATED = new java.util.concurrent.CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> CREATED.forEach(UiTestData::deleteTree)));
    }

    static Path tempDir(String prefix) {
        try {
            Path p = Files.createTempDirectory(prefix);
            CREATED.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // best effort at exit
        }
    }

    /**
     * Writes a CSV of {@code n} people (header {@code id,sex,age,country,I1..I120}, raw answers 1..5). When
     * {@code badRow} &gt; 0, that data row's item 7 holds the invalid value 7.
     */
    public static Path writeCsv(Path dir, String name, int n, long seed, int badRow) {
        Random rnd = new Random(seed);
        StringBuilder sb = new StringBuilder("id,sex,age,country");
        for (int i = 1; i <= 120; i++) {
            sb.append(",I").append(i);
        }
        sb.append('\n');
        String[] countries = {"USA", "UK", "Canada", "India"};
        for (int r = 1; r <= n; r++) {
            sb.append("P").append(r).append(',').append(rnd.nextBoolean() ? "F" : "M").append(',')
                    .append(18 + rnd.nextInt(50)).append(',').append(countries[rnd.nextInt(countries.length)]);
            for (int i = 1; i <= 120; i++) {
                sb.append(',').append(r == badRow && i == 7 ? 7 : 1 + rnd.nextInt(5));
            }
            sb.append('\n');
        }
        Path f = dir.resolve(name);
        try {
            Files.writeString(f, sb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f;
    }

    /**
     * A small scored dataset built in memory: random raw answers; every {@code missingEvery}-th person (if &gt; 0)
     * answered nothing, so their scores are NaN and they have no level.
     */
    public static ScoredDataset small(int n, long seed, int missingEvery) {
        Inventory inv = Inventory.IPIP_NEO_120;
        Random rnd = new Random(seed);
        Responses.Builder b = new Responses.Builder(inv, AnswerEncoding.RAW, n);
        String[] countries = {"USA", "UK", "", "Canada"};
        byte[] answers = new byte[inv.size()];
        for (int r = 0; r < n; r++) {
            boolean missing = missingEvery > 0 && r % missingEvery == missingEvery - 1;
            for (int i = 0; i < answers.length; i++) {
                answers[i] = missing ? 0 : (byte) (1 + rnd.nextInt(5));
            }
            Sex sex = Sex.values()[rnd.nextInt(3)];
            int age = rnd.nextInt(5) == 0 ? 0 : 14 + rnd.nextInt(60);
            b.add(Integer.toString(n - r), sex, age, countries[rnd.nextInt(countries.length)], answers);
        }
        Responses resp = b.build();
        float[] scores = new Scorer(inv, AnswerEncoding.RAW, ScoringRule.DEFAULT).scoreAll(resp.answerMatrix(), n);
        NormSet norms = Norms.build("test norms", resp, scores, NormSpec.DEFAULT);
        DatasetInfo info = new DatasetInfo(1, "small", "csv", inv, AnswerEncoding.RAW, n, 0.75, null, 0, null,
                "built in memory by a test", 1, 1, Instant.now());
        return new ScoredDataset(info, resp, scores, Norms.place(norms, resp, scores), norms);
    }
}
