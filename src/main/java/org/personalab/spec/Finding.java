package org.personalab.spec;

/** One result of {@link SpecValidator}: how bad, where (JSON path) and what. */
public record Finding(Severity severity, String jsonPath, String message) {

    public enum Severity {
        ERROR, WARNING, INFO
    }

    @Override
    public String toString() {
        return severity + " " + jsonPath + ": " + message;
    }
}
