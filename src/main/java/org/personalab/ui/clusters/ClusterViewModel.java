package org.personalab.ui.clusters;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.personalab.cluster.ClusteringInfo;
import org.personalab.cluster.Clustering;
import org.personalab.cluster.FeatureSpec;
import org.personalab.cluster.KMeansParams;
import org.personalab.cluster.SplitPlan;
import org.personalab.cluster.SplitSetInfo;
import org.personalab.data.DatasetInfo;
import org.personalab.inventory.Domain;
import org.personalab.service.ClusterService;
import org.personalab.service.DatasetService;
import org.personalab.service.Json;
import org.personalab.service.SplitService;
import org.personalab.store.Workspace;
import org.personalab.task.BackgroundTask;
import org.personalab.task.Failures;
import org.personalab.task.TaskContext;
import org.personalab.ui.WorkbenchContext;

/**
 * The cluster panel's state and work, without a control: the workspace's datasets and stored clusterings, the
 * clustering shown ({@link ClusterPicture}) with its cluster table and point colours, the controls of a recompute
 * (dataset, k, seed, features), hover and "open this person", and the split builder with its preview.
 *
 * <p>Every read and computation is a background task of the workbench. Changing a control schedules a recompute
 * {@link #DEBOUNCE_MS} after the last change; a newer request cancels the older one's task, and a result applies
 * only when it is still the latest (one generation counter covers loading a stored clustering and recomputing, so
 * neither can overwrite a newer picture). Colouring and the split preview follow the same latest-only rule.
 */
public final class ClusterViewModel {

    /** Delay between the last control change and the recompute. */
    public static final long DEBOUNCE_MS = 400;

    private final WorkbenchContext ctx;
    private final Delay delay;
    private final long debounceMs;

    private final ObservableList<DatasetInfo> datasets = FXCollections.observableArrayList();
    private final ObservableList<ClusteringInfo> clusterings = FXCollections.observableArrayList();
    private final ObjectProperty<ClusteringInfo> selectedClustering = new SimpleObjectProperty<>(this,
            "selectedClustering");
    private final ObservableList<SplitSetInfo> splitSets = FXCollections.observableArrayList();
    private final ObjectProperty<SplitSetInfo> shownSplitSet = new SimpleObjectProperty<>(this, "shownSplitSet");

    // controls of a recompute
    private final ObjectProperty<DatasetInfo> dataset = new SimpleObjectProperty<>(this, "dataset");
    private final IntegerProperty k = new SimpleIntegerProperty(this, "k", 8);
    private final LongProperty seed = new SimpleLongProperty(this, "seed", 42);
    private final ObjectProperty<FeatureSpec.Items> items = new SimpleObjectProperty<>(this, "items",
            FeatureSpec.Items.KEYED);
    private final BooleanProperty sex = new SimpleBooleanProperty(this, "sex", true);
    private final BooleanProperty age = new SimpleBooleanProperty(this, "age", true);
    private final BooleanProperty country = new SimpleBooleanProperty(this, "country", true);
    private final IntegerProperty topCountries = new SimpleIntegerProperty(this, "topCountries", 4);
    private final ObjectProperty<FeatureSpec.Scores> scores = new SimpleObjectProperty<>(this, "scores",
            FeatureSpec.Scores.NONE);
    private final BooleanProperty standardize = new SimpleBooleanProperty(this, "standardize", true);

    // what is shown
    private final ObjectProperty<ClusterPicture> picture = new SimpleObjectProperty<>(this, "picture");
    private final ObservableList<ClusterSummary> clusters = FXCollections.observableArrayList();
    private final ObjectProperty<ColorMode> colorMode = new SimpleObjectProperty<>(this, "colorMode",
            ColorMode.CLUSTER);
    private final ObjectProperty<Domain> colorDomain = new SimpleObjectProperty<>(this, "colorDomain", Domain.N);
    private final ObjectProperty<Coloring> coloring = new SimpleObjectProperty<>(this, "coloring");
    private final IntegerProperty highlightedCluster = new SimpleIntegerProperty(this, "highlightedCluster", -1);
    private final ObjectProperty<PointInfo> hovered = new SimpleObjectProperty<>(this, "hovered");
    private final BooleanProperty busy = new SimpleBooleanProperty(this, "busy");
    private final BooleanProperty recomputing = new SimpleBooleanProperty(this, "recomputing");
    private final StringProperty message = new SimpleStringProperty(this, "message", "");
    private final StringProperty saveName = new SimpleStringProperty(this, "saveName", "");

