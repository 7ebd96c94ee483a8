package org.personalab.inventory;

/**
 * The 35 scored scales of the IPIP-NEO: the 30 facets N1..C6 (ordinals 0..29, same as {@link Facet}) followed by the
 * 5 domains N, E, O, A, C (ordinals 30..34, same order as {@link Domain}). Score and level arrays are laid out in
 * this order.
 */
public enum Scale {
    N1, N2, N3, N4, N5, N6,
    E1, E2, E3, E4, E5, E6,
    O1, O2, O3, O4, O5, O6,
    A1, A2, A3, A4, A5, A6,
    C1, C2, C3, C4, C5, C6,
    N, E, O, A, C;

    public static final int COUNT = 35;
    public static final int FACETS = 30;

    public boolean isFacet() {
        return ordinal() < FACETS;
    }

    public boolean isDomain() {
        return ordinal() >= FACETS;
    }

    /** The facet of a facet scale, null for a domain scale. */
    public Facet facet() {
        return isFacet() ? Facet.values()[ordinal()] : null;
    }

    /** The domain of this scale (for a facet: the domain it belongs to). */
    public Domain domain() {
        return isFacet() ? facet().domain() : Domain.values()[ordinal() - FACETS];
    }

    public String displayName() {
        return isFacet() ? name() + " " + facet().displayName() : domain().displayName();
    }

    public static Scale of(Facet f) {
        return values()[f.ordinal()];
    }

    public static Scale of(Domain d) {
        return values()[FACETS + d.ordinal()];
    }
}
