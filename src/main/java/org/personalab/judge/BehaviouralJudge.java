package org.personalab.judge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.personalab.eval.AgentScores;
import org.personalab.eval.Metric;
import org.personalab.spec.SpecJson;
import org.personalab.task.TaskContext;

/**
 * The seed project's original, dropped plan: the spec whose agent reproduces the person's real questionnaire answers
 * better wins. Each spec's agent answers come from a simulation run, scored against the person by the evaluation
 * ({@link AgentScores}); the lower mean absolute item difference ({@link Metric#MAD}, answer points 0-4, over the items
 * both answered) wins, a gap under {@link #TIE_MARGIN} is a tie, and confidence is the gap over
 * {@link #FULL_CONFIDENCE_GAP} (capped at 1). A spec without simulated answers gets an invalid answer, so its pair is
 * a flagged tie. Deterministic and free once the simulation is paid for.
 */
public final class BehaviouralJudge implements Judge {

    public static final String LABEL = "behavioural (agent answers vs the person's, item MAD)";
    public static final double TIE_MARGIN = 0.05;
    public static final double FULL_CONFIDENCE_GAP = 0.5;

    private final Map<Long, AgentScores> bySpec;
    private final Map<String, Object> sources;

    /**
     * @param bySpec  the evaluation of each spec's agent
     * @param sources what the run journal records about where the answers came from (simulation run ids, ...)
     */
    public BehaviouralJudge(Map<Long, AgentScores> bySpec, Map<String, Object> sources) {
        this.bySpec = Map.copyOf(bySpec);
        this.sources = new LinkedHashMap<>(sources);
    }

    @Override
    public String label() {
        return LABEL;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> m = new LinkedHashMap<>(sources);
        m.put("metric", Metric.MAD.name().toLowerCase(Locale.ROOT));
        m.put("tieMargin", TIE_MARGIN);
        m.put("fullConfidenceGap", FULL_CONFIDENCE_GAP);
        return m;
    }

    @Override
    public boolean offline() {
        return true;
    }

    @Override
    public JudgeResult judge(JudgeInput in, TaskContext task, long runId) {
        AgentScores a = bySpec.get(in.pair().specA());
        AgentScores b = bySpec.get(in.pair().specB());
        double ma = a == null ? Double.NaN : a.get(Metric.MAD);
        double mb = b == null ? Double.NaN : b.get(Metric.MAD);
        ObjectNode extra = SpecJson.object();
        ObjectNode d = extra.putObject("behavioural");
        put(d, "A", a);
        put(d, "B", b);
        if (Double.isNaN(ma) || Double.isNaN(mb)) {
            String why = "no simulated answers to compare for spec " + (Double.isNaN(ma) ? in.pair().specA()
                    : in.pair().specB());
            return BothOrders.combine(OrderAnswer.invalid(false, why, null, 0), OrderAnswer.invalid(true, why, null,
                    0), extra);
        }
        return BothOrders.combine(answer(false, ma, mb), answer(true, mb, ma), extra);
    }

    private static OrderAnswer answer(boolean swapped, double first, double second) {
        double gap = second - first;
        Verdict v = Math.abs(gap) < TIE_MARGIN ? Verdict.TIE : gap > 0 ? Verdict.A : Verdict.B;
        double c = v == Verdict.TIE ? 1 - Math.abs(gap) / TIE_MARGIN : Math.min(1, Math.abs(gap)
                / FULL_CONFIDENCE_GAP);
        return OrderAnswer.valid(swapped, v, c, String.format(Locale.ROOT, "the first agent's answers are %.3f "
                + "answer points from the person's on average, the second's %.3f", first, second));
    }

    private static void put(ObjectNode d, String key, AgentScores s) {
        if (s == null) {
            d.putNull(key);
            return;
        }
        ObjectNode o = d.putObject(key);
        for (Metric m : new Metric[] {Metric.MAD, Metric.EXACT_ACCURACY, Metric.FACET_LEVEL_AGREEMENT,
                Metric.ANSWERED_RATE}) {
            double v = s.get(m);
            if (!Double.isNaN(v)) {
                o.put(m.name().toLowerCase(Locale.ROOT), v);
            }
        }
    }
}