    // split builder
    private final ObjectProperty<SplitMode> splitMode = new SimpleObjectProperty<>(this, "splitMode",
            SplitMode.FRACTIONS);
    private final DoubleProperty testShare = new SimpleDoubleProperty(this, "testShare", 0.2);
    private final IntegerProperty perCentroid = new SimpleIntegerProperty(this, "perCentroid", 10);
    private final LongProperty splitSeed = new SimpleLongProperty(this, "splitSeed", 42);
    private final StringProperty splitName = new SimpleStringProperty(this, "splitName", "");
    private final ObjectProperty<SplitPreview> preview = new SimpleObjectProperty<>(this, "preview");
    private final BooleanProperty previewing = new SimpleBooleanProperty(this, "previewing");
    private final StringProperty splitMessage = new SimpleStringProperty(this, "splitMessage", "");

    private Consumer<PointInfo> openPerson = p -> { };
    /** Every split set of the workspace, as last listed. */
    private List<SplitSetInfo> allSplits = List.of();
    private boolean active;
    private boolean quiet;
    private long listGeneration;
    private long pictureGeneration;
    private long colorGeneration;
    private long previewGeneration;
    private long splitLayerGeneration;
    private Runnable pendingRecompute;
    private BackgroundTask<?> pictureTask;
    private BackgroundTask<?> colorTask;

    public ClusterViewModel(WorkbenchContext ctx) {
        this(ctx, Delay.on(ctx.ui()), DEBOUNCE_MS);
    }

    /**
     * @param delay      how the recompute is postponed (tests fire it by hand)
     * @param debounceMs how long after the last control change
     */
    public ClusterViewModel(WorkbenchContext ctx, Delay delay, long debounceMs) {
        this.ctx = Objects.requireNonNull(ctx);
        this.delay = Objects.requireNonNull(delay);
        this.debounceMs = debounceMs;
        for (ObservableValue<?> control : List.of(dataset, k, seed, items, sex, age, country, topCountries, scores,
                standardize)) {
            control.addListener((o, a, b) -> controlsChanged());
        }
        selectedClustering.addListener((o, a, c) -> {
            if (!quiet && c != null) {
                loadStored(c);
            }
        });
        shownSplitSet.addListener((o, a, s) -> {
            if (!quiet) {
                showSplitSet(s);
            }
        });
        colorMode.addListener((o, a, m) -> recolor());
        colorDomain.addListener((o, a, d) -> {
            if (colorMode.get() == ColorMode.LEVEL) {
                recolor();
            }
        });
        for (ObservableValue<?> p : List.of(splitMode, testShare, perCentroid, splitSeed)) {
            p.addListener((o, a, b) -> preview.set(null));
        }
        preview.addListener((o, a, p) -> {
            if (p == null && a != null) {
                splitMessage.set("Settings changed: preview again before saving.");
            }
        });
        ctx.workspaceProperty().addListener((o, a, ws) -> {
            cancelPicture();
            pictureGeneration++;
            quietly(() -> {
                datasets.clear();
                clusterings.clear();
                splitSets.clear();
                selectedClustering.set(null);
                shownSplitSet.set(null);
                dataset.set(null);
            });
            picture.set(null);
            clusters.clear();
            coloring.set(null);
            preview.set(null);
            splitMessage.set("");
            hovered.set(null);
            message.set("");
            if (ws != null && active) {
                refresh(null);
            }
        });
    }

    /** Reads the workspace's clusterings when the panel is first shown (a hidden panel costs nothing). */
    public void activate() {
        if (!active) {
            active = true;
            refresh(null);
        }
    }

