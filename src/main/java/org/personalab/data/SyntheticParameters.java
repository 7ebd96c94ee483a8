package org.personalab.data;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;
import org.personalab.inventory.Scale;
import org.personalab.inventory.Scorer;
import org.personalab.inventory.ScoringRule;

/**
 * Parameters of the synthetic population model, estimated from a real dataset; only these derived numbers are ever
 * committed, never the rows they came from. See {@link SyntheticPopulation} for the model (a Gaussian copula over
 * the items with per-sex ordinal marginals).
 * <p>
 * All answer figures are about <b>keyed</b> (trait-aligned) answers 1..5, whatever the source's encoding.
 * {@link #estimate} derives, with every number rounded to 4 decimals:
 * <ul>
 * <li>{@code maleCategories}/{@code femaleCategories}: per item the probabilities of the answers 1..5 among that
 * sex's answered items, with {@value #PSEUDO_COUNT} pseudo-counts added to each category (so a 620,000-person
 * population can give an answer that the 97 men of the source happened not to give; it moves an item mean by about
 * 0.01 at most);</li>
 * <li>{@code latentCorrelation}: the item correlation matrix R of the copula. Each answer is replaced by its normal
 * score E[Z | Z in the threshold interval of that answer] under its sex's marginal (missing = 0, the mean). The
 * Pearson correlations r of these scores are divided by a<sub>i</sub>·a<sub>j</sub> (a = standard deviation of an
 * item's normal scores = corr(Z, score)), which undoes, to first order, the attenuation that cutting Z into 5
 * categories causes, so that the generated answers correlate like the source's rather than less. The corrected
 * matrix of 120 items from 300 people is not positive definite; eigenvalues below {@value #MIN_EIGENVALUE} are
 * raised to it (Jacobi eigendecomposition, then rescaled to a unit diagonal), and the result is shrunk toward the
 * identity by {@code shrinkage} (at least {@value #MIN_SHRINKAGE}; more if rounding ever broke positive
 * definiteness);</li>
 * <li>{@code missingRate}: per item the share of 0 answers (missing completely at random in the model);</li>
 * <li>{@code maleShare}: P(male) among respondents of known sex; {@code age}: P(age in years) over the plausible
 * ages {@value #MIN_AGE}..{@value #MAX_AGE} (others are ignored); {@code country}: P(country) for the most frequent
 * countries plus "Other";</li>
 * <li>{@code reference}: plain observed statistics of the source (item means, domain correlations, mean age) that
 * tests compare synthetic data with when the source itself is not at hand.</li>
 * </ul>
 * The arrays are shared, not copied: treat them as read-only.
 *
 * @param source            what the parameters were estimated from
 * @param inventory         inventory name, e.g. "IPIP-NEO-120"
 * @param respondents       number of source respondents
 * @param shrinkage         weight of the identity in {@code latentCorrelation}
 * @param maleShare         P(sex = male) of a synthetic respondent
 * @param maleCategories    [item][answer-1] probabilities of keyed answers 1..5 for men
 * @param femaleCategories  the same for women
 * @param missingRate       [item] probability that an answer is missing
 * @param latentCorrelation [item][item] correlation matrix of the latent normal variables
 * @param age               age in years → probability
 * @param country           country → probability, most frequent first, "Other" last
 * @param reference         observed source statistics, for validation
 */
