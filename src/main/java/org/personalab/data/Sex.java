package org.personalab.data;

/** Sex as coded in Johnson's files: 1 = male, 2 = female, 0 = unknown. */
public enum Sex {
    UNKNOWN("Unknown"), MALE("Male"), FEMALE("Female");

    private final String label;

    Sex(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public byte code() {
        return (byte) ordinal();
    }

    public static Sex ofCode(int code) {
        return code == 1 ? MALE : code == 2 ? FEMALE : UNKNOWN;
    }

    /** Parses 1/2, M/F, male/female (any case); anything else is an error. Blank is UNKNOWN. */
    public static Sex parse(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (t) {
            case "", "0", "u", "unknown", "na" -> UNKNOWN;
            case "1", "m", "male" -> MALE;
            case "2", "f", "female" -> FEMALE;
            default -> throw new IllegalArgumentException("sex must be 1/2, M/F or male/female, got '" + s + "'");
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
