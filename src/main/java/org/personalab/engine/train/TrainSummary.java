package org.personalab.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What one training process wrote to its run's {@code events.jsonl}, read back by the parent after the child ended
 * (the log is appended to by every start and resume, so the parent reads from the size the file had before it
 * started the child): steps reached, the last logged loss and DPO margin, truncation, and whether the run ended with
 * its adapter saved. The parent records this in the workspace's run journal; the child never touches the workspace.
 *
 * @param started       a start or resume event was read
 * @param fromStep      the step the process started at (0, or the checkpoint's step on resume)
 * @param totalSteps    the run's optimizer steps
 * @param examples      training examples (SFT sequences or DPO pairs)
 * @param step          the last step logged (or the end step)
 * @param lastLoss      the loss of the last log line (NaN when none)
 * @param lastMargin    DPO: {@code rewards/margins} of the last log line (NaN for SFT or none)
 * @param lastAccuracy  DPO: {@code rewards/accuracies} of the last log line (NaN for SFT or none)
 * @param truncation    the start event's truncation sentence (empty when none)
 * @param sequencesCut  sequences cut by max_length
 * @param completionsLost sequences whose whole completion was cut away
 * @param adapter       the final adapter folder (from the end event), or null when the run did not end
 */
public record TrainSummary(boolean started, int fromStep, int totalSteps, int examples, int step, double lastLoss,
        double lastMargin, double lastAccuracy, String truncation, int sequencesCut, int completionsLost,
        Path adapter) {

    /** Whether the run reached its end event (adapter saved). */
    public boolean ended() {
        return adapter != null;
    }

    /** The byte size of {@code events} now (0 when it does not exist): where a new process's lines will begin. */
    public static long offset(Path events) {
        try {
            return Files.isRegularFile(events) ? Files.size(events) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Summarises the complete lines of {@code events} from byte {@code from}; other lines are skipped. */
    public static TrainSummary read(Path events, long from) {
        boolean started = false;
        int fromStep = 0;
        int total = 0;
        int examples = 0;
        int step = 0;
        double loss = Double.NaN;
        double margin = Double.NaN;
        double accuracy = Double.NaN;
        String truncation = "";
        int cut = 0;
        int lost = 0;
        Path adapter = null;
        if (Files.isRegularFile(events)) {
            try (RandomAccessFile f = new RandomAccessFile(events.toFile(), "r")) {
                long len = f.length();
                if (from < len) {
                    f.seek(from);
                    byte[] b = new byte[(int) Math.min(Integer.MAX_VALUE - 8, len - from)];
                    f.readFully(b);
                    String text = new String(b, StandardCharsets.UTF_8);
                    int end = text.lastIndexOf('\n');
                    for (String line : end < 0 ? new String[0] : text.substring(0, end).split("\n")) {
                        JsonNode e;
                        try {
                            e = EventLog.MAPPER.readTree(line);
                        } catch (IOException notJson) {
                            continue;
                        }
                        if (!(e instanceof ObjectNode)) {
                            continue;
                        }
                        switch (e.path("event").asText()) {
                            case "start", "resume" -> {
                                started = true;
                                fromStep = e.path("step").asInt();
                                step = fromStep;
                                total = e.path("total_steps").asInt();
                                examples = e.path("examples").asInt();
                                truncation = e.path("truncation").asText("");
                                cut = e.path("sequences_truncated").asInt();
                                lost = e.path("completions_lost").asInt();
                                adapter = null;
                            }
                            case "log" -> {
                                step = e.path("step").asInt(step);
                                loss = e.path("loss").asDouble(Double.NaN);
                                margin = e.path("rewards/margins").asDouble(Double.NaN);
                                accuracy = e.path("rewards/accuracies").asDouble(Double.NaN);
                            }
                            case "end" -> {
                                step = e.path("step").asInt(step);
                                adapter = e.hasNonNull("adapter") ? Path.of(e.get("adapter").asText()) : null;
                            }
                            default -> {
                                // checkpoints and unknown events change nothing summarised here
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // an unreadable log summarises as nothing read; the exit code still tells how the run ended
            }
        }
        return new TrainSummary(started, fromStep, total, examples, step, loss, margin, accuracy, truncation, cut,
                lost, adapter);
    }
}
