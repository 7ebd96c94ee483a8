package org.personalab.ui.clusters;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hover index finds exactly what a scan of every point finds. */
class PointIndexTest {

    private static int brute(float[] x, float[] y, double px, double py, double radius) {
        double best = radius * radius;
        int found = -1;
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i]) || !Float.isFinite(y[i])) {
                continue;
            }
            double dx = x[i] - px;
            double dy = y[i] - py;
            double d = dx * dx + dy * dy;
            if (d < best || (d == best && i > found)) {
                best = d;
                found = i;
            }
        }
        return found;
    }

    @Test
    void nearestWithinTheRadiusMatchesAFullScan() {
        Random rnd = new Random(3);
        int n = 20_000;
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            // dense blobs and a sparse halo, as a projection of clustered people looks
            int blob = rnd.nextInt(5);
            double spread = i % 50 == 0 ? 8 : 0.4;
            x[i] = (float) (blob * 3 + rnd.nextGaussian() * spread);
            y[i] = (float) (blob % 2 * 2 + rnd.nextGaussian() * spread);
        }
        x[7] = Float.NaN;
        y[9] = Float.POSITIVE_INFINITY;
        x[100] = x[101]; // two people at the same place: the later one is on top
        y[100] = y[101];
        PointIndex idx = PointIndex.build(x, y);
        assertEquals(n - 2, idx.size());
        for (int q = 0; q < 3000; q++) {
            double px = -10 + rnd.nextDouble() * 35;
            double py = -10 + rnd.nextDouble() * 25;
            double r = Math.pow(10, -3 + 3.5 * rnd.nextDouble());
            assertEquals(brute(x, y, px, py, r), idx.nearest(px, py, r), "query " + q);
        }
        assertEquals(101, idx.nearest(x[101], y[101], 1e-6));
        assertEquals(-1, idx.nearest(1e6, 1e6, 10));
    }

    @Test
    void emptyAndDegenerateInputsFindNothingOrTheOnlyPoint() {
        assertEquals(-1, PointIndex.build(new float[0], new float[0]).nearest(0, 0, 100));
        PointIndex one = PointIndex.build(new float[] {2, 2, 2}, new float[] {5, 5, 5});
        assertEquals(2, one.nearest(2.5, 5, 1));
        assertEquals(-1, one.nearest(4, 5, 1));
    }
}
