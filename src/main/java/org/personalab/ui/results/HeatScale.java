package org.personalab.ui.results;

import org.personalab.eval.Metric;
import org.personalab.eval.ScaleMetric;

/**
 * Colours of heatmap cells, as 0xRRGGBB, free of JavaFX so the SVG export and the canvas agree exactly.
 *
 * <ul>
 * <li>Fractions where higher is better (level agreement): white at the chance line {@code chance}, deepening green
 * above it and orange below, so "no better than chance" reads as pale at a glance.</li>
 * <li>Absolute differences (lower is better): green at 0 fading to red at {@code max}.</li>
 * <li>Signed differences: a diverging blue (agent lower) – white (0) – red (agent higher) scale, symmetric in
 * {@code max}.</li>
 * </ul>
 * NaN (no data) is a light grey.
 */
public record HeatScale(ScaleMetric metric, double chance, double max) {

    public static final int NO_DATA = 0xE6E6E6;

    /** Level agreement by chance is 0.2 with five evenly used levels; the norms' 10/20/40/20/10 split gives 0.28. */
    public static final double LEVEL_CHANCE = 0.28;

    /** The default scale of a metric. */
    public static HeatScale of(ScaleMetric m) {
        return switch (m) {
            case LEVEL_AGREEMENT -> new HeatScale(m, LEVEL_CHANCE, 1.0);
            case SCORE_ABS_DIFF -> new HeatScale(m, 0, 1.5);
            case SCORE_DIFF -> new HeatScale(m, 0, 1.5);
        };
    }

    /** The cell colour of {@code v}. */
    public int rgb(double v) {
        if (Double.isNaN(v)) {
            return NO_DATA;
        }
        if (metric == ScaleMetric.SCORE_DIFF) {
            double t = clamp(v / max, -1, 1);
            return t >= 0 ? mix(0xFFFFFF, 0xB2182B, t) : mix(0xFFFFFF, 0x2166AC, -t);
        }
        if (metric.unit() == Metric.Unit.FRACTION && metric.direction() == Metric.Direction.HIGHER) {
            if (v >= chance) {
                return mix(0xFFFFFF, 0x1B7837, clamp((v - chance) / (1 - chance), 0, 1));
            }
            return mix(0xFFFFFF, 0xE08214, clamp((chance - v) / chance, 0, 1));
        }
        double t = clamp(v / max, 0, 1);
        return t <= 0.5 ? mix(0x1B7837, 0xFFFFFF, t * 2) : mix(0xFFFFFF, 0xB2182B, (t - 0.5) * 2);
    }

    /** Black or white text, whichever reads better on {@code rgb}. */
    public static int textOn(int rgb) {
        double l = 0.2126 * ((rgb >> 16) & 255) + 0.7152 * ((rgb >> 8) & 255) + 0.0722 * (rgb & 255);
        return l > 140 ? 0x1A1A1A : 0xFFFFFF;
    }

    /** {@code #rrggbb}. */
    public static String hex(int rgb) {
        return String.format("#%06x", rgb & 0xFFFFFF);
    }

    static int mix(int a, int b, double t) {
        int r = (int) Math.round(((a >> 16) & 255) + (((b >> 16) & 255) - ((a >> 16) & 255)) * t);
        int g = (int) Math.round(((a >> 8) & 255) + (((b >> 8) & 255) - ((a >> 8) & 255)) * t);
        int bl = (int) Math.round((a & 255) + ((b & 255) - (a & 255)) * t);
        return (r << 16) | (g << 8) | bl;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
