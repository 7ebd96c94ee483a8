package org.personalab.ui.clusters;

/**
 * A uniform grid over the points' 2D positions, for "which person is under the mouse" among 300,000 points: each
 * cell lists its points (one flat array, counting-sort order), so a lookup visits only the cells within the search
 * radius. Built once per clustering, off the FX thread; immutable and safe to share.
 */
public final class PointIndex {

    private final float[] x;
    private final float[] y;
    private final double minX;
    private final double minY;
    private final double cell;
    private final int cols;
    private final int rows;
    /** {@code start[c] .. start[c + 1]} index {@link #order} for cell c. */
    private final int[] start;
    private final int[] order;
    private final double maxX;
    private final double maxY;

    private PointIndex(float[] x, float[] y, double minX, double minY, double maxX, double maxY, double cell,
            int cols, int rows, int[] start, int[] order) {
        this.x = x;
        this.y = y;
        this.minX = minX;
        this.minY = minY;
        this.maxX = maxX;
        this.maxY = maxY;
        this.cell = cell;
        this.cols = cols;
        this.rows = rows;
        this.start = start;
        this.order = order;
    }

    /** Indexes the points; points with a non-finite coordinate are left out (they are not drawn either). */
    public static PointIndex build(float[] x, float[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y differ in length");
        }
        int n = x.length;
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        int finite = 0;
        for (int i = 0; i < n; i++) {
            if (Float.isFinite(x[i]) && Float.isFinite(y[i])) {
                minX = Math.min(minX, x[i]);
                maxX = Math.max(maxX, x[i]);
                minY = Math.min(minY, y[i]);
                maxY = Math.max(maxY, y[i]);
                finite++;
            }
        }
        if (finite == 0) {
            return new PointIndex(x, y, 0, 0, 0, 0, 1, 1, 1, new int[2], new int[0]);
        }
        double w = Math.max(maxX - minX, 1e-9);
        double h = Math.max(maxY - minY, 1e-9);
        // about four points per cell on average, at most 1024 cells a side
        double cell = Math.sqrt(w * h * 4 / finite);
        cell = Math.max(cell, Math.max(w, h) / 1024);
        int cols = Math.max(1, (int) Math.ceil(w / cell) + 1);
        int rows = Math.max(1, (int) Math.ceil(h / cell) + 1);
        int[] cellOf = new int[n];
        int[] count = new int[cols * rows + 1];
        for (int i = 0; i < n; i++) {
            if (Float.isFinite(x[i]) && Float.isFinite(y[i])) {
                int cx = (int) ((x[i] - minX) / cell);
                int cy = (int) ((y[i] - minY) / cell);
                cellOf[i] = cy * cols + cx;
                count[cellOf[i] + 1]++;
            } else {
                cellOf[i] = -1;
            }
        }
        for (int c = 0; c < cols * rows; c++) {
            count[c + 1] += count[c];
        }
        int[] start = count.clone();
        int[] fill = count;
        int[] order = new int[finite];
        for (int i = 0; i < n; i++) {
            if (cellOf[i] >= 0) {
                order[fill[cellOf[i]]++] = i;
            }
        }
        return new PointIndex(x, y, minX, minY, maxX, maxY, cell, cols, rows, start, order);
    }

    /**
     * The point nearest to ({@code px}, {@code py}) no farther than {@code radius} (same units as the points), or
     * -1. Ties go to the higher index, which the scatter draws last (on top).
     */
    public int nearest(double px, double py, double radius) {
        if (order.length == 0 || !(radius >= 0)) {
            return -1;
        }
        int c0 = clamp((int) Math.floor((px - radius - minX) / cell), cols);
        int c1 = clamp((int) Math.floor((px + radius - minX) / cell), cols);
        int r0 = clamp((int) Math.floor((py - radius - minY) / cell), rows);
        int r1 = clamp((int) Math.floor((py + radius - minY) / cell), rows);
        if (px + radius < minX || px - radius > maxX || py + radius < minY || py - radius > maxY) {
            return -1;
        }
        double best = radius * radius;
        int found = -1;
        for (int r = r0; r <= r1; r++) {
            for (int c = c0; c <= c1; c++) {
                int cellId = r * cols + c;
                for (int k = start[cellId]; k < start[cellId + 1]; k++) {
                    int i = order[k];
                    double dx = x[i] - px;
                    double dy = y[i] - py;
                    double d = dx * dx + dy * dy;
                    if (d < best || (d == best && i > found)) {
                        best = d;
                        found = i;
                    }
                }
            }
        }
        return found;
    }

    private static int clamp(int v, int n) {
        return Math.max(0, Math.min(n - 1, v));
    }

    /** Points indexed (those with finite coordinates). */
    public int size() {
        return order.length;
    }

    public double minX() {
        return minX;
    }

    public double minY() {
        return minY;
    }

    public double maxX() {
        return maxX;
    }

    public double maxY() {
        return maxY;
    }
}
