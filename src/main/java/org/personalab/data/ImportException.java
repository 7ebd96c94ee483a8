package org.personalab.data;

import java.util.List;

/** The input was refused; {@link #problems()} lists every problem found (strict mode) with its location. */
public final class ImportException extends Exception {

    private final transient List<ImportProblem> problems;

    public ImportException(List<ImportProblem> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    public List<ImportProblem> problems() {
        return problems;
    }

    private static String summary(List<ImportProblem> problems) {
        if (problems.isEmpty()) {
            return "import refused";
        }
        String first = problems.get(0).toString();
        return problems.size() == 1 ? first : first + " (and " + (problems.size() - 1) + " more problems)";
    }
}