    private void quietly(Runnable r) {
        boolean was = quiet;
        quiet = true;
        try {
            r.run();
        } finally {
            quiet = was;
        }
    }

    // ---- the lists

    private record Lists(List<DatasetInfo> datasets, List<ClusteringInfo> clusterings, List<SplitSetInfo> splits) {
    }

    /**
     * Reads datasets, clusterings and split sets again. Selects (and shows) {@code select} by name when given, else
     * keeps the clustering shown, else shows the newest one.
     */
    public void refresh(String select) {
        Workspace ws = ctx.workspace();
        DatasetService ds = ctx.datasetService();
        if (ws == null || ds == null) {
            return;
        }
        long gen = ++listGeneration;
        busy.set(true);
        ctx.submit("List clusterings", c -> new Lists(ds.list(), new ClusterService(ws, ds).list(),
                new SplitService(ws, ds).list()), l -> {
                    if (gen != listGeneration || ws != ctx.workspace()) {
                        return;
                    }
                    busy.set(false);
                    applyLists(l, select);
                }, e -> {
                    if (gen == listGeneration) {
                        busy.set(false);
                        message.set("Could not read the clusterings: " + Failures.describe(e));
                    }
                });
    }

    private void applyLists(Lists l, String select) {
        allSplits = l.splits();
        ClusteringInfo current = selectedClustering.get();
        String wanted = select != null ? select : current != null ? current.name() : null;
        ClusteringInfo pick = l.clusterings().stream().filter(c -> c.name().equals(wanted)).findFirst()
                .orElse(wanted == null && !l.clusterings().isEmpty() ? l.clusterings().getLast() : null);
        quietly(() -> {
            datasets.setAll(l.datasets());
            clusterings.setAll(l.clusterings());
            if (dataset.get() == null || l.datasets().stream().noneMatch(d -> d.id() == dataset.get().id())) {
                dataset.set(l.datasets().isEmpty() ? null : l.datasets().getFirst());
            }
            selectedClustering.set(pick);
        });
        ClusterPicture shown = picture.get();
        if (pick != null && (shown == null || shown.stored() == null || shown.stored().id() != pick.id())) {
            loadStored(pick);
        } else if (pick != null) {
            listSplitSets(pick);
        } else if (l.clusterings().isEmpty()) {
            message.set(l.datasets().isEmpty() ? "No datasets yet: import one in the dataset browser."
                    : "No clustering yet: choose k and the features, then Run.");
        }
    }

    /** The split sets drawn from {@code c}, newest last; keeps the one shown when it is among them. */
    private void listSplitSets(ClusteringInfo c) {
        List<SplitSetInfo> mine = allSplits.stream().filter(s -> s.clusteringId() == c.id()).toList();
        SplitSetInfo shown = shownSplitSet.get();
        quietly(() -> {
            splitSets.setAll(mine);
            shownSplitSet.set(shown != null && mine.stream().anyMatch(s -> s.id() == shown.id()) ? shown
                    : mine.isEmpty() ? null : mine.getLast());
        });
    }

    // ---- loading a stored clustering

    private void loadStored(ClusteringInfo c) {
        long gen = ++pictureGeneration;
        cancelPicture();
        Workspace ws = ctx.workspace();
        DatasetService ds = ctx.datasetService();
        List<SplitSetInfo> mine = allSplits.stream().filter(s -> s.clusteringId() == c.id()).toList();
        SplitSetInfo split = mine.isEmpty() ? null : mine.getLast();
        quietly(() -> {
            splitSets.setAll(mine);
            shownSplitSet.set(split);
        });
        busy.set(true);
        message.set("Loading clustering " + c.name() + "…");
        pictureTask = ctx.submit("Load clustering " + c.name(), t -> {
            ClusterService.Loaded l = new ClusterService(ws, ds).load(c, t);
            SplitLayer layer = split == null ? null : splitLayer(ws, ds, split, l.members().respondentIds());
            return ClusterPicture.of(l, layer, t);
        }, p -> {
            if (gen != pictureGeneration) {
                return;
            }
            busy.set(false);
            show(p);
            applyControls(p);
            message.set(p.title() + ": " + String.format("%,d", p.size()) + " people in " + p.k()
                    + " clusters" + (p.quality().isEmpty() ? "" : " · " + p.quality()));
        }, e -> {
            if (gen == pictureGeneration) {
                busy.set(false);
                message.set("Could not load clustering " + c.name() + ": " + Failures.describe(e));
            }
        });
    }

