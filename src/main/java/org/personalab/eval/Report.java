package org.personalab.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.personalab.inventory.Scale;

/**
 * Text forms of an evaluation: the per-agent CSV, the summary CSV (every source, baselines included, every metric
 * with its interval), the comparison CSV and a console table. All metrics are written as stored: fractions for
 * accuracies, agreements and rates, answer or score points (0–4) for differences, PAPI composite 0–20; up to six
 * decimals; an empty cell where a value does not exist.
 */
public final class Report {

    /** The metrics the console table shows, when any row has them. */
    public static final List<Metric> HEADLINE = List.of(Metric.EXACT_ACCURACY, Metric.WITHIN_ONE_ACCURACY,
            Metric.MAD, Metric.FACET_LEVEL_AGREEMENT, Metric.DOMAIN_LEVEL_AGREEMENT, Metric.FACET_SCORE_MAD,
            Metric.PAPI_COMPOSITE, Metric.ANSWERED_RATE);

    private Report() {
    }

    /** Header of the per-agent CSV: id, the metrics, spec_id, respondent_id, then per-scale level and score columns. */
    public static List<String> agentColumns() {
        List<String> c = new ArrayList<>();
        c.add("id");
        for (Metric m : Metric.values()) {
            c.add(m.column());
        }
        c.add("spec_id");
        c.add("respondent_id");
        for (ScaleMetric sm : List.of(ScaleMetric.LEVEL_AGREEMENT, ScaleMetric.SCORE_DIFF)) {
            for (Scale s : Scale.values()) {
                c.add(sm.key() + "_" + s.name());
            }
        }
        return c;
    }

