package org.personalab.service;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.personalab.cluster.SplitMembers;
import org.personalab.cluster.SplitSetInfo;
import org.personalab.data.DatasetInfo;
import org.personalab.store.StoreException;
import org.personalab.store.Workspace;

/**
 * The people a pipeline stage runs over: one part of a stored split set ({@code "SET:PART"}, e.g.
 * {@code demo-split:test}), every member of a split set ({@code "SET"}), or a whole dataset. Holds the dataset and the
 * workspace respondent ids in ascending order, so stages (spec generation, simulation, judging) take exactly the
 * frozen people of a split and record where they came from ({@link #inputs()}).
 *
 * @param dataset the dataset the people belong to
 * @param splitSet the split set, or null for a whole dataset
 * @param part the split within the set ("test"), or null for every member of the set
 * @param respondentIds workspace respondent ids, ascending
 */
public record SplitSelection(DatasetInfo dataset, SplitSetInfo splitSet, String part, long[] respondentIds) {

    public SplitSelection {
        if (dataset == null || respondentIds == null) {
            throw new IllegalArgumentException("a selection needs a dataset and respondent ids");
        }
        if (part != null && splitSet == null) {
            throw new IllegalArgumentException("a split part needs its split set");
        }
    }

    /**
     * Resolves {@code "SET:PART"} or {@code "SET"} against the split sets of {@code ws}. A set whose own name contains
     * a colon is found by its whole name first.
     *
     * @throws StoreException naming the known split sets, or the parts of the set with their sizes
     */
    public static SplitSelection resolve(Workspace ws, String selector) {
        if (selector == null || selector.isBlank()) {
            throw new IllegalArgumentException("give a split as SET:PART (e.g. demo-split:test) or SET");
        }
        String s = selector.strip();
        SplitSetInfo whole = ws.read(tx -> tx.splits().find(s)).orElse(null);
        if (whole != null) {
            return of(ws, whole, null);
        }
        int colon = s.lastIndexOf(':');
        String setName = colon < 0 ? s : s.substring(0, colon);
        String part = colon < 0 ? null : s.substring(colon + 1);
        if (part != null && part.isBlank()) {
            throw new IllegalArgumentException("split '" + s + "': nothing after the colon; give SET:PART or SET");
        }
        SplitSetInfo set = ws.read(tx -> tx.splits().find(setName)).orElseThrow(() -> new StoreException(
                "no split set named '" + setName + "' in " + ws.dir() + " (it has: " + names(ws) + ")"));
        return of(ws, set, part);
    }

    /** The members of {@code set} in {@code part} (every member when part is null). */
    public static SplitSelection of(Workspace ws, SplitSetInfo set, String part) {
        DatasetInfo d = ws.read(tx -> tx.datasets().get(set.datasetId())).orElseThrow(() -> new StoreException(
                "split set " + set.name() + " points at a missing dataset (id " + set.datasetId() + ")"));
        SplitMembers m = ws.read(tx -> tx.splits().members(set.id()));
        if (part == null) {
            return new SplitSelection(d, set, null, sorted(m.respondentIds()));
        }
        Map<String, Integer> sizes = new TreeMap<>();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < m.size(); i++) {
            sizes.merge(m.splits()[i], 1, Integer::sum);
            if (m.splits()[i].equals(part)) {
                ids.add(m.respondentIds()[i]);
            }
        }
        if (ids.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            sizes.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append(" (").append(v)
                    .append(" people)"));
            throw new StoreException("split set " + set.name() + " has no part '" + part + "' (its parts: "
                    + (sb.isEmpty() ? "none" : sb) + ")");
        }
        return new SplitSelection(d, set, part, sorted(ids.stream().mapToLong(Long::longValue).toArray()));
    }

    /** Every person of a dataset. */
    public static SplitSelection wholeDataset(Workspace ws, DatasetInfo d) {
        return new SplitSelection(d, null, null, ws.read(tx -> tx.datasets().respondentIds(d.id())));
    }

    /**
     * The selection a run recorded with {@link #inputs()}: the split set by id (and part), else the whole dataset.
     *
     * @throws StoreException when the split set or dataset no longer exists
     */
    public static SplitSelection of(Workspace ws, long datasetId, long splitSetId, String part) {
        if (splitSetId > 0) {
            SplitSetInfo set = ws.read(tx -> tx.splits().get(splitSetId)).orElseThrow(() -> new StoreException(
                    "split set " + splitSetId + " no longer exists in " + ws.dir()));
            return of(ws, set, part);
        }
        DatasetInfo d = ws.read(tx -> tx.datasets().get(datasetId)).orElseThrow(() -> new StoreException(
                "dataset " + datasetId + " no longer exists in " + ws.dir()));
        return wholeDataset(ws, d);
    }

    public int size() {
        return respondentIds.length;
    }

    /** "demo-split:test", "demo-split" or the dataset's name. */
    public String label() {
        return splitSet == null ? dataset.name() : part == null ? splitSet.name() : splitSet.name() + ":" + part;
    }

    /** The ids to record as a run's inputs: dataset (id, name, norm set) and split set (id, name, part). */
    public Map<String, Object> inputs() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("datasetId", dataset.id());
        m.put("dataset", dataset.name());
        m.put("normSetId", dataset.normSetId());
        if (splitSet != null) {
            m.put("splitSetId", splitSet.id());
            m.put("splitSet", splitSet.name());
            if (part != null) {
                m.put("part", part);
            }
        }
        m.put("people", respondentIds.length);
        return m;
    }

    private static long[] sorted(long[] ids) {
        long[] c = ids.clone();
        Arrays.sort(c);
        return c;
    }

    private static String names(Workspace ws) {
        List<String> n = ws.read(tx -> tx.splits().list()).stream().map(SplitSetInfo::name).toList();
        return n.isEmpty() ? "none" : String.join(", ", n);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SplitSelection s && dataset.id() == s.dataset.id()
                && (splitSet == null ? s.splitSet == null : s.splitSet != null && splitSet.id() == s.splitSet.id())
                && java.util.Objects.equals(part, s.part) && Arrays.equals(respondentIds, s.respondentIds);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(dataset.id(), splitSet == null ? 0 : splitSet.id(), part,
                Arrays.hashCode(respondentIds));
    }

    @Override
    public String toString() {
        return label() + " (" + respondentIds.length + " people)";
    }
}
