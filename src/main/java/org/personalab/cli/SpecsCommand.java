package org.personalab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.personalab.data.DatasetInfo;
import org.personalab.service.DatasetService;
import org.personalab.service.SpecService;
import org.personalab.store.Workspace;
import org.personalab.task.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "specs", description = "Agent specifications (TinyTroupe personas).",
        subcommands = {SpecsCommand.Generate.class, SpecsCommand.Export.class})
final class SpecsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "generate", description = "Write a spec for each person of a dataset. Engines: template "
            + "(rule-based, offline). LLM engines arrive with the spec generation run.")
    static final class Generate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--workspace", required = true)
        Path workspace;

        @Option(names = "--dataset", required = true)
        String dataset;

        @Option(names = "--engine", defaultValue = "template")
        String engine;

        @Option(names = "--limit", defaultValue = "0", description = "Only the first N people (default: all).")
        int limit;

        @Override
        public Integer call() {
            if (!engine.equals("template")) {
                spec.commandLine().getErr().println("error: engine '" + engine + "' is not available yet; use "
                        + "--engine template");
                return 2;
            }
            Workspace ws = Workspace.open(workspace);
            DatasetInfo d = new DatasetService(ws).require(dataset);
            SpecService.Outcome o = SpecService.generateTemplate(ws, d, limit,
                    new ConsoleProgress(spec.commandLine().getErr(), true));
            spec.commandLine().getOut().printf("Run %d: %d template specs for %s (%d people skipped: incomplete "
                    + "profile; %d specs with validation errors)%n", o.runId(), o.specs(), d.name(),
                    o.skippedIncomplete(), o.errorFindings());
            return 0;
        }
    }

    @Command(name = "export", description = "Write one .agent.json per spec of a generation run.")
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--workspace", required = true)
        Path workspace;

        @Option(names = "--run", defaultValue = "latest", description = "latest, a run id or a run title.")
        String run;

        @Option(names = "--out", required = true)
        Path out;

        @Override
        public Integer call() throws Exception {
            Workspace ws = Workspace.open(workspace);
            RunRecord r = SpecService.resolveRun(ws, SpecService.RUN_KIND, run);
            int n = SpecService.export(ws, r.id(), out, new ConsoleProgress(spec.commandLine().getErr(), true));
            spec.commandLine().getOut().printf("Exported %d specs of run %d to %s%n", n, r.id(), out);
            return 0;
        }
    }
}
