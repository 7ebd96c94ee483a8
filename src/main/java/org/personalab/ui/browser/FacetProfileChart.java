package org.personalab.ui.browser;

import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.text.TextAlignment;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Facet;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;
import org.personalab.ui.ChartPane;
import org.personalab.ui.LevelPalette;

/** The 30 facet scores (1–5) of one respondent as bars grouped by domain, each coloured by its level. */
public final class FacetProfileChart extends ChartPane {

    private RespondentProfile profile;

    public FacetProfileChart() {
        setMinSize(300, 200);
        setPrefSize(620, 300);
    }

    public void setProfile(RespondentProfile p) {
        profile = p;
        redraw();
    }

    /** Level colours, right-aligned at (x, y). */
    private void legend(GraphicsContext g, double x, double y) {
        g.setFont(font(10));
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        double[] widths = new double[Level.values().length];
        double total = 0;
        for (Level l : Level.values()) {
            javafx.scene.text.Text t = new javafx.scene.text.Text(l.label());
            t.setFont(font(10));
            widths[l.ordinal()] = t.getLayoutBounds().getWidth();
            total += 14 + widths[l.ordinal()] + 10;
        }
        double cx = x - total;
        for (Level l : Level.values()) {
            g.setFill(LevelPalette.color(l));
            g.fillRoundRect(cx, y + 2, 10, 10, 3, 3);
            g.setFill(mutedInk());
            g.fillText(l.label(), cx + 14, y + 7);
            cx += 14 + widths[l.ordinal()] + 10;
        }
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText("Facet scores (1–5), coloured by level", 6, y + 7);
    }

    @Override
    protected void draw(GraphicsContext g, double w, double h) {
        double left = 34;
        double right = 10;
        double top = 28;
        double bottom = 46;
        double plotH = h - top - bottom;
        double plotW = w - left - right;
        g.setFont(font(10));
        g.setTextBaseline(VPos.CENTER);
        g.setTextAlign(TextAlignment.RIGHT);
        for (int v = 1; v <= 5; v++) {
            double y = top + plotH - (v - 1) / 4.0 * plotH;
            g.setStroke(gridInk());
            g.setLineWidth(1);
            g.strokeLine(left, Math.round(y) + 0.5, w - right, Math.round(y) + 0.5);
            g.setFill(mutedInk());
            g.fillText(Integer.toString(v), left - 8, y);
        }
        legend(g, w - right, 8);
        if (profile == null) {
            return;
        }
        double groupGap = 14;
        double slot = (plotW - groupGap * 4) / 30.0;
        double bar = Math.max(3, slot * 0.7);
        g.setTextAlign(TextAlignment.CENTER);
        for (Domain d : Domain.values()) {
            double groupX = left + d.ordinal() * (6 * slot + groupGap);
            for (Facet f : d.facets()) {
                Scale s = Scale.of(f);
                double x = groupX + (f.number() - 1) * slot + (slot - bar) / 2;
                float score = profile.score(s);
                Level level = profile.level(s);
                if (score == score) {
                    double y = top + plotH - (score - 1) / 4.0 * plotH;
                    g.setFill(LevelPalette.color(level));
                    g.fillRoundRect(x, y, bar, top + plotH - y, 3, 3);
                }
                g.setFill(mutedInk());
                g.setFont(font(9));
                g.setTextBaseline(VPos.TOP);
                g.fillText(f.number() + "", x + bar / 2, top + plotH + 4);
            }
            g.setFill(ink());
            g.setFont(bold(11));
            g.fillText(d.displayName(), groupX + 3 * slot, top + plotH + 20);
            Level dl = profile.level(Scale.of(d));
            g.setFill(LevelPalette.color(dl));
            g.fillRect(groupX + 4, top + plotH + 34, 6 * slot - 8, 3);
        }
    }
}
