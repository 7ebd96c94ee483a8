package org.personalab.judge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Facet;
import org.personalab.inventory.Level;
import org.personalab.profile.Profile;
import org.personalab.profile.PromptContext;
import org.personalab.spec.AgentSpec;
import org.personalab.spec.SpecFormatException;
import org.personalab.spec.SpecJson;
import org.personalab.task.TaskContext;

/**
 * The offline judge "rubric": for each of the 35 scales (5 Big Five statements, 30 facet levels) it reads the level
 * a spec states ({@link StatedLevel}) and measures how many level steps it is from the person's level; the spec with
 * the smaller total wins, equal totals are a tie. Confidence is the gap in level steps over
 * {@link #FULL_CONFIDENCE_GAP}, capped at 1 (a tie is certain under the rubric: confidence 1). Deterministic and
 * free; the demo's default. It looks at stated levels only, not at behaviours, realism or demographics: that is what
 * the LLM judge and annotators are for.
 */
public final class RubricJudge implements Judge {

    public static final String LABEL = "rubric (rule-based, offline)";
    public static final String RULES = "rubric-v1";
    /** A gap of this many level steps between the two specs' totals gives confidence 1. */
    public static final double FULL_CONFIDENCE_GAP = 4.0;

    /** Per-scale distances of one spec and their total. */
    public record Score(double total, Map<String, Double> distances, int unstated) {
    }

    @Override
    public String label() {
        return LABEL;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rules", RULES);
        m.put("scales", "5 Big Five statements + 30 facet levels");
        m.put("unstatedDistance", StatedLevel.UNSTATED);
        m.put("rangePenalty", StatedLevel.RANGE_PENALTY);
        m.put("fullConfidenceGap", FULL_CONFIDENCE_GAP);
        return m;
    }

    @Override
    public boolean offline() {
        return true;
    }

    @Override
    public JudgeResult judge(JudgeInput in, TaskContext task, long runId) {
        Score a = score(in.specA(), in.target());
        Score b = score(in.specB(), in.target());
        OrderAnswer ab = answer(false, a, b);
        OrderAnswer ba = answer(true, b, a);
        ObjectNode extra = SpecJson.object();
        extra.set("rubric", SpecJson.MAPPER.valueToTree(Map.of("A", a, "B", b)));
        return BothOrders.combine(ab, ba, extra);
    }

    /** One presentation: {@code first} is the spec shown first. */
    private static OrderAnswer answer(boolean swapped, Score first, Score second) {
        double gap = second.total() - first.total();
        Verdict shown = Math.abs(gap) < 1e-9 ? Verdict.TIE : gap > 0 ? Verdict.A : Verdict.B;
        double confidence = shown == Verdict.TIE ? 1.0 : Math.min(1.0, Math.abs(gap) / FULL_CONFIDENCE_GAP);
        String rationale = String.format(Locale.ROOT, "stated levels are %.1f level steps from the person's in total "
                + "for the first spec (%d scales unstated) and %.1f for the second (%d unstated)", first.total(),
                first.unstated(), second.total(), second.unstated());
        return OrderAnswer.valid(swapped, shown, confidence, rationale);
    }

    /** The distances of a spec's stated levels from the person's levels; scales the person lacks are skipped. */
    public static Score score(AgentSpec spec, Profile target) {
        Map<String, Double> d = new LinkedHashMap<>();
        double total = 0;
        int unstated = 0;
        for (Domain dom : PromptContext.OCEAN) {
            Level t = target.level(dom);
            if (t != null) {
                StatedLevel s = StatedLevel.read(text(spec, "personality", "big_five", PromptContext.key(dom)));
                double x = s.distance(t);
                d.put(PromptContext.key(dom), x);
                total += x;
                unstated += s.stated() ? 0 : 1;
            }
        }
        for (Domain dom : PromptContext.OCEAN) {
            for (Facet f : dom.facets()) {
                Level t = target.level(f);
                if (t != null) {
                    StatedLevel s = StatedLevel.read(text(spec, "personality", "facets", PromptContext.key(f)));
                    double x = s.distance(t);
                    d.put(PromptContext.key(f), x);
                    total += x;
                    unstated += s.stated() ? 0 : 1;
                }
            }
        }
        return new Score(total, d, unstated);
    }

    private static String text(AgentSpec spec, String... keys) {
        try {
            return spec.text(keys);
        } catch (SpecFormatException e) {
            return null; // a value of the wrong type states nothing
        }
    }
}
