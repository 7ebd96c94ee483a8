package org.personalab.data;

import java.io.IOException;
import java.nio.file.Path;
import org.personalab.task.TaskContext;

/** Reads one input format. Implementations never touch the workspace: they only parse and validate. */
public interface Importer {

    /**
     * Parses and validates a file.
     *
     * @throws ImportException in strict mode when any record is bad (every problem is listed, up to
     *                         {@link ImportOptions#maxProblems()}), and in both modes when the file as a whole is
     *                         unusable (empty, wrong layout, bad encoding, no valid records)
     * @throws IOException     when the file cannot be read at all
     */
    ParsedFile read(Path file, ImportOptions options, TaskContext context) throws ImportException, IOException;

    static Importer forFormat(ImportFormat format) {
        return switch (format) {
            case JOHNSON120, JOHNSON300 -> new JohnsonImporter(format);
            case PAPI -> new PapiJsonImporter();
            case CSV -> new CsvImporter();
        };
    }
}
