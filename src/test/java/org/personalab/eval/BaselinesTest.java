package org.personalab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.personalab.eval.EvalFixtures.I120;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Item;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;
import org.personalab.inventory.ScoringRule;
import org.personalab.profile.ScoredDataset;
import org.personalab.task.TaskContext;

class BaselinesTest {

    private static final AgentScorer SCORER = new AgentScorer(I120, ScoringRule.DEFAULT);
    private static final Baselines.Params PARAMS = new Baselines.Params(42, 10, 5);

    /** Trait 1..5 of person i on facet f: exactly 10 / 20 / 40 / 20 / 10 % of the 1000 people per facet. */
    private static int trait(int person, int facet) {
        int r = (person * 7 + facet * 131) % 1000; // a permutation of the people for each facet
        return r < 100 ? 1 : r < 300 ? 2 : r < 700 ? 3 : r < 900 ? 4 : 5;
    }

    /**
     * 1000 people answering every item of a facet with their trait (keyed): facet score = trait, and the 10/30/70/90
     * cuts (1.9, 2.7, 3.3, 4.1) put trait t exactly at level t. So the facet level determines every answer.
     */
    private static ScoredDataset traitDataset() {
        byte[][] rows = new byte[1000][];
        for (int p = 0; p < rows.length; p++) {
            final int person = p;
            rows[p] = EvalFixtures.keyedSheet(I120, (i, f) -> trait(person, f));
        }
        return EvalFixtures.dataset(I120, AnswerEncoding.RAW, rows);
    }

    private static List<PersonTarget> everyone(ScoredDataset sd) {
        List<PersonTarget> out = new ArrayList<>();
        for (int r = 0; r < sd.size(); r++) {
            out.add(PersonTarget.of(sd, r, r + 1, I120));
        }
        return out;
    }

    private static double mean(List<AgentScores> l, Metric m) {
        return l.stream().mapToDouble(a -> a.get(m)).average().orElseThrow();
    }

    @Test
    void baselinesOnPeopleWhoseLevelsDetermineTheirAnswers() {
        ScoredDataset sd = traitDataset();
        for (int t = 1; t <= 5; t++) {
            assertEquals(Level.values()[t - 1], sd.level(findPerson(0, t), Scale.N1), "trait " + t);
        }
        List<PersonTarget> persons = everyone(sd);
        Map<Baseline, List<AgentScores>> b = Baselines.evaluate(sd, persons, SCORER, PARAMS, TaskContext.none());

        // the profile ceiling predicts every item from the facet level: perfect here, for every person
        for (Baseline ceiling : List.of(Baseline.PROFILE_MODE, Baseline.PROFILE_MEDIAN)) {
            for (AgentScores a : b.get(ceiling)) {
                assertEquals(1.0, a.get(Metric.EXACT_ACCURACY), ceiling + " " + a.id());
                assertEquals(0.0, a.get(Metric.MAD), ceiling + " " + a.id());
                assertEquals(1.0, a.get(Metric.FACET_LEVEL_AGREEMENT), ceiling + " " + a.id());
            }
        }
        // everyone answers 3 (the mode, and the rounded mean): right exactly where the trait is 3, 40 % of facets
        assertEquals(0.4, mean(b.get(Baseline.POPULATION_MODE), Metric.EXACT_ACCURACY), 1e-12);
        assertEquals(0.4, mean(b.get(Baseline.COHORT_MEAN), Metric.EXACT_ACCURACY), 1e-12);
        // |3 - t| over t = 1..5 at 10/20/40/20/10 %: 0.2*2 + 0.4*1 = 0.8
        assertEquals(0.8, mean(b.get(Baseline.POPULATION_MODE), Metric.MAD), 1e-12);

        // uniform random: exact is 0.2 exactly for every person; within-one and MAD are exact expectations against
        // the person's answers: 20 % of answers are extreme (1 or 5): 0.2*0.4 + 0.8*0.6 = 0.56 and
        // 0.2*2 + 0.4*1.4 + 0.4*1.2 = 1.44
        for (AgentScores a : b.get(Baseline.UNIFORM_RANDOM)) {
            assertEquals(0.2, a.get(Metric.EXACT_ACCURACY), 0.0);
            assertEquals(1.0, a.get(Metric.ANSWERED_RATE));
        }
        assertEquals(0.56, mean(b.get(Baseline.UNIFORM_RANDOM), Metric.WITHIN_ONE_ACCURACY), 1e-12);
        assertEquals(1.44, mean(b.get(Baseline.UNIFORM_RANDOM), Metric.MAD), 1e-12);
        // random answers rarely land on the person's facet level; the ceiling always does
        double chanceLevels = mean(b.get(Baseline.UNIFORM_RANDOM), Metric.FACET_LEVEL_AGREEMENT);
        assertTrue(chanceLevels > 0.05 && chanceLevels < 0.5, "uniform facet level agreement " + chanceLevels);
        assertEquals(persons.size(), b.get(Baseline.UNIFORM_RANDOM).size());
        assertEquals("p17", b.get(Baseline.COHORT_MEAN).get(17).id(), "lists follow the order of the persons");
    }

