package org.personalab.data;

import java.io.IOException;
import java.nio.file.Path;
import org.personalab.task.TaskContext;

/** Placeholder until the importer lands (being written now). */
final class PapiJsonImporter implements Importer {


    @Override
    public ParsedFile read(Path file, ImportOptions options, TaskContext context) throws ImportException, IOException {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
