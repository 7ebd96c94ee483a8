package org.personalab.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.personalab.data.DatasetInfo;
import org.personalab.data.ImportException;
import org.personalab.data.ImportOptions;
import org.personalab.data.ImportProblem;
import org.personalab.data.Importer;
import org.personalab.data.ParsedFile;
import org.personalab.data.Responses;
import org.personalab.inventory.Scale;
import org.personalab.inventory.Scorer;
import org.personalab.inventory.ScoringRule;
import org.personalab.profile.NormSet;
import org.personalab.profile.NormSpec;
import org.personalab.profile.Norms;
import org.personalab.profile.ScoredDataset;
import org.personalab.store.StoreException;
import org.personalab.store.Workspace;
import org.personalab.task.TaskContext;

/**
 * Imports a file into a workspace: parse and validate, score, compute cohort norms (from the dataset itself unless
 * another norm set is given), place everyone at a level, and store it all — dataset, respondents, norms and the run
 * record with its parameters — in one transaction. A refused, failed or cancelled import (or a killed process) leaves
 * the workspace exactly as it was.
 */
public final class ImportService {

    /** Phase timings in milliseconds (score, norms and levels run while storing; storeMs includes waiting). */
    public record Timings(long parseMs, long scoreMs, long normsMs, long levelsMs, long storeMs) {
        /** Wall time: parsing, then storing with scoring, norms and levels overlapped on a second thread. */
        public long totalMs() {
            return parseMs + Math.max(storeMs, scoreMs + normsMs + levelsMs);
        }
    }

    /** What an import produced. */
    public record Outcome(ScoredDataset scored, List<ImportProblem> skipped, long skippedCount, long recordsRead,
            Timings timings, long runId) {
        public DatasetInfo dataset() {
            return scored.info();
        }

        /** Respondents at each level (index = level ordinal) per scale; [scale][5]. */
        public int[][] levelCounts() {
            int[][] out = new int[Scale.COUNT][5];
            byte[] levels = scored.placement().levels();
            for (int i = 0; i < levels.length; i++) {
                if (levels[i] >= 0) {
                    out[i % Scale.COUNT][levels[i]]++;
                }
            }
            return out;
        }
    }

    private final ScoringRule rule;
    private final NormSpec normSpec;

    public ImportService() {
        this(ScoringRule.DEFAULT, NormSpec.DEFAULT);
    }

    public ImportService(ScoringRule rule, NormSpec normSpec) {
        this.rule = rule;
        this.normSpec = normSpec;
    }