    private static SplitLayer splitLayer(Workspace ws, DatasetService ds, SplitSetInfo s, long[] rowIds) {
        return SplitLayer.of(s.name(), new SplitService(ws, ds).members(s), rowIds, plannedNames(s));
    }

    /** Split names in planned order, from the sizes stored with the split set. */
    static List<String> plannedNames(SplitSetInfo s) {
        List<String> out = new ArrayList<>();
        try {
            JsonNode sizes = Json.MAPPER.readTree(s.paramsJson()).path("sizes");
            sizes.fieldNames().forEachRemaining(out::add);
        } catch (Exception e) {
            // the order of first appearance stands
        }
        return out;
    }

    private void showSplitSet(SplitSetInfo s) {
        ClusterPicture p = picture.get();
        if (p == null || !p.isSaved()) {
            return;
        }
        long gen = ++splitLayerGeneration;
        if (s == null) {
            showSplit(p, null);
            return;
        }
        Workspace ws = ctx.workspace();
        DatasetService ds = ctx.datasetService();
        ctx.submit("Read split set " + s.name(), t -> splitLayer(ws, ds, s, p.rowIds()), layer -> {
            if (gen == splitLayerGeneration && picture.get() != null && picture.get().rowIds() == p.rowIds()) {
                showSplit(picture.get(), layer);
            }
        }, e -> message.set("Could not read split set " + s.name() + ": " + Failures.describe(e)));
    }

    private void showSplit(ClusterPicture p, SplitLayer layer) {
        picture.set(p.withSplit(layer));
        if (colorMode.get() == ColorMode.SPLIT) {
            recolor();
        }
    }

    private void show(ClusterPicture p) {
        picture.set(p);
        clusters.setAll(p.clusters());
        highlightedCluster.set(-1);
        hovered.set(null);
        preview.set(null);
        splitMessage.set("");
        recolor();
    }

    /** Sets the controls to what a picture was made with, without scheduling a recompute. */
    private void applyControls(ClusterPicture p) {
        quietly(() -> {
            datasets.stream().filter(d -> d.id() == p.dataset().id()).findFirst().ifPresent(dataset::set);
            k.set(p.k());
            seed.set(p.params().seed());
            FeatureSpec s = p.spec();
            items.set(s.items());
            sex.set(s.sex());
            age.set(s.age());
            country.set(s.country());
            topCountries.set(s.topCountries());
            scores.set(s.scores());
            standardize.set(s.standardize());
        });
    }

    // ---- recompute

    /** The feature choices of the controls; throws with a readable message when they choose nothing. */
    public FeatureSpec featureSpec() {
        return new FeatureSpec(items.get(), sex.get(), age.get(), country.get(), topCountries.get(), scores.get(),
                standardize.get());
    }

    private void controlsChanged() {
        if (quiet || !active || ctx.workspace() == null) {
            return;
        }
        long gen = ++pictureGeneration;
        cancelPicture();
        recomputing.set(true);
        message.set("Recomputing after the last change…");
        pendingRecompute = delay.schedule(debounceMs, () -> {
            if (gen == pictureGeneration) {
                startRecompute(gen);
            }
        });
    }

    /** Recomputes with the current controls now (the Run button), dropping any pending or running request. */
    public void recomputeNow() {
        if (ctx.workspace() == null) {
            return;
        }
        long gen = ++pictureGeneration;
        cancelPicture();
        startRecompute(gen);
    }

    private void cancelPicture() {
        if (pendingRecompute != null) {
            pendingRecompute.run();
            pendingRecompute = null;
        }
        if (pictureTask != null) {
            pictureTask.cancel();
            pictureTask = null;
        }
        busy.set(false);
        recomputing.set(false);
    }

