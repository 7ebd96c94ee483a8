package org.personalab.ui.browser;

import org.personalab.inventory.Keying;

/**
 * One answer of a respondent.
 *
 * @param item   item number in the inventory
 * @param text   the item's statement
 * @param facet  facet code and name, e.g. "N1 Anxiety"
 * @param keying + or −
 * @param stored the value as stored in the dataset's encoding (0 = missing)
 * @param keyed  the trait-aligned value (0 = missing)
 */
public record AnswerRow(int item, String text, String facet, Keying keying, int stored, int keyed) {

    public String keySign() {
        return keying == Keying.PLUS ? "+" : "−";
    }
}
