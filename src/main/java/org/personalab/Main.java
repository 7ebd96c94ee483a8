package org.personalab;

import org.personalab.cli.PersonaLabCommand;

/**
 * Entry point. Without arguments it starts the workbench (opening the last workspace, or creating the demo one on
 * first start); with arguments it runs the {@code personalab} command line. This class must not extend
 * {@code javafx.application.Application}: JavaFX is on the class path, not the module path.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            args = new String[] {"gui"};
        }
        int code = PersonaLabCommand.run(args);
        if (code != 0 || !"gui".equals(args[0])) {
            System.exit(code);
        }
    }
}
