package org.personalab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.personalab.data.DatasetInfo;
import org.personalab.store.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "datasets", description = "List the datasets of a workspace.")
final class DatasetsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--workspace", required = true)
    Path workspace;

    @Override
    public Integer call() {
        Workspace ws = Workspace.open(workspace);
        var out = spec.commandLine().getOut();
        for (DatasetInfo d : ws.read(tx -> tx.datasets().list())) {
            out.printf("%-24s %8d  %-12s %-6s %-10s run %d  %s%n", d.name(), d.size(), d.inventory(),
                    d.encoding().name().toLowerCase(), d.format(), d.runId(), d.provenance());
        }
        return 0;
    }
}
