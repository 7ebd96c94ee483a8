package org.personalab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.personalab.judge.Agreement;
import org.personalab.judge.Interval;
import org.personalab.judge.Judge;
import org.personalab.judge.JudgeInput;
import org.personalab.judge.JudgePrompt;
import org.personalab.judge.LlmJudge;
import org.personalab.judge.PairSource;
import org.personalab.judge.ReviewSummary;
import org.personalab.judge.RubricJudge;
import org.personalab.judge.Verdict;
import org.personalab.llm.ApiKeys;
import org.personalab.llm.Budget;
import org.personalab.llm.ChatRequest;
import org.personalab.llm.LlmGateway;
import org.personalab.llm.Provider;
import org.personalab.llm.ProviderOverride;
import org.personalab.llm.ProviderRegistry;
import org.personalab.service.JudgeService;
import org.personalab.store.Workspace;
import org.personalab.task.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code personalab judge}: judge pairs of specs, and review the verdicts (override, revert, summary). */
@Command(name = "judge", description = {"Judge pairs of specs of the same person, each pair in both orders A/B and "
        + "B/A (orders that disagree give a flagged tie).",
        "--pairs: RUN_A:RUN_B (the same person's spec from two spec runs), edits:RUN (each spec against its latest "
                + "edit) or samples:RUN (the samples of one run); RUN is a spec run id, title or 'latest'.",
        "--split SET:PART judges only the people of that split part (e.g. demo-split:train).",
        "--engine: rubric (offline, deterministic: stated levels against the person's), behavioural (the spec whose "
                + "agent's simulated answers are closer to the person's real ones; needs a simulation run), or "
                + "PROVIDER:MODEL (an LLM "
                + "judge, e.g. openai:gpt-4o; --base-url/--api-key-env for other servers)."},
        subcommands = {JudgeCommand.OverrideCmd.class, JudgeCommand.Revert.class, JudgeCommand.Summary.class})
