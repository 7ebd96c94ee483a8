package org.personalab.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TemperatureJitterTest {

    @Test
    void everyDrawIsWithinTenPercentAndTheBandIsUsedOnBothSides() {
        double lo = Double.MAX_VALUE;
        double hi = -1;
        int below = 0;
        Set<Double> distinct = new HashSet<>();
        for (int p = 0; p < 500; p++) {
            for (int s = 0; s < 4; s++) {
                double t = TemperatureJitter.of(0.7, 42, "P" + p, s);
                assertTrue(t >= 0.63 - 1e-12 && t <= 0.77 + 1e-12, "within ±10 %: " + t);
                assertEquals(t, Math.round(t * 10_000) / 10_000.0, 1e-12, "4 decimals");
                lo = Math.min(lo, t);
                hi = Math.max(hi, t);
                below += t < 0.7 ? 1 : 0;
                distinct.add(t);
            }
        }
        assertTrue(lo < 0.635 && hi > 0.765, "the whole band is reached: " + lo + " .. " + hi);
        assertTrue(below > 850 && below < 1150, "uniform around T: " + below + " of 2000 below");
        assertTrue(distinct.size() > 1000, "draws differ: " + distinct.size());
    }

    @Test
    void theDrawDependsOnSeedPersonAndSampleAndOnNothingElse() {
        double t = TemperatureJitter.of(1.0, 7, "P1", 0);
        assertEquals(t, TemperatureJitter.of(1.0, 7, "P1", 0), "reproducible: a resumed run asks the same");
        assertNotEquals(t, TemperatureJitter.of(1.0, 8, "P1", 0));
        assertNotEquals(t, TemperatureJitter.of(1.0, 7, "P2", 0));
        assertNotEquals(t, TemperatureJitter.of(1.0, 7, "P1", 1));
        // a fixed value, so the seeding cannot change silently between versions (it would re-ask every sample)
        assertEquals(TemperatureJitter.seedOf(7, "P1", 0), TemperatureJitter.seedOf(7, "P1", 0));
        assertNotEquals(TemperatureJitter.seedOf(7, "P1", 0), TemperatureJitter.seedOf(7, "P10", 0));
    }

    @Test
    void theApiRangeIsKept() {
        assertEquals(0, TemperatureJitter.of(0, 1, "P", 0));
        for (int s = 0; s < 200; s++) {
            double t = TemperatureJitter.of(1.95, 1, "P", s);
            assertTrue(t <= TemperatureJitter.MAX && t >= 1.95 * 0.9 - 1e-12, "capped at 2: " + t);
        }
        assertThrows(IllegalArgumentException.class, () -> TemperatureJitter.of(2.1, 1, "P", 0));
        assertThrows(IllegalArgumentException.class, () -> TemperatureJitter.of(-0.1, 1, "P", 0));
    }
}
