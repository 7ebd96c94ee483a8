package org.personalab.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.personalab.data.DatasetInfo;
import org.personalab.data.ImportException;
import org.personalab.data.ImportFormat;
import org.personalab.data.ImportOptions;
import org.personalab.data.ImportProblem;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;
import org.personalab.inventory.ScoringRule;
import org.personalab.profile.NormSpec;
import org.personalab.service.ImportService;
import org.personalab.store.Workspace;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "import", description = "Import questionnaire answers into a workspace; on bad input print "
        + "FILE:LINE:COLUMN: message for each problem and exit with 2.")
final class ImportCommand implements Callable<Integer> {

    static final int EXIT_BAD_INPUT = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--workspace", required = true, description = "Workspace folder (created if missing).")
    Path workspace;

    @Option(names = "--format", required = true, description = "johnson120, johnson300, papi or csv.")
    String format;

    @ArgGroup(exclusive = true)
    EncodingChoice encoding;

    static final class EncodingChoice {
        @Option(names = "--keyed", description = "Reverse-keyed items are already reversed (Johnson, PAPI default).")
        boolean keyed;
        @Option(names = "--raw", description = "Values are agreement with the printed statement (CSV default).")
        boolean raw;
    }

    @Option(names = "--lenient", description = "Skip bad records (each is reported) instead of refusing the file.")
    boolean lenient;

    @Option(names = "--name", description = "Dataset name (default: the file name without extension).")
    String name;

    @Option(names = "--map", description = "CSV column mapping, e.g. --map id=respondent --map items=Q.")
    Map<String, String> mapping = new LinkedHashMap<>();

    @Option(names = "--norms-from", description = "Place people with the norms of this existing dataset "
            + "instead of norms computed from the imported data.")
    String normsFrom;

    @Option(names = "--cut-points", split = ",", description = "Percentiles separating the five levels "
            + "(default 10,30,70,90).")
    double[] cutPoints;

    @Option(names = "--min-cohort", defaultValue = "100", description = "Smallest sex × age cohort with its own "
            + "percentiles; smaller ones fall back to the same sex at all ages, then everyone (default 100).")
    int minCohort;

    @Option(names = "--timings", description = "Print the time of each phase.")
    boolean timings;

    @Parameters(index = "0", description = "The file to import.")
    Path file;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(file)) {
            err.println(file + ":0:0: file not found");
            return EXIT_BAD_INPUT;
        }
        ImportFormat f;
        try {
            f = ImportFormat.parse(format);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return EXIT_BAD_INPUT;
        }
        NormSpec spec;
        try {
            spec = new NormSpec(cutPoints == null ? NormSpec.DEFAULT.cutPoints() : cutPoints, minCohort);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return EXIT_BAD_INPUT;
        }
        AnswerEncoding enc = encoding == null ? null : encoding.keyed ? AnswerEncoding.KEYED : AnswerEncoding.RAW;
        ImportOptions opts = new ImportOptions(f, enc, lenient, name, mapping, 1000);
        Workspace ws = Workspace.openOrCreate(workspace);
        long normSetId = 0;
        if (normsFrom != null) {
            DatasetInfo ref = ws.read(tx -> tx.datasets().find(normsFrom)).orElse(null);
            if (ref == null || ref.normSetId() <= 0) {
                err.println("error: no dataset '" + normsFrom + "' with norms in " + ws.dir());
                return EXIT_BAD_INPUT;
            }
            normSetId = ref.normSetId();
        }
        ImportService.Outcome o;
        try {
            o = new ImportService(ScoringRule.DEFAULT, spec).importFile(ws, file, opts, normSetId,
                    new ConsoleProgress(err, !timings));
        } catch (ImportException e) {
            for (ImportProblem p : e.problems()) {
                err.println(p);
            }
            err.println("Refused " + file + ": " + e.problems().size() + " problem(s); the workspace is unchanged."
                    + (lenient ? "" : " Use --lenient to skip bad records."));
            return EXIT_BAD_INPUT;
        }
        for (ImportProblem p : o.skipped()) {
            err.println(p + " (record skipped)");
        }
        DatasetInfo d = o.dataset();
        out.printf("Imported %s into %s as dataset '%s'%n", file, ws.dir(), d.name());
        out.printf("  respondents: %d of %d records (%d skipped)%n", d.size(), o.recordsRead(), o.skippedCount());
        out.printf("  inventory: %s, answers %s%n", d.inventory(), d.encoding().name().toLowerCase());
        out.printf("  norms: %s (norm set %d)%n", o.scored().norms().name(), d.normSetId());
        int[][] counts = o.levelCounts();
        out.println("  domain levels (Very Low / Low / Medium / High / Very High / no score):");
        for (Domain dom : Domain.values()) {
            int[] c = counts[Scale.of(dom).ordinal()];
            int scored = c[0] + c[1] + c[2] + c[3] + c[4];
            out.printf("    %-18s %7d %7d %7d %7d %7d %7d%n", dom.displayName(), c[0], c[1], c[2], c[3], c[4],
                    d.size() - scored);
        }
        if (timings) {
            ImportService.Timings t = o.timings();
            out.printf("  timings ms: parse %d, score %d, norms %d, levels %d (overlapped with) store %d, total %d%n",
                    t.parseMs(),
                    t.scoreMs(), t.normsMs(), t.levelsMs(), t.storeMs(), t.totalMs());
        }
        out.println("  run: " + o.runId() + "  (levels: " + Level.values().length + " from cohort percentiles)");
        return 0;
    }
}