    /** One row per agent, in the given order. */
    public static void writeAgents(Appendable out, List<AgentScores> agents) {
        try {
            out.append(String.join(",", agentColumns())).append('\n');
            for (AgentScores a : agents) {
                StringBuilder sb = new StringBuilder(512);
                field(sb, a.id());
                for (Metric m : Metric.values()) {
                    sb.append(',').append(num(a.get(m)));
                }
                sb.append(',').append(a.specId() > 0 ? Long.toString(a.specId()) : "");
                sb.append(',').append(a.respondentId() > 0 ? Long.toString(a.respondentId()) : "");
                for (ScaleMetric sm : List.of(ScaleMetric.LEVEL_AGREEMENT, ScaleMetric.SCORE_DIFF)) {
                    for (Scale s : Scale.values()) {
                        sb.append(',').append(num(a.scale(sm, s)));
                    }
                }
                out.append(sb).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Long format: {@code source,label,metric,unit,n,mean,ci_low,ci_high}, one line per source and metric. */
    public static void writeSummary(Appendable out, List<SummaryRow> rows) {
        try {
            out.append("source,label,metric,unit,n,mean,ci_low,ci_high\n");
            for (SummaryRow r : rows) {
                for (Metric m : Metric.values()) {
                    Estimate e = r.get(m);
                    StringBuilder sb = new StringBuilder(128);
                    field(sb, r.key());
                    sb.append(',');
                    field(sb, r.label());
                    sb.append(',').append(m.column()).append(',').append(m.unit().label()).append(',').append(e.n())
                            .append(',').append(num(e.mean())).append(',').append(num(e.low())).append(',')
                            .append(num(e.high()));
                    out.append(sb).append('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Paired comparisons, one line per pair of sources and metric. */
    public static void writeComparisons(Appendable out, List<Comparison> comparisons) {
        try {
            out.append("a,b,metric,n,mean_difference,ci_low,ci_high,permutation_p,permutation_exact,"
                    + "wilcoxon_nonzero,wilcoxon_w_plus,wilcoxon_w_minus,wilcoxon_z,wilcoxon_p,cohens_dz,"
                    + "rank_biserial,favours\n");
            for (Comparison c : comparisons) {
                PairedComparison p = c.result();
                StringBuilder sb = new StringBuilder(200);
                field(sb, c.a());
                sb.append(',');
                field(sb, c.b());
                sb.append(',').append(c.metric().column()).append(',').append(p.n()).append(',')
                        .append(num(p.meanDifference())).append(',').append(num(p.difference().low())).append(',')
                        .append(num(p.difference().high())).append(',').append(pValue(p.permutationP())).append(',')
                        .append(p.exact()).append(',').append(p.nonZero()).append(',').append(num(p.wPlus()))
                        .append(',').append(num(p.wMinus())).append(',').append(num(p.z())).append(',')
                        .append(pValue(p.wilcoxonP())).append(',').append(num(p.cohensDz())).append(',')
                        .append(num(p.rankBiserial())).append(',');
                field(sb, c.favours());
                out.append(sb).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A console table of the headline metrics that any row has: "mean [low, high]" per cell, at most four metric
     * columns per block.
     */
    public static String table(List<SummaryRow> rows) {
        List<Metric> shown = new ArrayList<>();
        for (Metric m : HEADLINE) {
            if (rows.stream().anyMatch(r -> r.get(m).n() > 0)) {
                shown.add(m);
            }
        }
        int labelWidth = 12;
        for (SummaryRow r : rows) {
            labelWidth = Math.max(labelWidth, r.label().length());
        }
        labelWidth = Math.min(labelWidth, 40);
        StringBuilder sb = new StringBuilder();
        for (int from = 0; from < shown.size(); from += 4) {
            List<Metric> block = shown.subList(from, Math.min(shown.size(), from + 4));
            sb.append(pad("", labelWidth));
            for (Metric m : block) {
                sb.append("  ").append(pad(heading(m), 24));
            }
            sb.append('\n');
            for (SummaryRow r : rows) {
                String label = r.label().length() > labelWidth ? r.label().substring(0, labelWidth - 1) + "…"
                        : r.label();
                sb.append(pad(label, labelWidth));
                for (Metric m : block) {
                    sb.append("  ").append(pad(cell(r.get(m)), 24));
                }
                sb.append('\n');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Heading of a metric in the console table, e.g. "MAD (0-4) ↓". */
    static String heading(Metric m) {
        String name = switch (m) {
            case EXACT_ACCURACY -> "exact accuracy";
            case WITHIN_ONE_ACCURACY -> "within-one accuracy";
            case MAD -> "item MAD (0-4)";
            case FACET_LEVEL_AGREEMENT -> "facet level agreement";
            case DOMAIN_LEVEL_AGREEMENT -> "domain level agreement";
            case FACET_SCORE_MAD -> "facet score MAD";
            case PAPI_COMPOSITE -> "PAPI composite (0-20)";
            case ANSWERED_RATE -> "answered rate";
            default -> m.column();
        };
        return name + (m.direction() == Metric.Direction.HIGHER ? " ↑" : " ↓");
    }

    /** "0.312 [0.298, 0.327]", or "—" when there is no value. */
    public static String cell(Estimate e) {
        if (e.n() == 0) {
            return "—";
        }
        String mean = String.format(Locale.ROOT, "%.3f", e.mean());
        return e.hasInterval() ? mean + String.format(Locale.ROOT, " [%.3f, %.3f]", e.low(), e.high()) : mean;
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    /** A number with at most six decimals, no trailing zeros; empty for NaN. */
    public static String num(double x) {
        if (Double.isNaN(x)) {
            return "";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        BigDecimal b = new BigDecimal(x).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros();
        String s = b.toPlainString();
        return s.equals("-0") ? "0" : s;
    }

    /** A p-value: like {@link #num}, but values below 0.0001 keep six significant digits (2.3e-26 is not 0). */
    public static String pValue(double p) {
        if (!Double.isNaN(p) && p > 0 && p < 1e-4) {
            return String.format(Locale.ROOT, "%.6g", p);
        }
        return num(p);
    }

    /** CSV quoting as RFC 4180. */
    static void field(StringBuilder sb, String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            sb.append(s);
        } else {
            sb.append('"').append(s.replace("\"", "\"\"")).append('"');
        }
    }
}
