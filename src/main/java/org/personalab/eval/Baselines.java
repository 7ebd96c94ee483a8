package org.personalab.eval;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.personalab.data.AgeGroup;
import org.personalab.data.Responses;
import org.personalab.data.Sex;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;
import org.personalab.profile.ItemLevelModel;
import org.personalab.profile.NormGroup;
import org.personalab.profile.ScoredDataset;
import org.personalab.task.TaskContext;

/**
 * Evaluates the {@link Baseline}s on the people an agent run reproduces, with the same {@link AgentScorer}.
 *
 * <p><b>No leakage.</b> The population mode, the cohort means and the profile ceiling's {@link ItemLevelModel} are
 * estimated by cross-fitting: the evaluated people are dealt into {@code folds} folds (person i into fold i mod K),
 * and a person's baseline answers come from every dataset row <em>except</em> their fold. So no person's own answers
 * ever predict themselves, yet small datasets (PAPI's 300 test subjects, all evaluated) still have 80 % of the people
 * to estimate from. A person without a level on a facet gets the population mode for that facet's items in the
 * profile ceilings.
 */
public final class Baselines {

    /**
     * @param seed         seeds the uniform random answer sheets
     * @param uniformDraws random answer sheets per person for the uniform baseline's scale metrics
     * @param folds        cross-fitting folds (at most one per person)
     */
    public record Params(long seed, int uniformDraws, int folds) {
        public static final Params DEFAULT = new Params(42, 100, 5);

        public Params {
            if (uniformDraws < 1 || folds < 2) {
                throw new IllegalArgumentException("need at least 1 uniform draw and 2 folds");
            }
        }
    }

    private static final int AGES = AgeGroup.values().length;
    private static final int COMBOS = Sex.values().length * AGES;

    /** Expected |uniform guess - v| for v = 1..5 (index v): (0+1+2+3+4)/5 = 2 at the ends, 1.4, then 1.2 mid-scale. */
    static final double[] UNIFORM_ABS = {Double.NaN, 2.0, 1.4, 1.2, 1.4, 2.0};
    /** P(|uniform guess - v| &le; 1) for v = 1..5: 2/5 at the ends, 3/5 inside. */
    static final double[] UNIFORM_WITHIN_ONE = {Double.NaN, 0.4, 0.6, 0.6, 0.6, 0.4};

    private Baselines() {
    }

