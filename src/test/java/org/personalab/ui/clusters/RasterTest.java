package org.personalab.ui.clusters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Drawing a frame of the scatter: positions, dot size, drawing order, highlight, and what falls outside. */
class RasterTest {

    private static final int RED = 0xffff0000;
    private static final int GREEN = 0xff00ff00;
    private static final int BLUE = 0xff0000ff;

    private static int at(int[] px, int w, int x, int y) {
        return px[y * w + x];
    }

    @Test
    void pointsLandWhereTheTransformPutsThemAndLaterOnesAreOnTop() {
        float[] x = {0, 1, 1, Float.NaN, 100};
        float[] y = {0, 1, 1, 0, 0};
        int[] labels = {0, 1, 1, 0, 0};
        int[] colors = {RED, GREEN, BLUE, RED, RED};
        int w = 20;
        int h = 20;
        int[] px = new int[w * h];
        java.util.Arrays.fill(px, 42);
        new Raster(x, y, labels, colors, null, 10, 5, 15, 1, -1).drawInto(px, w, h);
        assertEquals(RED, at(px, w, 5, 15), "(0, 0) at (ox, oy)");
        assertEquals(BLUE, at(px, w, 15, 5), "y grows upwards; the later of two equal points is on top");
        int drawn = 0;
        for (int v : px) {
            drawn += v != 0 ? 1 : 0;
        }
        assertEquals(2, drawn, "the frame is cleared; NaN and off-screen points draw nothing");

        new Raster(x, y, labels, colors, new int[] {0, 2, 1, 3, 4}, 10, 5, 15, 1, -1).drawInto(px, w, h);
        assertEquals(GREEN, at(px, w, 15, 5), "the given order decides what is on top");
    }

    @Test
    void dotsAreSquaresCentredOnThePointAndClippedAtTheEdge() {
        float[] x = {0, 0};
        float[] y = {0, 1.9f};
        int w = 10;
        int h = 10;
        int[] px = new int[w * h];
        new Raster(x, y, new int[2], new int[] {RED, GREEN}, null, 10, 5, 5, 3, -1).drawInto(px, w, h);
        assertEquals(0, at(px, w, 5, 3));
        assertEquals(0, at(px, w, 5, 7));
        for (int yy = 4; yy <= 6; yy++) {
            assertArrayEquals(new int[] {0, 0, 0, 0, RED, RED, RED, 0, 0, 0},
                    java.util.Arrays.copyOfRange(px, yy * w + 0, yy * w + 10), "row " + yy);
        }
        // the second point sits at y = 5 - 19 = -14: wholly above the frame
        assertEquals(0, at(px, w, 4, 0));
        new Raster(new float[] {0}, new float[] {0}, new int[1], new int[] {RED}, null, 10, 0, 0, 3, -1)
                .drawInto(px, w, h);
        assertEquals(RED, at(px, w, 0, 0));
        assertEquals(RED, at(px, w, 1, 1));
        assertEquals(0, at(px, w, 2, 2), "a dot at the corner is clipped, not wrapped");
        assertEquals(0, at(px, w, 9, 9));
    }

    @Test
    void aHighlightedClusterIsDrawnInFrontOfTheFadedOthers() {
        float[] x = {0, 0, 1};
        float[] y = {0, 0, 0};
        int[] labels = {0, 1, 1};
        int[] colors = {RED, GREEN, BLUE};
        int w = 20;
        int h = 20;
        int[] px = new int[w * h];
        new Raster(x, y, labels, colors, null, 10, 5, 5, 1, 0).drawInto(px, w, h);
        assertEquals(RED, at(px, w, 5, 5), "cluster 0 is on top although a later point shares its place");
        assertEquals(Raster.fade(BLUE), at(px, w, 15, 5));
        assertEquals(Raster.FADED_ALPHA, Raster.fade(BLUE) >>> 24);
        assertEquals(Raster.FADED_ALPHA, Raster.fade(BLUE) & 0xff, "premultiplied: blue scaled by the alpha");
    }

    @Test
    void dotsGrowWhenFewOrZoomedIn() {
        assertEquals(2, Raster.dotSize(300_000, 1));
        assertEquals(4, Raster.dotSize(500, 1));
        assertEquals(4, Raster.dotSize(300_000, 4));
        assertEquals(9, Raster.dotSize(300_000, 1000), "capped");
    }

    @Test
    void smallGroupsAreDrawnLast() {
        int[] argb = {RED, GREEN, RED, BLUE, RED, GREEN};
        assertArrayEquals(new int[] {0, 2, 4, 1, 5, 3}, Coloring.bySize(argb));
    }
}
