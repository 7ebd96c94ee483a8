package org.personalab.data;

import java.util.Map;
import org.personalab.inventory.AnswerEncoding;

/**
 * What the user chose for an import.
 *
 * @param format        the file format
 * @param encoding      raw or keyed; null = the format's default (keyed for Johnson and PAPI, raw for CSV)
 * @param lenient       skip bad records and report each, instead of refusing the whole file
 * @param name          dataset name in the workspace; null = derived from the file name
 * @param columnMapping CSV only: role → header name, roles {@code id, sex, age, country} and {@code items} (a
 *                      prefix such as "I" or "i", so that items are I1..I120); empty = detect
 *                      (id|case|case_id, sex|gender, age, country, I1.. or i1..)
 * @param maxProblems   stop collecting problems after this many (the count is still reported)
 */
public record ImportOptions(ImportFormat format, AnswerEncoding encoding, boolean lenient, String name,
        Map<String, String> columnMapping, int maxProblems) {

    public ImportOptions {
        columnMapping = columnMapping == null ? Map.of() : Map.copyOf(columnMapping);
        if (maxProblems <= 0) {
            maxProblems = 1000;
        }
    }

    public static ImportOptions of(ImportFormat format) {
        return new ImportOptions(format, null, false, null, Map.of(), 1000);
    }

    public AnswerEncoding effectiveEncoding() {
        return encoding != null ? encoding : format.defaultEncoding();
    }

    public ImportOptions withLenient(boolean l) {
        return new ImportOptions(format, encoding, l, name, columnMapping, maxProblems);
    }

    public ImportOptions withEncoding(AnswerEncoding e) {
        return new ImportOptions(format, e, lenient, name, columnMapping, maxProblems);
    }

    public ImportOptions withName(String n) {
        return new ImportOptions(format, encoding, lenient, n, columnMapping, maxProblems);
    }

    public ImportOptions withColumnMapping(Map<String, String> m) {
        return new ImportOptions(format, encoding, lenient, name, m, maxProblems);
    }
}
