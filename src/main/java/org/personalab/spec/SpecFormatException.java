package org.personalab.spec;

import java.nio.file.Path;

/**
 * A spec file or spec JSON does not have the expected shape. The message names the file (when there is one) and the
 * JSON path of the offending value, e.g. {@code Oscar.agent.json: $.persona.age: expected a number, got "thirty"}.
 */
public class SpecFormatException extends RuntimeException {

    private final transient Path file;
    private final String jsonPath;

    public SpecFormatException(Path file, String jsonPath, String message, Throwable cause) {
        super((file == null ? "" : file + ": ") + (jsonPath == null ? "" : jsonPath + ": ") + message, cause);
        this.file = file;
        this.jsonPath = jsonPath;
    }

    public SpecFormatException(String jsonPath, String message) {
        this(null, jsonPath, message, null);
    }

    /** The file, or null when the JSON did not come from a file. */
    public Path file() {
        return file;
    }

    /** JSONPath-like location of the problem ("$.persona.occupation.title"), or null for a whole-file problem. */
    public String jsonPath() {
        return jsonPath;
    }

    /** The same problem, attributed to a file. */
    public SpecFormatException inFile(Path f) {
        return new SpecFormatException(f, jsonPath, getMessage().substring(prefixLength()), this);
    }

    private int prefixLength() {
        return (file == null ? 0 : (file + ": ").length()) + (jsonPath == null ? 0 : (jsonPath + ": ").length());
    }
}
