package org.personalab.eval;

import java.util.ArrayList;
import java.util.List;
import org.personalab.inventory.Scale;

/**
 * A heatmap-ready table: rows are sources (model runs and baselines), columns the 30 facets and 5 domains, each
 * cell one {@link ScaleMetric}'s mean over the row's agents with its bootstrap interval. The results panel draws it
 * as is.
 *
 * @param metric  what the cells hold
 * @param keys    row keys (e.g. {@code run:12}, {@code baseline:profile_mode})
 * @param labels  row display names
 * @param columns the scales, in {@link Scale} order (facets N1..C6, then domains N, E, O, A, C)
 * @param cells   {@code cells[row][column]}
 */
public record ScaleMatrix(ScaleMetric metric, List<String> keys, List<String> labels, List<Scale> columns,
        Estimate[][] cells) {

    public ScaleMatrix {
        keys = List.copyOf(keys);
        labels = List.copyOf(labels);
        columns = List.copyOf(columns);
        if (cells.length != keys.size() || keys.size() != labels.size()) {
            throw new IllegalArgumentException("rows, labels and cells differ in number");
        }
        for (Estimate[] r : cells) {
            if (r.length != columns.size()) {
                throw new IllegalArgumentException("a row has " + r.length + " cells for " + columns.size()
                        + " columns");
            }
        }
    }

    /** The matrix of {@code metric} over {@code sources}. */
    public static ScaleMatrix of(ScaleMetric metric, List<Source> sources, Bootstrap bootstrap) {
        List<String> keys = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        Estimate[][] cells = new Estimate[sources.size()][Scale.COUNT];
        for (int r = 0; r < sources.size(); r++) {
            Source s = sources.get(r);
            keys.add(s.key());
            labels.add(s.label());
            for (Scale c : Scale.values()) {
                cells[r][c.ordinal()] = bootstrap.mean(s.values(metric, c));
            }
        }
        return new ScaleMatrix(metric, keys, labels, List.of(Scale.values()), cells);
    }

    public int rows() {
        return keys.size();
    }

    /** The cell of a row key and scale. */
    public Estimate cell(String key, Scale s) {
        int r = keys.indexOf(key);
        if (r < 0) {
            throw new IllegalArgumentException("no row '" + key + "' (rows: " + keys + ")");
        }
        return cells[r][columns.indexOf(s)];
    }
}