public final class JudgeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--workspace", description = "The workspace folder.")
    Path workspace;

    @Option(names = "--pairs", paramLabel = "PAIRS", description = "RUN_A:RUN_B, edits:RUN or samples:RUN.")
    String pairs;

    @Option(names = "--split", paramLabel = "SET:PART", description = "Only the people of this split part.")
    String split;

    @Option(names = "--engine", defaultValue = "rubric", paramLabel = "ENGINE",
            description = "rubric, behavioural or PROVIDER:MODEL (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--simulation", split = ",", paramLabel = "RUN_ID",
            description = "Behavioural judge: the simulation runs to take agent answers from (default: all).")
    java.util.List<Long> simulations;

    @Option(names = "--base-url", description = "OpenAI-compatible endpoint for the LLM judge's provider.")
    String baseUrl;

    @Option(names = "--api-key-env", paramLabel = "VAR",
            description = "Name of the environment variable holding the key (never the key itself).")
    String apiKeyEnv;

    @Option(names = "--prompt", paramLabel = "FILE",
            description = "Judge prompt template ([system] and [user] sections; {{profile}}, {{spec_a}}, {{spec_b}}).")
    Path prompt;

    @Option(names = "--preview", description = "Print the LLM judge's prompt for the first pair and stop.")
    boolean preview;

    @Option(names = "--temperature", defaultValue = "0", description = "LLM judge temperature (default: 0).")
    double temperature;

    @Option(names = "--max-tokens", defaultValue = "512", description = "LLM judge answer limit (default: 512).")
    int maxTokens;

    @Option(names = "--budget", paramLabel = "USD", description = "Stop before spending more than this.")
    Double budget;

    @Option(names = "--concurrency", defaultValue = "4", description = "Pairs judged at once by an LLM judge.")
    int concurrency;

    @Option(names = "--limit", defaultValue = "0", description = "Only the first N pairs (default: all).")
    int limit;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (workspace == null || pairs == null) {
            err.println("error: judge needs --workspace DIR and --pairs " + PairSource.SYNTAX);
            return 2;
        }
        if (concurrency < 1 || limit < 0 || maxTokens < 1) {
            err.println("error: --concurrency and --max-tokens must be at least 1, --limit at least 0");
            return 2;
        }
        String e = engine.strip();
        Workspace ws = Workspace.open(workspace);
        JudgeService svc = new JudgeService(ws);
        JudgeService.Plan plan = svc.plan(new JudgeService.Request(pairs, split, limit));
        ConsoleProgress progress = new ConsoleProgress(err, true);
        if (e.equalsIgnoreCase("behavioural") || e.equalsIgnoreCase("behavioral")) {
            return report(out, svc.judge(plan, svc.behaviouralJudge(plan, simulations), 1, progress));
        }
        if (e.equalsIgnoreCase("rubric")) {
            if (preview) {
                err.println("error: the rubric judge has no prompt to preview");
                return 2;
            }
            return report(out, svc.judge(plan, new RubricJudge(), 1, progress));
        }
        int colon = e.indexOf(':');
        if (colon <= 0 || colon == e.length() - 1) {
            err.println("error: --engine '" + engine + "': expected rubric, behavioural or PROVIDER:MODEL (e.g. "
                    + "openai:gpt-4o)");
            return 2;
        }
        String provider = e.substring(0, colon);
        String model = e.substring(colon + 1);
        ProviderRegistry registry = ProviderRegistry.load();
        if (baseUrl != null || apiKeyEnv != null) {
            registry = registry.with(new ProviderOverride(provider, baseUrl, apiKeyEnv, model));
        }
        Provider p = registry.get(provider);
        JudgePrompt template = prompt == null ? JudgePrompt.standard()
                : new JudgePrompt(prompt.toString(), Files.readString(prompt, StandardCharsets.UTF_8));
        try (LlmGateway gw = LlmGateway.builder(ws).registry(registry).build()) {
            LlmJudge judge = new LlmJudge(gw, provider, model, template, temperature, maxTokens,
                    budget == null ? Budget.unlimited() : Budget.ofUsd(budget));
            if (preview) {
                JudgeInput in = svc.input(plan.pairs().get(0));
                ChatRequest r = judge.request(in, false);
                out.println("# " + plan.pairs().size() + " pairs; each is asked twice (A/B, then B/A). First pair, "
                        + "order A/B:");
                r.messages().forEach(m -> out.println("\n[" + m.role() + "]\n" + m.content()));
                return 0;
            }
            if (p.apiKeyEnv() != null && !ApiKeys.standard().hasKey(p)) {
                err.println("error: provider " + provider + " needs a key: set the environment variable "
                        + p.apiKeyEnv() + " (or add it to keys.json in the settings folder)");
                return 2;
            }
            return report(out, svc.judge(plan, judge, concurrency, progress));
        }
    }

    private static int report(PrintWriter out, JudgeService.Outcome o) {
        ReviewSummary s = o.summary();
        Map<Verdict, Integer> w = s.effective();
        out.printf(Locale.ROOT, "Run %d: %d pairs judged (%d now, %d resumed): A %d, B %d, tie %d%n", o.runId(),
                s.judgments(), o.judgedNow(), o.resumed(), w.get(Verdict.A), w.get(Verdict.B), w.get(Verdict.TIE));
        out.printf(Locale.ROOT, "Position consistency: %s; first-position rate %s; invalid answers %d%n",
                s.consistency().rate(), s.consistency().firstPosition(), s.consistency().invalidAnswers());
        out.printf(Locale.ROOT, "Cost: $%.4f%n", s.costUsd());
        return 0;
    }

    /** {@code judge override}: an annotator's verdict on one judgment, with the reason. */
    @Command(name = "override", description = "Record an annotator's verdict on a judgment (A, B or tie in the "
            + "pair's stored order); a reason is required when it changes the verdict.")
    static final class OverrideCmd implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--workspace", required = true)
        Path workspace;

        @Option(names = "--judgment", required = true)
        long judgment;

        @Option(names = "--annotator", required = true)
        String annotator;

        @Option(names = "--verdict", required = true, description = "A, B or tie.")
        String verdict;

        @Option(names = "--reason")
        String reason;

        @Override
        public Integer call() {
            JudgeService svc = new JudgeService(Workspace.open(workspace));
            long id = svc.override(judgment, annotator, Verdict.parse(verdict), reason, false);
            spec.commandLine().getOut().printf("Override %d: judgment %d is now %s (by %s)%n", id, judgment,
                    Verdict.parse(verdict).code(), annotator.strip());
            return 0;
        }
    }

    /** {@code judge revert}: undo an override (it stays in the audit trail). */
    @Command(name = "revert", description = "Revert an override; the verdict falls back to the one before it.")
    static final class Revert implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--workspace", required = true)
        Path workspace;

        @Option(names = "--override", required = true)
        long override;

        @Option(names = "--annotator", required = true, description = "Who reverts it.")
        String annotator;

        @Override
        public Integer call() {
            new JudgeService(Workspace.open(workspace)).revert(override, annotator);
            spec.commandLine().getOut().printf("Override %d reverted by %s%n", override, annotator.strip());
            return 0;
        }
    }

    /** {@code judge summary}: review progress, position consistency, agreement, cost. */
    @Command(name = "summary", description = "Review progress, the judge's position consistency, Cohen's kappa of "
            + "the judge against each annotator (with the confusion table), Krippendorff's alpha among annotators, "
            + "cost.")
    static final class Summary implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--workspace", required = true)
        Path workspace;

        @Option(names = "--judging", defaultValue = "latest", description = "latest, a run id or a title.")
        String judging;

        @Override
        public Integer call() {
            JudgeService svc = new JudgeService(Workspace.open(workspace));
            RunRecord run = svc.run(judging);
            ReviewSummary s = svc.summary(run.id());
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "Judging run %d (%s, %s): %d judgments, %d reviewed, %d overridden%n", run.id(),
                    run.title(), run.status(), s.judgments(), s.reviewed(), s.overridden());
            out.println("Position consistency: " + s.consistency().rate());
            for (var e : s.judgeVsAnnotator().entrySet()) {
                Interval k = e.getValue();
                out.printf(Locale.ROOT, "Judge vs %s: kappa %s%n", e.getKey(), k);
                Agreement.Confusion<Verdict> c = s.confusion().get(e.getKey());
                out.println("  judge \\ " + e.getKey() + "   A    B  tie");
                for (int i = 0; i < 3; i++) {
                    out.printf(Locale.ROOT, "  %-10s %4d %4d %4d%n", ReviewSummary.CATEGORIES.get(i).code(),
                            c.counts()[i][0], c.counts()[i][1], c.counts()[i][2]);
                }
            }
            out.println("Annotators (Krippendorff's alpha, nominal): " + s.annotatorsAlpha());
            out.printf(Locale.ROOT, "Cost: $%.4f%n", s.costUsd());
            return 0;
        }
    }
}
