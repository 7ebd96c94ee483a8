package org.personalab.inventory;

/**
 * The five answer options of the IPIP-NEO as MPI/PAlign present them, with their value on the 1..5 agreement scale.
 * (A) Very Accurate is 5 — always. The seed project recorded A as 1, inverting every simulated answer.
 */
public enum ResponseOption {
    A("Very Accurate", 5),
    B("Moderately Accurate", 4),
    C("Neither Accurate Nor Inaccurate", 3),
    D("Moderately Inaccurate", 2),
    E("Very Inaccurate", 1);

    private final String label;
    private final int value;

    ResponseOption(String label, int value) {
        this.label = label;
        this.value = value;
    }

    public String label() {
        return label;
    }

    /** Raw agreement with the statement, 1..5 (5 = Very Accurate). */
    public int value() {
        return value;
    }

    public static ResponseOption ofValue(int value) {
        for (ResponseOption o : values()) {
            if (o.value == value) {
                return o;
            }
        }
        throw new IllegalArgumentException("answer value must be 1..5, got " + value);
    }
}