    /**
     * Every baseline for every person, lists in the order of {@code persons}.
     *
     * @param sd      the dataset the persons come from (their {@link PersonTarget#row()} indexes it)
     * @param persons distinct people, answers aligned to {@code scorer}'s inventory
     */
    public static Map<Baseline, List<AgentScores>> evaluate(ScoredDataset sd, List<PersonTarget> persons,
            AgentScorer scorer, Params params, TaskContext ctx) {
        Set<Integer> seen = new HashSet<>();
        for (PersonTarget p : persons) {
            if (p.row() < 0 || p.row() >= sd.size()) {
                throw new IllegalArgumentException("person " + p.id() + ": row " + p.row() + " is not in dataset "
                        + sd.info().name());
            }
            if (!seen.add(p.row())) {
                throw new IllegalArgumentException("person " + p.id() + " is listed twice");
            }
        }
        Map<Baseline, AgentScores[]> out = new EnumMap<>(Baseline.class);
        for (Baseline b : Baseline.values()) {
            out.put(b, new AgentScores[persons.size()]);
        }
        Counts all = Counts.of(sd);
        int folds = Math.min(params.folds(), persons.size());
        Inventory dataInv = sd.responses().inventory();
        Scale[] facetOf = new Scale[dataInv.size()];
        for (int i = 0; i < facetOf.length; i++) {
            facetOf[i] = Scale.of(dataInv.items().get(i).facet());
        }
        for (int f = 0; f < folds; f++) {
            ctx.checkCancelled();
            ctx.message("Baselines: fold " + (f + 1) + " of " + folds);
            ctx.progress(f, folds);
            List<Integer> members = new ArrayList<>();
            boolean[] held = new boolean[sd.size()];
            for (int i = f; i < persons.size(); i += folds) {
                members.add(i);
                held[persons.get(i).row()] = true;
            }
            Counts c = all.copy();
            for (int i : members) {
                c.remove(sd.responses(), persons.get(i).row());
            }
            int[] rest = new int[sd.size() - members.size()];
            int j = 0;
            for (int r = 0; r < sd.size(); r++) {
                if (!held[r]) {
                    rest[j++] = r;
                }
            }
            ItemLevelModel model = ItemLevelModel.estimate(sd, rest);
            byte[] mode = c.modes();
            for (int i : members) {
                PersonTarget p = persons.get(i);
                byte[] cohort = c.cohortMeans(p.group());
                byte[] profileMode = new byte[dataInv.size()];
                byte[] profileMedian = new byte[dataInv.size()];
                for (int item = 0; item < profileMode.length; item++) {
                    Level level = Level.ofCode(sd.levelCode(p.row(), facetOf[item]));
                    profileMode[item] = level == null ? mode[item] : (byte) model.mode(item, level);
                    profileMedian[item] = level == null ? mode[item] : (byte) model.median(item, level);
                }
                Inventory agentInv = scorer.inventory();
                out.get(Baseline.POPULATION_MODE)[i] = scorer.score(0, PersonTarget.align(mode, dataInv, agentInv), p);
                out.get(Baseline.COHORT_MEAN)[i] = scorer.score(0, PersonTarget.align(cohort, dataInv, agentInv), p);
                out.get(Baseline.PROFILE_MODE)[i] = scorer.score(0,
                        PersonTarget.align(profileMode, dataInv, agentInv), p);
                out.get(Baseline.PROFILE_MEDIAN)[i] = scorer.score(0,
                        PersonTarget.align(profileMedian, dataInv, agentInv), p);
            }
        }
        for (int i = 0; i < persons.size(); i++) {
            if ((i & 63) == 0) {
                ctx.checkCancelled();
            }
            out.get(Baseline.UNIFORM_RANDOM)[i] = uniform(scorer, persons.get(i), params.uniformDraws(),
                    params.seed());
        }
        ctx.progress(folds, folds);
        Map<Baseline, List<AgentScores>> result = new EnumMap<>(Baseline.class);
        out.forEach((b, a) -> result.put(b, List.of(a)));
        return result;
    }

