package org.personalab.ui.clusters;

/** What the colour of a point in the cluster scatter says about the person. */
public enum ColorMode {
    CLUSTER("Cluster"), SPLIT("Split"), LEVEL("Domain level"), SEX("Sex"), AGE_GROUP("Age group");

    private final String label;

    ColorMode(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
