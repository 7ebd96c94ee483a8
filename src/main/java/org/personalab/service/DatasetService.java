package org.personalab.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.personalab.data.DatasetInfo;
import org.personalab.data.Responses;
import org.personalab.inventory.Scorer;
import org.personalab.inventory.ScoringRule;
import org.personalab.profile.NormSet;
import org.personalab.profile.Norms;
import org.personalab.profile.ScoredDataset;
import org.personalab.store.StoreException;
import org.personalab.store.Workspace;
import org.personalab.task.TaskContext;

/**
 * Reads datasets of one workspace back as {@link ScoredDataset}s: answers from the database, scores recomputed by the
 * dataset's own scoring rule, levels from its stored norm set. Keeps the two most recently used in memory.
 */
public final class DatasetService {

    private final Workspace workspace;
    private final Map<Long, ScoredDataset> cache = new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ScoredDataset> eldest) {
            return size() > 2;
        }
    };

    public DatasetService(Workspace workspace) {
        this.workspace = workspace;
    }

    public Workspace workspace() {
        return workspace;
    }

    public List<DatasetInfo> list() {
        return workspace.read(tx -> tx.datasets().list());
    }

    public DatasetInfo require(String name) {
        return workspace.read(tx -> tx.datasets().find(name)).orElseThrow(() -> new StoreException(
                "no dataset named '" + name + "' in " + workspace.dir() + " (it has: "
                        + String.join(", ", list().stream().map(DatasetInfo::name).toList()) + ")"));
    }

    /** Loads (or returns the cached) scored dataset. */
    public ScoredDataset load(DatasetInfo info, TaskContext ctx) {
        synchronized (cache) {
            ScoredDataset hit = cache.get(info.id());
            if (hit != null) {
                return hit;
            }
        }
        ctx.message("Loading " + info.name());
        Responses r = workspace.read(tx -> tx.datasets().loadResponses(info, ctx));
        ctx.checkCancelled();
        ctx.message("Scoring " + info.name());
        float[] scores = new Scorer(info.inventory(), info.encoding(), new ScoringRule(info.scoringRule()))
                .scoreAll(r.answerMatrix(), r.size());
        NormSet norms = info.normSetId() > 0 ? workspace.read(tx -> tx.norms().load(info.normSetId())) : null;
        if (norms == null) {
            throw new StoreException("dataset " + info.name() + " has no norm set");
        }
        Norms.Placement placement = Norms.place(norms, r, scores);
        ScoredDataset sd = new ScoredDataset(info, r, scores, placement, norms);
        synchronized (cache) {
            cache.put(info.id(), sd);
        }
        return sd;
    }

    /** Puts a freshly imported dataset in the cache so the browser need not read it back. */
    public void remember(ScoredDataset sd) {
        synchronized (cache) {
            cache.put(sd.info().id(), sd);
        }
    }
}
