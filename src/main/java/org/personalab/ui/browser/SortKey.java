package org.personalab.ui.browser;

/** One sort criterion of the respondent table. */
public record SortKey(RespondentColumn column, boolean ascending) {
}
