package org.personalab.inventory;

/** Five trait levels, from the cohort percentiles of a norm set (default cut points 10/30/70/90). */
public enum Level {
    VERY_LOW("Very Low"), LOW("Low"), MEDIUM("Medium"), HIGH("High"), VERY_HIGH("Very High");

    /** Stored code for "no level" (the score is missing). */
    public static final byte NONE = -1;

    private final String label;

    Level(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Level ofCode(byte code) {
        return code < 0 ? null : values()[code];
    }

    public static Level parse(String s) {
        for (Level l : values()) {
            if (l.label.equalsIgnoreCase(s.trim()) || l.name().equalsIgnoreCase(s.trim())) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown level '" + s + "'");
    }

    @Override
    public String toString() {
        return label;
    }
}
