package org.personalab.ui.results;

import java.util.List;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Tooltip;
import javafx.scene.paint.Color;
import javafx.scene.text.TextAlignment;
import javafx.util.Duration;
import org.personalab.eval.Estimate;
import org.personalab.eval.ScaleMatrix;
import org.personalab.ui.ChartPane;

/**
 * The results heatmap: one row per source (model runs and baselines) in the order the view model gives, one column per
 * facet and domain, each cell coloured by {@link HeatScale} with its value written in. Hovering a cell shows its mean,
 * 95 % interval and agent count; clicking a row selects it. Drawing is all it does: the matrix comes finished from a
 * background task.
 */
public final class HeatmapChart extends ChartPane {

    private ScaleMatrix matrix;
    private List<Integer> order = List.of();
    private HeatScale scale;
    private final IntegerProperty selectedRow = new SimpleIntegerProperty(this, "selectedRow", -1);
    private final ReadOnlyStringWrapper hover = new ReadOnlyStringWrapper(this, "hover", "");
    private final Tooltip tip = new Tooltip();
    private int hoverRow = -1;
    private int hoverCol = -1;

    public HeatmapChart() {
        getStyleClass().add("heatmap");
        setMinSize(300, 120);
        tip.setShowDelay(Duration.millis(120));
        setOnMouseMoved(e -> hoverAt(e.getX(), e.getY()));
        setOnMouseExited(e -> hoverAt(-1, -1));
        setOnMouseClicked(e -> {
            int[] rc = cellAt(e.getX(), e.getY());
            if (rc != null) {
                selectedRow.set(order.get(rc[0]));
            }
        });
        selectedRow.addListener(o -> redraw());
    }

    /** Shows {@code m} with rows in {@code rowOrder} (indices into the matrix), coloured by {@code s}. */
    public void show(ScaleMatrix m, List<Integer> rowOrder, HeatScale s) {
        matrix = m;
        order = List.copyOf(rowOrder);
        scale = s;
        double h = HeatmapFormat.HEADER_H + order.size() * HeatmapFormat.CELL_H + 12;
        double w = HeatmapFormat.LABEL_W + (m == null ? 0 : m.columns().size()) * HeatmapFormat.CELL_W + 12;
        setPrefSize(w, h);
        setMinHeight(h);
        redraw();
    }

    /** Matrix row index of the selected source, -1 for none. */
    public IntegerProperty selectedRowProperty() {
        return selectedRow;
    }

    /** Text of the hovered cell (empty when none). */
    public ReadOnlyStringProperty hoverTextProperty() {
        return hover.getReadOnlyProperty();
    }

    /** {row position in the order, column} under a point, or null. */
    public int[] cellAt(double x, double y) {
        if (matrix == null) {
            return null;
        }
        int c = (int) Math.floor((x - HeatmapFormat.LABEL_W) / HeatmapFormat.CELL_W);
        int r = (int) Math.floor((y - HeatmapFormat.HEADER_H) / HeatmapFormat.CELL_H);
        if (x < HeatmapFormat.LABEL_W) {
            c = -1;
        }
        if (r < 0 || r >= order.size() || y < HeatmapFormat.HEADER_H) {
            return null;
        }
        return new int[] {r, Math.max(-1, Math.min(c, matrix.columns().size() - 1))};
    }

    /** Centre of the cell at row position {@code r} and column {@code c}, for tests and keyboard focus. */
    public double[] cellCentre(int r, int c) {
        return new double[] {HeatmapFormat.LABEL_W + (c + 0.5) * HeatmapFormat.CELL_W,
                HeatmapFormat.HEADER_H + (r + 0.5) * HeatmapFormat.CELL_H};
    }

    private void hoverAt(double x, double y) {
        int[] rc = cellAt(x, y);
        int r = rc == null ? -1 : rc[0];
        int c = rc == null ? -1 : rc[1];
        if (r == hoverRow && c == hoverCol) {
            return;
        }
        hoverRow = r;
        hoverCol = c;
        if (r < 0 || c < 0) {
            hover.set(rc == null ? "" : matrix.labels().get(order.get(r)));
            Tooltip.uninstall(this, tip);
        } else {
            hover.set(HeatmapFormat.hover(matrix, order.get(r), c));
            tip.setText(hover.get());
            Tooltip.install(this, tip);
        }
        redraw();
    }

    @Override
    protected void draw(GraphicsContext g, double w, double h) {
        if (matrix == null) {
            g.setFill(mutedInk());
            g.setFont(font(13));
            g.fillText("No evaluation to show yet.", 16, 28);
            return;
        }
        int cols = matrix.columns().size();
        double cw = HeatmapFormat.CELL_W;
        double ch = HeatmapFormat.CELL_H;
        double lx = HeatmapFormat.LABEL_W;
        double top = HeatmapFormat.HEADER_H;
        g.setTextBaseline(VPos.CENTER);
        g.setTextAlign(TextAlignment.CENTER);
        g.setFont(bold(11));
        g.setFill(ink());
        for (int c = 0; c < cols; c++) {
            boolean domain = matrix.columns().get(c).isDomain();
            g.fillText(HeatmapFormat.columnLabel(matrix.columns().get(c)), lx + (c + 0.5) * cw, top - 12);
            if (domain && (c == 0 || !matrix.columns().get(c - 1).isDomain())) {
                g.setStroke(ink());
                g.setLineWidth(2);
                g.strokeLine(lx + c * cw - 1, top - 24, lx + c * cw - 1, top + order.size() * ch);
            }
        }
        g.setFont(font(11));
        for (int i = 0; i < order.size(); i++) {
            int r = order.get(i);
            double y = top + i * ch;
            boolean sel = r == selectedRow.get();
            g.setTextAlign(TextAlignment.RIGHT);
            g.setFill(ink());
            g.setFont(sel ? bold(11) : font(11));
            g.fillText(fit(matrix.labels().get(r), 34), lx - 8, y + ch / 2);
            g.setFont(font(10.5));
            g.setTextAlign(TextAlignment.CENTER);
            for (int c = 0; c < cols; c++) {
                Estimate e = matrix.cells()[r][c];
                int rgb = scale.rgb(e == null ? Double.NaN : e.mean());
                g.setFill(Color.rgb((rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255));
                g.fillRect(lx + c * cw, y, cw - 1, ch - 1);
                String t = HeatmapFormat.cell(e);
                if (!t.isEmpty()) {
                    int tr = HeatScale.textOn(rgb);
                    g.setFill(Color.rgb((tr >> 16) & 255, (tr >> 8) & 255, tr & 255));
                    g.fillText(t, lx + (c + 0.5) * cw, y + ch / 2);
                }
            }
            if (sel) {
                g.setStroke(Color.web("#4f6bed"));
                g.setLineWidth(2);
                g.strokeRect(1, y + 0.5, lx + cols * cw, ch - 1);
            }
        }
        if (hoverRow >= 0 && hoverCol >= 0) {
            g.setStroke(ink());
            g.setLineWidth(1.5);
            g.strokeRect(lx + hoverCol * cw, top + hoverRow * ch, cw - 1, ch - 1);
        }
    }

    private static String fit(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
