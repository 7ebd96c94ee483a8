package org.personalab.judge;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The dashboard of a judging run: progress of human review, the judge's position consistency, agreement of the judge
 * with each annotator (Cohen's κ with a confusion table, judge in rows) and among annotators (Krippendorff's α), the
 * effective verdict counts and the money spent.
 *
 * @param judgments         judgments in the run
 * @param reviewed          judgments with at least one standing annotator label
 * @param overridden        judgments whose effective verdict comes from an annotator
 * @param reviewedBy        annotator → judgments they labelled
 * @param effective         effective verdict → count
 * @param consistency       the judge's position consistency
 * @param judgeVsAnnotator  annotator → κ of the judge against them
 * @param confusion         annotator → confusion table (rows: judge A/B/tie, columns: annotator A/B/tie)
 * @param annotatorsAlpha   Krippendorff's α among annotators over judgments two or more of them labelled
 * @param costUsd           dollars paid for the run's LLM calls (0 for offline judges)
 */
public record ReviewSummary(int judgments, int reviewed, int overridden, Map<String, Integer> reviewedBy,
        Map<Verdict, Integer> effective, PositionConsistency consistency, Map<String, Interval> judgeVsAnnotator,
        Map<String, Agreement.Confusion<Verdict>> confusion, Interval annotatorsAlpha, double costUsd) {

    public static final List<Verdict> CATEGORIES = List.of(Verdict.A, Verdict.B, Verdict.TIE);

    public static ReviewSummary of(List<JudgedPair> pairs, List<String> knownAnnotators, double costUsd) {
        TreeSet<String> annotators = new TreeSet<>(knownAnnotators);
        for (JudgedPair p : pairs) {
            p.overrides().forEach(o -> annotators.add(o.annotator()));
        }
        List<String> names = new ArrayList<>(annotators);
        Map<String, Integer> by = new LinkedHashMap<>();
        names.forEach(n -> by.put(n, 0));
        Map<Verdict, Integer> eff = new EnumMap<>(Verdict.class);
        CATEGORIES.forEach(v -> eff.put(v, 0));
        int reviewed = 0;
        int overridden = 0;
        List<Verdict> judge = new ArrayList<>();
        Map<String, List<Verdict>> labels = new LinkedHashMap<>();
        names.forEach(n -> labels.put(n, new ArrayList<>()));
        List<List<Verdict>> units = new ArrayList<>();
        List<List<OrderAnswer>> orders = new ArrayList<>();
        for (JudgedPair p : pairs) {
            eff.merge(p.effective(), 1, Integer::sum);
            overridden += p.overridden() ? 1 : 0;
            orders.add(p.orders());
            judge.add(p.judgeVerdict());
            List<Verdict> unit = new ArrayList<>();
            boolean any = false;
            for (String n : names) {
                Verdict l = p.labelOf(n);
                labels.get(n).add(l);
                unit.add(l);
                if (l != null) {
                    any = true;
                    by.merge(n, 1, Integer::sum);
                }
            }
            reviewed += any ? 1 : 0;
            units.add(unit);
        }
        Map<String, Interval> kappa = new LinkedHashMap<>();
        Map<String, Agreement.Confusion<Verdict>> conf = new LinkedHashMap<>();
        for (String n : names) {
            kappa.put(n, Agreement.cohenKappa(CATEGORIES, judge, labels.get(n)));
            conf.put(n, Agreement.confusion(CATEGORIES, judge, labels.get(n)));
        }
        Interval alpha = names.size() < 2 ? Interval.empty() : Agreement.krippendorffAlphaInterval(units);
        return new ReviewSummary(pairs.size(), reviewed, overridden, by, eff, PositionConsistency.of(orders), kappa,
                conf, alpha, costUsd);
    }
}
