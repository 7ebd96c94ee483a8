package org.personalab.ui.browser;

import org.personalab.data.AgeGroup;
import org.personalab.data.Sex;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;

/**
 * Which respondents the table shows. A null field means "any".
 *
 * @param sex        only this sex
 * @param ageGroup   only this age group
 * @param country    only this country (exact text; "" = unknown country)
 * @param levelScale the scale {@code level} applies to
 * @param level      only people at this level of {@code levelScale}
 */
public record RowFilter(Sex sex, AgeGroup ageGroup, String country, Scale levelScale, Level level) {

    public static final RowFilter NONE = new RowFilter(null, null, null, null, null);

    public boolean isEmpty() {
        return sex == null && ageGroup == null && country == null && (level == null || levelScale == null);
    }
}
