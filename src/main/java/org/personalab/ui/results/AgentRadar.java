package org.personalab.ui.results;

import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.TextAlignment;
import org.personalab.inventory.Domain;
import org.personalab.ui.ChartPane;

/** The five domain scores (1–5) of an agent (orange) over those of its person (blue) on one radar. */
public final class AgentRadar extends ChartPane {

    static final Color PERSON = Color.web("#2166ac");
    static final Color AGENT = Color.web("#e08214");

    private float[] person;
    private float[] agent;

    public AgentRadar() {
        setMinSize(200, 180);
        setPrefSize(260, 220);
    }

    public void show(float[] personScores, float[] agentScores) {
        person = personScores;
        agent = agentScores;
        redraw();
    }

    @Override
    protected void draw(GraphicsContext g, double w, double h) {
        double cx = w / 2;
        double cy = h / 2 + 8;
        double r = Math.max(20, Math.min(w / 2 - 40, h / 2 - 30));
        int n = 5;
        g.setStroke(gridInk());
        g.setLineWidth(1);
        for (int ring = 1; ring <= 4; ring++) {
            double[] xs = new double[n];
            double[] ys = new double[n];
            for (int i = 0; i < n; i++) {
                xs[i] = cx + r * ring / 4 * Math.cos(angle(i));
                ys[i] = cy + r * ring / 4 * Math.sin(angle(i));
            }
            g.strokePolygon(xs, ys, n);
        }
        g.setTextBaseline(VPos.CENTER);
        g.setTextAlign(TextAlignment.CENTER);
        g.setFont(bold(11));
        g.setFill(ink());
        for (Domain d : Domain.values()) {
            int i = d.ordinal();
            g.fillText(d.name(), cx + (r + 14) * Math.cos(angle(i)), cy + (r + 14) * Math.sin(angle(i)));
        }
        polygon(g, person, PERSON, cx, cy, r);
        polygon(g, agent, AGENT, cx, cy, r);
        g.setTextAlign(TextAlignment.LEFT);
        g.setFont(font(11));
        g.setFill(PERSON);
        g.fillText("■ person", 6, 10);
        g.setFill(AGENT);
        g.fillText("■ agent", 70, 10);
    }

    private static void polygon(GraphicsContext g, float[] s, Color c, double cx, double cy, double r) {
        if (s == null) {
            return;
        }
        double[] xs = new double[5];
        double[] ys = new double[5];
        for (int i = 0; i < 5; i++) {
            double v = Float.isNaN(s[i]) ? 0 : Math.max(0, Math.min(1, (s[i] - 1) / 4.0));
            xs[i] = cx + r * v * Math.cos(angle(i));
            ys[i] = cy + r * v * Math.sin(angle(i));
        }
        g.setFill(c.deriveColor(0, 1, 1, 0.15));
        g.fillPolygon(xs, ys, 5);
        g.setStroke(c);
        g.setLineWidth(2);
        g.strokePolygon(xs, ys, 5);
    }

    private static double angle(int i) {
        return -Math.PI / 2 + i * 2 * Math.PI / 5;
    }
}
