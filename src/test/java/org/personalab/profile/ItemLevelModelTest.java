package org.personalab.profile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.personalab.data.DatasetInfo;
import org.personalab.data.Responses;
import org.personalab.data.SyntheticParameters;
import org.personalab.data.SyntheticPopulation;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;
import org.personalab.inventory.Item;
import org.personalab.inventory.Keying;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;
import org.personalab.inventory.Scorer;
import org.personalab.inventory.ScoringRule;
import org.personalab.task.TaskContext;

class ItemLevelModelTest {

    private static ScoredDataset scored(Responses r) {
        float[] scores = new Scorer(r.inventory(), r.encoding(), ScoringRule.DEFAULT).scoreAll(r.answerMatrix(),
                r.size());
        NormSet norms = Norms.build("t", r, scores, NormSpec.DEFAULT);
        DatasetInfo info = new DatasetInfo(1, "t", "synthetic", r.inventory(), r.encoding(), r.size(), 0.75, null, 0,
                null, "test", 1, 1, Instant.now());
        return new ScoredDataset(info, r, scores, Norms.place(norms, r, scores), norms);
    }

    private static final Responses PEOPLE = SyntheticPopulation.generate(SyntheticParameters.bundled(), 3000, 7,
            TaskContext.none());

    @Test
    void higherFacetLevelsAgreeMoreWithPlusItemsAndLessWithMinusItems() {
        ItemLevelModel m = ItemLevelModel.estimate(scored(PEOPLE));
        int plus = 0;
        int minus = 0;
        for (int i = 0; i < m.inventory().size(); i++) {
            Item it = m.item(i);
            double lo = m.mean(i, Level.VERY_LOW);
            double hi = m.mean(i, Level.VERY_HIGH);
            if (it.keying() == Keying.PLUS) {
                assertTrue(hi > lo, it + ": " + lo + " vs " + hi);
                plus++;
            } else {
                assertTrue(hi < lo, it + ": " + lo + " vs " + hi);
                minus++;
            }
            for (Level l : Level.values()) {
                double sum = 0;
                for (double p : m.distribution(i, l)) {
                    assertTrue(p > 0, "smoothing leaves no zero cell");
                    sum += p;
                }
                assertEquals(1.0, sum, 1e-9);
                int med = m.median(i, l);
                assertTrue(med >= 1 && med <= 5);
            }
        }
        assertTrue(plus > 0 && minus > 0);
    }

    @Test
    void theModelIsOnTheRawScaleWhateverTheStoredEncoding() {
        ItemLevelModel raw = ItemLevelModel.estimate(scored(PEOPLE));
        ItemLevelModel keyed = ItemLevelModel.estimate(scored(PEOPLE.withEncoding(AnswerEncoding.KEYED)));
        for (int i = 0; i < Inventory.IPIP_NEO_120.size(); i++) {
            for (Level l : Level.values()) {
                assertArrayEquals(raw.distribution(i, l), keyed.distribution(i, l), 1e-12);
                assertEquals(raw.support(i, l), keyed.support(i, l));
            }
        }
    }

    @Test
    void supportCountsEveryoneWithALevelAndAnAnswerAndRowSubsetsCountOnlyThoseRows() {
        ScoredDataset sd = scored(PEOPLE);
        ItemLevelModel all = ItemLevelModel.estimate(sd);
        Scale facet = Scale.of(all.item(0).facet());
        int expected = 0;
        for (int r = 0; r < sd.size(); r++) {
            if (sd.levelCode(r, facet) >= 0 && sd.responses().answer(r, 1) > 0) {
                expected++;
            }
        }
        int total = 0;
        for (Level l : Level.values()) {
            total += all.support(0, l);
        }
        assertEquals(expected, total);

        ItemLevelModel first = ItemLevelModel.estimate(sd, new int[] {0, 1, 2});
        int few = 0;
        for (Level l : Level.values()) {
            few += first.support(0, l);
        }
        assertTrue(few <= 3);
    }
}
