package org.personalab.data;

import java.util.ArrayList;
import java.util.List;
import org.personalab.inventory.Inventory;

/**
 * Collects the problems of one import, record by record. A record with any problem is never added: in strict mode
 * the import then fails with every problem listed (up to {@code maxProblems}); in lenient mode the record is skipped
 * and its problems are reported in {@link ParsedFile#skipped()}.
 */
final class ImportProblems {

    /** 128 MiB of answers: Johnson's IPIP120.dat needs 74 MB, IPIP300.dat 92 MB. */
    private static final long MAX_PRESIZE_BYTES = 128L << 20;

    private final String file;
    private final boolean lenient;
    private final int max;
    private final List<ImportProblem> listed = new ArrayList<>();
    private long total;
    private boolean recordBad;
    private long badRecords;

    ImportProblems(String file, ImportOptions options) {
        this.file = file;
        this.lenient = options.lenient();
        this.max = options.maxProblems();
    }

    String file() {
        return file;
    }

    /** A builder capacity for an estimated row count, capped so that a huge wrong file cannot claim all memory. */
    static int presize(long estimatedRows, Inventory inventory) {
        return (int) Math.max(16, Math.min(estimatedRows, MAX_PRESIZE_BYTES / inventory.size()));
    }

    /** Starts a new record: problems added from now on belong to it. */
    void startRecord() {
        recordBad = false;
    }

    /** Reports a problem of the current record. */
    void add(long line, int column, String field, String value, String message) {
        recordBad = true;
        total++;
        if (listed.size() < max) {
            listed.add(new ImportProblem(file, line, column, field, value, message));
        }
    }

    boolean recordBad() {
        return recordBad;
    }

    /** Ends the current record; true when it has no problem and may be added. */
    boolean endRecord() {
        if (recordBad) {
            badRecords++;
            return false;
        }
        return true;
    }

    /** A problem that makes the whole file unusable: it comes first, followed by the record problems so far. */
    ImportException fatal(long line, int column, String field, String value, String message) {
        List<ImportProblem> all = new ArrayList<>(listed.size() + 1);
        all.add(new ImportProblem(file, line, column, field, value, message));
        all.addAll(listed);
        return new ImportException(all);
    }

    /** The problems so far make the whole file unusable (for example a bad header): refuses it with them. */
    ImportException refuse() {
        return new ImportException(listed);
    }

    /**
     * Finishes the import: throws in strict mode when any record was bad, and in lenient mode when no record is left.
     */
    ParsedFile finish(Responses.Builder builder, long recordsRead) throws ImportException {
        if (!lenient && total > 0) {
            List<ImportProblem> all = new ArrayList<>(listed);
            if (total > listed.size()) {
                all.add(new ImportProblem(file, 0, 0, "", "",
                        (total - listed.size()) + " more problems not listed (" + total + " in all)"));
            }
            throw new ImportException(all);
        }
        if (builder.size() == 0) {
            String why = recordsRead == 0 ? "file has no records"
                    : "no valid records: all " + recordsRead + " records have problems";
            throw fatal(recordsRead == 0 ? 1 : 0, recordsRead == 0 ? 1 : 0, "", "", why);
        }
        return new ParsedFile(builder.build(), List.copyOf(listed), recordsRead, badRecords);
    }
}
