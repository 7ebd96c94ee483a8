package org.personalab.service;

import java.util.ArrayList;
import java.util.List;
import org.personalab.eval.AgentScores;
import org.personalab.eval.Metric;
import org.personalab.eval.PersonTarget;
import org.personalab.eval.ScaleMetric;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Inventory;
import org.personalab.inventory.Item;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;
import org.personalab.store.SpecRepository.SpecRow;
import org.personalab.store.Workspace;
import org.personalab.task.TaskContext;

/**
 * One simulation run opened agent by agent for the results panel: each agent's headline metrics, and for one agent
 * its answers against its person's item by item, both domain profiles and the spec it was built from. The numbers are
 * computed by the same code as {@code personalab evaluate} ({@link EvaluationService}), so the drill-down can never
 * disagree with the heatmap.
 */
public final class AgentDrillDown {

    /** One agent of the run with its headline metrics. */
    public record AgentRow(long specId, long respondentId, String personId, double exact, double withinOne,
            double mad, double facetLevelAgreement) {
    }

    /** One item: the person's and the agent's raw answers (1..5, 0 = none). */
    public record ItemRow(int number, String text, String keying, Scale facet, int person, int agent) {

        public boolean same() {
            return person > 0 && person == agent;
        }
    }

    /** Everything the drill-down shows about one agent. */
    public record AgentDetail(AgentRow agent, List<ItemRow> items, float[] personDomains, float[] agentDomains,
            Level[] personLevels, String specDocument) {
    }

    private final Workspace ws;
    private final long simRunId;
    private final EvaluationService.RunEvaluation evaluation;

    private AgentDrillDown(Workspace ws, long simRunId, EvaluationService.RunEvaluation evaluation) {
        this.ws = ws;
        this.simRunId = simRunId;
        this.evaluation = evaluation;
    }

    /** Scores every agent of {@code simRunId} (background work: it loads the dataset). */
    public static AgentDrillDown open(Workspace ws, DatasetService datasets, long simRunId, TaskContext ctx) {
        return new AgentDrillDown(ws, simRunId,
                new EvaluationService(ws, datasets).evaluateRun(simRunId, ctx));
    }

    public long simRunId() {
        return simRunId;
    }

    /** The run's agents in stored order. */
    public List<AgentRow> agents() {
        List<AgentRow> out = new ArrayList<>();
        for (AgentScores a : evaluation.source().agents()) {
            out.add(row(a));
        }
        return out;
    }

    /** The detail of one agent (reads its answers and spec). */
    public AgentDetail detail(long specId) {
        AgentScores a = evaluation.source().agents().stream().filter(x -> x.specId() == specId).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("run " + simRunId + " has no agent for spec "
                        + specId));
        PersonTarget p = evaluation.persons().stream().filter(x -> x.respondentId() == a.respondentId()).findFirst()
                .orElseThrow();
        byte[] answers = ws.read(tx -> tx.simAnswers().answers(simRunId)).agent(specId).orElseThrow().answers();
        Inventory inv = evaluation.sim().inventory();
        List<ItemRow> items = new ArrayList<>(inv.size());
        for (int i = 0; i < inv.size(); i++) {
            Item it = inv.items().get(i);
            items.add(new ItemRow(it.number(), it.text(), it.reversed() ? "-" : "+", Scale.of(it.facet()),
                    p.rawAnswers()[i], answers[i]));
        }
        float[] personDomains = new float[5];
        float[] agentDomains = new float[5];
        Level[] levels = new Level[5];
        for (Domain d : Domain.values()) {
            Scale s = Scale.of(d);
            personDomains[d.ordinal()] = p.scores()[s.ordinal()];
            double diff = a.scale(ScaleMetric.SCORE_DIFF, s);
            agentDomains[d.ordinal()] = (float) (p.scores()[s.ordinal()] + diff);
            levels[d.ordinal()] = Level.ofCode(p.levels()[s.ordinal()]);
        }
        String doc = ws.read(tx -> tx.specs().get(specId)).map(SpecRow::document).orElse("");
        return new AgentDetail(row(a), List.copyOf(items), personDomains, agentDomains, levels, doc);
    }

    private AgentRow row(AgentScores a) {
        return new AgentRow(a.specId(), a.respondentId(), a.id(), a.get(Metric.EXACT_ACCURACY),
                a.get(Metric.WITHIN_ONE_ACCURACY), a.get(Metric.MAD), a.get(Metric.FACET_LEVEL_AGREEMENT));
    }
}
