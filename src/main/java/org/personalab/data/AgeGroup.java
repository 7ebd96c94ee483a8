package org.personalab.data;

/** Age groups of the cohort norms: Teen &lt; 18, Young Adult 18–24, Adult 25–49, Older Adult 50–64, Senior 65+. */
public enum AgeGroup {
    TEEN("Teen", 0, 17), YOUNG_ADULT("Young Adult", 18, 24), ADULT("Adult", 25, 49),
    OLDER_ADULT("Older Adult", 50, 64), SENIOR("Senior", 65, Integer.MAX_VALUE), UNKNOWN("Unknown age", -1, -1);

    private final String label;
    private final int min;
    private final int max;

    AgeGroup(String label, int min, int max) {
        this.label = label;
        this.min = min;
        this.max = max;
    }

    public String label() {
        return label;
    }

    public int min() {
        return min;
    }

    public int max() {
        return max;
    }

    /** Age 0 (or negative) is unknown. */
    public static AgeGroup of(int age) {
        if (age <= 0) {
            return UNKNOWN;
        }
        if (age < 18) {
            return TEEN;
        }
        if (age <= 24) {
            return YOUNG_ADULT;
        }
        if (age <= 49) {
            return ADULT;
        }
        if (age <= 64) {
            return OLDER_ADULT;
        }
        return SENIOR;
    }

    @Override
    public String toString() {
        return label;
    }
}
