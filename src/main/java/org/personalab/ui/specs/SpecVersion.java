package org.personalab.ui.specs;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.personalab.store.SpecRepository.SpecRow;

/**
 * A stored spec as the panel lists it: a version of the open spec (number 1 is the original) or another spec of the
 * same person ({@code number} 0: another source or run).
 */
public record SpecVersion(SpecRow row, int number) {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    /** Who wrote it: the annotator of an edit, else the source. */
    public String who() {
        return row.author() != null && !row.author().isBlank() ? row.author() : row.source();
    }

    public String when() {
        return row.createdAt() == null ? "" : WHEN.format(row.createdAt());
    }

    public String label() {
        String head = number > 0 ? "v" + number : "spec #" + row.id() + " (run " + row.runId() + ")";
        return head + " · " + who() + " · " + when();
    }

    @Override
    public String toString() {
        return label();
    }
}