public record SyntheticParameters(String source, String inventory, int respondents, double shrinkage,
        double maleShare, double[][] maleCategories, double[][] femaleCategories, double[] missingRate,
        double[][] latentCorrelation, Map<Integer, Double> age, Map<String, Double> country, Reference reference) {

    public static final int MIN_AGE = 10;
    public static final int MAX_AGE = 90;
    public static final double MIN_SHRINKAGE = 0.05;
    /** Pseudo-count added to each answer category of each item distribution (additive smoothing). */
    public static final double PSEUDO_COUNT = 0.1;
    /** Smallest eigenvalue kept when the attenuation-corrected correlation matrix is repaired. */
    public static final double MIN_EIGENVALUE = 0.01;
    /** Countries kept by name: at most this many, each with at least {@link #MIN_COUNTRY_COUNT} respondents. */
    public static final int TOP_COUNTRIES = 15;
    public static final int MIN_COUNTRY_COUNT = 2;
    public static final String OTHER_COUNTRY = "Other";
    public static final String BUNDLED_RESOURCE = "synthetic-ipip120.json";

    /**
     * Observed (unsmoothed) source statistics. Item means are over answered items only; domain correlations are
     * Pearson correlations of the domain scores (N, E, O, A, C) of respondents with all five scored.
     */
    public record Reference(double[] itemMean, double[] maleItemMean, double[] femaleItemMean,
            double[][] domainCorrelation, double meanAge) {
    }

    public SyntheticParameters {
        int k = Inventory.byName(inventory).size();
        check(maleCategories.length == k && femaleCategories.length == k && missingRate.length == k
                && latentCorrelation.length == k, "expected " + k + " items for " + inventory);
        for (int i = 0; i < k; i++) {
            check(maleCategories[i].length == 5 && femaleCategories[i].length == 5, "item " + (i + 1)
                    + ": expected 5 category probabilities");
            check(sum(maleCategories[i]) > 0 && sum(femaleCategories[i]) > 0, "item " + (i + 1)
                    + ": category probabilities sum to 0");
            check(latentCorrelation[i].length == k, "latentCorrelation row " + (i + 1) + " has the wrong length");
            check(missingRate[i] >= 0 && missingRate[i] < 1, "item " + (i + 1) + ": missing rate out of [0, 1)");
        }
        check(maleShare >= 0 && maleShare <= 1, "maleShare must be in [0, 1]");
        check(!country.isEmpty(), "country distribution is empty");
        for (int a : age.keySet()) {
            check(a >= MIN_AGE && a <= MAX_AGE, "age " + a + " outside " + MIN_AGE + ".." + MAX_AGE);
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("synthetic parameters: " + message);
        }
    }

    private static double sum(double[] a) {
        double s = 0;
        for (double v : a) {
            check(v >= 0 && !Double.isNaN(v), "negative or NaN probability");
            s += v;
        }
        return s;
    }

    /** Estimates the parameters of a raw or keyed dataset, with a generic source description. */
    public static SyntheticParameters estimate(Responses source) {
        return estimate(source, source.size() + " respondents, " + source.inventory().name());
    }

    /** Estimates the parameters of a raw or keyed dataset; every number is rounded to 4 decimals. */
    public static SyntheticParameters estimate(Responses source, String description) {
        Responses r = source.withEncoding(AnswerEncoding.KEYED);
        int n = r.size();
        int k = r.items();
        if (n < 2) {
            throw new IllegalArgumentException("need at least 2 respondents to estimate parameters, got " + n);
        }
        byte[] ans = r.answerMatrix();
        // counts[g][item][answer-1], g = 0 male, 1 female, 2 all
        double[][][] counts = new double[3][k][5];
        double[] missing = new double[k];
        int[] bySex = new int[3];
        for (int row = 0; row < n; row++) {
            int g = group(r.sexCode(row));
            bySex[g]++;
            for (int i = 0; i < k; i++) {
                int v = ans[row * k + i];
                if (v == 0) {
                    missing[i]++;
                } else {
                    counts[2][i][v - 1]++;
                    if (g < 2) {
                        counts[g][i][v - 1]++;
                    }
                }
            }
        }
        double[][][] probs = new double[3][k][5];
        for (int i = 0; i < k; i++) {
            for (int g = 0; g < 3; g++) {
                double total = 5 * PSEUDO_COUNT;
                for (int c = 0; c < 5; c++) {
                    total += counts[g][i][c];
                }
                for (int c = 0; c < 5; c++) {
                    probs[g][i][c] = round((counts[g][i][c] + PSEUDO_COUNT) / total);
                }
            }
            missing[i] = round(missing[i] / n);
        }
        double[][] latent = LatentGaussian.clipEigenvalues(latentCorrelation(r, probs), MIN_EIGENVALUE);
        double[] shrunk = new double[1];
        double[][] corr = shrinkToPositiveDefinite(latent, shrunk);
        int known = bySex[0] + bySex[1];
        double maleShare = known == 0 ? 0.5 : round((double) bySex[0] / known);
        double[][] means = new double[3][k]; // observed means of answered items, for the reference
        for (int g = 0; g < 3; g++) {
            for (int i = 0; i < k; i++) {
                double s = 0;
                double c = 0;
                for (int v = 1; v <= 5; v++) {
                    s += v * counts[g][i][v - 1];
                    c += counts[g][i][v - 1];
                }
                means[g][i] = c == 0 ? Double.NaN : round(s / c);
            }
        }
        double meanAge = IntStream.range(0, n).map(r::age).filter(a -> a >= MIN_AGE && a <= MAX_AGE).average()
                .orElse(0);
        Reference ref = new Reference(means[2], means[0], means[1], domainCorrelation(r), round(meanAge));
        return new SyntheticParameters(description, r.inventory().name(), n, shrunk[0], maleShare, probs[0],
                probs[1], missing, corr, ageDistribution(r), countryDistribution(r), ref);
    }

    private static int group(int sexCode) {
        return sexCode == 1 ? 0 : sexCode == 2 ? 1 : 2;
    }

    /** Attenuation-corrected correlations of the normal scores of the keyed answers (before shrinkage). */
    private static double[][] latentCorrelation(Responses r, double[][][] probs) {
        int n = r.size();
        int k = r.items();
        byte[] ans = r.answerMatrix();
        double[][][] scores = new double[3][k][6]; // [group][item][answer], answer 0 (missing) scores 0
        for (int g = 0; g < 3; g++) {
            for (int i = 0; i < k; i++) {
                double[] t = LatentGaussian.thresholds(probs[g][i]);
                for (int c = 1; c <= 5; c++) {
                    double p = probs[g][i][c - 1] / sum(probs[g][i]);
                    scores[g][i][c] = p <= 0 ? 0
                            : (LatentGaussian.density(t[c - 1]) - LatentGaussian.density(t[c])) / p;
                }
            }
        }
        // sums of scores and of their cross-products (lower triangle), over chunks of rows in parallel, then added
        // up in chunk order so the result does not depend on the thread count
        int chunk = 8192;
        List<double[]> parts = IntStream.range(0, (n + chunk - 1) / chunk).parallel().mapToObj(ch -> {
            double[] acc = new double[k + k * (k + 1) / 2];
            double[] x = new double[k];
            for (int row = ch * chunk; row < Math.min(n, (ch + 1) * chunk); row++) {
                double[][] sc = scores[group(r.sexCode(row))];
                for (int i = 0; i < k; i++) {
                    x[i] = sc[i][ans[row * k + i]];
                    acc[i] += x[i];
                }
                for (int i = 0, at = k; i < k; i++) {
                    double xi = x[i];
                    for (int j = 0; j <= i; j++) {
                        acc[at++] += xi * x[j];
                    }
                }
            }
            return acc;
        }).toList();
        double[] acc = new double[k + k * (k + 1) / 2];
        for (double[] part : parts) {
            for (int a = 0; a < acc.length; a++) {
                acc[a] += part[a];
            }
        }
        double[] sd = new double[k];
        for (int i = 0; i < k; i++) {
            double m = acc[i] / n;
            sd[i] = Math.sqrt(Math.max(0, acc[k + i * (i + 1) / 2 + i] / n - m * m));
        }
        double[][] c = new double[k][k];
        for (int i = 0; i < k; i++) {
            c[i][i] = 1;
            for (int j = 0; j < i; j++) {
                double v = 0;
                if (sd[i] > 1e-9 && sd[j] > 1e-9) {
                    double cov = acc[k + i * (i + 1) / 2 + j] / n - (acc[i] / n) * (acc[j] / n);
                    // Pearson r = cov / (sd_i sd_j); the latent correlation is r / (a_i a_j) with a = sd
                    v = Math.max(-0.99, Math.min(0.99, cov / (sd[i] * sd[j]) / (sd[i] * sd[j])));
                }
                c[i][j] = v;
                c[j][i] = v;
            }
        }
        return c;
    }

    /** (1-λ)C + λI, rounded, with the smallest λ = 0.05, 0.10, … whose result has a Cholesky factor. */
    private static double[][] shrinkToPositiveDefinite(double[][] c, double[] lambdaOut) {
        int k = c.length;
        for (int step = 1; ; step++) {
            double lambda = Math.min(1, step * MIN_SHRINKAGE);
            double[][] r = new double[k][k];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    r[i][j] = i == j ? 1 : round((1 - lambda) * c[i][j]);
                }
            }
            if (lambda >= 1 || LatentGaussian.cholesky(r) != null) {
                lambdaOut[0] = round(lambda);
                return r;
            }
        }
    }

    private static Map<Integer, Double> ageDistribution(Responses r) {
        TreeMap<Integer, Double> counts = new TreeMap<>();
        int total = 0;
        for (int row = 0; row < r.size(); row++) {
            int a = r.age(row);
            if (a >= MIN_AGE && a <= MAX_AGE) {
                counts.merge(a, 1.0, Double::sum);
                total++;
            }
        }
        int t = total;
        counts.replaceAll((a, c) -> round(c / t));
        return counts;
    }

    private static Map<String, Double> countryDistribution(Responses r) {
        Map<String, Integer> counts = new HashMap<>();
        for (int row = 0; row < r.size(); row++) {
            String c = r.country(row) == null ? "" : r.country(row).trim();
            counts.merge(c.isEmpty() ? OTHER_COUNTRY : c, 1, Integer::sum);
        }
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        Map<String, Double> out = new LinkedHashMap<>();
        int other = 0;
        for (Map.Entry<String, Integer> e : sorted) {
            boolean keep = out.size() < TOP_COUNTRIES && e.getValue() >= MIN_COUNTRY_COUNT
                    && !e.getKey().equals(OTHER_COUNTRY);
            if (keep) {
                out.put(e.getKey(), round((double) e.getValue() / r.size()));
            } else {
                other += e.getValue();
            }
        }
        if (other > 0) {
            out.put(OTHER_COUNTRY, round((double) other / r.size()));
        }
        return out;
    }

    /** Pearson correlations of the 5 domain scores, over respondents with all 5 scored (rounded). */
    static double[][] domainCorrelation(Responses keyed) {
        int n = keyed.size();
        float[] s = new Scorer(keyed.inventory(), keyed.encoding(), ScoringRule.DEFAULT)
                .scoreAll(keyed.answerMatrix(), n);
        double[] sum = new double[5];
        double[][] cross = new double[5][5];
        int m = 0;
        for (int row = 0; row < n; row++) {
            int b = row * Scale.COUNT + Scale.FACETS;
            boolean ok = true;
            for (int d = 0; d < 5; d++) {
                ok &= !Float.isNaN(s[b + d]);
            }
            if (!ok) {
                continue;
            }
            m++;
            for (int d = 0; d < 5; d++) {
                sum[d] += s[b + d];
                for (int e = 0; e < 5; e++) {
                    cross[d][e] += (double) s[b + d] * s[b + e];
                }
            }
        }
        double[][] out = new double[5][5];
        for (int d = 0; d < 5; d++) {
            for (int e = 0; e < 5; e++) {
                double cov = cross[d][e] / m - sum[d] / m * sum[e] / m;
                double vd = cross[d][d] / m - sum[d] / m * sum[d] / m;
                double ve = cross[e][e] / m - sum[e] / m * sum[e] / m;
                out[d][e] = round(cov / Math.sqrt(vd * ve));
            }
        }
        return out;
    }

    static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    // ---- JSON ----

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    /** Pretty JSON: one line per field, per row of a matrix, and per map entry; plain arrays on one line. */
    public String toJson() {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter() {
            @Override
            public DefaultPrettyPrinter createInstance() {
                return this;
            }
        };
        pp.indentArraysWith(new DefaultIndenter("  ", "\n") {
            @Override
            public void writeIndentation(JsonGenerator g, int level) throws IOException {
                if (g.getOutputContext().getCurrentValue() instanceof Object[]) {
                    super.writeIndentation(g, level);
                }
            }

            @Override
            public boolean isInline() {
                return false;
            }
        });
        try {
            return MAPPER.writer(pp).writeValueAsString(this) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses {@link #toJson()} output; bad or inconsistent JSON is an {@link IllegalArgumentException}. */
    public static SyntheticParameters fromJson(String json) {
        try {
            return MAPPER.readValue(json, SyntheticParameters.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("synthetic parameters: invalid JSON: " + e.getMessage(), e);
        }
    }

    /** The parameters bundled with PersonaLab, estimated from the 300 real PAPI subjects (IPIP-NEO-120). */
    public static SyntheticParameters bundled() {
        try (InputStream in = SyntheticParameters.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + BUNDLED_RESOURCE + " missing from the classpath");
            }
            return fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
