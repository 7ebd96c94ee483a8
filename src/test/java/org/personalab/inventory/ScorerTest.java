package org.personalab.inventory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.personalab.support.Shared;

class ScorerTest {

    private static final Inventory INV = Inventory.IPIP_NEO_120;

    @Test
    void rawAndKeyedFilesOfTheSamePeopleScoreIdentically() {
        List<String[]> raw = Shared.csv(Shared.data("papi_test300_ipip120_raw.csv"));
        List<String[]> keyed = Shared.csv(Shared.data("papi_test300_ipip120_keyed.csv"));
        Scorer rawScorer = new Scorer(INV, AnswerEncoding.RAW, ScoringRule.DEFAULT);
        Scorer keyedScorer = new Scorer(INV, AnswerEncoding.KEYED, ScoringRule.DEFAULT);
        for (int r = 1; r < raw.size(); r++) {
            float[] a = rawScorer.score(answers(raw.get(0), raw.get(r)));
            float[] b = keyedScorer.score(answers(keyed.get(0), keyed.get(r)));
            assertArrayEquals(a, b, "person " + raw.get(r)[0]);
        }
    }

    @Test
    void scoresEqualAnIndependentComputationFromTheItemKey() {
        // Independent: facet membership and keys from ../shared's CSV, not from our Inventory.
        List<String[]> key = Shared.csv(Shared.data("ipip_neo_120_items.csv"));
        String[] kh = key.get(0);
        Map<String, List<int[]>> facetItems = new HashMap<>(); // facet -> [item, sign]
        for (String[] k : key.subList(1, key.size())) {
            facetItems.computeIfAbsent(k[Shared.col(kh, "facet")], x -> new ArrayList<>()).add(new int[] {
                Integer.parseInt(k[Shared.col(kh, "ipip120_item")]), Integer.parseInt(k[Shared.col(kh, "keyed")])});
        }
        List<String[]> raw = Shared.csv(Shared.data("papi_test300_ipip120_raw.csv"));
        String[] h = raw.get(0);
        Scorer scorer = new Scorer(INV, AnswerEncoding.RAW, ScoringRule.DEFAULT);
        int checked = 0;
        int missingFacets = 0;
        for (String[] row : raw.subList(1, raw.size())) {
            float[] ours = scorer.score(answers(h, row));
            for (Scale s : Scale.values()) {
                if (s.isDomain()) {
                    continue;
                }
                double sum = 0;
                int answered = 0;
                for (int[] it : facetItems.get(s.name())) {
                    int v = Integer.parseInt(row[Shared.col(h, "I" + it[0])]);
                    if (v == 0) {
                        continue;
                    }
                    sum += it[1] == 1 ? v : 6 - v;
                    answered++;
                }
                double expected = answered >= 3 ? sum / answered : Double.NaN;
                if (Double.isNaN(expected)) {
                    missingFacets++;
                    assertTrue(Float.isNaN(ours[s.ordinal()]));
                } else {
                    assertEquals(expected, ours[s.ordinal()], 1e-6, s + " of " + row[0]);
                }
                checked++;
            }
            for (Domain d : Domain.values()) {
                double sum = 0;
                boolean ok = true;
                for (Facet f : d.facets()) {
                    ok &= !Float.isNaN(ours[f.ordinal()]);
                    sum += ours[f.ordinal()];
                }
                float dom = ours[Scale.of(d).ordinal()];
                if (ok) {
                    assertEquals(sum / 6, dom, 1e-5);
                } else {
                    assertTrue(Float.isNaN(dom));
                }
            }
        }
        assertEquals(300 * 30, checked);
        assertEquals(0, missingFacets, "no PAPI subject misses 2 items of one facet");
    }

    @Test
    void missingAnswersAreMissingNotZero() {
        byte[] a = allAnswers(4);
        int[] n1 = INV.itemIndices(Facet.N1); // items 1, 31, 61, 91: all + keyed
        a[n1[0]] = 0;
        float[] s = new Scorer(INV, AnswerEncoding.KEYED, ScoringRule.DEFAULT).score(a);
        assertEquals(4f, s[Scale.N1.ordinal()], "one missing of four: mean of the other three");
        a[n1[1]] = 0;
        s = new Scorer(INV, AnswerEncoding.KEYED, ScoringRule.DEFAULT).score(a);
        assertTrue(Float.isNaN(s[Scale.N1.ordinal()]), "two missing of four: no score (rule: at most 25% missing)");
        assertTrue(Float.isNaN(s[Scale.N.ordinal()]), "a domain with an unscored facet has no score");
        assertFalse(Float.isNaN(s[Scale.E.ordinal()]));
        // a lenient rule scores it from the two answered items
        s = new Scorer(INV, AnswerEncoding.KEYED, new ScoringRule(0.5)).score(a);
        assertEquals(4f, s[Scale.N1.ordinal()]);
    }

