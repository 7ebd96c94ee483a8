package org.personalab.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.personalab.data.DatasetInfo;
import org.personalab.eval.Estimate;
import org.personalab.eval.Metric;
import org.personalab.eval.SummaryRow;
import org.personalab.store.LlmCallRepository.Totals;
import org.personalab.store.StoreException;
import org.personalab.store.Workspace;
import org.personalab.task.RunRecord;

/**
 * A one-page HTML report of an experiment: the summary of an evaluation (every source with its 95 % intervals, the
 * baselines beside the model so nobody mistakes chance for alignment), the figures the caller passes (the heatmap as
 * SVG), and its lineage — evaluation → simulation run → spec run → dataset (and split), each run with its parameters,
 * inputs, status and LLM cost — so every number can be traced to the people, specs, prompts and model behind it. No
 * API key can appear: runs never store one.
 */
public final class ExperimentReport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Metric[] HEADLINE = {Metric.EXACT_ACCURACY, Metric.WITHIN_ONE_ACCURACY, Metric.MAD,
        Metric.FACET_LEVEL_AGREEMENT, Metric.DOMAIN_LEVEL_AGREEMENT, Metric.PAPI_COMPOSITE, Metric.MISSING_RATE};

    /** One step of the lineage. */
    public record Step(String role, RunRecord run, Totals cost) {
    }

    private ExperimentReport() {
    }

    /** The runs behind an evaluation, evaluation first. */
    public static List<Step> lineage(Workspace ws, long evaluationRunId) {
        List<Step> out = new ArrayList<>();
        RunRecord eval = run(ws, evaluationRunId);
        out.add(step(ws, "Evaluation", eval));
        JsonNode in = json(eval.inputs());
        long sim = in.path("simulationRunId").asLong(0);
        long spec = in.path("specRunId").asLong(0);
        if (sim > 0) {
            RunRecord s = run(ws, sim);
            out.add(step(ws, "Simulation", s));
            if (spec <= 0) {
                spec = json(s.inputs()).path("specRunId").asLong(0);
            }
        }
        long vs = in.path("vsRunId").asLong(0);
        if (vs > 0) {
            out.add(step(ws, "Compared simulation", run(ws, vs)));
        }
        if (spec > 0) {
            out.add(step(ws, "Spec generation", run(ws, spec)));
        }
        return out;
    }

    /** The report as HTML. {@code figures}: caption → inline SVG markup. */
    public static String html(Workspace ws, long evaluationRunId, Map<String, String> figures) {
        RunRecord eval = run(ws, evaluationRunId);
        List<SummaryRow> summary = new EvaluationService(ws).summary(evaluationRunId);
        List<Step> steps = lineage(ws, evaluationRunId);
        JsonNode in = json(eval.inputs());
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(eval.title())).append("</title>\n<style>")
                .append("body{font-family:sans-serif;max-width:1100px;margin:24px auto;color:#1a1a1a}")
                .append("table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ccc;")
                .append("padding:3px 8px;font-size:13px;text-align:right}th{background:#f2f2f2}")
                .append("td.l,th.l{text-align:left}tr.baseline td{color:#555;background:#fafafa}")
                .append("pre{background:#f6f6f6;padding:8px;font-size:12px;white-space:pre-wrap}")
                .append(".muted{color:#666;font-size:13px}</style></head><body>\n");
        b.append("<h1>").append(esc(eval.title())).append("</h1>\n");
        b.append("<p class=\"muted\">Workspace ").append(esc(ws.dir().toString())).append(" · evaluation run ")
                .append(eval.id()).append(" · ").append(esc(String.valueOf(eval.finishedAt())))
                .append(" · PersonaLab ").append(esc(eval.appVersion())).append("</p>\n");
        b.append("<p>Dataset <b>").append(esc(in.path("dataset").asText("?"))).append("</b>, ")
                .append(in.path("agents").asInt()).append(" agents of ").append(in.path("people").asInt())
                .append(" people, inventory ").append(esc(in.path("inventory").asText("?")))
                .append(". Intervals are 95 % percentile bootstrap intervals over agents. Chance for one of five ")
                .append("options is 0.20 exact accuracy: compare every model with the baselines below it.</p>\n");
        b.append("<h2>Summary</h2>\n<table><tr><th class=\"l\">source</th><th>agents</th>");
        for (Metric m : HEADLINE) {
            b.append("<th title=\"").append(esc(m.description())).append("\">").append(m.column()).append("</th>");
        }
        b.append("</tr>\n");
        for (SummaryRow r : summary) {
            b.append(r.key().startsWith("baseline:") ? "<tr class=\"baseline\">" : "<tr>")
                    .append("<td class=\"l\">").append(esc(r.label())).append("</td><td>").append(r.agents())
                    .append("</td>");
            for (Metric m : HEADLINE) {
                b.append("<td>").append(esc(format(r.get(m)))).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n");
        for (Map.Entry<String, String> f : figures.entrySet()) {
            b.append("<h2>").append(esc(f.getKey())).append("</h2>\n<div>").append(f.getValue()).append("</div>\n");
        }
        b.append("<h2>Lineage</h2>\n");
        for (Step s : steps) {
            RunRecord r = s.run();
            b.append("<h3>").append(esc(s.role())).append(": run ").append(r.id()).append(" — ")
                    .append(esc(r.title())).append("</h3>\n<p class=\"muted\">").append(esc(r.kind()))
                    .append(" · ").append(esc(r.status())).append(" · started ")
                    .append(esc(String.valueOf(r.startedAt()))).append(" · finished ")
                    .append(esc(String.valueOf(r.finishedAt())));
            if (s.cost() != null && s.cost().calls() > 0) {
                b.append(String.format(Locale.ROOT, " · %d LLM calls, %d prompt + %d completion tokens, $%.4f",
                        s.cost().calls(), s.cost().promptTokens(), s.cost().completionTokens(), s.cost().costUsd()));
            } else {
                b.append(" · no paid LLM calls");
            }
            b.append("</p>\n<table><tr><th class=\"l\">parameters</th><th class=\"l\">inputs</th></tr><tr>")
                    .append("<td class=\"l\"><pre>").append(esc(pretty(r.params()))).append("</pre></td>")
                    .append("<td class=\"l\"><pre>").append(esc(pretty(r.inputs()))).append("</pre></td></tr></table>\n");
        }
        dataset(ws, in.path("datasetId").asLong(0)).ifPresent(d -> b.append("<h3>Dataset: ").append(esc(d.name()))
                .append("</h3>\n<p class=\"muted\">").append(d.size()).append(" people, ").append(esc(d.format()))
                .append(", ").append(esc(d.inventory().name())).append(", norm set ").append(d.normSetId())
                .append(". ").append(esc(d.provenance() == null ? "" : d.provenance())).append("</p>\n"));
        b.append("</body></html>\n");
        return b.toString();
    }

    /** Writes the report atomically (temporary file, then move). */
    public static void write(Workspace ws, long evaluationRunId, Map<String, String> figures, Path out)
            throws IOException {
        String text = html(ws, evaluationRunId, figures);
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".report", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Step step(Workspace ws, String role, RunRecord r) {
        Totals t = ws.read(tx -> tx.llmCalls().totalsForRun(r.id()));
        return new Step(role, r, t);
    }

    private static RunRecord run(Workspace ws, long id) {
        return ws.read(tx -> tx.runs().get(id)).orElseThrow(() -> new StoreException("no run " + id + " in "
                + ws.dir()));
    }

    private static Optional<DatasetInfo> dataset(Workspace ws, long id) {
        return id <= 0 ? Optional.empty() : ws.read(tx -> tx.datasets().get(id));
    }

    private static String format(Estimate e) {
        if (e == null || Double.isNaN(e.mean())) {
            return "–";
        }
        return e.hasInterval() ? String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", e.mean(), e.low(), e.high())
                : String.format(Locale.ROOT, "%.3f", e.mean());
    }

    private static JsonNode json(String s) {
        try {
            return s == null || s.isBlank() ? JSON.createObjectNode() : JSON.readTree(s);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String pretty(String s) {
        try {
            return s == null || s.isBlank() ? "{}" : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                    JSON.readTree(s));
        } catch (IOException e) {
            return s;
        }
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    /** Unused-key guard for callers building figure maps. */
    public static Map<String, String> figures() {
        return new LinkedHashMap<>();
    }
}
