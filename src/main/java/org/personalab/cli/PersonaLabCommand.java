package org.personalab.cli;

import java.io.PrintWriter;
import org.personalab.store.AppVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code personalab} command line over the same services the workbench uses. */
@Command(name = "personalab", mixinStandardHelpOptions = true, versionProvider = PersonaLabCommand.Version.class,
        description = "PersonaLab: a workbench for personality-aligned LLM agents.",
        subcommands = {GuiCommand.class, ImportCommand.class, ScoresCommand.class, DatasetsCommand.class,
                DemoCommand.class, SpecsCommand.class, ClusterCommand.class, SplitCommand.class, SimulateCommand.class,
                EvaluateCommand.class, JudgeCommand.class, ExportCommand.class, ServeCommand.class,
                TrainCommand.class, ModelsCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class PersonaLabCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line; returns the exit code. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new PersonaLabCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            line.getErr().println("error: " + org.personalab.task.Failures.describe(ex));
            return 1;
        });
        return cl.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"PersonaLab " + AppVersion.get()};
        }
    }
}
