package org.personalab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.personalab.service.DemoWorkspace;
import org.personalab.store.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", description = "Build the demo workspace headless (the same one the first start creates).")
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--workspace", description = "Folder (default: workspaces/demo).")
    Path workspace;

    @Override
    public Integer call() {
        Path dir = workspace != null ? workspace : DemoWorkspace.defaultDir();
        Workspace ws = DemoWorkspace.build(dir, new ConsoleProgress(spec.commandLine().getErr()));
        var out = spec.commandLine().getOut();
        out.println("Demo workspace ready: " + ws.dir());
        ws.read(tx -> tx.datasets().list()).forEach(d -> out.println("  " + d.name() + ": " + d.size()
                + " respondents, " + d.inventory() + ", " + d.encoding().name().toLowerCase()));
        return 0;
    }
}
