package org.personalab.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.personalab.data.DatasetInfo;
import org.personalab.profile.Profile;
import org.personalab.profile.ScoredDataset;
import org.personalab.spec.AgentFile;
import org.personalab.spec.Finding;
import org.personalab.spec.SpecProvenance;
import org.personalab.spec.SpecValidator;
import org.personalab.spec.TemplateWriter;
import org.personalab.spec.TinyTroupeFiles;
import org.personalab.store.SpecRepository.SpecRow;
import org.personalab.store.StoreException;
import org.personalab.store.Workspace;
import org.personalab.task.RunRecord;
import org.personalab.task.TaskContext;

/**
 * Generates agent specifications with the offline template engine for the people of a dataset or split, keeps edits
 * as versions, resolves generation runs by name and exports them as TinyTroupe {@code .agent.json} files. A template
 * generation is one run (kind {@value #RUN_KIND}) stored with its specs in one transaction; LLM generation, which
 * stores each answer as it arrives and can resume, is {@link SpecGenerationService}.
 */
public final class SpecService {

    public static final String RUN_KIND = "spec_generation";

    /** What a generation produced. */
    public record Outcome(long runId, int specs, int skippedIncomplete, int errorFindings) {
    }

    private SpecService() {
    }

    /** Template (rule-based, offline) specs for the first {@code limit} people of a dataset (all when limit <= 0). */
    public static Outcome generateTemplate(Workspace ws, DatasetInfo d, int limit, TaskContext ctx) {
        return generateTemplate(ws, SplitSelection.wholeDataset(ws, d), limit, ctx);
    }

    /**
     * Template specs for the first {@code limit} people of a selection (a split part, a split set or a dataset; all
     * when limit <= 0), stored with their run in one transaction.
     */
    public static Outcome generateTemplate(Workspace ws, SplitSelection people, int limit, TaskContext ctx) {
        Instant started = Instant.now();
        DatasetInfo d = people.dataset();
        ScoredDataset sd = new DatasetService(ws).load(d, ctx);
        long[] ids = people.respondentIds();
        int n = limit > 0 ? Math.min(limit, ids.length) : ids.length;
        long first = ws.read(tx -> tx.datasets().respondentIds(d.id()))[0];
        TemplateWriter writer = new TemplateWriter();
        SpecValidator validator = new SpecValidator();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("engine", SpecProvenance.TEMPLATE_ENGINE);
        params.put("rules", TemplateWriter.RULES);
        params.put("limit", limit);
        Map<String, Object> inputs = people.inputs();
        int[] counts = new int[3];
        long runId = ws.write(tx -> {
            long run = tx.runs().insertFinished(RUN_KIND, "Template specs for " + people.label(),
                    Json.compact(params), Json.compact(inputs), "{}", started);
            for (int i = 0; i < n; i++) {
                Profile p = Profile.of(sd, (int) (ids[i] - first));
                if (!p.isComplete()) {
                    counts[1]++;
                    continue;
                }
                AgentFile file = writer.writeFile(p);
                List<Finding> findings = validator.validate(file.spec(), p);
                if (SpecValidator.hasErrors(findings)) {
                    counts[2]++;
                }
                tx.specs().insert(ids[i], SpecProvenance.TEMPLATE_ENGINE, 0, TinyTroupeFiles.format(file),
                        null, null, run);
                counts[0]++;
                if ((i & 255) == 0) {
                    ctx.checkCancelled();
                    ctx.progress(i, n);
                }
            }
            tx.runs().finish(run, RunRecord.SUCCEEDED, Json.compact(Map.of("specs", counts[0],
                    "skippedIncomplete", counts[1], "specsWithErrors", counts[2])), null);
            return run;
        });
        return new Outcome(runId, counts[0], counts[1], counts[2]);
    }

    /**
     * Saves an edited spec as a new version pointing at the one it edits (history: who, when, from what); the edited
     * text must parse as a TinyTroupe document. Returns the new spec's id.
     */
    public static long saveEdit(Workspace ws, long parentSpecId, String document, String author) {
        TinyTroupeFiles.parse(document); // refuse what TinyTroupe could not load
        if (author == null || author.isBlank()) {
            throw new IllegalArgumentException("an edit needs an author");
        }
        return ws.write(tx -> {
            SpecRow parent = tx.specs().get(parentSpecId)
                    .orElseThrow(() -> new StoreException("no spec " + parentSpecId));
            return tx.specs().insert(parent.respondentId(), "edit", parent.id(), document, null, author.strip(),
                    parent.runId());
        });
    }

    /** The versions of a spec from the original to {@code specId}, oldest first. */
    public static List<SpecRow> history(Workspace ws, long specId) {
        return ws.read(tx -> {
            java.util.ArrayList<SpecRow> chain = new java.util.ArrayList<>();
            SpecRow cur = tx.specs().get(specId).orElseThrow(() -> new StoreException("no spec " + specId));
            chain.add(cur);
            while (cur.parentId() > 0) {
                cur = tx.specs().get(cur.parentId()).orElseThrow();
                chain.add(cur);
            }
            java.util.Collections.reverse(chain);
            return chain;
        });
    }

    /** A run of {@code kind} by "latest", its numeric id or its exact title. */
    public static RunRecord resolveRun(Workspace ws, String kind, String name) {
        List<RunRecord> runs = ws.read(tx -> tx.runs().list()).stream().filter(r -> r.kind().equals(kind)).toList();
        if (runs.isEmpty()) {
            throw new StoreException("no " + kind + " run in " + ws.dir());
        }
        if (name.equals("latest")) {
            return runs.get(0);
        }
        for (RunRecord r : runs) {
            if (Long.toString(r.id()).equals(name) || r.title().equals(name)) {
                return r;
            }
        }
        throw new StoreException("no " + kind + " run named '" + name + "' in " + ws.dir() + " (use latest, an id or"
                + " a title)");
    }

    /**
     * Writes one {@code <name>-<respondent>.agent.json} per spec of a run into {@code out} ({@code -s<k>} before the
     * suffix for sample k > 0; an edit overwrites the file of the spec it edits); returns the number of specs.
     */
    public static int export(Workspace ws, long runId, Path out, TaskContext ctx) throws IOException {
        Files.createDirectories(out);
        List<SpecRow> specs = ws.read(tx -> tx.specs().byRun(runId));
        int i = 0;
        for (SpecRow s : specs) {
            AgentFile f = TinyTroupeFiles.parse(s.document());
            String name = f.spec().name() == null ? "agent" : f.spec().name().replaceAll("[^A-Za-z0-9_-]+", "_");
            String sample = s.sample() > 0 ? "-s" + s.sample() : "";
            TinyTroupeFiles.write(out.resolve(name + "-" + s.respondentId() + sample + TinyTroupeFiles.SUFFIX), f);
            if ((++i & 63) == 0) {
                ctx.checkCancelled();
                ctx.progress(i, specs.size());
            }
        }
        return specs.size();
    }
}
