package org.personalab.ui.browser;

/** A country present in a dataset and how many respondents give it; "" is the unknown country. */
public record CountryCount(String country, int count) {

    public String label() {
        return (country.isEmpty() ? "(unknown)" : country) + " (" + String.format("%,d", count) + ")";
    }

    @Override
    public String toString() {
        return label();
    }
}
