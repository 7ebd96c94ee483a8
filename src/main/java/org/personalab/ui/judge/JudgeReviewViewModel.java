package org.personalab.ui.judge;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.personalab.judge.Interval;
import org.personalab.judge.JudgePrompt;
import org.personalab.judge.JudgedPair;
import org.personalab.judge.ReviewState;
import org.personalab.judge.ReviewState.Queue;
import org.personalab.judge.ReviewSummary;
import org.personalab.judge.Verdict;
import org.personalab.service.JudgeService;
import org.personalab.store.Workspace;
import org.personalab.task.Failures;
import org.personalab.task.RunRecord;
import org.personalab.ui.WorkbenchContext;
import org.personalab.ui.specs.LineDiff;

/**
 * Judge review: a named annotator works through the judgments of a judging run in three queues (pending, flagged,
 * done). For the current judgment it shows the person's profile, both specs side by side with their differences
 * (left/right in an order of this annotator's own, {@link ReviewState#swapped}), and the judge's suggestion in that
 * order. The annotator picks left, right or tie (keys 1/2/3), adds a reason when they disagree with the verdict in
 * force, and submits (Enter); arrows move. A dashboard shows progress, κ per annotator, α among annotators, the
 * judge's position consistency and the cost. All reads and writes run as background tasks; only the latest load
 * applies. Never touches a control.
 */
public final class JudgeReviewViewModel {

    private final WorkbenchContext ctx;
    private final ObservableList<RunRecord> runs = FXCollections.observableArrayList();
    private final ObjectProperty<RunRecord> run = new SimpleObjectProperty<>(this, "run");
    private final StringProperty annotator = new SimpleStringProperty(this, "annotator", "");
    private final ObjectProperty<Queue> queue = new SimpleObjectProperty<>(this, "queue", Queue.PENDING);
    private final ObservableList<ReviewItem> items = FXCollections.observableArrayList();
    private final IntegerProperty index = new SimpleIntegerProperty(this, "index", -1);
    private final ObjectProperty<ReviewItem> current = new SimpleObjectProperty<>(this, "current");
    private final StringProperty profile = new SimpleStringProperty(this, "profile", "");
    private final ObservableList<LineDiff.Row> diff = FXCollections.observableArrayList();
    private final StringProperty suggestion = new SimpleStringProperty(this, "suggestion", "");
    private final ObjectProperty<Verdict> choice = new SimpleObjectProperty<>(this, "choice");
    private final StringProperty reason = new SimpleStringProperty(this, "reason", "");
    private final StringProperty message = new SimpleStringProperty(this, "message", "");
    private final StringProperty progress = new SimpleStringProperty(this, "progress", "");
    private final StringProperty agreement = new SimpleStringProperty(this, "agreement", "");
    private final StringProperty consistency = new SimpleStringProperty(this, "consistency", "");
    private final StringProperty cost = new SimpleStringProperty(this, "cost", "");
    private final Map<Queue, IntegerProperty> queueSizes = new EnumMap<>(Queue.class);
    private final IntegerProperty reasonRequests = new SimpleIntegerProperty(this, "reasonRequests");

    private List<JudgedPair> judged = List.of();
    private long loadGeneration;
    private long detailGeneration;

    public JudgeReviewViewModel(WorkbenchContext ctx) {
        this.ctx = ctx;
        for (Queue q : Queue.values()) {
            queueSizes.put(q, new SimpleIntegerProperty(this, "size" + q));
        }
        ctx.workspaceProperty().addListener((o, a, ws) -> refreshRuns());
        run.addListener((o, a, r) -> reload(null));
        queue.addListener((o, a, q) -> rebuildItems(null));
        annotator.addListener((o, a, n) -> rebuildItems(null));
        index.addListener((o, a, i) -> showCurrent());
    }

    // ---- properties

