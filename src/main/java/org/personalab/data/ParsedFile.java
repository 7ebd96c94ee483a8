package org.personalab.data;

import java.util.List;

/**
 * What an importer read from a file: the accepted respondents and, in lenient mode, the records it skipped.
 *
 * @param responses     accepted respondents
 * @param skipped       problems of skipped records (lenient mode; empty in strict mode, which throws instead)
 * @param recordsRead   records seen in the file, accepted or not
 * @param skippedCount  records skipped (may exceed {@code skipped.size()} when problems were capped)
 */
public record ParsedFile(Responses responses, List<ImportProblem> skipped, long recordsRead, long skippedCount) {
}
