package org.personalab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.personalab.data.Responses;
import org.personalab.data.SyntheticParameters;
import org.personalab.data.SyntheticPopulation;
import org.personalab.inventory.Facet;
import org.personalab.inventory.Inventory;
import org.personalab.service.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", description = "Benchmarks, measured side by side with the reference tools.",
        subcommands = {BenchCommand.ImportBench.class, ClusterBench.class, GatewayBench.class, EngineBench.class,
                TokenBench.class})
final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "import", description = "Generate an IPIP120.dat-layout file of synthetic people, import it in a "
            + "fresh JVM limited to 1 GB of heap (parse, score, cohort levels, store), and run the same work in "
            + "pandas (read_fwf + scoring + cohort levels) on the same file.")
    static final class ImportBench implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--people", defaultValue = "620000", description = "Respondents (default ${DEFAULT-VALUE}).")
        int people;

        @Option(names = "--dir", description = "Scratch folder (default: a new temporary folder, deleted after).")
        Path dir;

        @Option(names = "--repeat", defaultValue = "3", description = "PersonaLab imports to time (best is kept).")
        int repeat;

        @Option(names = "--heap", defaultValue = "1g", description = "-Xmx of the importing JVM.")
        String heap;

        @Option(names = "--no-pandas", description = "Skip the pandas reference.")
        boolean noPandas;

        @Option(names = "--python", description = "Python with pandas (default: Debian's /usr/bin/python3 when "
                + "present, else python3 on the PATH).")
        String python;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            boolean tmp = dir == null;
            Path work = tmp ? Files.createTempDirectory("personalab-bench") : Files.createDirectories(dir);
            try {
                Path file = work.resolve("IPIP120.dat");
                long t0 = System.nanoTime();
                Responses r = SyntheticPopulation.generate(SyntheticParameters.bundled(), people, 7,
                        new ConsoleProgress(spec.commandLine().getErr(), true));
                SyntheticPopulation.writeJohnson120(r, file);
                out.printf("Generated %,d synthetic respondents into %s (%,d bytes) in %.1f s%n", people, file,
                        Files.size(file), (System.nanoTime() - t0) / 1e9);
                out.printf("Machine: %d cores, Java %s%n", Runtime.getRuntime().availableProcessors(),
                        System.getProperty("java.version"));

                double best = Double.MAX_VALUE;
                String bestTimings = "";
                for (int i = 0; i < repeat; i++) {
                    Path ws = work.resolve("ws" + i);
                    List<String> cmd = javaCommand(heap, "import", "--workspace", ws.toString(), "--format",
                            "johnson120", "--timings", "--name", "bench", file.toString());
                    long s = System.nanoTime();
                    ProcResult pr = exec(cmd, work);
                    double secs = (System.nanoTime() - s) / 1e9;
                    if (pr.code != 0) {
                        out.println("PersonaLab import failed (exit " + pr.code + "):\n" + pr.output);
                        return 1;
                    }
                    String timingLine = pr.output.lines().filter(l -> l.contains("timings ms")).findFirst()
                            .orElse("").strip();
                    out.printf("  PersonaLab run %d: %.2f s wall (new JVM, -Xmx%s, incl. start-up); %s%n", i + 1,
                            secs, heap, timingLine);
                    if (secs < best) {
                        best = secs;
                        bestTimings = timingLine;
                    }
                    deleteTree(ws);
                }
                out.printf("PersonaLab: best %.2f s for %,d respondents (-Xmx%s); %s%n", best, people, heap,
                        bestTimings);

                if (!noPandas) {
                    Path script = work.resolve("pandas_import.py");
                    try (InputStream in = BenchCommand.class.getResourceAsStream("pandas_import.py")) {
                        Files.write(script, in.readAllBytes());
                    }
                    Map<String, List<Integer>> facets = new LinkedHashMap<>();
                    for (Facet f : Facet.values()) {
                        List<Integer> nums = new ArrayList<>();
                        for (int idx : Inventory.IPIP_NEO_120.itemIndices(f)) {
                            nums.add(idx + 1);
                        }
                        facets.put(f.name(), nums);
                    }
                    long s = System.nanoTime();
                    ProcResult pr = exec(List.of(python != null ? python : defaultPython(), script.toString(), file.toString(), Json.compact(facets)),
                            work);
                    double secs = (System.nanoTime() - s) / 1e9;
                    if (pr.code != 0) {
                        out.println("pandas reference not run (exit " + pr.code + "; install Debian's "
                                + "python3-pandas): " + pr.output.strip());
                    } else {
                        String json = pr.output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                                .orElse("{}");
                        JsonNode j = Json.MAPPER.readTree(json);
                        out.printf("pandas: %.2f s wall (read_fwf %.1f s, scoring %.1f s, levels %.1f s)%n", secs,
                                j.path("read_s").asDouble(), j.path("score_s").asDouble(),
                                j.path("levels_s").asDouble());
                        out.printf("Ratio: PersonaLab is %.1fx faster than pandas (%.2f s vs %.2f s)%n", secs / best,
                                best, secs);
                    }
                }
                return 0;
            } finally {
                if (tmp) {
                    deleteTree(work);
                }
            }
        }

        /** Debian's python3 (where apt puts python3-pandas and python3-sklearn) before whatever is first on PATH. */
        static String defaultPython() {
            return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        }

        record ProcResult(int code, String output) {
        }

        static List<String> javaCommand(String heap, String... args) {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx" + heap);
            cmd.add("--enable-native-access=ALL-UNNAMED");
            cmd.add("-cp");
            cmd.add(absoluteClassPath());
            cmd.add("org.personalab.Main");
            cmd.addAll(List.of(args));
            return cmd;
        }

        /** The class path with every entry made absolute, so a child started in another folder finds it. */
        static String absoluteClassPath() {
            StringBuilder sb = new StringBuilder();
            for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                if (e.isEmpty()) {
                    continue;
                }
                if (sb.length() > 0) {
                    sb.append(java.io.File.pathSeparator);
                }
                boolean star = e.endsWith("*");
                String base = star ? e.substring(0, e.length() - 1) : e;
                sb.append(Path.of(base.isEmpty() ? "." : base).toAbsolutePath()).append(star ? "/*" : "");
            }
            return sb.toString();
        }

        static ProcResult exec(List<String> cmd, Path cwd) throws IOException, InterruptedException {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
            return new ProcResult(p.exitValue(), output);
        }

        static void deleteTree(Path p) throws IOException {
            if (!Files.exists(p)) {
                return;
            }
            try (var s = Files.walk(p)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
            }
        }
    }
}
