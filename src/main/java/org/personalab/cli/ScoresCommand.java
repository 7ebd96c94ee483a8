package org.personalab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.personalab.data.DatasetInfo;
import org.personalab.profile.ScoredDataset;
import org.personalab.service.DatasetService;
import org.personalab.service.ScoresExport;
import org.personalab.store.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "scores", description = "Write facet and domain scores and levels of a dataset as CSV: "
        + "id,sex,age,country,N1..C6,N,E,O,A,C, then <scale>_level for each.")
final class ScoresCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--workspace", required = true)
    Path workspace;

    @Option(names = "--dataset", required = true)
    String dataset;

    @Option(names = "--out", required = true)
    Path out;

    @Override
    public Integer call() throws Exception {
        Workspace ws = Workspace.open(workspace);
        DatasetService svc = new DatasetService(ws);
        DatasetInfo info = svc.require(dataset);
        ConsoleProgress p = new ConsoleProgress(spec.commandLine().getErr(), true);
        ScoredDataset sd = svc.load(info, p);
        ScoresExport.write(sd, out, p);
        spec.commandLine().getOut().println("Wrote " + sd.size() + " rows to " + out);
        return 0;
    }
}
