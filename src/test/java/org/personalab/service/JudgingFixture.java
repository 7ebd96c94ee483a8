package org.personalab.service;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.personalab.cluster.Clustering;
import org.personalab.cluster.FeatureSpec;
import org.personalab.cluster.KMeansParams;
import org.personalab.cluster.SplitPlan;
import org.personalab.data.DatasetInfo;
import org.personalab.inventory.Facet;
import org.personalab.inventory.Level;
import org.personalab.profile.Profile;
import org.personalab.profile.ScoredDataset;
import org.personalab.spec.AgentFile;
import org.personalab.spec.AgentSpec;
import org.personalab.spec.SpecProvenance;
import org.personalab.spec.TemplateWriter;
import org.personalab.spec.TinyTroupeFiles;
import org.personalab.store.Workspace;
import org.personalab.task.TaskContext;

/**
 * A real workspace for the judging tests: synthetic people with a train/test split set ("js": 80/20 stratified by
 * cluster) and two spec runs over the first {@code people} complete profiles, made so the rubric's verdict is known:
 * person i (in id order) gets the faithful template spec in both runs when i % 3 == 0 (tie), a spec with three facet
 * levels one step off in run 2 when i % 3 == 1 (A wins), and in run 1 when i % 3 == 2 (B wins).
 */
public final class JudgingFixture {

    public final Workspace ws;
    public final long runA;
    public final long runB;
    /** Respondent id → expected rubric verdict code. */
    public final Map<Long, String> expected = new LinkedHashMap<>();

    public JudgingFixture(Path dir, int people) {
        ws = ClusterServiceTest.workspaceWithPeople(dir, 400);
        new ClusterService(ws).cluster(new ClusterService.Request("syn", "c3", FeatureSpec.DEFAULT,
                new KMeansParams(3, 2, 100, 1e-4, 3), new Clustering.Options(300, 0, 1000)), TaskContext.none());
        new SplitService(ws).split(new SplitService.Request("c3", "js", new SplitPlan.Fractions(
                new LinkedHashMap<>(Map.of("train", 0.8, "test", 0.2))), 7), TaskContext.none());
        DatasetInfo d = ws.read(tx -> tx.datasets().find("syn")).orElseThrow();
        ScoredDataset sd = new DatasetService(ws).load(d, TaskContext.none());
        long first = ws.read(tx -> tx.datasets().respondentIds(d.id()))[0];
        TemplateWriter w = new TemplateWriter();
        long[] runs = ws.write(tx -> {
            long a = tx.runs().insertFinished(SpecService.RUN_KIND, "run A", "{}", "{}", "{}", java.time.Instant.now());
            long b = tx.runs().insertFinished(SpecService.RUN_KIND, "run B", "{}", "{}", "{}", java.time.Instant.now());
            int n = 0;
            for (int row = 0; row < sd.size() && n < people; row++) {
                Profile p = Profile.of(sd, row);
                if (!p.isComplete()) {
                    continue;
                }
                long rid = first + row;
                AgentSpec good = w.write(p);
                AgentSpec bad = offBy(p, 3);
                int kind = n % 3;
                tx.specs().insert(rid, "template", 0, doc(kind == 2 ? bad : good), null, null, a);
                tx.specs().insert(rid, "template", 0, doc(kind == 1 ? bad : good), null, null, b);
                expected.put(rid, kind == 0 ? "tie" : kind == 1 ? "A" : "B");
                n++;
            }
            return new long[] {a, b};
        });
        runA = runs[0];
        runB = runs[1];
    }

    static AgentSpec offBy(Profile p, int n) {
        AgentSpec s = new TemplateWriter().write(p);
        for (int i = 0; i < n; i++) {
            Facet f = Facet.values()[i * 5];
            Level l = p.level(f);
            s.facet(f, Level.values()[l.ordinal() < 2 ? l.ordinal() + 1 : l.ordinal() - 1].label());
        }
        return s;
    }

    static String doc(AgentSpec s) {
        return TinyTroupeFiles.format(AgentFile.of(s, SpecProvenance.template(TemplateWriter.RULES)));
    }

    /** The people of a part of split set "js". */
    java.util.Set<Long> part(String part) {
        java.util.Set<Long> out = new java.util.HashSet<>();
        for (long id : SplitSelection.resolve(ws, "js:" + part).respondentIds()) {
            out.add(id);
        }
        return out;
    }
}
