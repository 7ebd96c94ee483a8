package org.personalab.inventory;

/** The 30 IPIP-NEO facets N1..C6 with Johnson's names. Ordinal = domain ordinal * 6 + (number - 1). */
public enum Facet {
    N1("Anxiety"), N2("Anger"), N3("Depression"), N4("Self-Consciousness"), N5("Immoderation"), N6("Vulnerability"),
    E1("Friendliness"), E2("Gregariousness"), E3("Assertiveness"), E4("Activity Level"), E5("Excitement-Seeking"), E6("Cheerfulness"),
    O1("Imagination"), O2("Artistic Interests"), O3("Emotionality"), O4("Adventurousness"), O5("Intellect"), O6("Liberalism"),
    A1("Trust"), A2("Morality"), A3("Altruism"), A4("Cooperation"), A5("Modesty"), A6("Sympathy"),
    C1("Self-Efficacy"), C2("Orderliness"), C3("Dutifulness"), C4("Achievement-Striving"), C5("Self-Discipline"), C6("Cautiousness");

    private final String displayName;

    Facet(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    public Domain domain() {
        return Domain.values()[ordinal() / 6];
    }

    /** 1..6 within the domain. */
    public int number() {
        return ordinal() % 6 + 1;
    }
}
