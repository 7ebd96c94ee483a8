package org.personalab.ui.training;

import java.util.List;
import java.util.Locale;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.TextAlignment;
import org.personalab.ui.ChartPane;
import org.personalab.ui.training.TrainMonitor.LossPoint;

/**
 * The training curve: x = optimizer step, the raw loss of each logged step (faint) and its exponential moving average
 * ({@link TrainMonitor#ema}, bold); for DPO also the reward margin (chosen − rejected implicit reward) on its own
 * right-hand axis.
 */
public final class LossChart extends ChartPane {

    private static final Color LOSS = Color.web("#2563eb");
    private static final Color MARGIN = Color.web("#d97706");
    private List<LossPoint> points = List.of();
    private int totalSteps;

    public LossChart() {
        setId("training-chart");
        setMinHeight(180);
        setPrefHeight(260);
    }

    /** Shows these points on an x axis reaching at least {@code totalSteps}. */
    public void setData(List<LossPoint> points, int totalSteps) {
        this.points = List.copyOf(points);
        this.totalSteps = totalSteps;
        redraw();
    }

    /** The points shown (for tests and the hover text). */
    public List<LossPoint> points() {
        return points;
    }

    @Override
    protected void draw(GraphicsContext g, double w, double h) {
        double left = 52;
        double right = 52;
        double top = 14;
        double bottom = 28;
        double pw = w - left - right;
        double ph = h - top - bottom;
        g.setFont(font(11));
        if (points.isEmpty()) {
            g.setFill(mutedInk());
            g.setTextAlign(TextAlignment.CENTER);
            g.fillText("The loss curve appears when training logs its first step", w / 2, h / 2);
            return;
        }
        double[] loss = points.stream().mapToDouble(LossPoint::loss).toArray();
        double[] margin = points.stream().mapToDouble(LossPoint::margin).toArray();
        double[] smooth = TrainMonitor.ema(loss, TrainingViewModel.SMOOTHING);
        boolean hasMargin = points.stream().anyMatch(p -> !Double.isNaN(p.margin()));
        int maxStep = Math.max(totalSteps, points.get(points.size() - 1).step());
        double[] ly = range(loss);
        double[] my = hasMargin ? range(margin) : null;
        // grid and axes
        g.setStroke(gridInk());
        g.setLineWidth(1);
        g.setFill(mutedInk());
        for (int i = 0; i <= 4; i++) {
            double y = top + ph * i / 4;
            g.strokeLine(left, y, left + pw, y);
            g.setTextAlign(TextAlignment.RIGHT);
            g.fillText(fmt(ly[1] - (ly[1] - ly[0]) * i / 4), left - 4, y + 4);
            if (my != null) {
                g.setTextAlign(TextAlignment.LEFT);
                g.fillText(fmt(my[1] - (my[1] - my[0]) * i / 4), left + pw + 4, y + 4);
            }
        }
        g.setTextAlign(TextAlignment.CENTER);
        for (int i = 0; i <= 4; i++) {
            double x = left + pw * i / 4;
            g.fillText(Integer.toString(Math.round((float) maxStep * i / 4)), x, top + ph + 16);
        }
        g.setFill(ink());
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText("loss (raw, smoothed)" + (hasMargin ? "   reward margin →" : "") + "   x = step", left, h - 2);
        // raw loss: faint line and dots; smoothed: bold line
        g.setStroke(LOSS.deriveColor(0, 1, 1, 0.35));
        g.setFill(LOSS.deriveColor(0, 1, 1, 0.5));
        polyline(g, loss, ly, left, top, pw, ph, maxStep, 1);
        for (int i = 0; i < points.size(); i++) {
            double x = left + pw * points.get(i).step() / maxStep;
            double y = top + ph * (1 - (loss[i] - ly[0]) / (ly[1] - ly[0]));
            g.fillOval(x - 2, y - 2, 4, 4);
        }
        g.setStroke(LOSS);
        polyline(g, smooth, ly, left, top, pw, ph, maxStep, 2);
        if (my != null) {
            g.setStroke(MARGIN);
            polyline(g, margin, my, left, top, pw, ph, maxStep, 1.5);
        }
    }

    private void polyline(GraphicsContext g, double[] v, double[] range, double left, double top, double pw,
            double ph, int maxStep, double width) {
        g.setLineWidth(width);
        g.beginPath();
        boolean open = false;
        for (int i = 0; i < v.length; i++) {
            if (Double.isNaN(v[i])) {
                continue;
            }
            double x = left + pw * points.get(i).step() / maxStep;
            double y = top + ph * (1 - (v[i] - range[0]) / (range[1] - range[0]));
            if (open) {
                g.lineTo(x, y);
            } else {
                g.moveTo(x, y);
                open = true;
            }
        }
        g.stroke();
    }

    /** Min and max of the finite values, widened a little (and to a non-empty span). */
    static double[] range(double[] v) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            if (Double.isFinite(x)) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
        }
        if (lo > hi) {
            return new double[] {0, 1};
        }
        double pad = hi > lo ? (hi - lo) * 0.05 : Math.max(1e-3, Math.abs(hi) * 0.1);
        return new double[] {lo - pad, hi + pad};
    }

    private static String fmt(double v) {
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
