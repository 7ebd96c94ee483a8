package org.personalab.ui.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.personalab.engine.train.EventLog;

/**
 * What a training run's event log says so far: the loss (and, for DPO, reward-margin) points per step, steps done of
 * the total, elapsed and remaining time, and the last lines in readable form. Fed one {@code events.jsonl} line at a
 * time; a {@code start} event begins a new curve, a {@code resume} event drops the points after its step (they are
 * trained again), so the curve always shows one consistent run. No JavaFX: the panel's task and tests drive it.
 */
public final class TrainMonitor {

    /** Lines kept for the log tail. */
    public static final int TAIL = 50;

    /** One logged step: mean loss over the logging window and, for DPO, {@code rewards/margins} (NaN for SFT). */
    public record LossPoint(int step, double loss, double margin) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<LossPoint> points = new ArrayList<>();
    private final Deque<String> tail = new ArrayDeque<>();
    private int stepsDone;
    private int totalSteps;
    private long firstStart = -1;
    private long segmentStart = -1;
    private int segmentStep;
    private long lastLogTime = -1;
    private long endTime = -1;
    private boolean ended;

    /** Takes one line of the event log (or of the child's output); lines that are not events only join the tail. */
    public void accept(String line) {
        if (line == null || line.isBlank()) {
            return;
        }
        addTail(EventLog.render(line));
        JsonNode e;
        try {
            e = MAPPER.readTree(line);
        } catch (IOException ex) {
            return;
        }
        if (e == null || !e.isObject()) {
            return;
        }
        long time = e.path("time").asLong(-1);
        switch (e.path("event").asText()) {
            case "start", "resume" -> {
                int step = e.path("step").asInt(0);
                if (e.path("event").asText().equals("start")) {
                    points.clear();
                    firstStart = time;
                } else {
                    points.removeIf(p -> p.step() > step);
                    if (firstStart < 0) {
                        firstStart = time;
                    }
                }
                segmentStart = time;
                segmentStep = step;
                stepsDone = step;
                totalSteps = e.path("total_steps").asInt(totalSteps);
                ended = false;
                endTime = -1;
                lastLogTime = -1;
            }
            case "log" -> {
                int step = e.path("step").asInt();
                points.removeIf(p -> p.step() >= step);
                points.add(new LossPoint(step, e.path("loss").asDouble(Double.NaN),
                        e.has("rewards/margins") ? e.get("rewards/margins").asDouble() : Double.NaN));
                stepsDone = Math.max(stepsDone, step);
                lastLogTime = time;
            }
            case "end" -> {
                ended = true;
                endTime = time;
                stepsDone = Math.max(stepsDone, e.path("step").asInt(stepsDone));
            }
            default -> {
                // checkpoint events only show in the tail; the panel lists the folders
            }
        }
    }

    private void addTail(String line) {
        tail.addLast(line);
        while (tail.size() > TAIL) {
            tail.removeFirst();
        }
    }

    public List<LossPoint> points() {
        return List.copyOf(points);
    }

    public List<String> tail() {
        return List.copyOf(tail);
    }

    public int stepsDone() {
        return stepsDone;
    }

    /** Optimizer steps of the whole run (0 before the child has reported its start). */
    public int totalSteps() {
        return totalSteps;
    }

    public boolean ended() {
        return ended;
    }

    /** Time since the first start (or resume) event seen, up to {@code nowMillis} or the end event. */
    public Duration elapsed(long nowMillis) {
        if (firstStart < 0) {
            return Duration.ZERO;
        }
        return Duration.ofMillis(Math.max(0, (ended ? endTime : nowMillis) - firstStart));
    }

    /**
     * Steps left times the mean time per step since the latest start or resume (model loading is before the start
     * event, so it does not count); null until a step of this segment was logged.
     */
    public Duration remaining() {
        if (ended) {
            return Duration.ZERO;
        }
        int steps = stepsDone - segmentStep;
        if (lastLogTime < 0 || steps <= 0 || totalSteps <= 0) {
            return null;
        }
        double perStep = (double) (lastLogTime - segmentStart) / steps;
        return Duration.ofMillis(Math.round(perStep * Math.max(0, totalSteps - stepsDone)));
    }

    /**
     * Exponential moving average as TensorBoard smooths: {@code s_i = w·s_{i−1} + (1−w)·x_i}, debiased by
     * {@code 1 − w^i} so the curve does not start at zero; NaN values are skipped (their slot repeats the average).
     */
    public static double[] ema(double[] values, double weight) {
        double[] out = new double[values.length];
        double s = 0;
        int n = 0;
        for (int i = 0; i < values.length; i++) {
            if (!Double.isNaN(values[i])) {
                s = weight * s + (1 - weight) * values[i];
                n++;
            }
            out[i] = n == 0 ? Double.NaN : weight == 0 ? s : s / (1 - Math.pow(weight, n));
        }
        return out;
    }
}
