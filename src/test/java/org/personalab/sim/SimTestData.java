package org.personalab.sim;

import java.time.Instant;
import org.personalab.data.DatasetInfo;
import org.personalab.data.Responses;
import org.personalab.data.SyntheticParameters;
import org.personalab.data.SyntheticPopulation;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;
import org.personalab.inventory.Scorer;
import org.personalab.inventory.ScoringRule;
import org.personalab.profile.NormSet;
import org.personalab.profile.NormSpec;
import org.personalab.profile.Norms;
import org.personalab.profile.ScoredDataset;
import org.personalab.task.TaskContext;

/** A realistic synthetic population (the demo's generator), scored and placed with norms built from itself. */
final class SimTestData {

    private SimTestData() {
    }

    static ScoredDataset population(int n, long seed) {
        Responses r = SyntheticPopulation.generate(SyntheticParameters.bundled(), n, seed, TaskContext.none());
        return scored(r, "sim-test");
    }

    static ScoredDataset scored(Responses r, String name) {
        Inventory inv = r.inventory();
        float[] scores = new Scorer(inv, r.encoding(), ScoringRule.DEFAULT).scoreAll(r.answerMatrix(), r.size());
        NormSet norms = Norms.build(name + " norms", r, scores, NormSpec.DEFAULT);
        DatasetInfo info = new DatasetInfo(1, name, "synthetic", inv, r.encoding(), r.size(), 0.75, null, 0, null,
                "built in memory by a test", 1, 1, Instant.now());
        return new ScoredDataset(info, r, scores, Norms.place(norms, r, scores), norms);
    }

    /** Scores answer rows (raw, inventory order) of people with the demographics of {@code like}'s rows. */
    static float[] scoreRaw(Inventory inv, byte[] answers, int n) {
        return new Scorer(inv, AnswerEncoding.RAW, ScoringRule.DEFAULT).scoreAll(answers, n);
    }
}