    private void startRecompute(long gen) {
        pendingRecompute = null;
        DatasetInfo d = dataset.get();
        if (d == null) {
            recomputing.set(false);
            message.set("Choose a dataset to cluster.");
            return;
        }
        FeatureSpec spec;
        KMeansParams params;
        try {
            spec = featureSpec();
            params = KMeansParams.of(k.get(), seed.get());
            if (params.k() > d.size()) {
                throw new IllegalArgumentException("k = " + params.k() + " is more than the " + d.size()
                        + " people of " + d.name());
            }
        } catch (IllegalArgumentException e) {
            recomputing.set(false);
            message.set("Cannot cluster: " + e.getMessage());
            return;
        }
        Workspace ws = ctx.workspace();
        DatasetService ds = ctx.datasetService();
        recomputing.set(true);
        message.set("Clustering " + d.name() + " with k = " + params.k() + ", seed " + params.seed() + "…");
        pictureTask = ctx.submit("Cluster " + d.name() + " (k = " + params.k() + ", seed " + params.seed() + ")",
                t -> recompute(ws, ds, d, spec, params, t), p -> {
                    if (gen != pictureGeneration) {
                        return;
                    }
                    recomputing.set(false);
                    quietly(() -> {
                        selectedClustering.set(null);
                        splitSets.clear();
                        shownSplitSet.set(null);
                    });
                    show(p);
                    saveName.set(ClusterService.defaultName(d.name(), params));
                    message.set(p.title() + String.format(" (%.1f s)", p.computed().seconds())
                            + (p.quality().isEmpty() ? "" : " · " + p.quality()) + " — Save to keep it.");
                }, e -> {
                    if (gen == pictureGeneration) {
                        recomputing.set(false);
                        message.set("Could not cluster " + d.name() + ": " + Failures.describe(e));
                    }
                });
    }

    private static ClusterPicture recompute(Workspace ws, DatasetService ds, DatasetInfo d, FeatureSpec spec,
            KMeansParams params, TaskContext t) {
        ClusterService.Computed c = new ClusterService(ws, ds).compute(d.name(), spec, params,
                Clustering.Options.DEFAULT, t);
        long[] ids = ws.read(tx -> tx.datasets().respondentIds(d.id()));
        return ClusterPicture.of(c, ids, t);
    }

    /** Stores the unsaved clustering shown, exactly as computed, under {@link #saveNameProperty()}. */
    public void saveClustering() {
        ClusterPicture p = picture.get();
        if (p == null || p.isSaved()) {
            message.set(p == null ? "Nothing to save: run a clustering first." : p.title() + " is stored already.");
            return;
        }
        String name = saveName.get() == null ? "" : saveName.get().strip();
        Workspace ws = ctx.workspace();
        DatasetService ds = ctx.datasetService();
        busy.set(true);
        ctx.submit("Save clustering " + (name.isEmpty() ? "" : name), t -> new ClusterService(ws, ds).save(name,
                p.computed(), t), out -> {
                    busy.set(false);
                    if (picture.get() == p) {
                        picture.set(p.saved(out.info()));
                    }
                    message.set("Saved clustering " + out.info().name() + " (run #" + out.runId() + ").");
                    ctx.status(message.get());
                    refresh(out.info().name());
                }, e -> {
                    busy.set(false);
                    message.set("Could not save the clustering: " + Failures.describe(e));
                });
    }

    // ---- colours

    private void recolor() {
        ClusterPicture p = picture.get();
        long gen = ++colorGeneration;
        if (colorTask != null) {
            colorTask.cancel();
        }
        if (p == null) {
            coloring.set(null);
            return;
        }
        ColorMode mode = colorMode.get();
        Domain d = colorDomain.get();
        colorTask = ctx.submit("Colour points by " + mode.label().toLowerCase(java.util.Locale.ROOT)
                + (mode == ColorMode.LEVEL ? " (" + d.displayName() + ")" : ""), t -> Coloring.of(p, mode, d, t),
                c -> {
                    if (gen == colorGeneration) {
                        coloring.set(c);
                    }
                }, null);
    }

    // ---- hover and open

