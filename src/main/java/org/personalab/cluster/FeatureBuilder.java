package org.personalab.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.personalab.data.Responses;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Scale;
import org.personalab.task.TaskContext;

/**
 * Builds the {@link FeatureMatrix} of a dataset for a {@link FeatureSpec}: answers, sex, age, one-hot countries and
 * scores, missing values replaced by column means, then standardized. Deterministic: column statistics are summed
 * per fixed block of rows and the blocks combined in order.
 */
public final class FeatureBuilder {

    private FeatureBuilder() {
    }

    /**
     * @param scores {@link Scale#COUNT} scores per person (NaN = missing), needed only when the spec asks for scores
     */
    public static FeatureMatrix build(Responses r, float[] scores, FeatureSpec spec, TaskContext ctx) {
        int n = r.size();
        if (spec.scores() != FeatureSpec.Scores.NONE && (scores == null || scores.length != n * Scale.COUNT)) {
            throw new IllegalArgumentException("the feature spec asks for scores but none were given");
        }
        Layout lay = new Layout(r, spec);
        int d = lay.names.size();
        if ((long) n * d > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(n + " people × " + d + " features do not fit in one array");
        }
        ctx.message("Building features (" + d + " columns)");
        double[] fill = lay.fillValues(r, scores);
        float[] x = new float[n * d];
        Blocks.run(Blocks.count(n), b -> lay.fillRows(r, scores, fill, x, b * Blocks.ROWS,
                Math.min(n, (b + 1) * Blocks.ROWS)));
        ctx.checkCancelled();
        double[] mean = new double[d];
        double[] scale = new double[d];
        java.util.Arrays.fill(scale, 1);
        if (spec.standardize() && n > 0) {
            standardize(x, n, d, mean, scale);
        }
        return new FeatureMatrix(x, n, d, lay.names, mean, scale, lay.topCountries, spec);
    }

