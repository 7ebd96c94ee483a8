package org.personalab.ui.results;

import java.util.List;
import java.util.Locale;
import org.personalab.eval.Estimate;
import org.personalab.eval.ScaleMatrix;
import org.personalab.inventory.Scale;

/**
 * Text forms of a heatmap: the cell label, the hover text, CSV and a standalone SVG. Pure functions of a
 * {@link ScaleMatrix} and a row order, so exports show exactly what the panel shows.
 */
public final class HeatmapFormat {

    static final int LABEL_W = 220;
    static final int CELL_W = 38;
    static final int CELL_H = 24;
    static final int HEADER_H = 46;

    private HeatmapFormat() {
    }

    /** Column header: the facet code (N1 … C6) or the domain letter. */
    public static String columnLabel(Scale s) {
        return s.name();
    }

    /** The number written in a cell: fractions and differences with two decimals, blank when there is no data. */
    public static String cell(Estimate e) {
        if (e == null || Double.isNaN(e.mean())) {
            return "";
        }
        return String.format(Locale.ROOT, "%.2f", e.mean());
    }

    /** Hover text: row, scale, mean with its 95 % interval and the number of agents behind it. */
    public static String hover(ScaleMatrix m, int row, int col) {
        Estimate e = m.cells()[row][col];
        Scale s = m.columns().get(col);
        String what = m.labels().get(row) + " · " + s.displayName() + " (" + s.name() + ")";
        if (e == null || Double.isNaN(e.mean())) {
            return what + "\nno data";
        }
        String ci = e.hasInterval() ? String.format(Locale.ROOT, " [%.3f, %.3f] 95 %% CI", e.low(), e.high()) : "";
        return what + "\n" + m.metric().key() + " = " + String.format(Locale.ROOT, "%.3f", e.mean()) + ci
                + "\nagents: " + e.n();
    }

    /** CSV: {@code source,label,scale,mean,ci_low,ci_high,n}, one line per cell, rows in {@code order}. */
    public static String csv(ScaleMatrix m, List<Integer> order) {
        StringBuilder b = new StringBuilder("source,label,metric,scale,mean,ci_low,ci_high,n\n");
        for (int r : order) {
            for (int c = 0; c < m.columns().size(); c++) {
                Estimate e = m.cells()[r][c];
                b.append(quote(m.keys().get(r))).append(',').append(quote(m.labels().get(r))).append(',')
                        .append(m.metric().key()).append(',').append(m.columns().get(c).name()).append(',')
                        .append(num(e == null ? Double.NaN : e.mean())).append(',')
                        .append(num(e == null ? Double.NaN : e.low())).append(',')
                        .append(num(e == null ? Double.NaN : e.high())).append(',')
                        .append(e == null ? 0 : e.n()).append('\n');
            }
        }
        return b.toString();
    }

    /** A standalone SVG of the heatmap (rows in {@code order}), each cell with its value and a title tooltip. */
    public static String svg(ScaleMatrix m, List<Integer> order, HeatScale scale) {
        int cols = m.columns().size();
        int w = LABEL_W + cols * CELL_W + 10;
        int h = HEADER_H + order.size() * CELL_H + 10;
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
        b.append("<title>").append(esc(m.metric().key())).append("</title>\n");
        for (int c = 0; c < cols; c++) {
            int x = LABEL_W + c * CELL_W + CELL_W / 2;
            b.append("<text x=\"").append(x).append("\" y=\"").append(HEADER_H - 8)
                    .append("\" text-anchor=\"middle\" font-weight=\"bold\">")
                    .append(esc(columnLabel(m.columns().get(c)))).append("</text>\n");
        }
        for (int i = 0; i < order.size(); i++) {
            int r = order.get(i);
            int y = HEADER_H + i * CELL_H;
            b.append("<text x=\"").append(LABEL_W - 6).append("\" y=\"").append(y + CELL_H / 2 + 4)
                    .append("\" text-anchor=\"end\">").append(esc(m.labels().get(r))).append("</text>\n");
            for (int c = 0; c < cols; c++) {
                Estimate e = m.cells()[r][c];
                int rgb = scale.rgb(e == null ? Double.NaN : e.mean());
                int x = LABEL_W + c * CELL_W;
                b.append("<g><title>").append(esc(hover(m, r, c))).append("</title><rect x=\"").append(x)
                        .append("\" y=\"").append(y).append("\" width=\"").append(CELL_W - 1).append("\" height=\"")
                        .append(CELL_H - 1).append("\" fill=\"").append(HeatScale.hex(rgb)).append("\"/>");
                String t = cell(e);
                if (!t.isEmpty()) {
                    b.append("<text x=\"").append(x + CELL_W / 2).append("\" y=\"").append(y + CELL_H / 2 + 4)
                            .append("\" text-anchor=\"middle\" fill=\"").append(HeatScale.hex(HeatScale.textOn(rgb)))
                            .append("\">").append(t).append("</text>");
                }
                b.append("</g>\n");
            }
        }
        b.append("</svg>\n");
        return b.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
