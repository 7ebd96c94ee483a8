package org.personalab.ui.clusters;

import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import org.personalab.inventory.Domain;

/**
 * A small radar of one cluster's mean domain scores (1–5, N E O A C clockwise from the top) in the cluster's
 * colour, for a cell of the cluster table. The full-size respondent radar is {@code browser.DomainRadar}; this one
 * has no labels, so it fits in a table row.
 */
public final class ClusterRadar extends Canvas {

    public ClusterRadar(double size) {
        super(size, size);
    }

    /** Draws the means (NaN: centre) in {@code argb}. */
    public void show(double[] means, int argb) {
        GraphicsContext g = getGraphicsContext2D();
        double w = getWidth();
        double h = getHeight();
        g.clearRect(0, 0, w, h);
        double cx = w / 2;
        double cy = h / 2 + 1;
        double r = Math.min(w, h) / 2 - 3;
        int n = Domain.values().length;
        g.setLineWidth(0.8);
        g.setStroke(Color.gray(0.6, 0.5));
        for (int ring = 2; ring <= 4; ring += 2) {
            double[] xs = new double[n];
            double[] ys = new double[n];
            for (int i = 0; i < n; i++) {
                xs[i] = cx + r * ring / 4 * Math.cos(angle(i));
                ys[i] = cy + r * ring / 4 * Math.sin(angle(i));
            }
            g.strokePolygon(xs, ys, n);
        }
        if (means == null) {
            return;
        }
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            double v = Double.isNaN(means[i]) ? 0 : Math.max(0, Math.min(1, (means[i] - 1) / 4));
            xs[i] = cx + r * v * Math.cos(angle(i));
            ys[i] = cy + r * v * Math.sin(angle(i));
        }
        Color c = Color.rgb((argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff);
        g.setFill(c.deriveColor(0, 1, 1, 0.3));
        g.fillPolygon(xs, ys, n);
        g.setStroke(c);
        g.setLineWidth(1.6);
        g.strokePolygon(xs, ys, n);
    }

    private static double angle(int i) {
        return -Math.PI / 2 + i * 2 * Math.PI / Domain.values().length;
    }
}
