package org.personalab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.personalab.cluster.Clustering;
import org.personalab.cluster.FeatureSpec;
import org.personalab.cluster.KMeansParams;
import org.personalab.cluster.KMeansResult;
import org.personalab.cluster.KSelection;
import org.personalab.service.ClusterService;
import org.personalab.store.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "cluster", description = "K-means clustering of a dataset's people on their answers, sex, age, "
        + "country and/or scores; stores the clustering (parameters, exact feature columns, metrics, members) and "
        + "writes id,cluster,x,y (x, y: the first two principal components). With --select-k FROM..TO: the data "
        + "for choosing k instead (inertia and sampled silhouette for each k, fitted together; recorded as a run), "
        + "printed as k,inertia,silhouette,iterations and written to --out when given.")
final class ClusterCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    Common common;

    @Option(names = "--k", description = "Number of clusters.")
    Integer k;

    @Option(names = "--select-k", description = "Range of k to compare instead of clustering, e.g. 2..12.")
    String selectK;

    @Option(names = "--name", description = "Name of the stored clustering (default: DATASET-kK-sSEED).")
    String name;

    @Option(names = "--out", description = "CSV to write: id,cluster,x,y (with --select-k: the curve).")
    Path out;

    @Option(names = "--silhouette-sample", defaultValue = "2000", description = "People the silhouette is "
            + "computed on (default ${DEFAULT-VALUE}).")
    int silhouetteSample;

    @Option(names = "--stability-seeds", defaultValue = "0", description = "Extra fits with seed+1, seed+2, … "
            + "whose agreement (adjusted Rand index) is reported (default ${DEFAULT-VALUE}: compare the fit's own "
            + "restarts with the kept one instead, at no extra cost).")
    int stabilitySeeds;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        if (selectK != null) {
            return selectK(o);
        }
        if (k == null || out == null) {
            spec.commandLine().getErr().println("error: --k and --out are required (or use --select-k FROM..TO)");
            return 2;
        }
        Workspace ws = Workspace.open(common.workspace);
        ClusterService svc = new ClusterService(ws);
        ConsoleProgress p = new ConsoleProgress(spec.commandLine().getErr());
        KMeansParams params = common.params(k);
        ClusterService.Outcome res = svc.cluster(new ClusterService.Request(common.dataset, name,
                common.features.spec(), params, new Clustering.Options(silhouetteSample, stabilitySeeds,
                        org.personalab.cluster.Pca.DEFAULT_MAX_ROWS)), p);
        svc.exportCsv(res.info(), out, p);
        KMeansResult km = res.result().kmeans();
        var f = res.result().features();
        o.printf("Clustered %,d people of '%s' into %d clusters as '%s' (run %d, %.1f s)%n", f.rows(),
                common.dataset, k, res.info().name(), res.runId(), res.seconds());
        o.printf("  features: %d columns (%s)%n", f.cols(), f.spec().describe());
        o.printf(Locale.ROOT, "  inertia %.2f after %d iterations (%s); restart %d of %d kept%n", km.inertia(),
                km.iterations(), km.converged() ? "converged" : "iteration limit", km.bestRestart() + 1,
                params.nInit());
        int[] sizes = km.sizes();
        o.printf("  sizes: min %d, max %d%s%n", java.util.Arrays.stream(sizes).min().orElse(0),
                java.util.Arrays.stream(sizes).max().orElse(0), k <= 20 ? " " + java.util.Arrays.toString(sizes)
                        : "");
        o.printf(Locale.ROOT, "  silhouette (sample of %d): %.4f%n", Math.min(silhouetteSample, f.rows()),
                res.result().silhouette());
        if (res.result().stabilityBasis() == Clustering.StabilityBasis.SEEDS) {
            o.printf(Locale.ROOT, "  stability: ARI %s vs seeds %d..%d (mean %.4f)%n",
                    java.util.Arrays.toString(round(res.result().stability())), params.seed() + 1,
                    params.seed() + stabilitySeeds, res.result().meanStability());
        } else if (res.result().stabilityBasis() == Clustering.StabilityBasis.RESTARTS) {
            o.printf(Locale.ROOT, "  stability: ARI %s of the other restarts vs the kept one (mean %.4f)%n",
                    java.util.Arrays.toString(round(res.result().stability())), res.result().meanStability());
        }
        o.printf(Locale.ROOT, "  2D projection: PCA, explained variance %.1f%% + %.1f%%%n",
                100 * res.result().pca().explainedRatio()[0],
                100 * (f.cols() > 1 ? res.result().pca().explainedRatio()[1] : 0));
        o.println("Wrote " + f.rows() + " rows to " + out);
        return 0;
    }

    private static double[] round(double[] v) {
        double[] o = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = Math.round(v[i] * 10000) / 10000.0;
        }
        return o;
    }

    private int selectK(PrintWriter o) throws java.io.IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*(\\d+)\\s*\\.\\.\\s*(\\d+)\\s*")
                .matcher(selectK);
        if (!m.matches()) {
            spec.commandLine().getErr().println("error: --select-k must look like 2..12, got '" + selectK + "'");
            return 2;
        }
        int from = Integer.parseInt(m.group(1));
        int to = Integer.parseInt(m.group(2));
        Workspace ws = Workspace.open(common.workspace);
        List<KSelection.Point> pts = new ClusterService(ws).selectK(common.dataset, common.features.spec(), from,
                to, common.params(from), silhouetteSample, new ConsoleProgress(spec.commandLine().getErr()));
        StringBuilder sb = new StringBuilder("k,inertia,silhouette,iterations\n");
        for (KSelection.Point p : pts) {
            sb.append(String.format(Locale.ROOT, "%d,%.4f,%.6f,%d%n", p.k(), p.inertia(), p.silhouette(),
                    p.iterations()));
        }
        o.print(sb);
        o.flush();
        if (out != null) {
            java.nio.file.Files.writeString(out, sb.toString());
        }
        return 0;
    }

    /** Where, what and the k-means settings. */
    static final class Common {
        @Option(names = "--workspace", required = true, description = "Workspace folder.")
        Path workspace;

        @Option(names = "--dataset", required = true, description = "Dataset to cluster.")
        String dataset;

        @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--n-init", defaultValue = "10", description = "K-means restarts (default ${DEFAULT-VALUE}).")
        int nInit;

        @Option(names = "--max-iter", defaultValue = "300", description = "Iterations per restart at most "
                + "(default ${DEFAULT-VALUE}).")
        int maxIter;

        @Option(names = "--tol", defaultValue = "1e-4", description = "Relative tolerance, as scikit-learn "
                + "(default ${DEFAULT-VALUE}).")
        double tol;

        @Mixin
        FeatureOptions features;

        KMeansParams params(int k) {
            return new KMeansParams(k, nInit, maxIter, tol, seed);
        }
    }

    /** The feature choices. */
    static final class FeatureOptions {
        @Option(names = "--items", defaultValue = "keyed", description = "Item answers: keyed, raw or none "
                + "(default ${DEFAULT-VALUE}).")
        String items;

        @Option(names = "--no-sex", description = "Leave sex out.")
        boolean noSex;

        @Option(names = "--no-age", description = "Leave age out.")
        boolean noAge;

        @Option(names = "--no-country", description = "Leave country out.")
        boolean noCountry;

        @Option(names = "--top-countries", defaultValue = "4", description = "Countries with a column of their "
                + "own, most frequent first; all others share one (default ${DEFAULT-VALUE}).")
        int topCountries;

        @Option(names = "--scores", defaultValue = "none", description = "Scale scores as features: none, domains, "
                + "facets or all (default ${DEFAULT-VALUE}).")
        String scores;

        @Option(names = "--no-standardize", description = "Keep raw units (default: each column standardized).")
        boolean noStandardize;

        FeatureSpec spec() {
            FeatureSpec.Items it = parse(FeatureSpec.Items.class, items, "--items");
            FeatureSpec.Scores sc = parse(FeatureSpec.Scores.class, scores, "--scores");
            return new FeatureSpec(it, !noSex, !noAge, !noCountry, topCountries, sc, !noStandardize);
        }

        private static <E extends Enum<E>> E parse(Class<E> type, String v, String option) {
            try {
                return Enum.valueOf(type, v.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + " must be one of " + java.util.Arrays.toString(
                        type.getEnumConstants()).toLowerCase(Locale.ROOT) + ", got '" + v + "'");
            }
        }
    }
}