    private static int findPerson(int facet, int t) {
        for (int p = 0; p < 1000; p++) {
            if (trait(p, facet) == t) {
                return p;
            }
        }
        throw new AssertionError();
    }

    @Test
    void uniformItemMetricsAreExactExpectations() {
        PersonTarget ones = EvalFixtures.person("ones", I120, EvalFixtures.constant(I120, 1), null);
        AgentScores a = Baselines.uniform(SCORER, ones, 5, 1);
        assertEquals(0.2, a.get(Metric.EXACT_ACCURACY), 0.0);
        assertEquals(0.4, a.get(Metric.WITHIN_ONE_ACCURACY), 1e-15);
        assertEquals(2.0, a.get(Metric.MAD), 1e-15);
        PersonTarget threes = EvalFixtures.person("threes", I120, EvalFixtures.constant(I120, 3), null);
        AgentScores b = Baselines.uniform(SCORER, threes, 5, 1);
        assertEquals(0.6, b.get(Metric.WITHIN_ONE_ACCURACY), 1e-15);
        assertEquals(1.2, b.get(Metric.MAD), 1e-15);
        // a uniform person (each option equally often) gives the textbook values 13/25 and 1.6
        byte[] cycling = new byte[120];
        for (int i = 0; i < 120; i++) {
            cycling[i] = (byte) (i % 5 + 1);
        }
        AgentScores c = Baselines.uniform(SCORER, EvalFixtures.person("c", I120, cycling, null), 5, 1);
        assertEquals(13.0 / 25, c.get(Metric.WITHIN_ONE_ACCURACY), 1e-12);
        assertEquals(1.6, c.get(Metric.MAD), 1e-12);
        // missing person answers are not counted
        byte[] some = EvalFixtures.constant(I120, 0);
        some[0] = 5;
        AgentScores d = Baselines.uniform(SCORER, EvalFixtures.person("d", I120, some, null), 5, 1);
        assertEquals(2.0, d.get(Metric.MAD), 1e-15);
    }

    @Test
    void uniformOnTheFullFormGivesTheExpectedPapiScore() {
        AgentScorer s300 = new AgentScorer(EvalFixtures.I300, ScoringRule.DEFAULT);
        AgentScores a = Baselines.uniform(s300, EvalFixtures.person("p", EvalFixtures.I300,
                EvalFixtures.constant(EvalFixtures.I300, 3), null), 3, 1);
        for (int d = 0; d < 5; d++) {
            assertEquals(1.2, a.get(Metric.papiAligned(d)), 1e-12);
        }
        assertEquals(6.0, a.get(Metric.PAPI_COMPOSITE), 1e-12);
    }

