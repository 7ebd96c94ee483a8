package org.personalab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.personalab.eval.Baseline;
import org.personalab.eval.Bootstrap;
import org.personalab.eval.Comparison;
import org.personalab.eval.Metric;
import org.personalab.eval.PairedComparison;
import org.personalab.eval.Report;
import org.personalab.service.EvaluationService;
import org.personalab.store.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "evaluate", description = "Compare a simulation run's agents with the real people they reproduce: "
        + "exact and within-one accuracy, MAD, facet/domain score differences and level agreement, the PAPI aligned "
        + "score (300-item runs), with 95% bootstrap intervals over agents and the baselines (uniform random, "
        + "population mode, cohort mean, profile-only ceiling) on the same people. Writes FILE.csv (one row per agent) "
        + "and FILE-summary.csv (every run and baseline, every metric with its interval); with --vs also "
        + "FILE-comparison.csv (paired permutation and Wilcoxon tests, effect sizes). Accuracies and rates are "
        + "fractions; MAD and score differences are in answer points (0-4); the PAPI composite is 0-20.")
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--workspace", required = true, description = "Workspace folder.")
    Path workspace;

    @Option(names = "--run", required = true, description = "Simulation run: its id or 'latest'.")
    String run;

    @Option(names = "--vs", description = "A second simulation run to compare with, agent by agent (paired on the "
            + "people both runs simulated).")
    String vs;

    @Option(names = "--out", required = true, description = "CSV to write, one row per agent; the summary and the "
            + "comparison go beside it (FILE-summary.csv, FILE-comparison.csv).")
    Path out;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the bootstrap, permutations and random "
            + "baseline (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--resamples", defaultValue = "2000", description = "Bootstrap resamples (default "
            + "${DEFAULT-VALUE}).")
    int resamples;

    @Option(names = "--permutations", defaultValue = "10000", description = "Random sign flips of the permutation "
            + "test when there are more than 20 pairs (default ${DEFAULT-VALUE}).")
    int permutations;

    @Option(names = "--uniform-draws", defaultValue = "100", description = "Random answer sheets per person for the "
            + "uniform baseline's score and level metrics (default ${DEFAULT-VALUE}).")
    int uniformDraws;

    @Option(names = "--folds", defaultValue = "5", description = "Cross-fitting folds: the data-driven baselines "
            + "predict each person from everyone outside their fold (default ${DEFAULT-VALUE}).")
    int folds;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        Workspace ws = Workspace.open(workspace);
        EvaluationService svc = new EvaluationService(ws);
        long runId = svc.resolveRun(run);
        long vsId = vs == null ? 0 : svc.resolveRun(vs);
        EvaluationService.Request req = new EvaluationService.Request(runId, vsId, seed, resamples, uniformDraws,
                folds, permutations);
        EvaluationService.Outcome res = svc.evaluate(req, new ConsoleProgress(spec.commandLine().getErr(), true));
        EvaluationService.RunEvaluation m = res.main();
        o.printf(Locale.ROOT, "Evaluation run %d: run %d (%s, %s) on %d agents of %d people in %s%n", res.runId(),
                runId, m.sim().engine(), m.sim().inventory(), m.source().agents().size(), m.persons().size(),
                m.dataset().name());
        o.printf(Locale.ROOT, "Answers: %d usable, %d unparseable, %d refused, %d failed (missing answers are left "
                + "out, never scored)%n", m.counts().answered(), m.counts().unparseable(), m.counts().refused(),
                m.counts().failed());
        for (EvaluationService.RunEvaluation e : res.vs() == null ? List.of(m) : List.of(m, res.vs())) {
            if (!e.finished()) {
                o.printf(Locale.ROOT, "Note: run %d is %s, not finished: it is evaluated on the answers stored so "
                        + "far (%d failed or not yet asked)%n", e.sim().runId(), e.status(), e.counts().failed());
            }
        }
        o.printf(Locale.ROOT, "Means over agents with %.0f%% percentile bootstrap intervals (%d resamples, seed %d); "
                + "baselines on the same people:%n%n", Bootstrap.DEFAULT_LEVEL * 100, resamples, seed);
        o.print(Report.table(res.summary()));
        if (res.vs() != null) {
            o.printf("Run %d vs run %d (a - b, paired on %d people):%n", runId, vsId,
                    Comparison.sharedPeople(m.source(), res.vs().source()));
            printComparisons(o, res.comparisons(), res.vs().source().key());
        }
        o.println("Run " + runId + " vs chance (uniform random answers, a - b):");
        printComparisons(o, res.comparisons(), Baseline.UNIFORM_RANDOM.source());
        EvaluationService.Files f = EvaluationService.write(res, out);
        o.println("Wrote " + m.source().agents().size() + " agent rows to " + f.agents() + ", the summary to "
                + f.summary() + (f.comparisons() == null ? "" : " and the comparisons to " + f.comparisons()));
        return 0;
    }

    private static void printComparisons(PrintWriter o, List<Comparison> all, String b) {
        for (Comparison c : all) {
            if (!c.b().equals(b) || !List.of(Metric.EXACT_ACCURACY, Metric.WITHIN_ONE_ACCURACY, Metric.MAD,
                    Metric.FACET_LEVEL_AGREEMENT, Metric.PAPI_COMPOSITE).contains(c.metric())) {
                continue;
            }
            PairedComparison p = c.result();
            o.printf(Locale.ROOT, "  %-22s diff %+.3f [%s, %s]  permutation p %s  Wilcoxon p %s  d_z %s  r_rb %s%n",
                    c.metric().column(), p.meanDifference(), fmt(p.difference().low()),
                    fmt(p.difference().high()), pValue(p.permutationP()), pValue(p.wilcoxonP()),
                    fmt(p.cohensDz()), fmt(p.rankBiserial()));
        }
        o.println();
    }

    private static String fmt(double x) {
        return Double.isNaN(x) ? "—" : String.format(Locale.ROOT, "%.3f", x);
    }

    private static String pValue(double p) {
        if (Double.isNaN(p)) {
            return "—";
        }
        return p < 0.001 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.3f", p);
    }
}