    /** Centres and scales every column in place; writes the means and divisors used. */
    static void standardize(float[] x, int n, int d, double[] mean, double[] scale) {
        int blocks = Blocks.count(n);
        double[][] part = new double[blocks][];
        Blocks.run(blocks, b -> {
            double[] s = new double[d];
            for (int row = b * Blocks.ROWS, end = Math.min(n, row + Blocks.ROWS); row < end; row++) {
                int base = row * d;
                for (int j = 0; j < d; j++) {
                    s[j] += x[base + j];
                }
            }
            part[b] = s;
        });
        for (double[] s : part) {
            for (int j = 0; j < d; j++) {
                mean[j] += s[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        Blocks.run(blocks, b -> {
            double[] s = new double[d];
            for (int row = b * Blocks.ROWS, end = Math.min(n, row + Blocks.ROWS); row < end; row++) {
                int base = row * d;
                for (int j = 0; j < d; j++) {
                    double v = x[base + j] - mean[j];
                    s[j] += v * v;
                }
            }
            part[b] = s;
        });
        double[] var = new double[d];
        for (double[] s : part) {
            for (int j = 0; j < d; j++) {
                var[j] += s[j];
            }
        }
        for (int j = 0; j < d; j++) {
            double sd = Math.sqrt(var[j] / n);
            // as StandardScaler: a (near) constant column is only centred
            scale[j] = sd < 10 * Math.ulp(Math.max(1.0, Math.abs(mean[j]))) ? 1.0 : sd;
        }
        float[] m = new float[d];
        float[] inv = new float[d];
        for (int j = 0; j < d; j++) {
            m[j] = (float) mean[j];
            inv[j] = (float) (1.0 / scale[j]);
        }
        Blocks.run(blocks, b -> {
            for (int row = b * Blocks.ROWS, end = Math.min(n, row + Blocks.ROWS); row < end; row++) {
                int base = row * d;
                for (int j = 0; j < d; j++) {
                    x[base + j] = (x[base + j] - m[j]) * inv[j];
                }
            }
        });
    }

    /** Which source goes to which column. */
    private static final class Layout {
        final FeatureSpec spec;
        final List<String> names = new ArrayList<>();
        final List<String> topCountries = new ArrayList<>();
        final Map<String, Integer> countryColumn = new HashMap<>();
        final boolean[] flip;
        final int[] scaleIndex;
        int itemStart = -1;
        int sexCol = -1;
        int ageCol = -1;
        int countryStart = -1;
        int otherCol = -1;
        int scoreStart = -1;

        Layout(Responses r, FeatureSpec spec) {
            this.spec = spec;
            int k = r.items();
            flip = new boolean[k];
            if (spec.items() != FeatureSpec.Items.NONE) {
                AnswerEncoding want = spec.items() == FeatureSpec.Items.RAW ? AnswerEncoding.RAW
                        : AnswerEncoding.KEYED;
                for (int i = 0; i < k; i++) {
                    flip[i] = want != r.encoding() && r.inventory().items().get(i).reversed();
                }
                itemStart = names.size();
                for (int i = 1; i <= k; i++) {
                    names.add("i" + i);
                }
            }
            if (spec.sex()) {
                sexCol = names.size();
                names.add("female");
            }
            if (spec.age()) {
                ageCol = names.size();
                names.add("age");
            }
            if (spec.country()) {
                rankCountries(r.countryColumn(), spec.topCountries());
                countryStart = names.size();
                for (String c : topCountries) {
                    countryColumn.put(c, names.size());
                    names.add("country=" + c);
                }
                otherCol = names.size();
                names.add("country=other");
            }
            List<Integer> scales = new ArrayList<>();
            switch (spec.scores()) {
                case FACETS -> addRange(scales, 0, Scale.FACETS);
                case DOMAINS -> addRange(scales, Scale.FACETS, Scale.COUNT);
                case ALL -> addRange(scales, 0, Scale.COUNT);
                case NONE -> { }
            }
            scaleIndex = scales.stream().mapToInt(Integer::intValue).toArray();
            if (scaleIndex.length > 0) {
                scoreStart = names.size();
                for (int s : scaleIndex) {
                    names.add("score:" + Scale.values()[s].name());
                }
            }
        }

        private static void addRange(List<Integer> l, int from, int to) {
            for (int i = from; i < to; i++) {
                l.add(i);
            }
        }

        private void rankCountries(String[] country, int top) {
            Map<String, int[]> counts = new HashMap<>();
            for (String c : country) {
                if (c != null && !c.isBlank()) {
                    counts.computeIfAbsent(c, x -> new int[1])[0]++;
                }
            }
            counts.entrySet().stream()
                    .sorted(Comparator.<Map.Entry<String, int[]>>comparingInt(e -> -e.getValue()[0])
                            .thenComparing(Map.Entry::getKey))
                    .limit(top).forEach(e -> topCountries.add(e.getKey()));
        }

        /** Per column: the value that replaces a missing one (the mean of the known values). */
        double[] fillValues(Responses r, float[] scores) {
            int n = r.size();
            int k = r.items();
            byte[] ans = r.answerMatrix();
            byte[] sex = r.sexColumn();
            short[] age = r.ageColumn();
            int blocks = Blocks.count(n);
            int nScores = scaleIndex.length;
            // per block: item sums/counts, women/known sex, age sum/known, score sums/counts
            long[][] part = new long[blocks][];
            double[][] scorePart = new double[blocks][];
            Blocks.run(blocks, b -> {
                long[] s = new long[2 * k + 4 + nScores];
                double[] ss = new double[nScores];
                for (int row = b * Blocks.ROWS, end = Math.min(n, row + Blocks.ROWS); row < end; row++) {
                    if (itemStart >= 0) {
                        int base = row * k;
                        for (int i = 0; i < k; i++) {
                            int v = ans[base + i];
                            if (v != 0) {
                                s[i] += flip[i] ? 6 - v : v;
                                s[k + i]++;
                            }
                        }
                    }
                    if (sex[row] == 1 || sex[row] == 2) {
                        s[2 * k] += sex[row] == 2 ? 1 : 0;
                        s[2 * k + 1]++;
                    }
                    if (age[row] > 0) {
                        s[2 * k + 2] += age[row];
                        s[2 * k + 3]++;
                    }
                    for (int q = 0; q < nScores; q++) {
                        float v = scores[row * Scale.COUNT + scaleIndex[q]];
                        if (!Float.isNaN(v)) {
                            ss[q] += v;
                            s[2 * k + 4 + q]++;
                        }
                    }
                }
                part[b] = s;
                scorePart[b] = ss;
            });
            long[] tot = new long[2 * k + 4 + nScores];
            double[] scoreTot = new double[nScores];
            for (int b = 0; b < blocks; b++) {
                for (int i = 0; i < tot.length; i++) {
                    tot[i] += part[b][i];
                }
                for (int q = 0; q < nScores; q++) {
                    scoreTot[q] += scorePart[b][q];
                }
            }
            double[] fill = new double[names.size()];
            if (itemStart >= 0) {
                for (int i = 0; i < k; i++) {
                    fill[itemStart + i] = tot[k + i] == 0 ? 3.0 : (double) tot[i] / tot[k + i];
                }
            }
            if (sexCol >= 0) {
                fill[sexCol] = tot[2 * k + 1] == 0 ? 0.5 : (double) tot[2 * k] / tot[2 * k + 1];
            }
            if (ageCol >= 0) {
                fill[ageCol] = tot[2 * k + 3] == 0 ? 0 : (double) tot[2 * k + 2] / tot[2 * k + 3];
            }
            for (int q = 0; q < nScores; q++) {
                long c = tot[2 * k + 4 + q];
                fill[scoreStart + q] = c == 0 ? 3.0 : scoreTot[q] / c;
            }
            return fill;
        }

        void fillRows(Responses r, float[] scores, double[] fill, float[] x, int from, int to) {
            int k = r.items();
            int d = names.size();
            byte[] ans = r.answerMatrix();
            byte[] sex = r.sexColumn();
            short[] age = r.ageColumn();
            String[] country = r.countryColumn();
            float[] fillF = new float[d];
            for (int j = 0; j < d; j++) {
                fillF[j] = (float) fill[j];
            }
            for (int row = from; row < to; row++) {
                int base = row * d;
                if (itemStart >= 0) {
                    int src = row * k;
                    for (int i = 0; i < k; i++) {
                        int v = ans[src + i];
                        x[base + itemStart + i] = v == 0 ? fillF[itemStart + i] : flip[i] ? 6 - v : v;
                    }
                }
                if (sexCol >= 0) {
                    x[base + sexCol] = sex[row] == 2 ? 1f : sex[row] == 1 ? 0f : fillF[sexCol];
                }
                if (ageCol >= 0) {
                    x[base + ageCol] = age[row] > 0 ? age[row] : fillF[ageCol];
                }
                if (otherCol >= 0) {
                    Integer col = country[row] == null ? null : countryColumn.get(country[row]);
                    x[base + (col == null ? otherCol : col)] = 1f;
                }
                for (int q = 0; q < scaleIndex.length; q++) {
                    float v = scores[row * Scale.COUNT + scaleIndex[q]];
                    x[base + scoreStart + q] = Float.isNaN(v) ? fillF[scoreStart + q] : v;
                }
            }
        }
    }
}