    @Test
    void uniformScaleMetricsAreSeededMonteCarlo() {
        PersonTarget p = EvalFixtures.person("p", I120, EvalFixtures.keyedSheet(I120, (i, f) -> 4),
                EvalFixtures.flatNorms());
        AgentScores a = Baselines.uniform(SCORER, p, 50, 7);
        assertEquals(a, Baselines.uniform(SCORER, p, 50, 7));
        // a random facet score is near 3 (Medium), the person is at 4 (High): agreement well below one half
        assertTrue(a.get(Metric.FACET_LEVEL_AGREEMENT) < 0.5, a.toString());
        assertEquals(-1.0, a.scale(ScaleMetric.SCORE_DIFF, Scale.N1), 0.35, "mean random score about 3, person 4");
    }

    @Test
    void aPersonsOwnAnswersNeverPredictThemselves() {
        // A, B, C answer 2 on every item; D, E, F answer 4. With A counted, 2 and 4 tie and the tie goes to 2 —
        // A would be predicted perfectly. Without A (as it must be), 4 is the mode and A gets nothing right.
        byte[][] rows = new byte[6][];
        for (int p = 0; p < 6; p++) {
            rows[p] = EvalFixtures.constant(I120, p < 3 ? 2 : 4);
        }
        ScoredDataset sd = EvalFixtures.dataset(I120, AnswerEncoding.RAW, rows);
        List<PersonTarget> a = List.of(PersonTarget.of(sd, 0, 1, I120));
        Map<Baseline, List<AgentScores>> b = Baselines.evaluate(sd, a, SCORER, PARAMS, TaskContext.none());
        assertEquals(0.0, b.get(Baseline.POPULATION_MODE).get(0).get(Metric.EXACT_ACCURACY));
        assertEquals(2.0, b.get(Baseline.POPULATION_MODE).get(0).get(Metric.MAD));
        // cohort mean without A: (2+2+4+4+4)/5 = 3.2 -> 3
        assertEquals(1.0, b.get(Baseline.COHORT_MEAN).get(0).get(Metric.MAD));
    }

    @Test
    void keyedDatasetsArePredictedInRawAnswers() {
        // the same 6 people stored keyed: the baselines must still produce raw answers to compare with raw ones
        byte[][] rows = new byte[6][];
        for (int p = 0; p < 6; p++) {
            byte[] raw = EvalFixtures.constant(I120, p < 4 ? 5 : 1);
            rows[p] = new byte[120];
            for (int i = 0; i < 120; i++) {
                Item it = I120.items().get(i);
                rows[p][i] = (byte) AnswerEncoding.RAW.convert(AnswerEncoding.KEYED, it.keying(), raw[i]);
            }
        }
        ScoredDataset sd = EvalFixtures.dataset(I120, AnswerEncoding.KEYED, rows);
        PersonTarget p0 = PersonTarget.of(sd, 0, 1, I120);
        int minus = 0;
        while (!I120.items().get(minus).reversed()) {
            minus++;
        }
        assertEquals(1, sd.responses().answer(0, minus + 1), "stored keyed");
        assertEquals(5, p0.rawAnswers()[minus], "a negatively keyed item's raw answer is still 5");
        Map<Baseline, List<AgentScores>> b = Baselines.evaluate(sd, List.of(p0), SCORER, PARAMS,
                TaskContext.none());
        assertEquals(1.0, b.get(Baseline.POPULATION_MODE).get(0).get(Metric.EXACT_ACCURACY));
    }

    @Test
    void aPersonListedTwiceIsRefused() {
        ScoredDataset sd = traitDataset();
        PersonTarget p = PersonTarget.of(sd, 3, 4, I120);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Baselines.evaluate(sd, List.of(p, p), SCORER, PARAMS, TaskContext.none()));
        assertTrue(e.getMessage().contains("p3"), e.getMessage());
    }
}
