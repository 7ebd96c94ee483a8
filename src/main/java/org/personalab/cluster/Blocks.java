package org.personalab.cluster;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Fixed partitions of rows into blocks run in parallel. The partition depends only on the row count, never on the
 * number of threads, and callers combine per-block results in block order, so results are identical on any machine.
 */
final class Blocks {

    /** Rows per block for row-parallel loops. */
    static final int ROWS = 2048;

    private Blocks() {
    }

    static int count(int n, int rowsPerBlock) {
        return (n + rowsPerBlock - 1) / rowsPerBlock;
    }

    static int count(int n) {
        return count(n, ROWS);
    }

    /** Runs {@code body} for every block index 0..blocks-1 on the common pool (the caller's thread joins in). */
    static void run(int blocks, IntConsumer body) {
        if (blocks == 1) {
            body.accept(0);
            return;
        }
        IntStream.range(0, blocks).parallel().forEach(body);
    }
}
