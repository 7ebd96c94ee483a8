package org.personalab.ui.clusters;

import org.personalab.data.AgeGroup;
import org.personalab.data.Sex;
import org.personalab.inventory.Level;
import org.personalab.ui.LevelPalette;

/**
 * The scatter's colours as opaque ARGB ints (what the raster buffer holds): 20 well separated hues for clusters,
 * then golden-angle hues for more; fixed colours for sex, age group and split; the shared level palette. Kept as
 * ints so colouring 300,000 people needs no {@code Color} objects and can run off the FX thread.
 */
public final class ClusterPalette {

    /** Colour of "unknown" and of people in no split. */
    public static final int NONE = 0xff9e9e9e;

    private static final int[] CLUSTERS = {
        0xff4e79a7, 0xfff28e2b, 0xffe15759, 0xff76b7b2, 0xff59a14f, 0xffedc948, 0xffb07aa1, 0xffff9da7,
        0xff9c755f, 0xff2f4b7c, 0xff8cd17d, 0xffd37295, 0xff499894, 0xff86bcb6, 0xfff1ce63, 0xffa0cbe8,
        0xffbab0ac, 0xffd4a6c8, 0xff6f4e7c, 0xffb6992d,
    };
    private static final int[] SPLITS = {0xff4e79a7, 0xfff28e2b, 0xff59a14f, 0xffb07aa1, 0xffe15759, 0xff76b7b2};
    private static final int[] AGE = {0xfffde725, 0xff5ec962, 0xff21918c, 0xff3b528b, 0xff440154};

    private ClusterPalette() {
    }

    public static int cluster(int c) {
        if (c < 0) {
            return NONE;
        }
        if (c < CLUSTERS.length) {
            return CLUSTERS[c];
        }
        double hue = (c * 137.508) % 360;
        return hsb(hue, 0.55 + 0.25 * ((c / 7) % 2), 0.85 - 0.2 * ((c / 3) % 2));
    }

    /** Colour of the split at {@code index} in the split set's names; -1 (in no split) is grey. */
    public static int split(int index) {
        return index < 0 ? NONE : SPLITS[index % SPLITS.length];
    }

    public static int sex(Sex s) {
        return switch (s) {
            case MALE -> 0xff3a7bd5;
            case FEMALE -> 0xffd5467a;
            case UNKNOWN -> NONE;
        };
    }

    /** Viridis from Teen (yellow) to Senior (purple); unknown age grey. */
    public static int ageGroup(AgeGroup g) {
        return g == AgeGroup.UNKNOWN ? NONE : AGE[g.ordinal()];
    }

    /** The shared level colours of {@link LevelPalette}; no level grey. */
    public static int level(Level l) {
        return l == null ? NONE : parse(LevelPalette.hex(l));
    }

    /** {@code #rrggbb} as opaque ARGB. */
    static int parse(String hex) {
        return 0xff000000 | Integer.parseInt(hex.substring(1), 16);
    }

    /** ARGB as {@code #rrggbb} (for style sheets and JavaFX colours). */
    public static String hex(int argb) {
        return String.format("#%06x", argb & 0xffffff);
    }

    static int hsb(double hue, double sat, double bri) {
        double h = (hue % 360) / 60;
        int i = (int) Math.floor(h);
        double f = h - i;
        double p = bri * (1 - sat);
        double q = bri * (1 - sat * f);
        double t = bri * (1 - sat * (1 - f));
        double r;
        double g;
        double b;
        switch (i) {
            case 0 -> { r = bri; g = t; b = p; }
            case 1 -> { r = q; g = bri; b = p; }
            case 2 -> { r = p; g = bri; b = t; }
            case 3 -> { r = p; g = q; b = bri; }
            case 4 -> { r = t; g = p; b = bri; }
            default -> { r = bri; g = p; b = q; }
        }
        return 0xff000000 | (int) Math.round(r * 255) << 16 | (int) Math.round(g * 255) << 8
                | (int) Math.round(b * 255);
    }
}
