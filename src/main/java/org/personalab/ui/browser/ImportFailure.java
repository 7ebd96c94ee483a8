package org.personalab.ui.browser;

import java.nio.file.Path;
import java.util.List;
import org.personalab.data.ImportException;
import org.personalab.data.ImportProblem;
import org.personalab.task.Failures;

/**
 * Why an import was refused, for the problems dialog: a headline, every problem line ({@code FILE:LINE:COLUMN:
 * message}) and the reassurance that nothing was written.
 */
public record ImportFailure(Path file, String headline, List<String> lines) {

    public static final String UNCHANGED = "The workspace is unchanged: nothing from this file was stored.";

    public static ImportFailure of(Path file, Throwable t) {
        ImportException ie = find(t);
        String name = file.getFileName().toString();
        if (ie != null) {
            List<String> lines = ie.problems().stream().map(ImportProblem::toString).toList();
            if (lines.isEmpty()) {
                lines = List.of(ie.getMessage());
            }
            int n = lines.size();
            return new ImportFailure(file, name + " was not imported: " + n + (n == 1 ? " problem" : " problems")
                    + " found.", lines);
        }
        return new ImportFailure(file, name + " was not imported.", List.of(Failures.describe(t)));
    }

    private static ImportException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ImportException ie) {
                return ie;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    /** Everything as plain text, one problem per line (for copying). */
    public String text() {
        return headline + "\n" + UNCHANGED + "\n\n" + String.join("\n", lines);
    }
}
