package org.personalab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.personalab.eval.EvalFixtures.I120;
import static org.personalab.eval.EvalFixtures.I300;

import org.junit.jupiter.api.Test;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;
import org.personalab.inventory.ScoringRule;
import org.personalab.profile.GroupNorms;

class AgentScorerTest {

    private final AgentScorer scorer = new AgentScorer(I120, ScoringRule.DEFAULT);
    private final GroupNorms norms = EvalFixtures.flatNorms();

    /** Raw answers cycling 1, 2, 3, 4, 5 over the 120 items: 24 of each. */
    private static byte[] cycling() {
        byte[] b = new byte[120];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i % 5 + 1);
        }
        return b;
    }

    @Test
    void aPerfectAgentScoresExactOneAndNoDifference() {
        byte[] raw = cycling();
        PersonTarget p = EvalFixtures.person("p", I120, raw, norms);
        AgentScores a = scorer.score(7, raw.clone(), p);
        assertEquals(1.0, a.get(Metric.EXACT_ACCURACY));
        assertEquals(1.0, a.get(Metric.WITHIN_ONE_ACCURACY));
        assertEquals(0.0, a.get(Metric.MAD));
        assertEquals(0.0, a.get(Metric.FACET_SCORE_MAD));
        assertEquals(0.0, a.get(Metric.DOMAIN_SCORE_MAD));
        assertEquals(1.0, a.get(Metric.FACET_LEVEL_AGREEMENT));
        assertEquals(1.0, a.get(Metric.DOMAIN_LEVEL_AGREEMENT));
        assertEquals(1.0, a.get(Metric.ANSWERED_RATE));
        assertEquals(0.0, a.get(Metric.MISSING_RATE));
        assertEquals(7, a.specId());
        assertEquals("p", a.id());
        assertTrue(Double.isNaN(a.get(Metric.PAPI_COMPOSITE)), "the 120-item form has no held-out PAPI items");
    }

    @Test
    void anInvertedScaleGivesTheNumbersWorkedOutByHand() {
        // The seed's bug: "Very Accurate" recorded as 1. Against answers 1..5 (24 each) the inverted answer 6 - v
        // differs by 4, 2, 0, 2, 4: exact = 24/120 = 0.2, within-one = 0.2 too, MAD = (4+2+0+2+4)/5 = 2.4.
        byte[] raw = cycling();
        byte[] inverted = new byte[120];
        for (int i = 0; i < 120; i++) {
            inverted[i] = (byte) (6 - raw[i]);
        }
        AgentScores a = scorer.score(1, inverted, EvalFixtures.person("p", I120, raw, norms));
        assertEquals(0.2, a.get(Metric.EXACT_ACCURACY), 1e-15);
        assertEquals(0.2, a.get(Metric.WITHIN_ONE_ACCURACY), 1e-15);
        assertEquals(2.4, a.get(Metric.MAD), 1e-12);
    }

    @Test
    void invertingATraitAlignedPersonSwapsTheirLevels() {
        // Person keyed 5 on every item (facet score 5, Very High); the inverted agent is keyed 1 (score 1, Very Low).
        byte[] high = EvalFixtures.keyedSheet(I120, (i, f) -> 5);
        byte[] low = EvalFixtures.keyedSheet(I120, (i, f) -> 1);
        PersonTarget p = EvalFixtures.person("p", I120, high, norms);
        assertEquals(Level.VERY_HIGH, Level.ofCode(p.levels()[Scale.N1.ordinal()]));
        AgentScores a = scorer.score(1, low, p);
        assertEquals(0.0, a.get(Metric.EXACT_ACCURACY));
        assertEquals(4.0, a.get(Metric.MAD));
        assertEquals(4.0, a.get(Metric.FACET_SCORE_MAD), 1e-6);
        assertEquals(4.0, a.get(Metric.DOMAIN_SCORE_MAD), 1e-6);
        assertEquals(0.0, a.get(Metric.FACET_LEVEL_AGREEMENT));
        assertEquals(0.0, a.get(Metric.DOMAIN_LEVEL_AGREEMENT));
        assertEquals(-4.0, a.scale(ScaleMetric.SCORE_DIFF, Scale.C6), 1e-6);
        assertEquals(4.0, a.scale(ScaleMetric.SCORE_ABS_DIFF, Scale.C6), 1e-6);
    }

    @Test
    void levelsArePlacedWithThePersonsNormGroup() {
        // flat norms: < 1.4 VL, < 2.2 L, < 3.8 M, < 4.6 H, else VH. Person keyed 4 on every item: High.
        PersonTarget p = EvalFixtures.person("p", I120, EvalFixtures.keyedSheet(I120, (i, f) -> 4), norms);
        // Agent: keyed 4 on Neuroticism facets (High, agrees), 3 on Extraversion facets (Medium, disagrees),
        // 5,5,5,4 on each Openness facet (4.75: Very High, disagrees), 4,4,4,5 on A and C facets (4.25: High, agrees).
        int[] seen = new int[30];
        byte[] agent = EvalFixtures.keyedSheet(I120, (i, f) -> {
            int nth = seen[f]++;
            return switch (f / 6) {
                case 0 -> 4;
                case 1 -> 3;
                case 2 -> nth < 3 ? 5 : 4;
                default -> nth < 3 ? 4 : 5;
            };
        });
        AgentScores a = scorer.score(1, agent, p);
        for (Scale s : Scale.values()) {
            if (s.isFacet()) {
                double expected = switch (s.domain()) {
                    case N, A, C -> 1;
                    case E, O -> 0;
                };
                assertEquals(expected, a.scale(ScaleMetric.LEVEL_AGREEMENT, s), s.name());
            }
        }
        assertEquals(18.0 / 30, a.get(Metric.FACET_LEVEL_AGREEMENT), 1e-12);
        // domains: N 4 (High), E 3 (Medium), O 4.75 (VH), A and C 4.25 (High)
        assertEquals(3.0 / 5, a.get(Metric.DOMAIN_LEVEL_AGREEMENT), 1e-12);
        assertEquals(0.75, a.scale(ScaleMetric.SCORE_DIFF, Scale.O), 1e-6);
    }

    @Test
    void missingAnswersAreExcludedNotScoredAsZero() {
        byte[] raw = cycling();
        PersonTarget p = EvalFixtures.person("p", I120, raw, norms);
        byte[] agent = raw.clone();
        agent[0] = 0; // agent gave no usable answer to item 1
        agent[1] = (byte) (raw[1] == 5 ? 4 : raw[1] + 1); // one step off on item 2
        AgentScores a = scorer.score(1, agent, p);
        assertEquals(118.0 / 119, a.get(Metric.EXACT_ACCURACY), 1e-12);
        assertEquals(1.0, a.get(Metric.WITHIN_ONE_ACCURACY));
        assertEquals(1.0 / 119, a.get(Metric.MAD), 1e-12);
        assertEquals(119.0 / 120, a.get(Metric.ANSWERED_RATE), 1e-12);
        assertEquals(1.0 / 120, a.get(Metric.MISSING_RATE), 1e-12);

        // a person's missing answer is excluded the same way, even where the agent answered
        byte[] personRaw = raw.clone();
        personRaw[2] = 0;
        AgentScores b = scorer.score(1, raw.clone(), EvalFixtures.person("q", I120, personRaw, norms));
        assertEquals(1.0, b.get(Metric.EXACT_ACCURACY));
        assertEquals(0.0, b.get(Metric.MAD));
        assertEquals(1.0, b.get(Metric.ANSWERED_RATE));
    }

    @Test
    void aFacetWithTooFewAnswersHasNoScoreAndNoLevel() {
        byte[] raw = cycling();
        PersonTarget p = EvalFixtures.person("p", I120, raw, norms);
        byte[] agent = raw.clone();
        int[] n1 = I120.itemIndices(org.personalab.inventory.Facet.N1);
        agent[n1[0]] = 0;
        agent[n1[1]] = 0; // 2 of 4 answered: below the 3 of 4 the rule needs
        AgentScores a = scorer.score(1, agent, p);
        assertTrue(Double.isNaN(a.scale(ScaleMetric.LEVEL_AGREEMENT, Scale.N1)));
        assertTrue(Double.isNaN(a.scale(ScaleMetric.SCORE_DIFF, Scale.N1)));
        assertTrue(Double.isNaN(a.scale(ScaleMetric.LEVEL_AGREEMENT, Scale.N)), "no domain without all facets");
        assertEquals(1.0, a.get(Metric.FACET_LEVEL_AGREEMENT), "averaged over the 29 facets both have");
        assertEquals(1.0, a.get(Metric.DOMAIN_LEVEL_AGREEMENT));
    }

    @Test
    void anAgentWithNoAnswersHasNoItemMetrics() {
        AgentScores a = scorer.score(1, new byte[120], EvalFixtures.person("p", I120, cycling(), norms));
        assertTrue(Double.isNaN(a.get(Metric.EXACT_ACCURACY)));
        assertTrue(Double.isNaN(a.get(Metric.MAD)));
        assertEquals(0.0, a.get(Metric.ANSWERED_RATE));
        assertTrue(Double.isNaN(a.get(Metric.FACET_LEVEL_AGREEMENT)));
    }

    @Test
    void badSheetsAreRefusedWithAgentAndItem() {
        PersonTarget p = EvalFixtures.person("p7", I120, cycling(), norms);
        byte[] bad = cycling();
        bad[9] = 6;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> scorer.score(3, bad, p));
        assertTrue(e.getMessage().contains("p7") && e.getMessage().contains("spec 3")
                && e.getMessage().contains("item 10"), e.getMessage());
        IllegalArgumentException len = assertThrows(IllegalArgumentException.class,
                () -> scorer.score(3, new byte[300], p));
        assertTrue(len.getMessage().contains("300 answers"), len.getMessage());
    }

    @Test
    void personAnswersAreAlignedAcrossFormsByIpip300Number() {
        // a 300-item person seen by a 120-item agent: item k of the 120 is Full# ipip300 of the 300
        byte[] full = new byte[300];
        for (int i = 0; i < 300; i++) {
            full[i] = (byte) (i % 5 + 1);
        }
        byte[] aligned = PersonTarget.align(full, I300, I120);
        for (int i = 0; i < 120; i++) {
            assertEquals(full[I120.items().get(i).ipip300() - 1], aligned[i]);
        }
        byte[] back = PersonTarget.align(aligned, I120, I300);
        int present = 0;
        for (int i = 0; i < 300; i++) {
            if (back[i] != 0) {
                present++;
                assertEquals(full[i], back[i]);
            }
        }
        assertEquals(120, present, "the 180 items the 120 form lacks stay missing");
    }
}
