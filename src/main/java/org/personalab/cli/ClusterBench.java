package org.personalab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.personalab.cluster.FeatureBuilder;
import org.personalab.cluster.FeatureMatrix;
import org.personalab.cluster.FeatureSpec;
import org.personalab.cluster.KMeans;
import org.personalab.cluster.KMeansParams;
import org.personalab.cluster.KMeansResult;
import org.personalab.cluster.Npy;
import org.personalab.data.Responses;
import org.personalab.data.SyntheticParameters;
import org.personalab.data.SyntheticPopulation;
import org.personalab.service.Json;
import org.personalab.task.TaskContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "cluster", description = "K-means side by side with scikit-learn's KMeans (Lloyd, k-means++) on the "
        + "same synthetic feature matrix (120 keyed items, sex, age, top-4 countries + other, standardized) with the "
        + "same k, n_init, tol and max_iter. Scenarios: large-k (300,000 people, k = 300, 1 restart) and restarts "
        + "(620,000 people, k = 4, 10 restarts). Only the fits are timed.")
final class ClusterBench implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", defaultValue = "both", description = "large-k, restarts or both (default "
            + "${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--people", description = "People (overrides the scenario's 300,000 / 620,000).")
    Integer people;

    @Option(names = "--k", description = "Clusters (overrides the scenario's 300 / 4).")
    Integer k;

    @Option(names = "--n-init", description = "Restarts (overrides the scenario's 1 / 10).")
    Integer nInit;

    @Option(names = "--tol", defaultValue = "1e-4")
    double tol;

    @Option(names = "--max-iter", defaultValue = "300")
    int maxIter;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of both tools' k-means (default "
            + "${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--repeat", defaultValue = "3", description = "PersonaLab fits per scenario (default "
            + "${DEFAULT-VALUE}); each is reported, the first includes JIT compilation, the median is compared.")
    int repeat;

    @Option(names = "--no-sklearn", description = "Skip the scikit-learn reference.")
    boolean noSklearn;

    @Option(names = "--python", description = "Python with scikit-learn (default: the first of python3, "
            + "/usr/bin/python3 that imports sklearn).")
    String python;

    @Option(names = "--dir", description = "Scratch folder (default: a new temporary folder, deleted after).")
    Path dir;

    record Scenario(String name, int people, int k, int nInit, double target) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<Scenario> list = new ArrayList<>();
        if (scenario.equals("large-k") || scenario.equals("both")) {
            list.add(new Scenario("large-k", or(people, 300_000), or(k, 300), or(nInit, 1), 0.5));
        }
        if (scenario.equals("restarts") || scenario.equals("both")) {
            list.add(new Scenario("restarts", or(people, 620_000), or(k, 4), or(nInit, 10), 0.25));
        }
        if (list.isEmpty()) {
            spec.commandLine().getErr().println("error: --scenario must be large-k, restarts or both");
            return 2;
        }
        boolean tmp = dir == null;
        Path work = tmp ? Files.createTempDirectory("personalab-cluster-bench") : Files.createDirectories(dir);
        String py = noSklearn ? null : python != null ? python : findPython(work);
        out.printf("Machine: %d cores, Java %s; scikit-learn: %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), noSklearn ? "skipped" : py == null ? "not found" : py);
        int status = 0;
        try {
            for (Scenario s : list) {
                status = Math.max(status, run(s, work, py, out));
            }
        } finally {
            if (tmp) {
                BenchCommand.ImportBench.deleteTree(work);
            }
        }
        return status;
    }

    private static int or(Integer v, int dflt) {
        return v == null ? dflt : v;
    }

    private int run(Scenario s, Path work, String py, PrintWriter out) throws Exception {
        long t0 = System.nanoTime();
        Responses r = SyntheticPopulation.generate(SyntheticParameters.bundled(), s.people(), 7, TaskContext.none());
        FeatureMatrix f = FeatureBuilder.build(r, null, FeatureSpec.DEFAULT, TaskContext.none());
        r = null;
        Path npy = work.resolve(s.name() + ".npy");
        Npy.writeFloat32(npy, f.data(), f.rows(), f.cols());
        out.printf(Locale.ROOT, "%n[%s] %,d people × %d features, k = %d, n_init = %d, tol = %s, max_iter = %d, "
                + "seed %d (data made in %.1f s)%n", s.name(), f.rows(), f.cols(), s.k(), s.nInit(), tol, maxIter,
                seed, (System.nanoTime() - t0) / 1e9);
        KMeansParams p = new KMeansParams(s.k(), s.nInit(), maxIter, tol, seed);
        double[] secs = new double[repeat];
        KMeansResult res = null;
        for (int i = 0; i < repeat; i++) {
            System.gc();
            long a = System.nanoTime();
            res = KMeans.fit(f, p, TaskContext.none());
            secs[i] = (System.nanoTime() - a) / 1e9;
            KMeansResult.Timings tm = res.timings();
            out.printf(Locale.ROOT, "  PersonaLab fit %d: %.2f s (prepare %.2f, k-means++ %.2f, %d passes %.2f), "
                    + "inertia %.1f, %d iterations (kept restart %d), exact distances %.2f%% of plain Lloyd's%n",
                    i + 1, secs[i], tm.prepare(), tm.seeding(), tm.passes(), tm.iterations(), res.inertia(),
                    res.iterations(), res.bestRestart() + 1, 100 * res.distanceFraction());
        }
        double[] sorted = secs.clone();
        Arrays.sort(sorted);
        double median = sorted[(sorted.length - 1) / 2];
        if (repeat > 1) {
            out.printf(Locale.ROOT, "  PersonaLab: min %.2f s, median %.2f s, max %.2f s over %d fits%n", sorted[0],
                    median, sorted[sorted.length - 1], repeat);
        }
        if (py == null) {
            return 0;
        }
        Path script = work.resolve("sklearn_kmeans.py");
        try (InputStream in = ClusterBench.class.getResourceAsStream("sklearn_kmeans.py")) {
            Files.write(script, in.readAllBytes());
        }
        BenchCommand.ImportBench.ProcResult pr = BenchCommand.ImportBench.exec(List.of(py, script.toString(),
                npy.toString(), Integer.toString(s.k()), Integer.toString(s.nInit()), Double.toString(tol),
                Integer.toString(maxIter), Long.toString(seed)), work);
        if (pr.code() != 0) {
            out.println("  scikit-learn reference failed (exit " + pr.code() + "): " + pr.output().strip());
            return 1;
        }
        String json = pr.output().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("{}");
        JsonNode j = Json.MAPPER.readTree(json);
        double skSecs = j.path("seconds").asDouble();
        double skInertia = j.path("inertia64").asDouble(j.path("inertia").asDouble());
        out.printf(Locale.ROOT, "  scikit-learn %s: %.2f s, inertia %.1f, %d iterations%n",
                j.path("sklearn").asText(), skSecs, skInertia, j.path("iterations").asInt());
        double ratio = median / skSecs;
        double inertiaRatio = res.inertia() / skInertia;
        boolean ok = ratio <= s.target() && inertiaRatio <= 1.01;
        out.printf(Locale.ROOT, "  => PersonaLab/scikit-learn time %.3f (target ≤ %.2f), %.1fx faster; inertia "
                + "ratio %.5f (target ≤ 1.01): %s%n", ratio, s.target(), 1 / ratio, inertiaRatio,
                ok ? "PASS" : "FAIL");
        return ok ? 0 : 1;
    }

    private static String findPython(Path work) {
        for (String c : List.of("python3", "/usr/bin/python3")) {
            try {
                if (BenchCommand.ImportBench.exec(List.of(c, "-c", "import sklearn, numpy"), work).code() == 0) {
                    return c;
                }
            } catch (Exception e) {
                // try the next one
            }
        }
        return null;
    }
}
