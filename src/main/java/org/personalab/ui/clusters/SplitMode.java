package org.personalab.ui.clusters;

/** How the split builder draws a train/test split set from a clustering. */
public enum SplitMode {
    FRACTIONS("Stratified fractions"), REPRESENTATIVES("Centroid representatives");

    private final String label;

    SplitMode(String label) {
        this.label = label;
    }

    @Override
    public String toString() {
        return label;
    }
}
