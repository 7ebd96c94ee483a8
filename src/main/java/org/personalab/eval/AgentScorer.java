package org.personalab.eval;

import java.util.Arrays;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;
import org.personalab.inventory.Scorer;
import org.personalab.inventory.ScoringRule;

/**
 * Scores one agent's answer sheet against its person.
 * <ul>
 * <li>Item metrics (exact, within-one, MAD) over the items <em>both</em> answered: a missing answer on either side
 * is excluded, never scored as 0.</li>
 * <li>The agent's facet and domain scores come from the same {@link Scorer} and {@link ScoringRule} as the person's
 * (raw answers, negatively keyed items reversed, a facet needs its minimum of answered items), and its levels from
 * placing those scores with the person's own norm group — so a level disagreement means the answers differ, not
 * the scoring or the norms.</li>
 * <li>Facet/domain score MAD and level agreement average over the scales scored (levelled) on both sides.</li>
 * <li>The PAPI aligned scores ({@link PapiAligned}) when the inventory has the held-out IPIP-300 items.</li>
 * </ul>
 * Thread-safe.
 */
public final class AgentScorer {

    private final Inventory inventory;
    private final Scorer scorer;
    private final boolean papi;

    public AgentScorer(Inventory inventory, ScoringRule rule) {
        this.inventory = inventory;
        this.scorer = new Scorer(inventory, AnswerEncoding.RAW, rule);
        this.papi = PapiAligned.covers(inventory);
    }

    public Inventory inventory() {
        return inventory;
    }

    public ScoringRule rule() {
        return scorer.rule();
    }

    /**
     * Evaluates one answer sheet.
     *
     * @param agentRaw raw answers 1..5 in this scorer's inventory order, 0 = no usable answer
     * @throws IllegalArgumentException naming the agent and item when a value is outside 0..5 or the sheet has the
     *                                  wrong length
     */
    public AgentScores score(long specId, byte[] agentRaw, PersonTarget person) {
        int k = inventory.size();
        if (agentRaw.length != k || person.rawAnswers().length != k) {
            throw new IllegalArgumentException("agent of person " + person.id() + " (spec " + specId + "): "
                    + agentRaw.length + " answers for the " + k + " items of " + inventory);
        }
        int bad = Scorer.firstInvalid(agentRaw);
        if (bad >= 0) {
            throw new IllegalArgumentException("agent of person " + person.id() + " (spec " + specId + "), item "
                    + (bad + 1) + ": answer " + agentRaw[bad] + " is not 0..5");
        }
        double[] m = new double[Metric.COUNT];
        Arrays.fill(m, Double.NaN);
        byte[] p = person.rawAnswers();
        int answered = 0;
        int compared = 0;
        int exact = 0;
        int withinOne = 0;
        int absSum = 0;
        for (int i = 0; i < k; i++) {
            if (agentRaw[i] != 0) {
                answered++;
                if (p[i] != 0) {
                    int d = Math.abs(agentRaw[i] - p[i]);
                    compared++;
                    absSum += d;
                    if (d == 0) {
                        exact++;
                    }
                    if (d <= 1) {
                        withinOne++;
                    }
                }
            }
        }
        if (compared > 0) {
            m[Metric.EXACT_ACCURACY.ordinal()] = (double) exact / compared;
            m[Metric.WITHIN_ONE_ACCURACY.ordinal()] = (double) withinOne / compared;
            m[Metric.MAD.ordinal()] = (double) absSum / compared;
        }
        m[Metric.ANSWERED_RATE.ordinal()] = (double) answered / k;
        m[Metric.MISSING_RATE.ordinal()] = (double) (k - answered) / k;
        double[][] scales = scaleValues(scorer.score(agentRaw), person);
        fillScaleSummaries(m, scales);
        setPapi(m, papi ? PapiAligned.of(inventory, agentRaw, p) : PapiAligned.NONE);
        return new AgentScores(person.id(), specId, person.respondentId(), m, scales);
    }

    /** Per-scale level agreement and score differences of agent scores {@code agent} against the person. */
    static double[][] scaleValues(float[] agent, PersonTarget person) {
        double[][] s = new double[ScaleMetric.values().length][Scale.COUNT];
        for (int i = 0; i < Scale.COUNT; i++) {
            float a = agent[i];
            float h = person.scores()[i];
            double diff = Float.isNaN(a) || Float.isNaN(h) ? Double.NaN : (double) a - (double) h;
            s[ScaleMetric.SCORE_DIFF.ordinal()][i] = diff;
            s[ScaleMetric.SCORE_ABS_DIFF.ordinal()][i] = Math.abs(diff);
            byte agentLevel = person.norms() == null ? Level.NONE : person.norms().levelCode(i, a);
            byte personLevel = person.levels()[i];
            s[ScaleMetric.LEVEL_AGREEMENT.ordinal()][i] = agentLevel < 0 || personLevel < 0 ? Double.NaN
                    : agentLevel == personLevel ? 1 : 0;
        }
        return s;
    }

    static void fillScaleSummaries(double[] m, double[][] s) {
        double[] abs = s[ScaleMetric.SCORE_ABS_DIFF.ordinal()];
        double[] lvl = s[ScaleMetric.LEVEL_AGREEMENT.ordinal()];
        m[Metric.FACET_SCORE_MAD.ordinal()] = AgentScores.nanMean(Arrays.copyOfRange(abs, 0, Scale.FACETS));
        m[Metric.DOMAIN_SCORE_MAD.ordinal()] = AgentScores.nanMean(Arrays.copyOfRange(abs, Scale.FACETS, Scale.COUNT));
        m[Metric.FACET_LEVEL_AGREEMENT.ordinal()] = AgentScores.nanMean(Arrays.copyOfRange(lvl, 0, Scale.FACETS));
        m[Metric.DOMAIN_LEVEL_AGREEMENT.ordinal()] = AgentScores.nanMean(
                Arrays.copyOfRange(lvl, Scale.FACETS, Scale.COUNT));
    }

    static void setPapi(double[] m, PapiAligned a) {
        for (int d = 0; d < 5; d++) {
            m[Metric.papiAligned(d).ordinal()] = a.domains()[d];
        }
        m[Metric.PAPI_COMPOSITE.ordinal()] = a.composite();
    }
}
