package org.personalab.service;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.personalab.data.DatasetInfo;
import org.personalab.eval.PersonTarget;
import org.personalab.inventory.Inventory;
import org.personalab.profile.ScoredDataset;
import org.personalab.store.SimAnswerRepository;
import org.personalab.store.SimAnswerRepository.Answer;
import org.personalab.store.SimAnswerRepository.SimRun;
import org.personalab.store.SpecRepository.SpecRow;
import org.personalab.store.Workspace;
import org.personalab.task.TaskContext;

/**
 * A real workspace for evaluation tests: 1,500 synthetic people, template specs for the first 40, and simulation
 * runs written straight through the repositories with answers derived from each person's real ones.
 */
public final class EvaluationTestData {

    /** How a test agent answers, given its person's raw answer (0 = the person left it blank) and the item index. */
    @FunctionalInterface
    public interface Answerer {
        /** Raw answer 1..5, or 0 for "no usable answer" (stored as unparseable). */
        int answer(int person, int item, int agentIndex);
    }

    public final Workspace ws;
    public final DatasetInfo dataset;
    public final ScoredDataset scored;
    public final long specRunId;
    public final List<SpecRow> specs;
    private final long firstRespondent;

    private EvaluationTestData(Workspace ws, DatasetInfo dataset, ScoredDataset scored, long specRunId,
            List<SpecRow> specs, long firstRespondent) {
        this.ws = ws;
        this.dataset = dataset;
        this.scored = scored;
        this.specRunId = specRunId;
        this.specs = specs;
        this.firstRespondent = firstRespondent;
    }

    public static EvaluationTestData create(Path dir) {
        Workspace ws = ClusterServiceTest.workspaceWithPeople(dir, 1500);
        DatasetService ds = new DatasetService(ws);
        DatasetInfo d = ds.require("syn");
        SpecService.Outcome spec = SpecService.generateTemplate(ws, d, 40, TaskContext.none());
        List<SpecRow> specs = ws.read(tx -> tx.specs().byRun(spec.runId()));
        long first = ws.read(tx -> tx.datasets().respondentIds(d.id()))[0];
        return new EvaluationTestData(ws, d, ds.load(d, TaskContext.none()), spec.runId(), specs, first);
    }

    public Inventory inventory() {
        return dataset.inventory();
    }

    /** The person's raw answers (1..5, 0 = missing) of spec {@code s}. */
    public byte[] personRaw(SpecRow s) {
        return PersonTarget.rawAnswers(scored.responses(), (int) (s.respondentId() - firstRespondent), inventory());
    }

    /** Stores a finished simulation run whose agents (the first {@code agents} specs) answer with {@code a}. */
    public long simulate(String engine, int agents, Answerer a) {
        return ws.write(tx -> {
            long run = tx.runs().insertFinished("simulation", "test " + engine, "{\"engine\":\"" + engine + "\"}",
                    "{\"specRunId\":" + specRunId + "}", "{}", Instant.now());
            tx.simAnswers().registerRun(new SimRun(run, specRunId, inventory(), 1, engine, "none"));
            for (int i = 0; i < agents; i++) {
                SpecRow s = specs.get(i);
                byte[] raw = personRaw(s);
                List<Answer> batch = new ArrayList<>();
                for (int item = 0; item < raw.length; item++) {
                    int v = a.answer(raw[item], item, i);
                    boolean ok = v >= 1 && v <= 5;
                    batch.add(new Answer(s.id(), item + 1, 0, ok ? v : 0,
                            ok ? SimAnswerRepository.ANSWERED : SimAnswerRepository.UNPARSEABLE, item, null, null, 0,
                            0, false));
                }
                tx.simAnswers().insert(run, batch);
            }
            return run;
        });
    }

    /** A person's answer copied (3 where the person left the item blank). */
    public static int copy(int person) {
        return person == 0 ? 3 : person;
    }
}
