package org.personalab.judge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds the pairs to judge from the specs of one or two spec runs: always two specs of the same person, in a fixed
 * order (the pairs of the seed paper were Qwen2.5-72B vs QwQ-32B and 72B vs 7B, one spec per person from each).
 * Pure: the caller reads the specs; the output is sorted by person, then by the specs' ids.
 */
public final class PairBuilder {

    /**
     * One stored spec as pairing sees it.
     *
     * @param parentId the spec this one edits, 0 for an original
     * @param sample   the sample index of its provenance (0 for the first or only one)
     */
    public record Candidate(long specId, long respondentId, long parentId, int sample) {

        boolean original() {
            return parentId <= 0;
        }
    }

    private static final Comparator<Candidate> FIRST = Comparator.comparingInt(Candidate::sample)
            .thenComparingLong(Candidate::specId);

    private PairBuilder() {
    }

    /**
     * The same person's spec from run A and from run B (originals only, not edits; where a run holds several samples of
     * a person, its first sample). People with a spec in only one run are left out.
     */
    public static List<SpecPair> betweenRuns(List<Candidate> runA, List<Candidate> runB, String labelA,
            String labelB) {
        Map<Long, Candidate> a = firstPerPerson(runA);
        Map<Long, Candidate> b = firstPerPerson(runB);
        List<SpecPair> out = new ArrayList<>();
        for (Map.Entry<Long, Candidate> e : a.entrySet()) {
            Candidate other = b.get(e.getKey());
            if (other != null && other.specId() != e.getValue().specId()) {
                out.add(new SpecPair(e.getValue().specId(), other.specId(), e.getKey(), labelA, labelB));
            }
        }
        return out;
    }

    /** Each original spec of a run against the newest version in its chain of edits; unedited specs are left out. */
    public static List<SpecPair> edits(List<Candidate> specs) {
        Map<Long, Candidate> byId = new HashMap<>();
        specs.forEach(s -> byId.put(s.specId(), s));
        Map<Long, Long> newest = new TreeMap<>(); // original id -> newest descendant id
        for (Candidate s : specs) {
            if (s.original()) {
                continue;
            }
            Candidate root = s;
            int guard = 0;
            while (!root.original() && byId.containsKey(root.parentId()) && guard++ < 10_000) {
                root = byId.get(root.parentId());
            }
            if (root.original()) {
                newest.merge(root.specId(), s.specId(), Math::max);
            }
        }
        List<SpecPair> out = new ArrayList<>();
        newest.forEach((orig, edit) -> out.add(new SpecPair(orig, edit, byId.get(orig).respondentId(), "original",
                "edited")));
        out.sort(Comparator.comparingLong(SpecPair::respondentId).thenComparingLong(SpecPair::specA));
        return out;
    }

    /** Every two samples of the same person in one run (originals only), lower sample first. */
    public static List<SpecPair> samples(List<Candidate> specs) {
        Map<Long, List<Candidate>> byPerson = new TreeMap<>();
        for (Candidate s : specs) {
            if (s.original()) {
                byPerson.computeIfAbsent(s.respondentId(), k -> new ArrayList<>()).add(s);
            }
        }
        List<SpecPair> out = new ArrayList<>();
        byPerson.forEach((person, list) -> {
            list.sort(FIRST);
            for (int i = 0; i < list.size(); i++) {
                for (int j = i + 1; j < list.size(); j++) {
                    Candidate x = list.get(i);
                    Candidate y = list.get(j);
                    out.add(new SpecPair(x.specId(), y.specId(), person, "sample " + x.sample(),
                            "sample " + y.sample()));
                }
            }
        });
        return out;
    }

    /** Only the pairs about the given people. */
    public static List<SpecPair> restrict(List<SpecPair> pairs, Set<Long> people) {
        return pairs.stream().filter(p -> people.contains(p.respondentId())).toList();
    }

    private static Map<Long, Candidate> firstPerPerson(List<Candidate> run) {
        Map<Long, Candidate> m = new TreeMap<>();
        for (Candidate s : run) {
            if (s.original()) {
                m.merge(s.respondentId(), s, (x, y) -> FIRST.compare(x, y) <= 0 ? x : y);
            }
        }
        return m;
    }
}