    public ObservableList<RunRecord> runs() { return runs; }
    public ObjectProperty<RunRecord> runProperty() { return run; }
    public StringProperty annotatorProperty() { return annotator; }
    public ObjectProperty<Queue> queueProperty() { return queue; }
    public ObservableList<ReviewItem> items() { return items; }
    public IntegerProperty indexProperty() { return index; }
    public ObjectProperty<ReviewItem> currentProperty() { return current; }
    public StringProperty profileProperty() { return profile; }
    public ObservableList<LineDiff.Row> diff() { return diff; }
    public StringProperty suggestionProperty() { return suggestion; }
    public ObjectProperty<Verdict> choiceProperty() { return choice; }
    public StringProperty reasonProperty() { return reason; }
    public StringProperty messageProperty() { return message; }
    public StringProperty progressProperty() { return progress; }
    public StringProperty agreementProperty() { return agreement; }
    public StringProperty consistencyProperty() { return consistency; }
    public StringProperty costProperty() { return cost; }
    public IntegerProperty queueSize(Queue q) { return queueSizes.get(q); }
    /** Counts the times a submit was refused for want of a reason (the view then focuses the reason field). */
    public IntegerProperty reasonRequestsProperty() { return reasonRequests; }

    // ---- actions

    /** Reads the judging runs of the open workspace; selects the newest when none is selected. */
    public void refreshRuns() {
        Workspace ws = ctx.workspace();
        if (ws == null) {
            runs.clear();
            return;
        }
        ctx.submit("Reading judging runs", c -> new JudgeService(ws).runs(), list -> {
            runs.setAll(list);
            if (run.get() == null || list.stream().noneMatch(r -> r.id() == run.get().id())) {
                run.set(list.isEmpty() ? null : list.get(0));
            }
            if (list.isEmpty()) {
                message.set("No judging run yet: run personalab judge first");
            }
        }, e -> message.set(Failures.describe(e)));
    }

    /** Left (A), right (B) or tie, as on screen. */
    public void choose(Verdict shown) {
        if (current.get() != null) {
            choice.set(shown);
        }
    }

    public void next() {
        if (index.get() + 1 < items.size()) {
            index.set(index.get() + 1);
        }
    }

    public void previous() {
        if (index.get() > 0) {
            index.set(index.get() - 1);
        }
    }

    /**
     * Stores the chosen verdict as this annotator's override (with the verdict in force before), then moves on: the
     * item leaves the pending or flagged queue. A verdict that differs from the one in force needs a reason.
     */
    public void submit() {
        ReviewItem item = current.get();
        Verdict shown = choice.get();
        String who = annotator.get() == null ? "" : annotator.get().strip();
        if (item == null) {
            return;
        }
        if (who.isEmpty()) {
            message.set("Enter your annotator name first");
            return;
        }
        if (shown == null) {
            message.set("Press 1 (left), 2 (right) or 3 (tie) first");
            return;
        }
        Verdict verdict = item.toPair(shown);
        String why = reason.get() == null ? "" : reason.get().strip();
        if (verdict != item.judged().effective() && why.isEmpty()) {
            message.set("You disagree with the verdict in force (" + describe(item, item.judged().effective())
                    + "): type a reason, then press Enter");
            reasonRequests.set(reasonRequests.get() + 1);
            return;
        }
        Workspace ws = ctx.workspace();
        long id = item.judged().id();
        ctx.submit("Saving review of judgment " + id, c -> new JudgeService(ws).override(id, who, verdict,
                why.isEmpty() ? null : why, item.swapped()), oid -> {
                    message.set("Saved: judgment " + id + " is " + describe(item, verdict) + " (override " + oid
                            + ")");
                    reload(id);
                }, e -> message.set(Failures.describe(e)));
    }

    /** Flags the current judgment for discussion. */
    public void flag() {
        ReviewItem item = current.get();
        String who = annotator.get() == null ? "" : annotator.get().strip();
        if (item == null || who.isEmpty()) {
            return;
        }
        Workspace ws = ctx.workspace();
        String why = reason.get();
        ctx.submit("Flagging judgment " + item.judged().id(), c -> {
            new JudgeService(ws).flag(item.judged().id(), who, why);
            return null;
        }, x -> reload(item.judged().id()), e -> message.set(Failures.describe(e)));
    }

    // ---- loading

    private void reload(Long after) {
        RunRecord r = run.get();
        Workspace ws = ctx.workspace();
        long gen = ++loadGeneration;
        if (r == null || ws == null) {
            judged = List.of();
            rebuildItems(null);
            return;
        }
        ctx.submit("Reading judging run " + r.id(), c -> {
            JudgeService svc = new JudgeService(ws);
            return new Loaded(svc.judged(r.id()), svc.summary(r.id()));
        }, l -> {
            if (gen != loadGeneration) {
                return; // a newer load is under way
            }
            judged = l.judged();
            dashboard(l.summary());
            rebuildItems(after);
        }, e -> message.set(Failures.describe(e)));
    }

