package org.personalab.cluster;

import java.util.List;
import org.personalab.task.TaskContext;

/**
 * Drives several k-means runs (restarts, or different k) together: each pass assigns one block of rows for every
 * active run before moving to the next block, so a block is read from memory once per pass however many runs use
 * it. Chunks of consecutive blocks run in parallel. Runs end independently; the results are exactly those of running
 * them one after the other.
 */
final class Lockstep {

    private Lockstep() {
    }

    /** Runs all to the end; returns the number of passes made. */
    static int run(List<KMeansRun> runs, RowBlocks part, TaskContext ctx) {
        int pass = 0;
        while (true) {
            List<KMeansRun> active = runs.stream().filter(KMeansRun::active).toList();
            if (active.isEmpty()) {
                return pass;
            }
            ctx.checkCancelled();
            Blocks.run(part.chunks(), ch -> {
                for (int b = ch * part.blocksPerChunk(), e = Math.min(part.count(), b + part.blocksPerChunk());
                        b < e; b++) {
                    for (KMeansRun r : active) {
                        r.assignBlock(b);
                    }
                }
            });
            for (KMeansRun r : active) {
                r.endPass();
            }
            pass++;
            ctx.progress(runs.size() - active.size(), runs.size());
            if (pass % 50 == 0) {
                ctx.message("K-means pass " + pass + ": " + active.size() + " of " + runs.size()
                        + " run(s) still moving");
            }
        }
    }
}
