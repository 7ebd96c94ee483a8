package org.personalab.ui.browser;

/**
 * A request to the view to select and scroll to a table position. Each request is a new object, so asking twice for
 * the same row still notifies listeners.
 *
 * @param position index in the table's items
 * @param row      dataset row shown there
 * @param takeFocus whether the table should also take the keyboard focus (after find, not after a refilter)
 */
public record RowFocus(int position, int row, boolean takeFocus) {
}
