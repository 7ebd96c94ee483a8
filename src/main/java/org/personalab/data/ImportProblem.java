package org.personalab.data;

/**
 * One located problem in an input file. Lines and columns are 1-based; 0 means "not applicable" (for example a
 * whole-file problem such as an empty file). {@link #toString()} gives the {@code FILE:LINE:COLUMN: message} form.
 *
 * @param file    file name as given by the user
 * @param line    1-based line (for JSON: line of the offending token)
 * @param column  1-based column
 * @param field   the field concerned (e.g. "I17", "AGE", "case"), or "" for the whole record
 * @param value   the offending text as found, or ""
 * @param message what is wrong, in words
 */
public record ImportProblem(String file, long line, int column, String field, String value, String message) {

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(file).append(':').append(line).append(':').append(column).append(": ");
        if (!field.isEmpty()) {
            sb.append(field).append(": ");
        }
        sb.append(message);
        if (!value.isEmpty()) {
            sb.append(" (found '").append(printable(value)).append("')");
        }
        return sb.toString();
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 40; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\uFFFD') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (s.length() > 40) {
            sb.append('…');
        }
        return sb.toString();
    }
}
