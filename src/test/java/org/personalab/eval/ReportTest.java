package org.personalab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.personalab.eval.EvalFixtures.I120;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.personalab.inventory.Scale;
import org.personalab.inventory.ScoringRule;

class ReportTest {

    private static final AgentScorer SCORER = new AgentScorer(I120, ScoringRule.DEFAULT);

    /** Person i answers item k with (k + i) % 5 + 1; the agent copies them except on the first {@code wrong} items. */
    private static AgentScores agent(int person, int wrong, long spec, long respondent) {
        byte[] raw = new byte[120];
        for (int k = 0; k < 120; k++) {
            raw[k] = (byte) ((k + person) % 5 + 1);
        }
        PersonTarget p = new PersonTarget("person-" + person, respondent, -1, raw,
                EvalFixtures.person("x", I120, raw, EvalFixtures.flatNorms()).scores(),
                EvalFixtures.person("x", I120, raw, EvalFixtures.flatNorms()).levels(),
                org.personalab.profile.NormGroup.EVERYONE, EvalFixtures.flatNorms());
        byte[] a = raw.clone();
        for (int k = 0; k < wrong; k++) {
            a[k] = (byte) (raw[k] == 5 ? 1 : 5);
        }
        return SCORER.score(spec, a, p);
    }

    @Test
    void theAgentCsvStartsWithIdAndTheHeadlineMetricsAsFractions() {
        StringBuilder sb = new StringBuilder();
        AgentScores a = agent(0, 30, 11, 101);
        Report.writeAgents(sb, List.of(a, agent(1, 0, 12, 102)));
        String[] lines = sb.toString().split("\n");
        assertEquals(3, lines.length);
        assertTrue(lines[0].startsWith("id,exact_accuracy,within_one_accuracy,mad,"), lines[0]);
        String[] head = lines[0].split(",", -1);
        String[] row = lines[1].split(",", -1);
        assertEquals(head.length, row.length);
        assertEquals("person-0", row[0]);
        assertEquals("0.75", row[1], "90 of 120 exact, as a fraction");
        assertEquals(Report.num(a.get(Metric.MAD)), row[3]);
        int papi = List.of(head).indexOf("papi_composite");
        assertEquals("", row[papi], "no PAPI score on the short form: an empty cell, not 0 or NaN");
        assertEquals("11", row[List.of(head).indexOf("spec_id")]);
        assertEquals("101", row[List.of(head).indexOf("respondent_id")]);
        assertEquals(Report.num(a.scale(ScaleMetric.SCORE_DIFF, Scale.C)), row[List.of(head).indexOf("score_diff_C")]);
        assertTrue(List.of(head).contains("level_agreement_N1"));
    }

    @Test
    void numbersHaveAtMostSixDecimalsAndNaNIsEmpty() {
        assertEquals("0.2", Report.num(0.2));
        assertEquals("1", Report.num(1.0));
        assertEquals("0.308333", Report.num(37.0 / 120));
        assertEquals("0", Report.num(-0.0000001));
        assertEquals("", Report.num(Double.NaN));
        assertEquals("-1.5", Report.num(-1.5));
        assertEquals("2.30000e-26", Report.pValue(2.3e-26), "tiny p-values are not rounded to 0");
        assertEquals("0.043114", Report.pValue(0.043114446783075355));
        assertEquals("1", Report.pValue(1.0));
    }

