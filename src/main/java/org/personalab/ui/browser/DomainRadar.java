package org.personalab.ui.browser;

import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.TextAlignment;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;
import org.personalab.ui.ChartPane;
import org.personalab.ui.LevelPalette;

/** The five domain scores (1–5) of one respondent on a radar, with each domain's level and cohort percentile. */
public final class DomainRadar extends ChartPane {

    private RespondentProfile profile;

    public DomainRadar() {
        setMinSize(200, 180);
        setPrefSize(280, 230);
    }

    public void setProfile(RespondentProfile p) {
        profile = p;
        redraw();
    }

    @Override
    protected void draw(GraphicsContext g, double w, double h) {
        double cx = w / 2;
        double cy = h / 2 + 6;
        double r = Math.max(20, Math.min(w / 2 - 82, h / 2 - 30));
        int n = Domain.values().length;
        g.setLineWidth(1);
        for (int ring = 1; ring <= 4; ring++) {
            double rr = r * ring / 4.0;
            g.setStroke(gridInk());
            double[] xs = new double[n];
            double[] ys = new double[n];
            for (int i = 0; i < n; i++) {
                xs[i] = cx + rr * Math.cos(angle(i));
                ys[i] = cy + rr * Math.sin(angle(i));
            }
            g.strokePolygon(xs, ys, n);
        }
        for (int i = 0; i < n; i++) {
            g.strokeLine(cx, cy, cx + r * Math.cos(angle(i)), cy + r * Math.sin(angle(i)));
        }
        if (profile == null) {
            return;
        }
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (Domain d : Domain.values()) {
            float s = profile.score(Scale.of(d));
            double v = s == s ? (s - 1) / 4.0 : 0;
            xs[d.ordinal()] = cx + r * v * Math.cos(angle(d.ordinal()));
            ys[d.ordinal()] = cy + r * v * Math.sin(angle(d.ordinal()));
        }
        Color accent = Color.web("#4f6bed");
        g.setFill(accent.deriveColor(0, 1, 1, 0.18));
        g.fillPolygon(xs, ys, n);
        g.setStroke(accent);
        g.setLineWidth(2);
        g.strokePolygon(xs, ys, n);
        for (Domain d : Domain.values()) {
            Scale s = Scale.of(d);
            Level l = profile.level(s);
            int i = d.ordinal();
            g.setFill(LevelPalette.color(l));
            g.fillOval(xs[i] - 4.5, ys[i] - 4.5, 9, 9);
            double lx = cx + (r + 16) * Math.cos(angle(i));
            double ly = cy + (r + 16) * Math.sin(angle(i));
            double cos = Math.cos(angle(i));
            g.setTextAlign(cos > 0.3 ? TextAlignment.LEFT : cos < -0.3 ? TextAlignment.RIGHT : TextAlignment.CENTER);
            g.setTextBaseline(VPos.CENTER);
            g.setFill(ink());
            g.setFont(bold(11));
            g.fillText(d.name() + " " + fmt(profile.score(s)), lx, ly - 7);
            g.setFill(LevelPalette.color(l));
            g.setFont(font(10));
            double p = profile.percentile(s);
            g.fillText((l == null ? "–" : l.label()) + (Double.isNaN(p) ? "" : " · P" + Math.round(p)), lx, ly + 7);
        }
    }

    private static double angle(int i) {
        return -Math.PI / 2 + i * 2 * Math.PI / 5;
    }

    private static String fmt(float f) {
        return f != f ? "–" : String.format("%.2f", f);
    }
}
