package org.personalab.cluster;

/**
 * A fixed partition of n rows into blocks small enough that a block of the data stays in a core's cache while
 * several runs work on it, and of blocks into chunks: the unit of parallel work (a chunk's blocks run in order on
 * one thread, so per-chunk partial sums need no locking). Depends only on n and the row width.
 */
record RowBlocks(int n, int rows, int count, int blocksPerChunk) {

    static RowBlocks of(int n, int d) {
        int rows = Math.max(64, Math.min(4096, (256 * 1024 / Math.max(1, 4 * d)) & ~63));
        int count = (n + rows - 1) / rows;
        return new RowBlocks(n, rows, count, Math.max(1, 8192 / rows));
    }

    int start(int b) {
        return b * rows;
    }

    int end(int b) {
        return Math.min(n, (b + 1) * rows);
    }

    int size(int b) {
        return end(b) - start(b);
    }

    int chunks() {
        return (count + blocksPerChunk - 1) / blocksPerChunk;
    }

    int chunkOf(int b) {
        return b / blocksPerChunk;
    }
}
