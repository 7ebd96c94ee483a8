package org.personalab.ui;

import javafx.scene.paint.Color;
import org.personalab.inventory.Level;

/**
 * The one set of level colours used everywhere (table chips, profile bars, radar, histograms): a diverging palette
 * from Very Low (blue) through Medium (grey) to Very High (red). base.css repeats these values for the
 * {@code .level-*} style classes; keep them in step.
 */
public final class LevelPalette {

    private static final String[] HEX = {"#2166ac", "#67a9cf", "#8c8c8c", "#ef8a62", "#b2182b"};
    private static final Color[] COLORS = new Color[HEX.length];

    static {
        for (int i = 0; i < HEX.length; i++) {
            COLORS[i] = Color.web(HEX[i]);
        }
    }

    private LevelPalette() {
    }

    public static Color color(Level level) {
        return level == null ? Color.GRAY : COLORS[level.ordinal()];
    }

    public static String hex(Level level) {
        return level == null ? "#9e9e9e" : HEX[level.ordinal()];
    }

    /** Style class of a level, e.g. "level-very-high"; "level-none" for null. */
    public static String styleClass(Level level) {
        return level == null ? "level-none" : "level-" + level.name().toLowerCase().replace('_', '-');
    }

    /** Short form for narrow places: VL, L, M, H, VH. */
    public static String shortLabel(Level level) {
        if (level == null) {
            return "–";
        }
        return switch (level) {
            case VERY_LOW -> "VL";
            case LOW -> "L";
            case MEDIUM -> "M";
            case HIGH -> "H";
            case VERY_HIGH -> "VH";
        };
    }
}