    @Test
    void summaryHasOneLinePerSourceAndMetricWithTheInterval() {
        List<AgentScores> agents = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            agents.add(agent(i, i, i + 1, i + 1));
        }
        Source s = new Source("run:5", "run 5, psychometric", agents);
        SummaryRow row = SummaryRow.of(s, Bootstrap.withSeed(3));
        Estimate exact = row.get(Metric.EXACT_ACCURACY);
        // agent i is wrong on i items: mean exact = 1 - mean(i)/120 = 1 - 14.5/120
        assertEquals(1 - 14.5 / 120, exact.mean(), 1e-12);
        assertTrue(exact.contains(exact.mean()));
        assertEquals(30, exact.n());
        assertEquals(0, row.get(Metric.PAPI_COMPOSITE).n());
        StringBuilder sb = new StringBuilder();
        Report.writeSummary(sb, List.of(row));
        String[] lines = sb.toString().split("\n");
        assertEquals("source,label,metric,unit,n,mean,ci_low,ci_high", lines[0]);
        assertEquals(1 + Metric.COUNT, lines.length);
        assertEquals("run:5,\"run 5, psychometric\",exact_accuracy,fraction,30," + Report.num(exact.mean()) + ","
                + Report.num(exact.low()) + "," + Report.num(exact.high()), lines[1]);
        String table = Report.table(List.of(row));
        assertTrue(table.contains("exact accuracy ↑") && table.contains("item MAD (0-4) ↓"), table);
        assertTrue(table.contains(Report.cell(exact)), table);
        assertTrue(!table.contains("PAPI"), "metrics nobody has are not shown:\n" + table);
    }

    @Test
    void comparisonsPairByPersonAndAverageSeveralAgentsOfOnePerson() {
        // run a: persons 1..12, agent wrong on 10 items; person 3 has a second agent wrong on 30 items
        // run b: persons 2..13, wrong on 20 items
        List<AgentScores> a = new ArrayList<>();
        List<AgentScores> b = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            a.add(agent(i, 10, 100 + i, i));
        }
        a.add(agent(3, 30, 999, 3));
        for (int i = 2; i <= 13; i++) {
            b.add(agent(i, 20, 200 + i, i));
        }
        Source sa = new Source("run:1", "a", a);
        Source sb = new Source("run:2", "b", b);
        assertEquals(11, Comparison.sharedPeople(sa, sb));
        List<Comparison> cs = Comparison.of(sa, sb, 1000, Bootstrap.withSeed(1));
        Comparison exact = cs.stream().filter(c -> c.metric() == Metric.EXACT_ACCURACY).findFirst().orElseThrow();
        assertEquals(11, exact.result().n());
        // 10 people: (110 - 100)/120 better; person 3: mean of 110 and 90 exact = 100 -> 0 difference
        assertEquals(10 * (10.0 / 120) / 11, exact.result().meanDifference(), 1e-12);
        assertEquals(10, exact.result().nonZero());
        assertEquals("run:1", exact.favours());
        Comparison mad = cs.stream().filter(c -> c.metric() == Metric.MAD).findFirst().orElseThrow();
        assertTrue(mad.result().meanDifference() < 0);
        assertEquals("run:1", mad.favours(), "lower MAD is better");
        assertTrue(cs.stream().noneMatch(c -> c.metric() == Metric.PAPI_COMPOSITE), "nothing to compare");
        StringBuilder out = new StringBuilder();
        Report.writeComparisons(out, cs);
        assertTrue(out.toString().startsWith("a,b,metric,n,mean_difference,ci_low,ci_high,permutation_p,"));
        assertTrue(out.toString().contains("\nrun:1,run:2,exact_accuracy,11,"), out.toString());
    }

    @Test
    void theScaleMatrixHasOneCellPerSourceAndScale() {
        List<AgentScores> good = List.of(agent(1, 0, 1, 1), agent(2, 0, 2, 2), agent(3, 0, 3, 3));
        List<AgentScores> bad = List.of(agent(1, 120, 4, 1), agent(2, 120, 5, 2), agent(3, 120, 6, 3));
        ScaleMatrix m = ScaleMatrix.of(ScaleMetric.LEVEL_AGREEMENT,
                List.of(new Source("run:1", "good", good), new Source("run:2", "bad", bad)), Bootstrap.withSeed(1));
        assertEquals(2, m.rows());
        assertEquals(Scale.COUNT, m.columns().size());
        assertEquals(1.0, m.cell("run:1", Scale.N1).mean());
        assertEquals(3, m.cell("run:1", Scale.C).n());
        double avg = 0;
        for (Scale s : Scale.values()) {
            avg += m.cell("run:2", s).mean();
        }
        assertTrue(avg / Scale.COUNT < 0.5, "answers flipped to the other end disagree on most levels");
        assertThrows(IllegalArgumentException.class, () -> m.cell("run:9", Scale.N1));
    }
}
