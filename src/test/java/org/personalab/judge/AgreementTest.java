package org.personalab.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgreementTest {

    @Test
    void cohensKappaOfTheTwoByTwoTextbookTable() {
        // two readers, 50 proposals: yes/yes 20, yes/no 5, no/yes 10, no/no 15: p_o = .70, p_e = .50, kappa = .40
        assertEquals(0.4, Agreement.kappa(new long[][] {{20, 5}, {10, 15}}), 1e-12);
    }

    @Test
    void cohensKappaOfFleissPsychiatricDiagnoses() {
        // Fleiss, Levin & Paik, Statistical Methods for Rates and Proportions (3rd ed.), table 18.1: two
        // psychiatrists, 100 subjects, three diagnoses; p_o = .89, p_e = .66, kappa = .676 (reported as .68)
        long[][] t = {{75, 1, 4}, {5, 4, 1}, {0, 0, 10}};
        assertEquals(0.23 / 0.34, Agreement.kappa(t), 1e-12);
        assertEquals(0.676, Agreement.kappa(t), 5e-4);
    }

    @Test
    void kappaFromLabelsBuildsTheConfusionTableAndSkipsUnlabelledUnits() {
        List<Verdict> cats = List.of(Verdict.A, Verdict.B, Verdict.TIE);
        List<Verdict> judge = new ArrayList<>();
        List<Verdict> ann = new ArrayList<>();
        // the 2x2 textbook table again, as A/B labels, plus units only one rater labelled
        add(judge, ann, Verdict.A, Verdict.A, 20);
        add(judge, ann, Verdict.A, Verdict.B, 5);
        add(judge, ann, Verdict.B, Verdict.A, 10);
        add(judge, ann, Verdict.B, Verdict.B, 15);
        add(judge, ann, Verdict.TIE, null, 7);
        Agreement.Confusion<Verdict> c = Agreement.confusion(cats, judge, ann);
        assertEquals(50, c.n());
        assertEquals(10, c.counts()[1][0]);
        assertEquals(0, c.counts()[2][2]);
        assertEquals(0.7, c.observedAgreement(), 1e-12);
        Interval k = Agreement.cohenKappa(cats, judge, ann);
        assertEquals(0.4, k.estimate(), 1e-12);
        assertEquals(50, k.n());
        assertTrue(k.low() < 0.4 && 0.4 < k.high(), k.toString());
        assertTrue(k.low() > 0.05 && k.high() < 0.75, "a 95% interval for n = 50 is about +-0.25: " + k);
        assertEquals(k, Agreement.cohenKappa(cats, judge, ann), "the bootstrap is seeded: same interval each time");
    }

    @Test
    void kappaIsOneForPerfectAgreementAndUndefinedWithoutVariation() {
        assertEquals(1.0, Agreement.kappa(new long[][] {{3, 0, 0}, {0, 4, 0}, {0, 0, 2}}), 1e-12);
        assertTrue(Double.isNaN(Agreement.kappa(new long[][] {{9, 0}, {0, 0}})));
        assertTrue(Double.isNaN(Agreement.kappa(new long[][] {{0, 0}, {0, 0}})));
    }

    /**
     * Krippendorff's own example (K. Krippendorff, "Computing Krippendorff's Alpha-Reliability", 2011, section C):
     * four observers, twelve units, values 1-5 with missing data; nominal alpha = 0.743.
     */
    @Test
    void krippendorffsAlphaOfHisOwnExampleWithMissingData() {
        Integer[][] byObserver = {
            {1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null},
            {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3},
            {null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null},
            {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null}};
        List<List<Integer>> units = new ArrayList<>();
        for (int u = 0; u < 12; u++) {
            List<Integer> unit = new ArrayList<>();
            for (Integer[] obs : byObserver) {
                unit.add(obs[u]);
            }
            units.add(unit);
        }
        assertEquals(0.743, Agreement.krippendorffAlpha(units), 5e-4);
        Interval a = Agreement.krippendorffAlphaInterval(units);
        assertEquals(11, a.n(), "unit 12 has one value and is not pairable");
        assertTrue(a.low() <= 0.743 && 0.743 <= a.high(), a.toString());
    }

    @Test
    void alphaOfTwoRatersWithoutMissingDataIsCloseToScottsPi() {
        // two raters, nominal: alpha = 1 - (n-1) D_o / ... ; perfect agreement gives 1, systematic swap gives < 0
        List<List<String>> same = Arrays.asList(List.of("A", "A"), List.of("B", "B"), List.of("tie", "tie"));
        assertEquals(1.0, Agreement.krippendorffAlpha(same), 1e-12);
        List<List<String>> swapped = Arrays.asList(List.of("A", "B"), List.of("B", "A"), List.of("A", "B"),
                List.of("B", "A"));
        assertTrue(Agreement.krippendorffAlpha(swapped) < 0);
        assertTrue(Double.isNaN(Agreement.krippendorffAlpha(List.of(List.of("A", "A")))), "no variation: undefined");
    }

    @Test
    void wilsonIntervalOfAProportion() {
        Interval w = Interval.wilson(0, 20);
        assertEquals(0.0, w.estimate());
        assertEquals(0.0, w.low());
        assertEquals(0.161, w.high(), 1e-3);
        assertTrue(Double.isNaN(Interval.wilson(0, 0).estimate()));
    }

    private static void add(List<Verdict> a, List<Verdict> b, Verdict x, Verdict y, int n) {
        for (int i = 0; i < n; i++) {
            a.add(x);
            b.add(y);
        }
    }
}
