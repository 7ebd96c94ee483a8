package org.personalab.cluster;

import java.util.List;

/**
 * People × features as one dense row-major {@code float[rows * cols]} (row r, column j at {@code r * cols + j}),
 * with the exact columns and scaling used, so a clustering records what it was computed on.
 *
 * @param data      the values (already centred and scaled when the spec says so)
 * @param rows      people
 * @param cols      features
 * @param columns   column names, e.g. {@code i1}, {@code female}, {@code age}, {@code country=USA},
 *                  {@code country=other}, {@code score:N}
 * @param mean      per column: the mean subtracted (0 when not standardized)
 * @param scale     per column: the divisor (1 when not standardized or constant)
 * @param countries the countries that have their own column, most frequent first
 * @param spec      the choices that produced it
 */
public record FeatureMatrix(float[] data, int rows, int cols, List<String> columns, double[] mean, double[] scale,
        List<String> countries, FeatureSpec spec) {

    public FeatureMatrix {
        if ((long) rows * cols != data.length || columns.size() != cols || mean.length != cols
                || scale.length != cols) {
            throw new IllegalArgumentException("feature matrix dimensions disagree");
        }
        columns = List.copyOf(columns);
        countries = List.copyOf(countries);
    }

    public float get(int row, int col) {
        return data[row * cols + col];
    }

    /** A copy of one person's features. */
    public float[] row(int r) {
        float[] out = new float[cols];
        System.arraycopy(data, r * cols, out, 0, cols);
        return out;
    }
}