    /** The person at a dataset row becomes the hovered one (-1: nobody). */
    public void hover(int row) {
        ClusterPicture p = picture.get();
        PointInfo now = hovered.get();
        if (p == null || row < 0 || row >= p.size()) {
            hovered.set(null);
        } else if (now == null || now.row() != row || !Objects.equals(now.split(), p.split() == null ? null
                : p.split().splitOf(row))) {
            hovered.set(PointInfo.of(p, row));
        }
    }

    /** Opens the person at a dataset row in the dataset browser (through {@link #setOpenPerson}). */
    public void open(int row) {
        ClusterPicture p = picture.get();
        if (p != null && row >= 0 && row < p.size()) {
            PointInfo who = PointInfo.of(p, row);
            ctx.status("Opening " + who.id() + " of " + who.datasetName() + " in the dataset browser");
            openPerson.accept(who);
        }
    }

    /** What opening a person does (the main window shows them in the dataset browser). */
    public void setOpenPerson(Consumer<PointInfo> action) {
        openPerson = Objects.requireNonNull(action);
    }

    // ---- split builder

    /** The plan of the split builder's settings; throws with a readable message when they are invalid. */
    public SplitPlan splitPlan() {
        if (splitMode.get() == SplitMode.REPRESENTATIVES) {
            return new SplitPlan.Representatives("test", perCentroid.get(), "train");
        }
        double test = testShare.get();
        if (!(test > 0 && test < 1)) {
            throw new IllegalArgumentException("the test share must be between 0 and 1 (exclusive), got " + test);
        }
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("train", 1 - test);
        f.put("test", test);
        return new SplitPlan.Fractions(f);
    }

    /** Draws the split set of the builder's settings from the stored clustering shown, without saving it. */
    public void previewSplit() {
        ClusterPicture p = picture.get();
        if (p == null || !p.isSaved()) {
            splitMessage.set(p == null ? "Show a clustering first."
                    : "Save the clustering first: split sets are drawn from stored clusterings.");
            return;
        }
        SplitService.Request req;
        try {
            req = new SplitService.Request(p.stored().name(), splitName.get(), splitPlan(), splitSeed.get());
        } catch (IllegalArgumentException e) {
            splitMessage.set("Cannot split: " + e.getMessage());
            return;
        }
        long gen = ++previewGeneration;
        Workspace ws = ctx.workspace();
        DatasetService ds = ctx.datasetService();
        previewing.set(true);
        splitMessage.set("Drawing the preview…");
        ctx.submit("Preview split of " + p.stored().name(), t -> SplitPreview.of(req,
                new SplitService(ws, ds).preview(req, t), p.data().responses()), sp -> {
                    if (gen != previewGeneration) {
                        return;
                    }
                    previewing.set(false);
                    ClusterPicture now = picture.get();
                    if (now == null || now.stored() == null || now.stored().id() != p.stored().id()) {
                        return;
                    }
                    preview.set(sp);
                    quietly(() -> shownSplitSet.set(null));
                    splitMessage.set("Preview: " + sizesText(sp.sizes()) + (sp.unassigned() > 0
                            ? " · " + String.format("%,d", sp.unassigned()) + " in no split" : "")
                            + (sp.skipped().isEmpty() ? "" : " · clusters too small: " + sp.skipped()));
                    showSplit(now, sp.layer());
                }, e -> {
                    if (gen == previewGeneration) {
                        previewing.set(false);
                        splitMessage.set("Could not preview: " + Failures.describe(e));
                    }
                });
    }

    static String sizesText(Map<String, Integer> sizes) {
        StringBuilder sb = new StringBuilder();
        sizes.forEach((n, v) -> sb.append(sb.isEmpty() ? "" : " · ").append(n).append(' ')
                .append(String.format("%,d", v)));
        return sb.toString();
    }

