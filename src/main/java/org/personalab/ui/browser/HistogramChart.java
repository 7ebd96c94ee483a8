package org.personalab.ui.browser;

import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.text.TextAlignment;
import org.personalab.inventory.Level;
import org.personalab.ui.ChartPane;
import org.personalab.ui.LevelPalette;

/**
 * One scale's score distribution in one norm group: a bar per distinct score (coloured by the level band it falls
 * in), dashed lines at the four level cut points, and an optional marker for the selected respondent.
 */
public final class HistogramChart extends ChartPane {

    private Histogram histogram;
    private double[] cutPercentiles = {10, 30, 70, 90};
    private double marker = Double.NaN;

    public HistogramChart() {
        setMinSize(300, 160);
        setPrefSize(700, 280);
    }

    public void setHistogram(Histogram h, double[] percentiles) {
        histogram = h;
        if (percentiles != null) {
            cutPercentiles = percentiles;
        }
        redraw();
    }

    public void setMarker(double score) {
        marker = score;
        redraw();
    }

    /** More distinct scores than this are grouped into bins of 1/12 point for drawing. */
    static final int MAX_BARS = 40;

    /**
     * Bars as {from[], to[], count[]}: one bar per distinct score (as wide as the smallest regular gap) when there
     * are few, else 48 bins of 1/12 point over 1..5, so that scores of people with a missing answer (which fall
     * between the regular values) do not make a comb.
     */
    static double[][] bars(Histogram h) {
        float[] v = h.values();
        int[] c = h.counts();
        if (v.length <= MAX_BARS) {
            double gap = 4;
            for (int i = 1; i < v.length; i++) {
                double d = v[i] - v[i - 1];
                if (d >= 0.01) {
                    gap = Math.min(gap, d);
                }
            }
            double half = Math.min(gap, 0.5) * 0.42;
            double[] from = new double[v.length];
            double[] to = new double[v.length];
            double[] n = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                from[i] = v[i] - half;
                to[i] = v[i] + half;
                n[i] = c[i];
            }
            return new double[][] {from, to, n};
        }
        int bins = 48;
        double[] from = new double[bins];
        double[] to = new double[bins];
        double[] n = new double[bins];
        for (int b = 0; b < bins; b++) {
            from[b] = 1 + 4.0 * b / bins;
            to[b] = 1 + 4.0 * (b + 1) / bins;
        }
        for (int i = 0; i < v.length; i++) {
            int b = (int) Math.min(bins - 1, Math.max(0, Math.floor((v[i] - 1) / 4.0 * bins + 1e-4)));
            n[b] += c[i];
        }
        return new double[][] {from, to, n};
    }

    @Override
    protected void draw(GraphicsContext g, double w, double h) {
        double left = 56;
        double right = 16;
        double top = 36;
        double bottom = 30;
        double pw = w - left - right;
        double ph = h - top - bottom;
        g.setFont(font(10));
        g.setLineWidth(1);
        g.setTextBaseline(VPos.TOP);
        g.setTextAlign(TextAlignment.CENTER);
        for (int v = 1; v <= 5; v++) {
            double x = left + (v - 1) / 4.0 * pw;
            g.setStroke(gridInk());
            g.strokeLine(Math.round(x) + 0.5, top, Math.round(x) + 0.5, top + ph);
            g.setFill(mutedInk());
            g.fillText(Integer.toString(v), x, top + ph + 6);
        }
        g.setStroke(mutedInk());
        g.strokeLine(left, top + ph + 0.5, left + pw, top + ph + 0.5);
        Histogram hs = histogram;
        if (hs == null || hs.n() == 0) {
            g.setFill(mutedInk());
            g.fillText("No scores in this group", left + pw / 2, top + ph / 2);
            return;
        }
        double[][] bars = bars(hs);
        double[] x0 = bars[0];
        double[] x1 = bars[1];
        double[] n = bars[2];
        double maxBar = 1;
        for (double c : n) {
            maxBar = Math.max(maxBar, c);
        }
        for (int i = 0; i < n.length; i++) {
            if (n[i] <= 0) {
                continue;
            }
            double left0 = left + (x0[i] - 1) / 4.0 * pw;
            double width = Math.max(1.5, (x1[i] - x0[i]) / 4.0 * pw - 1);
            double bh = ph * n[i] / maxBar;
            int level = hs.levelOf((float) ((x0[i] + x1[i]) / 2));
            g.setFill(LevelPalette.color(level < 0 ? null : Level.values()[level]));
            g.fillRect(left0, top + ph - bh, width, bh);
        }
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        for (int i = 0; i <= 4; i++) {
            long c = Math.round(maxBar * i / 4.0);
            g.setFill(mutedInk());
            g.fillText(String.format("%,d", c), left - 8, top + ph - ph * c / maxBar);
        }
        g.setLineDashes(5, 4);
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.BOTTOM);
        for (int k = 0; k < 4; k++) {
            float cut = hs.cuts()[k];
            if (cut != cut) {
                continue;
            }
            double x = left + (cut - 1) / 4.0 * pw;
            g.setStroke(ink());
            g.strokeLine(x, top - 3 - (k % 2) * 13, x, top + ph);
            g.setFill(ink());
            g.fillText(String.format("P%.0f = %.2f", cutPercentiles[k], cut), x, top - 5 - (k % 2) * 13);
        }
        g.setLineDashes();
        if (!Double.isNaN(marker)) {
            double x = left + (marker - 1) / 4.0 * pw;
            g.setStroke(javafx.scene.paint.Color.web("#4f6bed"));
            g.setLineWidth(2.5);
            g.strokeLine(x, top, x, top + ph);
            g.setFill(javafx.scene.paint.Color.web("#4f6bed"));
            g.fillPolygon(new double[] {x - 6, x + 6, x}, new double[] {top + ph + 1, top + ph + 1, top + ph - 8}, 3);
        }
    }
}
