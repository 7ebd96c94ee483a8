package org.personalab.inventory;

/**
 * One questionnaire item.
 *
 * @param number       number within its inventory (1-based; IPIP-NEO-120 numbering for the 120 form)
 * @param ipip300      number within the IPIP-NEO-300 (Johnson's Full#)
 * @param facet        facet the item belongs to
 * @param keying       keyed direction
 * @param text         Johnson's first-person stem, e.g. "Worry about things."
 * @param secondPerson second-person rewrite without final period for the template "You {}." (empty when none)
 */
public record Item(int number, int ipip300, Facet facet, Keying keying, String text, String secondPerson) {

    public Domain domain() {
        return facet.domain();
    }

    public boolean reversed() {
        return keying == Keying.MINUS;
    }
}
