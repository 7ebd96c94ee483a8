package org.personalab.sim;

import org.personalab.inventory.ResponseOption;

/**
 * The order in which the five answer options are shown. {@link #FIXED} is MPI's (A) Very Accurate … (E) Very
 * Inaccurate; {@link #REVERSED} shows (A) Very Inaccurate … (E) Very Accurate, for the order-symmetry check (does the
 * agent follow the meaning of an option or its position?). Whatever the order, a letter maps back to the raw value of
 * the option it stood for: 5 always means Very Accurate with the statement.
 */
public enum OptionOrder {
    FIXED, REVERSED;

    public static final String LETTERS = "ABCDE";

    /** The option shown with letter {@code letter} (A..E). */
    public ResponseOption optionAt(char letter) {
        int k = LETTERS.indexOf(Character.toUpperCase(letter));
        if (k < 0) {
            throw new IllegalArgumentException("option letter must be A..E, got '" + letter + "'");
        }
        return ResponseOption.values()[this == FIXED ? k : 4 - k];
    }

    /** The raw value (1..5, 5 = Very Accurate) of the option shown with {@code letter}. */
    public int value(char letter) {
        return optionAt(letter).value();
    }

    /** The letter under which the option of raw value {@code value} is shown. */
    public char letterOf(int value) {
        int k = ResponseOption.ofValue(value).ordinal();
        return LETTERS.charAt(this == FIXED ? k : 4 - k);
    }

    /** The option lines as MPI writes them: {@code (A). Very Accurate}, one per line, in this order. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 5; k++) {
            if (k > 0) {
                sb.append('\n');
            }
            char l = LETTERS.charAt(k);
            sb.append('(').append(l).append("). ").append(optionAt(l).label());
        }
        return sb.toString();
    }

    public static OptionOrder parse(String s) {
        return switch (s.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "fixed" -> FIXED;
            case "reversed" -> REVERSED;
            default -> throw new IllegalArgumentException("option order must be fixed or reversed, not '" + s + "'");
        };
    }

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
