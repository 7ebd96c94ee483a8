package org.personalab.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.personalab.engine.train.EventLog;
import org.personalab.engine.train.TrainConfig;
import org.personalab.engine.train.TrainSummary;
import org.personalab.store.Workspace;
import org.personalab.task.RunRecord;

/**
 * Training runs in the workspace's run journal (kind {@value #RUN_KIND}), written by the parent process (the command
 * line or the workbench) around the training child, which never opens the workspace: {@link #start} before the child
 * starts (the effective config as parameters; as inputs the dataset file with its SHA-256 and, when the file is an
 * export of this workspace, that export run and its judging run, and the training run that produced
 * {@code adapter_init}), {@link #finish} after it ended (adapter folder, steps, last loss and DPO margin, truncation,
 * and how it ended: succeeded, failed or aborted, with the reason). A parent killed in between leaves the run
 * "running" until the journal marks it interrupted.
 */
public final class TrainingRuns {

    public static final String RUN_KIND = "train";

    /** How a training process ended. */
    public enum Ending {
        SUCCEEDED(RunRecord.SUCCEEDED), FAILED(RunRecord.FAILED), ABORTED(RunRecord.CANCELLED);

        private final String status;

        Ending(String status) {
            this.status = status;
        }

        /** The run journal's status (an abort is "cancelled" there, as for every other kind of run). */
        public String status() {
            return status;
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A started run: its id and where its process's lines begin in {@code events.jsonl}. */
    public record Started(long runId, Path events, long offset) {
    }

    private final Workspace ws;

    public TrainingRuns(Workspace ws) {
        this.ws = ws;
    }

    /**
     * Records a training run as running, before its child process starts.
     *
     * @param configFile the config file the child is given
     * @param resume     the checkpoint folder, "latest", or null for a fresh run
     * @param heap       the child's {@code -Xmx}
     */
    public Started start(TrainConfig config, Path configFile, String resume, String heap) {
        Path events = config.outputDir().resolve(EventLog.FILE);
        long offset = TrainSummary.offset(events);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("kind", config.kind().code());
        params.put("configFile", configFile.toAbsolutePath().normalize().toString());
        params.put("config", config.toJson());
        params.put("resume", resume);
        params.put("heap", heap);
        String inputs = Json.compact(inputs(config));
        String title = (resume == null ? "Train " : "Resume ") + config.kind().code() + " on "
                + config.trainDataset().getFileName() + " → " + config.outputDir().getFileName();
        long id = ws.write(tx -> tx.runs().start(RUN_KIND, title, Json.compact(params), inputs));
        return new Started(id, events, offset);
    }

    /**
     * The run's inputs: model, dataset file (path, SHA-256, and the export run and judging run of this workspace
     * whose output it is), the starting adapter and the training run that produced it.
     */
    Map<String, Object> inputs(TrainConfig config) {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("model", config.model().toString());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("path", config.trainDataset().toString());
        String sha = sha256(config.trainDataset());
        data.put("sha256", sha);
        List<Long> exportRuns = new ArrayList<>();
        List<RunRecord> runs = ws.read(tx -> tx.runs().list());
        RunRecord export = sha == null ? null : exportOf(runs, config.trainDataset(), sha);
        if (export != null) {
            exportRuns.add(export.id());
            long judging = json(export.inputs()).path("judgingRunId").asLong(0);
            if (judging > 0) {
                data.put("judgingRunId", judging);
            }
        }
        data.put("exportRunId", export == null ? null : export.id());
        in.put("trainDataset", data);
        in.put("exportRunIds", exportRuns);
        if (config.adapterInit() != null) {
            Map<String, Object> init = new LinkedHashMap<>();
            init.put("path", config.adapterInit().toString());
            RunRecord producer = producerOf(runs, config.adapterInit());
            init.put("trainRunId", producer == null ? null : producer.id());
            in.put("adapterInit", init);
        }
        return in;
    }

    /**
     * The newest succeeded export run whose file has this content: the one written to this very path when there is
     * one (an export repeated elsewhere has the same hash), else any with the same hash.
     */
    private static RunRecord exportOf(List<RunRecord> runs, Path file, String sha) {
        RunRecord any = null;
        for (RunRecord r : runs) {
            if (!r.kind().equals(PreferenceExport.RUN_KIND) || !RunRecord.SUCCEEDED.equals(r.status())) {
                continue;
            }
            JsonNode out = json(r.outputs());
            if (!sha.equals(out.path("sha256").asText())) {
                continue;
            }
            if (samePath(out.path("file").asText(), file)) {
                return r;
            }
            any = any == null ? r : any;
        }
        return any;
    }

    /** The newest succeeded training run whose adapter (or one of whose checkpoints) is {@code adapter}. */
    private static RunRecord producerOf(List<RunRecord> runs, Path adapter) {
        for (RunRecord r : runs) {
            if (!r.kind().equals(RUN_KIND) || !RunRecord.SUCCEEDED.equals(r.status())) {
                continue;
            }
            String out = json(r.outputs()).path("adapter").asText("");
            if (!out.isEmpty() && (samePath(out, adapter) || (adapter.getFileName().toString()
                    .matches("checkpoint-\\d+") && samePath(out, adapter.getParent())))) {
                return r;
            }
        }
        return null;
    }

    private static boolean samePath(String a, Path b) {
        return !a.isEmpty() && b != null && Path.of(a).toAbsolutePath().normalize().equals(b.toAbsolutePath()
                .normalize());
    }

    /**
     * Records how the run ended, from what its process wrote to the event log since {@link #start}.
     *
     * @param reason why it failed or was aborted (null when it succeeded)
     */
    public TrainSummary finish(Started run, Ending ending, String reason) {
        TrainSummary s = TrainSummary.read(run.events(), run.offset());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", ending.label());
        out.put("adapter", ending == Ending.SUCCEEDED && s.ended() ? s.adapter().toString() : null);
        out.put("steps", s.step());
        out.put("fromStep", s.fromStep());
        out.put("totalSteps", s.totalSteps());
        out.put("examples", s.examples());
        out.put("finalLoss", finite(s.lastLoss()));
        out.put("finalMargin", finite(s.lastMargin()));
        out.put("finalAccuracy", finite(s.lastAccuracy()));
        out.put("truncation", s.truncation());
        out.put("sequencesTruncated", s.sequencesCut());
        out.put("completionsLost", s.completionsLost());
        out.put("events", run.events().toString());
        if (reason != null) {
            out.put("reason", reason);
        }
        ws.write(tx -> {
            tx.runs().finish(run.runId(), ending.status(), Json.compact(out), ending == Ending.SUCCEEDED ? null
                    : ending == Ending.ABORTED ? "aborted: " + (reason == null ? "by the user" : reason)
                    : reason == null ? "failed" : reason);
            return null;
        });
        return s;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static JsonNode json(String text) {
        try {
            return text == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                    : Json.MAPPER.readTree(text);
        } catch (IOException e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    /** The file's SHA-256 in hex, as the export manifests write it; null when it cannot be read. */
    static String sha256(Path file) {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file),
                MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