    private record Loaded(List<JudgedPair> judged, ReviewSummary summary) {
    }

    /** Rebuilds the current queue; keeps the position (or moves to the item after {@code after}). */
    private void rebuildItems(Long after) {
        String who = annotator.get() == null ? "" : annotator.get().strip();
        int old = index.get();
        List<ReviewItem> list = new ArrayList<>();
        Map<Queue, Integer> sizes = new EnumMap<>(Queue.class);
        for (Queue q : Queue.values()) {
            sizes.put(q, 0);
        }
        for (JudgedPair j : judged) {
            Queue q = who.isEmpty() ? Queue.PENDING : j.queue(who);
            sizes.merge(q, 1, Integer::sum);
            if (q == queue.get()) {
                list.add(new ReviewItem(j, !who.isEmpty() && ReviewState.swapped(who, j.id())));
            }
        }
        sizes.forEach((q, n) -> queueSizes.get(q).set(n));
        items.setAll(list);
        int target = list.isEmpty() ? -1 : Math.max(0, Math.min(old, list.size() - 1));
        if (after != null) {
            target = list.isEmpty() ? -1 : Math.min(Math.max(old, 0), list.size() - 1);
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i).judged().id() == after) {
                    target = Math.min(i + 1, list.size() - 1); // it stayed in this queue: go past it
                }
            }
        }
        if (index.get() == target) {
            showCurrent();
        } else {
            index.set(target);
        }
    }

    private void showCurrent() {
        int i = index.get();
        ReviewItem item = i >= 0 && i < items.size() ? items.get(i) : null;
        current.set(item);
        choice.set(null);
        reason.set("");
        long gen = ++detailGeneration;
        if (item == null) {
            profile.set("");
            diff.clear();
            suggestion.set(items.isEmpty() ? "Nothing in this queue" : "");
            return;
        }
        JudgedPair j = item.judged();
        String conf = Double.isNaN(j.confidence()) ? "" : String.format(Locale.ROOT, ", confidence %.2f",
                j.confidence());
        suggestion.set("Judge (" + j.judge() + "): " + describe(item, j.judgeVerdict()) + conf
                + (j.judgeFlagged() ? " — unsure: its two orders disagreed" : "") + (j.overridden()
                        ? "; in force now: " + describe(item, j.effective()) : "") + "\n" + nullToEmpty(j.rationale()));
        Workspace ws = ctx.workspace();
        ctx.submit("Opening judgment " + j.id(), c -> {
            JudgeService svc = new JudgeService(ws);
            String left = svc.personaText(item.leftSpec());
            String right = svc.personaText(item.rightSpec());
            return new Detail(JudgePrompt.profileText(svc.profile(j.pair().respondentId())), LineDiff.diff(left,
                    right));
        }, d -> {
            if (gen == detailGeneration) {
                profile.set(d.profile());
                diff.setAll(d.rows());
            }
        }, e -> message.set(Failures.describe(e)));
    }

    private record Detail(String profile, List<LineDiff.Row> rows) {
    }

    private void dashboard(ReviewSummary s) {
        progress.set(s.reviewed() + " of " + s.judgments() + " judgments reviewed, " + s.overridden()
                + " decided by an annotator");
        StringBuilder sb = new StringBuilder();
        s.judgeVsAnnotator().forEach((n, k) -> sb.append("κ judge vs ").append(n).append(": ").append(fmt(k))
                .append('\n'));
        sb.append("α among annotators: ").append(fmt(s.annotatorsAlpha()));
        agreement.set(sb.toString());
        consistency.set("Position consistency: " + fmt(s.consistency().rate()) + "; first-position rate "
                + fmt(s.consistency().firstPosition()));
        cost.set(String.format(Locale.ROOT, "Cost: $%.4f", s.costUsd()));
    }

    private static String fmt(Interval i) {
        return Double.isNaN(i.estimate()) ? "n/a" : i.toString();
    }

    /** "left", "right" or "tie" for a verdict in the pair's order, as this item is shown. */
    static String describe(ReviewItem item, Verdict pair) {
        return switch (item.toShown(pair)) {
            case A -> "left";
            case B -> "right";
            case TIE -> "tie";
        };
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
