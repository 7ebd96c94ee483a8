package org.personalab.ui.clusters;

import java.util.Arrays;

/**
 * One frame of the scatter: every point as a square dot of its colour in an {@code int[]} of premultiplied ARGB
 * pixels. A value object holding the view transform and the (shared, never modified) point arrays at the moment the
 * frame was asked for, so it can be drawn on a render thread while the FX thread goes on.
 *
 * <p>Screen position of point i: {@code (ox + x[i] * scale, oy - y[i] * scale)}. Points are drawn in {@code order}
 * (null: row order), later ones on top; with a highlighted cluster the others are drawn first, faded.
 *
 * @param order     drawing order of the rows, or null
 * @param dot       side of a dot in pixels
 * @param highlight cluster drawn in front at full colour with the others faded, or -1
 */
public record Raster(float[] x, float[] y, int[] labels, int[] colors, int[] order, double scale, double ox,
        double oy, int dot, int highlight) {

    /** Opacity of faded points (of 255). */
    static final int FADED_ALPHA = 56;

    /** Dot side for {@code n} points at a zoom relative to the fitted view: bigger when few or zoomed in. */
    public static int dotSize(int n, double zoom) {
        int base = n > 50_000 ? 2 : n > 5_000 ? 3 : 4;
        return (int) Math.max(1, Math.min(9, Math.round(base * Math.sqrt(Math.max(1, zoom)))));
    }

    /** Clears {@code px} ({@code w × h}) and draws the points. */
    public void drawInto(int[] px, int w, int h) {
        Arrays.fill(px, 0, w * h, 0);
        if (x.length == 0 || colors.length != x.length) {
            return;
        }
        if (highlight < 0) {
            draw(px, w, h, -1, false);
        } else {
            draw(px, w, h, highlight, true);
            draw(px, w, h, highlight, false);
        }
    }

    /**
     * @param faded true: every point not in {@code only}, faded; false: only cluster {@code only} (or everyone when
     *              it is -1) at full colour
     */
    private void draw(int[] px, int w, int h, int only, boolean faded) {
        int size = dot;
        double offX = ox - size / 2.0;
        double offY = oy - size / 2.0;
        int n = x.length;
        for (int k = 0; k < n; k++) {
            int i = order == null ? k : order[k];
            if (only >= 0 && (labels[i] == only) == faded) {
                continue;
            }
            double fx = offX + x[i] * scale;
            double fy = offY - y[i] * scale;
            if (!(fx > -size && fy > -size && fx < w && fy < h)) {
                continue; // off screen, or not finite
            }
            int x0 = (int) Math.floor(fx + 0.5); // the dot always covers the pixel the point is in
            int y0 = (int) Math.floor(fy + 0.5);
            int x1 = Math.min(w, x0 + size);
            int y1 = Math.min(h, y0 + size);
            x0 = Math.max(0, x0);
            y0 = Math.max(0, y0);
            int argb = faded ? fade(colors[i]) : colors[i];
            for (int yy = y0; yy < y1; yy++) {
                int row = yy * w;
                for (int xx = x0; xx < x1; xx++) {
                    px[row + xx] = argb;
                }
            }
        }
    }

    /** The colour at {@link #FADED_ALPHA} opacity, premultiplied. */
    static int fade(int argb) {
        int r = ((argb >> 16) & 0xff) * FADED_ALPHA / 255;
        int g = ((argb >> 8) & 0xff) * FADED_ALPHA / 255;
        int b = (argb & 0xff) * FADED_ALPHA / 255;
        return FADED_ALPHA << 24 | r << 16 | g << 8 | b;
    }
}
