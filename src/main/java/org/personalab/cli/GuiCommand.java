package org.personalab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "gui", description = "Start the workbench (the default without arguments).")
final class GuiCommand implements Callable<Integer> {

    @Option(names = "--workspace", description = "Workspace folder to open (default: the last one, else the demo).")
    Path workspace;

    @Override
    public Integer call() {
        org.personalab.ui.WorkbenchLauncher.launch(workspace);
        return 0;
    }
}