    @Test
    void regressionSeedInvertedScaleVeryAccurateIsFive() {
        // The seed recorded (A) Very Accurate as 1. A person answering Very Accurate to every + item and Very
        // Inaccurate to every - item is at the top of every facet.
        assertEquals(5, ResponseOption.A.value());
        assertEquals(1, ResponseOption.E.value());
        byte[] a = new byte[120];
        for (Item it : INV.items()) {
            a[it.number() - 1] = (byte) (it.reversed() ? ResponseOption.E.value() : ResponseOption.A.value());
        }
        float[] s = new Scorer(INV, AnswerEncoding.RAW, ScoringRule.DEFAULT).score(a);
        for (Scale sc : Scale.values()) {
            assertEquals(5f, s[sc.ordinal()], sc.name());
        }
    }

    @Test
    void regressionSeedReverseKeysOffByOne() {
        // The seed keyed item k with the key of item k+1 (a zero-based map read with one-based names; i120 fell back
        // to +1). Reproduce that map and check it mis-keys exactly the 40 items listed in the research notes.
        java.util.List<Integer> misKeyed = new java.util.ArrayList<>();
        for (int k = 1; k <= 120; k++) {
            Keying seed = k < 120 ? INV.item(k + 1).keying() : Keying.PLUS;
            if (seed != INV.item(k).keying()) {
                misKeyed.add(k);
            }
        }
        assertEquals(java.util.List.of(8, 9, 18, 19, 23, 24, 29, 30, 38, 40, 47, 49, 50, 51, 52, 54, 59, 60, 61, 62, 66,
                70, 72, 75, 77, 81, 82, 85, 87, 90, 91, 92, 93, 94, 95, 111, 112, 116, 117, 120), misKeyed);
        assertEquals(Keying.MINUS, INV.item(9).keying());
        assertEquals("Use others for my own ends.", INV.item(9).text());
        assertEquals(Keying.PLUS, INV.item(8).keying());
        // scoring a raw answer of 5 to item 9 must lower Morality (A2), not raise it
        byte[] a = allAnswers(3);
        a[8] = 5;
        float[] s = new Scorer(INV, AnswerEncoding.RAW, ScoringRule.DEFAULT).score(a);
        assertEquals((3 + 3 + 3 + 1) / 4f, s[Scale.A2.ordinal()]);
    }

    @Test
    void regressionSeedActivityLevelFacetNeverBlank() {
        // The seed's template asked for {{activity_level}} but filled active_level: E4 was always blank.
        assertEquals("Activity Level", Facet.E4.displayName());
        assertEquals(4, INV.itemIndices(Facet.E4).length);
        float[] s = new Scorer(INV, AnswerEncoding.RAW, ScoringRule.DEFAULT).score(allAnswers(2));
        for (Scale sc : Scale.values()) {
            assertFalse(Float.isNaN(s[sc.ordinal()]), sc + " must be scored for a complete respondent");
        }
    }

    @Test
    void encodingConversionBothWays() {
        for (Item it : INV.items()) {
            for (int v = 0; v <= 5; v++) {
                int keyed = AnswerEncoding.keyed(AnswerEncoding.RAW, it.keying(), v);
                int back = AnswerEncoding.raw(AnswerEncoding.KEYED, it.keying(), keyed);
                assertEquals(v, back);
                if (v == 0) {
                    assertEquals(0, keyed, "missing stays missing");
                } else if (it.reversed()) {
                    assertEquals(6 - v, keyed);
                } else {
                    assertEquals(v, keyed);
                }
                assertEquals(keyed, AnswerEncoding.RAW.convert(AnswerEncoding.KEYED, it.keying(), v));
                assertEquals(v, AnswerEncoding.KEYED.convert(AnswerEncoding.KEYED, it.keying(), v));
            }
        }
    }

    @Test
    void scoreAllEqualsOneByOne() {
        int n = 1000;
        byte[] m = new byte[n * 120];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
        for (int i = 0; i < m.length; i++) {
            m[i] = (byte) rnd.nextInt(6);
        }
        Scorer sc = new Scorer(INV, AnswerEncoding.RAW, ScoringRule.DEFAULT);
        float[] all = sc.scoreAll(m, n);
        for (int r = 0; r < n; r++) {
            float[] one = sc.score(java.util.Arrays.copyOfRange(m, r * 120, r * 120 + 120));
            assertArrayEquals(one, java.util.Arrays.copyOfRange(all, r * 35, r * 35 + 35));
        }
        assertNotEquals(0, all.length);
    }

    private static byte[] allAnswers(int v) {
        byte[] a = new byte[120];
        java.util.Arrays.fill(a, (byte) v);
        return a;
    }

    static byte[] answers(String[] header, String[] row) {
        byte[] a = new byte[120];
        for (int i = 1; i <= 120; i++) {
            a[i - 1] = (byte) Integer.parseInt(row[Shared.col(header, "I" + i)]);
        }
        return a;
    }
}