    /**
     * Imports {@code file}.
     *
     * @param normSetId the norm set to place people with, or 0 to compute norms from this dataset
     */
    public Outcome importFile(Workspace ws, Path file, ImportOptions options, long normSetId, TaskContext ctx)
            throws ImportException, IOException {
        Instant started = Instant.now();
        String name = options.name() != null && !options.name().isBlank() ? options.name().strip()
                : defaultName(file);
        requireFreeName(ws, name);
        ctx.message("Reading " + file.getFileName());
        CompletableFuture<String> sha = CompletableFuture.supplyAsync(() -> sha256(file));
        long t0 = System.nanoTime();
        ParsedFile parsed = Importer.forFormat(options.format()).read(file, options, ctx);
        long parseMs = (System.nanoTime() - t0) / 1_000_000;
        String digest;
        try {
            digest = sha.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : new IOException(e.getCause());
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("format", options.format().cliName());
        params.put("encoding", options.effectiveEncoding().name());
        params.put("lenient", options.lenient());
        params.put("columnMapping", options.columnMapping());
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("file", file.toAbsolutePath().toString());
        inputs.put("bytes", Files.size(file));
        inputs.put("sha256", digest);
        String provenance = "Imported from " + file.toAbsolutePath() + " (" + options.format().cliName() + ", "
                + options.effectiveEncoding().name().toLowerCase() + ", sha256 " + digest.substring(0, 12) + "…)"
                + (parsed.skippedCount() > 0 ? "; lenient: " + parsed.skippedCount() + " bad records skipped" : "");
        DatasetInfo draft = new DatasetInfo(0, name, options.format().cliName(), parsed.responses().inventory(),
                parsed.responses().encoding(), parsed.responses().size(), rule.minAnsweredFraction(),
                file.toAbsolutePath().toString(), Files.size(file), digest, provenance, 0, 0, started);
        Stored s = store(ws, draft, parsed.responses(), normSetId, params, inputs, started,
                "Import " + file.getFileName(), parsed.skippedCount(), ctx);
        Timings t = new Timings(parseMs, s.timings.scoreMs, s.timings.normsMs, s.timings.levelsMs, s.timings.storeMs);
        return new Outcome(s.scored, parsed.skipped(), parsed.skippedCount(), parsed.recordsRead(), t, s.runId);
    }

    /** Stores respondents made in memory (synthetic population, conversions) as a dataset, with the same steps. */
    public Outcome importResponses(Workspace ws, Responses responses, String name, String format, String provenance,
            Map<String, Object> params, long normSetId, TaskContext ctx) {
        Instant started = Instant.now();
        requireFreeName(ws, name);
        DatasetInfo draft = new DatasetInfo(0, name, format, responses.inventory(), responses.encoding(),
                responses.size(), rule.minAnsweredFraction(), null, 0, null, provenance, 0, 0, started);
        Stored s = store(ws, draft, responses, normSetId, params, Map.of(), started, "Create " + name, 0, ctx);
        return new Outcome(s.scored, List.of(), 0, responses.size(), s.timings, s.runId);
    }

    private record Stored(ScoredDataset scored, Timings timings, long runId) {
    }

    private record Computed(float[] scores, NormSet norms, Norms.Placement placement, long scoreMs, long normsMs,
            long levelsMs) {
    }

    private Computed compute(Workspace ws, Responses responses, long normSetId, String name) {
        long t0 = System.nanoTime();
        float[] scores = new Scorer(responses.inventory(), responses.encoding(), rule).scoreAll(
                responses.answerMatrix(), responses.size());
        long t1 = System.nanoTime();
        NormSet norms = normSetId > 0 ? ws.read(tx -> tx.norms().load(normSetId))
                : Norms.build("Cohort norms of " + name, responses, scores, normSpec);
        long t2 = System.nanoTime();
        Norms.Placement placement = Norms.place(norms, responses, scores);
        long t3 = System.nanoTime();
        return new Computed(scores, norms, placement, ms(t1 - t0), ms(t2 - t1), ms(t3 - t2));
    }

    /**
     * Scores, norms and levels are computed on a second thread while this one writes the respondents (storage needs
     * only the answers); both meet inside the one transaction, which commits only when everything is in.
     */
    private Stored store(Workspace ws, DatasetInfo draft, Responses responses, long normSetId,
            Map<String, Object> params, Map<String, Object> inputs, Instant started, String title, long skipped,
            TaskContext ctx) {
        ctx.checkCancelled();
        java.util.concurrent.FutureTask<Computed> computing = new java.util.concurrent.FutureTask<>(
                () -> compute(ws, responses, normSetId, draft.name()));
        Thread worker = new Thread(computing, "import-scoring");
        worker.setDaemon(true);
        worker.start();
        Map<String, Object> allParams = new LinkedHashMap<>(params);
        allParams.put("scoringRule", Map.of("minAnsweredFraction", rule.minAnsweredFraction(), "text", rule.describe()));
        allParams.put("norms", normSetId > 0 ? Map.of("normSetId", normSetId)
                : Map.of("cutPoints", normSpec.cutPoints(), "minCohortSize", normSpec.minCohortSize(),
                        "reference", "this dataset", "text", normSpec.describe()));
        Object[] holder = new Object[3];
        long t0 = System.nanoTime();
        try {
            ws.write(tx -> {
                ctx.message("Storing " + draft.name());
                Map<String, Object> outputs = new LinkedHashMap<>();
                outputs.put("respondents", responses.size());
                outputs.put("skippedRecords", skipped);
                long runId = tx.runs().insertFinished("import", title, Json.compact(allParams), Json.compact(inputs),
                        "{}", started);
                DatasetInfo d = tx.datasets().insert(draft.withIds(0, 0, runId));
                tx.datasets().insertRespondents(d.id(), responses, ctx);
                ctx.message("Computing cohort norms and levels");
                Computed comp = awaitComputed(computing);
                NormSet stored = comp.norms;
                if (normSetId <= 0) {
                    stored = tx.norms().insert(comp.norms, d.id(), rule.minAnsweredFraction(), runId);
                }
                tx.datasets().setNormSet(d.id(), stored.id());
                outputs.put("datasetId", d.id());
                outputs.put("normSetId", stored.id());
                tx.runs().finish(runId, "succeeded", Json.compact(outputs), null);
                ctx.checkCancelled();
                holder[0] = d.withIds(d.id(), stored.id(), runId);
                holder[1] = stored;
                holder[2] = comp;
                return runId;
            });
        } finally {
            computing.cancel(true);
        }
        long storeMs = ms(System.nanoTime() - t0);
        DatasetInfo d = (DatasetInfo) holder[0];
        Computed comp = (Computed) holder[2];
        ScoredDataset scored = new ScoredDataset(d, responses, comp.scores, comp.placement, (NormSet) holder[1]);
        Timings t = new Timings(0, comp.scoreMs, comp.normsMs, comp.levelsMs, storeMs);
        return new Stored(scored, t, d.runId());
    }

    private static Computed awaitComputed(java.util.concurrent.FutureTask<Computed> f) throws Exception {
        try {
            return f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof Exception ex) {
                throw ex;
            }
            throw (Error) c;
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private static void requireFreeName(Workspace ws, String name) {
        if (name.isBlank()) {
            throw new IllegalArgumentException("dataset name is empty");
        }
        if (ws.read(tx -> tx.datasets().find(name)).isPresent()) {
            throw new StoreException("a dataset named '" + name + "' already exists in " + ws.dir()
                    + "; choose another name with --name");
        }
    }

    /** The file name without extension, e.g. "IPIP120" for IPIP120.dat. */
    public static String defaultName(Path file) {
        String f = file.getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
