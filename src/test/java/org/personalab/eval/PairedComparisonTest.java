package org.personalab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Reference values in comments were checked with scipy 1.17 (stats.wilcoxon method="approx", permutation_test). */
class PairedComparisonTest {

    private final Bootstrap boot = Bootstrap.withSeed(1);

    private static PairedComparison diffs(double... d) {
        return PairedComparison.of(d, new double[d.length], PairedComparison.DEFAULT_PERMUTATIONS,
                Bootstrap.withSeed(1));
    }

    @Test
    void allPositiveDifferencesByHand() {
        PairedComparison c = diffs(1, 2, 3, 4, 5);
        assertEquals(5, c.n());
        assertEquals(3.0, c.meanDifference());
        // only "all +" and "all -" reach |sum| = 15 among 2^5 sign patterns
        assertEquals(2.0 / 32, c.permutationP(), 1e-15);
        assertTrue(c.exact());
        // W+ = 15, mean 7.5, var 5*6*11/24 = 13.75: z = 7.5 / sqrt(13.75) = 2.0226; p = 0.043114 (scipy)
        assertEquals(15.0, c.wPlus());
        assertEquals(0.0, c.wMinus());
        assertEquals(7.5 / Math.sqrt(13.75), c.z(), 1e-12);
        assertEquals(0.043114446783075355, c.wilcoxonP(), 1e-6);
        assertEquals(1.0, c.rankBiserial());
        assertEquals(3 / Math.sqrt(2.5), c.cohensDz(), 1e-12);
    }

    @Test
    void zerosAreDroppedAndTiesShareRanks() {
        // non-zero |d| = 1, 1, 2, 2, 3 -> ranks 1.5, 1.5, 3.5, 3.5, 5; W+ = 13.5, W- = 1.5
        // tie correction (2^3-2)*2/48 = 0.25: var = 13.5, z = 6 / sqrt(13.5) = 1.63299; p = 0.102470 (scipy)
        PairedComparison c = diffs(0, 1, -1, 2, 2, 3);
        assertEquals(6, c.n());
        assertEquals(5, c.nonZero());
        assertEquals(13.5, c.wPlus());
        assertEquals(1.5, c.wMinus());
        assertEquals(6 / Math.sqrt(13.5), c.z(), 1e-12);
        assertEquals(0.10247043485974937, c.wilcoxonP(), 1e-6);
        assertEquals(0.8, c.rankBiserial(), 1e-12);
        assertEquals(12.0 / 64, c.permutationP(), 1e-15); // scipy permutation_test: 0.1875
        assertEquals(0.792593923901217, c.cohensDz(), 1e-12);
    }

    @Test
    void fractionalDifferencesWithTiesMatchScipy() {
        PairedComparison c = diffs(0.5, -0.25, 0.75, 1.0, -0.5, 0.25, 0.125, 1.5, -0.125, 0.625, 0.875, 0.375);
        assertEquals(11.5, c.wMinus(), 1e-12);
        assertEquals(0.03079040406881276, c.wilcoxonP(), 1e-6);
        assertEquals(2.1597709693248306, c.z(), 1e-9);
        assertEquals(0.02978515625, c.permutationP(), 1e-12);
        assertEquals(0.748962798563347, c.cohensDz(), 1e-12);
    }

    @Test
    void differencesAreAMinusBOverPairsWithBothValues() {
        double[] a = {0.5, 0.6, Double.NaN, 0.9};
        double[] b = {0.2, Double.NaN, 0.4, 0.5};
        PairedComparison c = PairedComparison.of(a, b, 1000, boot);
        assertEquals(2, c.n());
        assertEquals((0.3 + 0.4) / 2, c.meanDifference(), 1e-12);
        PairedComparison reversed = PairedComparison.of(b, a, 1000, boot);
        assertEquals(-c.meanDifference(), reversed.meanDifference(), 1e-12);
        assertEquals(c.permutationP(), reversed.permutationP(), 1e-12);
        assertEquals(-c.z(), reversed.z(), 1e-12);
    }

    @Test
    void largeSamplesUseSeededRandomSignFlips() {
        double[] d = new double[40];
        for (int i = 0; i < d.length; i++) {
            d[i] = 0.1 + i * 0.01; // all positive: no random pattern but the identity reaches |sum|
        }
        PairedComparison c = diffs(d);
        assertFalse(c.exact());
        assertTrue(c.permutationP() <= 2.0 / (1 + PairedComparison.DEFAULT_PERMUTATIONS),
                "p = (1 + hits) / (1 + R) is never 0: " + c.permutationP());
        assertTrue(c.permutationP() > 0);

        // no effect: differences symmetric about 0 give a large p, and the same seed gives the same p
        SplittableRandom r = new SplittableRandom(3);
        double[] noise = new double[200];
        for (int i = 0; i < noise.length; i += 2) {
            noise[i] = r.nextDouble();
            noise[i + 1] = -noise[i];
        }
        PairedComparison n1 = diffs(noise);
        PairedComparison n2 = diffs(noise);
        assertEquals(1.0, n1.permutationP(), 1e-12, "mean difference exactly 0: every pattern is as extreme");
        assertEquals(n1, n2);
        assertTrue(n1.wilcoxonP() > 0.5, "Wilcoxon p " + n1.wilcoxonP());
    }

    @Test
    void randomFlipsAgreeWithEnumerationOnAModerateEffect() {
        SplittableRandom r = new SplittableRandom(11);
        double[] d = new double[18];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextGaussian() + 0.4;
        }
        double exact = PairedComparison.exactPermutationP(d);
        double sampled = PairedComparison.randomPermutationP(d, 200_000, 5);
        assertEquals(exact, sampled, 0.005, "Monte Carlo p within its standard error of the exact p");
    }

    @Test
    void noPairsMeansNoResult() {
        PairedComparison c = PairedComparison.of(new double[] {Double.NaN}, new double[] {1}, 100, boot);
        assertEquals(0, c.n());
        assertTrue(Double.isNaN(c.permutationP()));
        PairedComparison same = diffs(0, 0, 0);
        assertEquals(0, same.nonZero());
        assertTrue(Double.isNaN(same.wilcoxonP()));
        assertTrue(Double.isNaN(same.cohensDz()), "sd 0: no standardised effect");
        assertEquals(1.0, same.permutationP());
    }

    @Test
    void erfcMatchesKnownValues() {
        assertEquals(1.0, PairedComparison.erfc(0), 1e-7);
        assertEquals(0.157299207050285, PairedComparison.erfc(1), 1e-7);
        assertEquals(0.004677734981047, PairedComparison.erfc(2), 1e-8);
        assertEquals(1.842700792949715, PairedComparison.erfc(-1), 1e-7);
    }
}
