package org.personalab.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.personalab.data.AgeGroup;
import org.personalab.data.Responses;
import org.personalab.data.Sex;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;
import org.personalab.inventory.Scorer;
import org.personalab.inventory.ScoringRule;

class NormsTest {

    /** numpy.percentile(x, p), default linear method, written independently on a sorted copy. */
    static double numpyPercentile(double[] x, double p) {
        double[] s = x.clone();
        Arrays.sort(s);
        double h = (s.length - 1) * p / 100;
        int lo = (int) Math.floor(h);
        int hi = Math.min(s.length - 1, lo + 1);
        return s[lo] + (h - lo) * (s[hi] - s[lo]);
    }

    @Test
    void quantilesMatchNumpyLinear() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + rnd.nextInt(400);
            ValueCounter vc = new ValueCounter();
            double[] xs = new double[n];
            for (int i = 0; i < n; i++) {
                float v = (1 + rnd.nextInt(17)) / 4f + (rnd.nextBoolean() ? 0 : 1 / 3f);
                xs[i] = v;
                vc.add(v);
            }
            ScaleDistribution d = vc.toDistribution();
            assertEquals(n, d.n());
            for (double p : new double[] {0, 10, 30, 50, 70, 90, 100, 12.5}) {
                assertEquals(numpyPercentile(xs, p), d.quantile(p), 1e-5, "n=" + n + " p=" + p);
            }
        }
    }

    @Test
    void percentileRankIsMidRank() {
        ScaleDistribution d = new ScaleDistribution(new float[] {1, 2, 3}, new int[] {1, 2, 1});
        assertEquals(12.5, d.percentileRank(1), 1e-9);
        assertEquals(50, d.percentileRank(2), 1e-9);
        assertEquals(100, d.percentileRank(4), 1e-9);
        assertEquals(0, d.percentileRank(0.5), 1e-9);
    }

    @Test
    void levelsFollowCohortPercentilesWithStatedFallback() {
        // 3,000 people: many young adult women, few senior men (falls back to all men), some unknown sex.
        int n = 3000;
        Responses.Builder b = new Responses.Builder(Inventory.IPIP_NEO_120, AnswerEncoding.KEYED, n);
        SplittableRandom rnd = new SplittableRandom(11);
        byte[] a = new byte[120];
        for (int i = 0; i < n; i++) {
            Sex sex = i < 1500 ? Sex.FEMALE : i < 2900 ? Sex.MALE : Sex.UNKNOWN;
            int age = i < 1500 ? 18 + rnd.nextInt(7) : i < 2950 ? (i < 2000 ? 70 : 30) : 20;
            for (int k = 0; k < 120; k++) {
                a[k] = (byte) (1 + rnd.nextInt(5));
            }
            b.add("p" + i, sex, age, "X", a);
        }
        Responses r = b.build();
        float[] scores = new Scorer(r.inventory(), r.encoding(), ScoringRule.DEFAULT).scoreAll(r.answerMatrix(), n);
        NormSet ns = Norms.build("t", r, scores, NormSpec.DEFAULT);
        Norms.Placement pl = Norms.place(ns, r, scores);

        // men 1500..1999 are 70 (Senior): 500 people >= 100, so they keep their cohort
        assertEquals(NormGroup.cohort(Sex.MALE, AgeGroup.SENIOR), pl.group(1600));
        // unknown sex, age 30 (2900..2949): 50 unknown-sex adults, their age-group group has 950 people
        assertEquals(new NormGroup(null, AgeGroup.ADULT), pl.group(2920));

        NormSpec strict = new NormSpec(new double[] {10, 30, 70, 90}, 600);
        NormSet ns2 = Norms.build("t2", r, scores, strict);
        Norms.Placement pl2 = Norms.place(ns2, r, scores);
        assertEquals(new NormGroup(Sex.MALE, null), pl2.group(1600), "500 < 600: falls back to all men");
        assertEquals(NormGroup.cohort(Sex.FEMALE, AgeGroup.YOUNG_ADULT), pl2.group(10));

        // independent check of every level of the young adult women against numpy-style cuts
        for (Scale s : Scale.values()) {
            double[] xs = new double[1500];
            for (int i = 0; i < 1500; i++) {
                xs[i] = scores[i * 35 + s.ordinal()];
            }
            double[] cuts = {numpyPercentile(xs, 10), numpyPercentile(xs, 30), numpyPercentile(xs, 70),
                numpyPercentile(xs, 90)};
            for (int i = 0; i < 1500; i++) {
                double v = xs[i];
                int expected = v < (float) cuts[0] ? 0 : v < (float) cuts[1] ? 1 : v < (float) cuts[2] ? 2
                        : v < (float) cuts[3] ? 3 : 4;
                assertEquals(Level.values()[expected], pl.level(i, s), s + " of person " + i);
            }
        }
    }

    @Test
    void levelsAreSpreadRoughlyByCutPoints() {
        int n = 20000;
        Responses.Builder b = new Responses.Builder(Inventory.IPIP_NEO_120, AnswerEncoding.KEYED, n);
        SplittableRandom rnd = new SplittableRandom(5);
        byte[] a = new byte[120];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 120; k++) {
                a[k] = (byte) (1 + rnd.nextInt(5));
            }
            b.add("p" + i, Sex.FEMALE, 30, "X", a);
        }
        Responses r = b.build();
        float[] scores = new Scorer(r.inventory(), r.encoding(), ScoringRule.DEFAULT).scoreAll(r.answerMatrix(), n);
        Norms.Placement pl = Norms.place(Norms.build("t", r, scores, NormSpec.DEFAULT), r, scores);
        int[] counts = new int[5];
        for (int i = 0; i < n; i++) {
            counts[pl.level(i, Scale.N).ordinal()]++;
        }
        // domain scores take 97 values (sums of 24 answers): shares close to 10/20/40/20/10 %, give or take the
        // people tied at a cut value (a score equal to the cut goes to the upper level, as in the seed)
        double[] expected = {0.1, 0.2, 0.4, 0.2, 0.1};
        for (int l = 0; l < 5; l++) {
            assertEquals(expected[l], counts[l] / (double) n, 0.04, "level " + Level.values()[l]);
        }
    }

    @Test
    void missingScoreHasNoLevelAndCutPointsAreValidated() {
        GroupNorms g = GroupNorms.of(10, fill(new ScaleDistribution(new float[] {1, 2, 3}, new int[] {3, 4, 3})),
                NormSpec.DEFAULT);
        assertEquals(Level.NONE, g.levelCode(0, Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> new NormSpec(new double[] {30, 10, 70, 90}, 10));
        assertThrows(IllegalArgumentException.class, () -> new NormSpec(new double[] {10, 30, 70}, 10));
        assertThrows(IllegalArgumentException.class, () -> new NormSpec(new double[] {0, 30, 70, 90}, 10));
        List<NormGroup> c = NormSet.candidates(Sex.UNKNOWN, AgeGroup.UNKNOWN);
        assertEquals(List.of(NormGroup.EVERYONE), c);
        assertTrue(NormSet.candidates(Sex.MALE, AgeGroup.TEEN).get(0).isCohort());
        assertEquals(new ArrayList<>(List.of(NormGroup.cohort(Sex.MALE, AgeGroup.TEEN), new NormGroup(Sex.MALE, null),
                NormGroup.EVERYONE)), NormSet.candidates(Sex.MALE, AgeGroup.TEEN));
    }

    private static ScaleDistribution[] fill(ScaleDistribution d) {
        ScaleDistribution[] a = new ScaleDistribution[Scale.COUNT];
        Arrays.fill(a, d);
        return a;
    }
}
