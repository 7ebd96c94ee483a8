package org.personalab.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.personalab.judge.TrainingRecords.Kind;
import org.personalab.service.JudgeService;
import org.personalab.service.PreferenceExport;
import org.personalab.store.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code personalab export sft|dpo}: training data from a judging run. */
@Command(name = "export", description = "Training data from a judging run: sft (chosen specs as chat messages) or "
        + "dpo (TRL's {prompt, chosen, rejected}); each with NAME.manifest.json and a LLaMA-Factory "
        + "dataset_info.json entry beside it. Records about people in a test split are refused.",
        subcommands = {ExportCommand.Sft.class, ExportCommand.Dpo.class})
public final class ExportCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--workspace", required = true)
        Path workspace;

        @Option(names = "--judging",
                description = "The judging run: latest (default), an id or a title.")
        String judging;

        @Option(names = "--split", paramLabel = "SET:PART",
                description = "Instead of --judging: the newest judging run over the people of this split part "
                        + "(e.g. demo-split:train).")
        String split;

        @Option(names = "--out", required = true, paramLabel = "FILE.jsonl")
        Path out;

        @Option(names = "--test-parts", split = ",", paramLabel = "SET:PART",
                description = "Split parts whose people must not be exported (default: every part named test*).")
        List<String> testParts;

        Integer export(Kind kind, PreferenceExport.Weight weight) throws Exception {
            JudgeService svc = new JudgeService(Workspace.open(workspace));
            String run = judging == null ? "latest" : judging;
            if (split != null) {
                if (judging != null) {
                    throw new IllegalArgumentException("give --judging or --split, not both");
                }
                run = Long.toString(svc.latestOver(split).orElseThrow(() -> new IllegalArgumentException("--split "
                        + split + ": no succeeded judging run over that split part in " + workspace
                        + " (judge it first: personalab judge --split " + split + " ...)")).id());
            }
            PreferenceExport.Outcome o = new PreferenceExport(svc).export(new PreferenceExport.Request(kind, run,
                    out, weight, testParts), new ConsoleProgress(spec.commandLine().getErr(), true));
            spec.commandLine().getOut().printf("Exported %d %s records to %s (manifest %s; LLaMA-Factory entry in %s)"
                    + "%n", o.records(), kind.code().toUpperCase(java.util.Locale.ROOT), o.file(),
                    o.manifest().getFileName(), o.datasetInfo());
            return 0;
        }
    }

    @Command(name = "sft", description = "Chosen specs only: {\"messages\": [system, user, assistant]} per line.")
    static final class Sft extends Base {
        @Override
        public Integer call() throws Exception {
            return export(Kind.SFT, PreferenceExport.Weight.NONE);
        }
    }

    @Command(name = "dpo", description = "{\"prompt\": [system, user], \"chosen\": [assistant], \"rejected\": "
            + "[assistant], \"weight\"?} per line.")
    static final class Dpo extends Base {
        @Option(names = "--weight", defaultValue = "none",
                description = "none, confidence (the judge's; 1 when an annotator decided) or agreement (share of "
                        + "raters agreeing with the verdict).")
        String weight;

        @Override
        public Integer call() throws Exception {
            return export(Kind.DPO, PreferenceExport.Weight.parse(weight));
        }
    }
}
