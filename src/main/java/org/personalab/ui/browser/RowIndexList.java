package org.personalab.ui.browser;

import java.util.AbstractList;
import java.util.List;
import javafx.collections.ObservableListBase;

/**
 * The respondent table's items: the visible dataset rows, held as one {@code int[]}. Elements are row indices
 * (boxed only when a cell asks for one), so the table stays light with 620,000 rows. Read-only for the table;
 * the ViewModel replaces the whole content with {@link #setRows(int[])}.
 */
public final class RowIndexList extends ObservableListBase<Integer> {

    private int[] rows = new int[0];

    @Override
    public Integer get(int index) {
        return rows[index];
    }

    @Override
    public int size() {
        return rows.length;
    }

    /** The row at a position, unboxed. */
    public int rowAt(int index) {
        return rows[index];
    }

    /** A copy of the visible rows. */
    public int[] rowsCopy() {
        return rows.clone();
    }

    /** Replaces the content (the array is taken over, not copied) and tells listeners in one change. */
    public void setRows(int[] newRows) {
        int[] old = rows;
        rows = newRows;
        beginChange();
        nextReplace(0, newRows.length, view(old));
        endChange();
    }

    private static List<Integer> view(int[] a) {
        return new AbstractList<>() {
            @Override
            public Integer get(int i) {
                return a[i];
            }

            @Override
            public int size() {
                return a.length;
            }
        };
    }
}