    /** Stores the previewed split set under {@link #splitNameProperty()} (blank: a name from the clustering). */
    public void saveSplit() {
        SplitPreview pv = preview.get();
        ClusterPicture p = picture.get();
        if (pv == null || p == null || !p.isSaved()) {
            splitMessage.set("Preview the split first.");
            return;
        }
        SplitService.Request req = new SplitService.Request(pv.request().clustering(), splitName.get(),
                pv.request().plan(), pv.request().seed());
        Workspace ws = ctx.workspace();
        DatasetService ds = ctx.datasetService();
        previewing.set(true);
        ctx.submit("Save split set" + (req.name() == null || req.name().isBlank() ? "" : " " + req.name().strip()),
                t -> new SplitService(ws, ds).split(req, t), out -> {
                    previewing.set(false);
                    splitMessage.set("Saved split set " + out.info().name() + ": " + sizesText(out.sizes()) + ".");
                    ctx.status(splitMessage.get());
                    allSplits = new ArrayList<>(allSplits);
                    allSplits.add(out.info());
                    ClusterPicture now = picture.get();
                    if (now != null && now.stored() != null && now.stored().id() == out.info().clusteringId()) {
                        quietly(() -> {
                            splitSets.add(out.info());
                            shownSplitSet.set(out.info());
                        });
                        showSplit(now, SplitLayer.of(out.info().name(), out.assignment()));
                    }
                }, e -> {
                    previewing.set(false);
                    splitMessage.set("Could not save the split set: " + Failures.describe(e));
                });
    }

    // ---- properties

    public ObservableList<DatasetInfo> datasets() { return datasets; }
    public ObservableList<ClusteringInfo> clusterings() { return clusterings; }
    /** The stored clustering shown; null while an unsaved recompute is shown. */
    public ObjectProperty<ClusteringInfo> selectedClusteringProperty() { return selectedClustering; }
    /** Split sets drawn from the stored clustering shown. */
    public ObservableList<SplitSetInfo> splitSets() { return splitSets; }
    /** The split set whose splits colour the points in {@link ColorMode#SPLIT}. */
    public ObjectProperty<SplitSetInfo> shownSplitSetProperty() { return shownSplitSet; }
    public ObjectProperty<DatasetInfo> datasetProperty() { return dataset; }
    public IntegerProperty kProperty() { return k; }
    public LongProperty seedProperty() { return seed; }
    public ObjectProperty<FeatureSpec.Items> itemsProperty() { return items; }
    public BooleanProperty sexProperty() { return sex; }
    public BooleanProperty ageProperty() { return age; }
    public BooleanProperty countryProperty() { return country; }
    public IntegerProperty topCountriesProperty() { return topCountries; }
    public ObjectProperty<FeatureSpec.Scores> scoresProperty() { return scores; }
    public BooleanProperty standardizeProperty() { return standardize; }
    public ReadOnlyObjectProperty<ClusterPicture> pictureProperty() { return picture; }
    public ObservableList<ClusterSummary> clusters() { return clusters; }
    public ObjectProperty<ColorMode> colorModeProperty() { return colorMode; }
    public ObjectProperty<Domain> colorDomainProperty() { return colorDomain; }
    public ReadOnlyObjectProperty<Coloring> coloringProperty() { return coloring; }
    /** A cluster drawn in front with the others faded (-1: none). */
    public IntegerProperty highlightedClusterProperty() { return highlightedCluster; }
    public ReadOnlyObjectProperty<PointInfo> hoveredProperty() { return hovered; }
    public BooleanProperty busyProperty() { return busy; }
    /** A recompute is scheduled or running. */
    public BooleanProperty recomputingProperty() { return recomputing; }
    public StringProperty messageProperty() { return message; }
    public StringProperty saveNameProperty() { return saveName; }
    public ObjectProperty<SplitMode> splitModeProperty() { return splitMode; }
    public DoubleProperty testShareProperty() { return testShare; }
    public IntegerProperty perCentroidProperty() { return perCentroid; }
    public LongProperty splitSeedProperty() { return splitSeed; }
    public StringProperty splitNameProperty() { return splitName; }
    public ReadOnlyObjectProperty<SplitPreview> previewProperty() { return preview; }
    public BooleanProperty previewingProperty() { return previewing; }
    public StringProperty splitMessageProperty() { return splitMessage; }
}
