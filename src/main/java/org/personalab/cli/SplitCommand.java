package org.personalab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.personalab.cluster.SplitPlan;
import org.personalab.service.SplitService;
import org.personalab.store.Workspace;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "split", description = "Draw a named, frozen split set (train/test/…) from a stored clustering: "
        + "per-cluster counts, stratified totals or fractions, or the people nearest each centroid. Checks that "
        + "nobody is in two splits, the sizes and the stratification before storing; writes id,split.")
final class SplitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--workspace", required = true, description = "Workspace folder.")
    Path workspace;

    @Option(names = "--clustering", required = true, description = "Stored clustering to split.")
    String clustering;

    @Option(names = "--name", description = "Name of the split set (default: CLUSTERING-split-sSEED).")
    String name;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, description = "CSV to write: id,split.")
    Path out;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    static final class Mode {
        @Option(names = "--per-cluster", split = ",", description = "People per cluster and split, e.g. "
                + "train=1250,test=1250 (the seed paper); clusters too small give nobody.")
        Map<String, Integer> perCluster;

        @Option(names = "--sizes", split = ",", description = "Total people per split, shared among clusters by "
                + "their size, e.g. train=5000,test=1000.")
        Map<String, Integer> sizes;

        @Option(names = "--fractions", split = ",", description = "Share of every cluster per split, e.g. "
                + "train=0.8,test=0.2.")
        Map<String, Double> fractions;

        @Option(names = "--representatives", description = "Split made of the people nearest each centroid "
                + "(PAlign's test set), e.g. test.")
        String representatives;
    }

    @Option(names = "--per-centroid", defaultValue = "1", description = "With --representatives: people per "
            + "centroid (default ${DEFAULT-VALUE}).")
    int perCentroid;

    @Option(names = "--rest", description = "With --representatives: put everyone else in this split, e.g. dev.")
    String rest;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        SplitPlan plan;
        if (mode.perCluster != null) {
            plan = new SplitPlan.PerCluster(new LinkedHashMap<>(mode.perCluster));
        } else if (mode.sizes != null) {
            plan = new SplitPlan.Proportional(new LinkedHashMap<>(mode.sizes));
        } else if (mode.fractions != null) {
            plan = new SplitPlan.Fractions(new LinkedHashMap<>(mode.fractions));
        } else {
            plan = new SplitPlan.Representatives(mode.representatives, perCentroid, rest);
        }
        Workspace ws = Workspace.open(workspace);
        SplitService svc = new SplitService(ws);
        ConsoleProgress p = new ConsoleProgress(spec.commandLine().getErr());
        SplitService.Outcome res = svc.split(new SplitService.Request(clustering, name, plan, seed), p);
        svc.exportCsv(res.info(), out, p);
        o.printf("Stored split set '%s' from clustering '%s' (run %d): %s%n", res.info().name(), clustering,
                res.runId(), res.sizes());
        if (!res.assignment().skipped().isEmpty()) {
            o.println("  clusters too small to give their share (nobody taken): " + res.assignment().skipped());
        }
        int total = res.sizes().values().stream().mapToInt(Integer::intValue).sum();
        o.println("Wrote " + total + " rows to " + out);
        return 0;
    }
}
