package org.personalab.ui;

import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.scene.text.Font;

/**
 * A region that draws itself on a canvas filling it, redrawn on resize and on theme change. Ink colours come from
 * the stylesheet: hidden labels with style classes {@code chart-ink}, {@code chart-muted} and {@code chart-grid}
 * carry them as their text fill.
 */
public abstract class ChartPane extends Region {

    private final Canvas canvas = new Canvas();
    private final Label ink = probe("chart-ink");
    private final Label muted = probe("chart-muted");
    private final Label grid = probe("chart-grid");

    /** Subclasses draw only after construction (on layout), so the listeners registered here are safe. */
    @SuppressWarnings("this-escape")
    protected ChartPane() {
        getStyleClass().add("chart");
        getChildren().addAll(ink, muted, grid, canvas);
        widthProperty().addListener(o -> redraw());
        heightProperty().addListener(o -> redraw());
        // the stylesheet sets the probes one after another: redraw after each, so the last redraw sees them all
        for (Label probe : new Label[] {ink, muted, grid}) {
            probe.textFillProperty().addListener(o -> redraw());
        }
    }

    private static Label probe(String styleClass) {
        Label l = new Label();
        l.getStyleClass().add(styleClass);
        l.setVisible(false);
        l.setManaged(false);
        return l;
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(getWidth());
        canvas.setHeight(getHeight());
    }

    /** Draws again with the current size and data. */
    public final void redraw() {
        double w = getWidth();
        double h = getHeight();
        canvas.setWidth(w);
        canvas.setHeight(h);
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, w, h);
        if (w > 10 && h > 10) {
            draw(g, w, h);
        }
    }

    protected abstract void draw(GraphicsContext g, double w, double h);

    protected Paint ink() {
        return fill(ink, Color.web("#1f2430"));
    }

    protected Paint mutedInk() {
        return fill(muted, Color.web("#6b7280"));
    }

    protected Paint gridInk() {
        return fill(grid, Color.web("#e5e7eb"));
    }

    private static Paint fill(Label l, Color fallback) {
        Paint p = l.getTextFill();
        return p == null || Color.BLACK.equals(p) ? fallback : p;
    }

    protected static Font font(double size) {
        return Font.font("System", size);
    }

    protected static Font bold(double size) {
        return Font.font("System", javafx.scene.text.FontWeight.BOLD, size);
    }
}
