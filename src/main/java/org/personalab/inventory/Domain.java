package org.personalab.inventory;

/** The five Big Five domains, in Johnson's item order N, E, O, A, C (item k belongs to {@code values()[(k-1) % 5]}). */
public enum Domain {
    N("Neuroticism"),
    E("Extraversion"),
    O("Openness"),
    A("Agreeableness"),
    C("Conscientiousness");

    private final String displayName;

    Domain(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    /** Facets of this domain, in order 1..6. */
    public Facet[] facets() {
        Facet[] out = new Facet[6];
        for (int i = 0; i < 6; i++) {
            out[i] = Facet.values()[ordinal() * 6 + i];
        }
        return out;
    }
}