    /**
     * The uniform random answerer for one person: item metrics and PAPI aligned scores are exact expectations over
     * the items the person answered; scale metrics are the mean over {@code draws} seeded random answer sheets.
     */
    public static AgentScores uniform(AgentScorer scorer, PersonTarget p, int draws, long seed) {
        int k = scorer.inventory().size();
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + p.row() * 31L + p.id().hashCode());
        List<AgentScores> sheets = new ArrayList<>(draws);
        byte[] sheet = new byte[k];
        for (int d = 0; d < draws; d++) {
            for (int i = 0; i < k; i++) {
                sheet[i] = (byte) (1 + rng.nextInt(5));
            }
            sheets.add(scorer.score(0, sheet, p));
        }
        AgentScores mean = AgentScores.average(sheets);
        double[] m = mean.metrics().clone();
        byte[] v = p.rawAnswers();
        int compared = 0;
        double within = 0;
        double abs = 0;
        for (byte x : v) {
            if (x != 0) {
                compared++;
                within += UNIFORM_WITHIN_ONE[x];
                abs += UNIFORM_ABS[x];
            }
        }
        m[Metric.EXACT_ACCURACY.ordinal()] = compared == 0 ? Double.NaN : 0.2;
        m[Metric.WITHIN_ONE_ACCURACY.ordinal()] = compared == 0 ? Double.NaN : within / compared;
        m[Metric.MAD.ordinal()] = compared == 0 ? Double.NaN : abs / compared;
        m[Metric.ANSWERED_RATE.ordinal()] = 1;
        m[Metric.MISSING_RATE.ordinal()] = 0;
        AgentScorer.setPapi(m, PapiAligned.expected(scorer.inventory(), v, (item, person) -> UNIFORM_ABS[person]));
        return new AgentScores(p.id(), 0, p.respondentId(), m, mean.scales());
    }

    /** Raw answer counts per item, overall and per (sex, age group) bucket; people can be taken out again. */
    private static final class Counts {
        final Inventory inventory;
        final boolean[] flip;
        final long[][] item; // [item][answer-1]
        final long[][] comboSum; // [combo][item]
        final int[][] comboN;

        private Counts(Inventory inventory, boolean[] flip, long[][] item, long[][] comboSum, int[][] comboN) {
            this.inventory = inventory;
            this.flip = flip;
            this.item = item;
            this.comboSum = comboSum;
            this.comboN = comboN;
        }

        static Counts of(ScoredDataset sd) {
            Responses r = sd.responses();
            Inventory inv = r.inventory();
            int k = inv.size();
            boolean[] flip = new boolean[k];
            for (int i = 0; i < k; i++) {
                flip[i] = r.encoding() == AnswerEncoding.KEYED && inv.items().get(i).reversed();
            }
            Counts c = new Counts(inv, flip, new long[k][5], new long[COMBOS][k], new int[COMBOS][k]);
            byte[] a = r.answerMatrix();
            for (int row = 0; row < r.size(); row++) {
                c.add(r, a, row, 1);
            }
            return c;
        }

        private void add(Responses r, byte[] a, int row, int sign) {
            int k = inventory.size();
            int combo = combo(r, row);
            int base = row * k;
            for (int i = 0; i < k; i++) {
                int v = a[base + i];
                if (v != 0) {
                    if (flip[i]) {
                        v = 6 - v;
                    }
                    item[i][v - 1] += sign;
                    comboSum[combo][i] += sign * v;
                    comboN[combo][i] += sign;
                }
            }
        }

        void remove(Responses r, int row) {
            add(r, r.answerMatrix(), row, -1);
        }

        Counts copy() {
            long[][] i2 = new long[item.length][];
            for (int i = 0; i < item.length; i++) {
                i2[i] = item[i].clone();
            }
            long[][] s2 = new long[COMBOS][];
            int[][] n2 = new int[COMBOS][];
            for (int c = 0; c < COMBOS; c++) {
                s2[c] = comboSum[c].clone();
                n2[c] = comboN[c].clone();
            }
            return new Counts(inventory, flip, i2, s2, n2);
        }

        /** Most common raw answer per item; ties go to the answer nearer the middle, then the lower one. */
        byte[] modes() {
            byte[] out = new byte[item.length];
            for (int i = 0; i < item.length; i++) {
                int best = 2;
                for (int a = 0; a < 5; a++) {
                    long c = item[i][a];
                    long b = item[i][best];
                    if (c > b || (c == b && Math.abs(a - 2) < Math.abs(best - 2))) {
                        best = a;
                    }
                }
                out[i] = (byte) (best + 1);
            }
            return out;
        }

        /**
         * Per item, the mean raw answer of the people in {@code group} rounded half up to an option; the population
         * mean where the group has no answer to the item, 3 where nobody has.
         */
        byte[] cohortMeans(NormGroup group) {
            int k = item.length;
            byte[] out = new byte[k];
            for (int i = 0; i < k; i++) {
                long sum = 0;
                long n = 0;
                long allSum = 0;
                long allN = 0;
                for (int c = 0; c < COMBOS; c++) {
                    allSum += comboSum[c][i];
                    allN += comboN[c][i];
                    if (group == null || group.contains(Sex.values()[c / AGES], AgeGroup.values()[c % AGES])) {
                        sum += comboSum[c][i];
                        n += comboN[c][i];
                    }
                }
                double mean = n > 0 ? (double) sum / n : allN > 0 ? (double) allSum / allN : 3;
                out[i] = (byte) Math.max(1, Math.min(5, Math.floor(mean + 0.5)));
            }
            return out;
        }

        private static int combo(Responses r, int row) {
            return Sex.ofCode(r.sexCode(row)).ordinal() * AGES + AgeGroup.of(r.age(row)).ordinal();
        }
    }
}
