package org.personalab.inventory;

/** Keyed direction of an item: a positively keyed item agrees with its facet, a negatively keyed one disagrees. */
public enum Keying {
    PLUS(+1), MINUS(-1);

    private final int sign;

    Keying(int sign) {
        this.sign = sign;
    }

    public int sign() {
        return sign;
    }

    public static Keying of(String s) {
        return switch (s.trim()) {
            case "+", "+1", "1" -> PLUS;
            case "-", "-1" -> MINUS;
            default -> throw new IllegalArgumentException("keyed direction must be + or -, got '" + s + "'");
        };
    }
}
