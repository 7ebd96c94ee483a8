package org.personalab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    private static double[] bernoulli(int n, double p, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble() < p ? 1 : 0;
        }
        return v;
    }

    @Test
    void theIntervalContainsTheMeanAndNarrowsWithMoreAgents() {
        Bootstrap b = Bootstrap.withSeed(42);
        double previous = Double.POSITIVE_INFINITY;
        for (int n : new int[] {20, 200, 2000}) {
            double[] v = bernoulli(n, 0.3, n);
            Estimate e = b.mean(v);
            assertEquals(n, e.n());
            assertTrue(e.contains(e.mean()), e.toString());
            assertTrue(e.low() < e.mean() && e.mean() < e.high(), e.toString());
            assertTrue(e.width() < previous, "n " + n + ": width " + e.width() + " vs " + previous);
            // the percentile interval of a proportion is close to 2 * 1.96 * sqrt(p(1-p)/n)
            double expected = 2 * 1.96 * Math.sqrt(e.mean() * (1 - e.mean()) / n);
            assertEquals(expected, e.width(), expected * 0.25, "n " + n);
            previous = e.width();
        }
    }

    @Test
    void theSameSeedGivesTheSameInterval() {
        SplittableRandom r = new SplittableRandom(9);
        double[] v = new double[100];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        assertEquals(Bootstrap.withSeed(7).mean(v), Bootstrap.withSeed(7).mean(v));
        Estimate a = Bootstrap.withSeed(7).mean(v);
        Estimate c = Bootstrap.withSeed(8).mean(v);
        assertEquals(a.mean(), c.mean(), "the mean does not depend on the seed");
        assertTrue(a.low() != c.low() || a.high() != c.high(), "other resamples, other ends");
    }

    @Test
    void missingValuesAreLeftOutAndConstantsHaveAZeroWidthInterval() {
        Estimate e = Bootstrap.withSeed(1).mean(new double[] {0.2, Double.NaN, 0.2, 0.2});
        assertEquals(3, e.n());
        assertEquals(0.2, e.mean(), 1e-15);
        assertEquals(0.2, e.low(), 1e-15);
        assertEquals(0.2, e.high(), 1e-15);
        Estimate one = Bootstrap.withSeed(1).mean(new double[] {0.7, Double.NaN});
        assertEquals(1, one.n());
        assertEquals(0.7, one.mean());
        assertTrue(!one.hasInterval(), "no interval from one agent");
        assertEquals(Estimate.EMPTY, Bootstrap.withSeed(1).mean(new double[] {Double.NaN}));
    }

    @Test
    void percentilesUseLinearInterpolation() {
        double[] sorted = {1, 2, 3, 4};
        assertEquals(1.075, Bootstrap.quantile(sorted, 0.025), 1e-12); // numpy.percentile([1,2,3,4], 2.5)
        assertEquals(3.925, Bootstrap.quantile(sorted, 0.975), 1e-12);
    }

    @Test
    void parametersAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new Bootstrap(10, 0.95, 1));
        assertThrows(IllegalArgumentException.class, () -> new Bootstrap(2000, 1.0, 1));
    }
}
