package org.personalab.ui;

import java.nio.file.Path;
import javafx.application.Application;

/**
 * Starts the JavaFX workbench and blocks until its window closes. This class does not extend {@code Application}
 * (JavaFX is on the class path, not the module path), it hands the workspace to {@link PersonaLabApp}.
 */
public final class WorkbenchLauncher {

    private static volatile Path requested;

    private WorkbenchLauncher() {
    }

    /**
     * Opens {@code workspace}; when null, the most recent workspace that still exists, else the demo workspace
     * (built on first start).
     */
    public static void launch(Path workspace) {
        requested = workspace;
        Application.launch(PersonaLabApp.class);
    }

    static Path requestedWorkspace() {
        return requested;
    }
}
