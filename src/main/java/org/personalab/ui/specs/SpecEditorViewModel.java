package org.personalab.ui.specs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.personalab.data.DatasetInfo;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Facet;
import org.personalab.profile.Profile;
import org.personalab.profile.PromptContext;
import org.personalab.profile.ScoredDataset;
import org.personalab.service.DatasetService;
import org.personalab.service.SpecService;
import org.personalab.spec.AgentFile;
import org.personalab.spec.AgentSpec;
import org.personalab.spec.Finding;
import org.personalab.spec.SpecFormatException;
import org.personalab.spec.SpecJson;
import org.personalab.spec.SpecProvenance;
import org.personalab.spec.SpecValidator;
import org.personalab.spec.TinyTroupeFiles;
import org.personalab.store.SpecRepository.SpecRow;
import org.personalab.store.Workspace;
import org.personalab.task.Failures;
import org.personalab.task.RunRecord;
import org.personalab.ui.WorkbenchContext;

/**
 * The spec editor: the spec generation runs of the workspace, the specs of the chosen run (one line per person and
 * source, at its newest version), the open spec's versions, its document as text and as form fields kept in step,
 * live validation against the person's profile (debounced, off the UI thread, only the latest result applies), saving
 * an edit as a new version, and a side-by-side diff of two specs of the person. Never touches a control.
 */
public final class SpecEditorViewModel {

    /** Delay between the last edit and its validation. */
    public static final long DEBOUNCE_MS = 300;

    /** Form fields besides the Big Five statements and the facets. */
    public enum Field {
        NAME("Name"), AGE("Age"), GENDER("Gender"), NATIONALITY("Nationality"), RESIDENCE("Residence"),
        OCCUPATION("Occupation"), STYLE("Style");

        private final String label;

        Field(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final WorkbenchContext ctx;
    private final long debounceMs;
    private final ScheduledExecutorService validationThread;
    private final SpecValidator validator = new SpecValidator();

    private final ObservableList<RunRecord> runs = FXCollections.observableArrayList();
    private final ObjectProperty<RunRecord> selectedRun = new SimpleObjectProperty<>(this, "selectedRun");
    private final ObservableList<SpecEntry> specs = FXCollections.observableArrayList();
    private final ObjectProperty<SpecEntry> selectedSpec = new SimpleObjectProperty<>(this, "selectedSpec");
    private final ObservableList<SpecVersion> versions = FXCollections.observableArrayList();
    private final ObjectProperty<SpecVersion> selectedVersion = new SimpleObjectProperty<>(this, "selectedVersion");
    private final ObjectProperty<Profile> target = new SimpleObjectProperty<>(this, "target");
    private final PromptPreviewModel promptPreview;
    private final SpecGenerationViewModel generation;
    private final StringProperty document = new SimpleStringProperty(this, "document", "");
    private final BooleanProperty dirty = new SimpleBooleanProperty(this, "dirty");
    private final BooleanProperty readOnly = new SimpleBooleanProperty(this, "readOnly", true);
    private final BooleanProperty busy = new SimpleBooleanProperty(this, "busy");
    private final BooleanProperty validating = new SimpleBooleanProperty(this, "validating");
    private final StringProperty engineNote = new SimpleStringProperty(this, "engineNote", "");
    private final BooleanProperty templateEngine = new SimpleBooleanProperty(this, "templateEngine");
    private final StringProperty parseError = new SimpleStringProperty(this, "parseError");
    private final StringProperty formError = new SimpleStringProperty(this, "formError");
    private final StringProperty message = new SimpleStringProperty(this, "message", "");
    private final StringProperty author = new SimpleStringProperty(this, "author", "");
    private final ObservableList<Finding> findings = FXCollections.observableArrayList();
    private final Map<Field, StringProperty> fields = new EnumMap<>(Field.class);
    private final Map<Domain, StringProperty> bigFive = new EnumMap<>(Domain.class);
    private final Map<Facet, StringProperty> facets = new EnumMap<>(Facet.class);
    private final ObservableList<SpecVersion> compareChoices = FXCollections.observableArrayList();
    private final ObjectProperty<SpecVersion> compareLeft = new SimpleObjectProperty<>(this, "compareLeft");
    private final ObjectProperty<SpecVersion> compareRight = new SimpleObjectProperty<>(this, "compareRight");
    private final ObservableList<LineDiff.Row> diff = FXCollections.observableArrayList();
    private final StringProperty diffSummary = new SimpleStringProperty(this, "diffSummary", "");

    private String savedDocument = "";
    private RunData runData;
    private long runGeneration;
    private long openGeneration;
    private long diffGeneration;
    private final AtomicLong validationGeneration = new AtomicLong();
    private boolean syncingForm;
    private boolean active;

    public SpecEditorViewModel(WorkbenchContext ctx) {
        this(ctx, DEBOUNCE_MS);
    }

    /**
     * @param debounceMs delay before validating an edit; 0 validates at once on the calling thread (for tests)
     */
    public SpecEditorViewModel(WorkbenchContext ctx, long debounceMs) {
        this.ctx = ctx;
        this.promptPreview = new PromptPreviewModel(ctx);
        promptPreview.personProperty().bind(target);
        this.generation = new SpecGenerationViewModel(ctx, promptPreview, this::refresh);
        this.debounceMs = debounceMs;
        this.validationThread = debounceMs <= 0 ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spec-validation");
            t.setDaemon(true);
            return t;
        });
        for (Field f : Field.values()) {
            fields.put(f, formProperty(f.name(), (spec, v) -> setField(spec, f, v)));
        }
        for (Domain d : PromptContext.OCEAN) {
            bigFive.put(d, formProperty("bigFive" + d, (spec, v) -> spec.bigFive(d, v)));
        }
        for (Facet f : Facet.values()) {
            facets.put(f, formProperty("facet" + f, (spec, v) -> spec.facet(f, v)));
        }
        document.addListener((o, a, text) -> {
            dirty.set(!text.equals(savedDocument));
            scheduleValidation();
        });
        target.addListener((o, a, p) -> scheduleValidation());
        selectedRun.addListener((o, a, r) -> loadRun(r, null));
        selectedSpec.addListener((o, a, s) -> openSpec(s));
        selectedVersion.addListener((o, a, v) -> showVersion(v));
        compareLeft.addListener((o, a, v) -> compare());
        compareRight.addListener((o, a, v) -> compare());
        ctx.workspaceProperty().addListener((o, a, ws) -> {
            runs.clear();
            selectedRun.set(null);
            if (ws != null && active) {
                refresh();
            }
        });
    }

    /**
     * Starts reading the workspace's specs (and keeps them current when another workspace opens). The panel calls
     * this when it is first shown, so a hidden panel costs nothing at start-up.
     */
    public void activate() {
        if (!active) {
            active = true;
            refresh();
        }
    }

    private StringProperty formProperty(String name, BiConsumer<AgentSpec, String> setter) {
        StringProperty p = new SimpleStringProperty(this, name, "");
        p.addListener((o, a, v) -> {
            if (!syncingForm) {
                applyForm(setter, v);
            }
        });
        return p;
    }

    // ---- runs and the spec list

    /** Reads the spec generation runs again; keeps the chosen run if it still exists, else picks the latest. */
    public void refresh() {
        Workspace ws = ctx.workspace();
        if (ws == null) {
            return;
        }
        long gen = ++runGeneration;
        busy.set(true);
        ctx.submit("List spec runs", c -> ws.read(tx -> tx.runs().list()).stream()
                .filter(r -> r.kind().equals(SpecService.RUN_KIND)).toList(), list -> {
                    if (gen != runGeneration || ws != ctx.workspace()) {
                        return;
                    }
                    busy.set(false);
                    RunRecord current = selectedRun.get();
                    runs.setAll(list);
                    RunRecord pick = list.stream().filter(r -> current != null && r.id() == current.id())
                            .findFirst().orElse(list.isEmpty() ? null : list.get(0));
                    if (list.isEmpty()) {
                        message.set("No specs yet: generate them with `personalab specs generate`.");
                    }
                    if (pick != null && current != null && pick.id() == current.id()) {
                        SpecEntry open = selectedSpec.get();
                        loadRun(pick, open == null ? null : open.rootSpecId());
                    } else {
                        selectedRun.set(pick);
                    }
                }, e -> {
                    busy.set(false);
                    message.set("Could not list the spec runs: " + Failures.describe(e));
                });
    }

    private record RunData(RunRecord run, List<SpecEntry> entries, ScoredDataset data, Map<Long, Integer> rows) {

        Profile profile(long respondentId) {
            Integer row = rows.get(respondentId);
            return data == null || row == null ? null : Profile.of(data, row);
        }
    }

    private void loadRun(RunRecord run, Long selectRoot) {
        long gen = ++runGeneration;
        specs.clear();
        selectedSpec.set(null);
        runData = null;
        if (run == null) {
            return;
        }
        Workspace ws = ctx.workspace();
        DatasetService service = ctx.datasetService();
        busy.set(true);
        ctx.submit("Load specs of run " + run.id(), c -> readRun(ws, service, run, c), data -> {
            if (gen != runGeneration) {
                return;
            }
            busy.set(false);
            runData = data;
            specs.setAll(data.entries());
            message.set(data.entries().size() + " specs in " + run.title()
                    + (data.data() == null ? " (their dataset is not in this workspace: no targets)" : ""));
            SpecEntry pick = data.entries().stream().filter(e -> selectRoot != null && e.rootSpecId() == selectRoot)
                    .findFirst().orElse(data.entries().isEmpty() ? null : data.entries().get(0));
            selectedSpec.set(pick);
        }, e -> {
            if (gen == runGeneration) {
                busy.set(false);
                message.set("Could not load the specs of run " + run.id() + ": " + Failures.describe(e));
            }
        });
    }

    private static RunData readRun(Workspace ws, DatasetService service, RunRecord run,
            org.personalab.task.TaskContext c) {
        List<SpecRow> rows = ws.read(tx -> tx.specs().byRun(run.id()));
        Map<Long, SpecRow> byId = new HashMap<>();
        rows.forEach(r -> byId.put(r.id(), r));
        Set<Long> parents = new HashSet<>();
        rows.forEach(r -> parents.add(r.parentId()));
        // newest leaf of each chain, keyed by the chain's first version
        Map<Long, SpecRow> newest = new LinkedHashMap<>();
        Map<Long, Integer> lengths = new HashMap<>();
        List<SpecRow> sorted = new ArrayList<>(rows);
        sorted.sort((a, b) -> Long.compare(a.id(), b.id()));
        for (SpecRow r : sorted) {
            if (parents.contains(r.id())) {
                continue;
            }
            int length = 1;
            SpecRow root = r;
            while (root.parentId() > 0 && byId.containsKey(root.parentId())) {
                root = byId.get(root.parentId());
                length++;
            }
            SpecRow prev = newest.get(root.id());
            if (prev == null || prev.id() < r.id()) {
                newest.put(root.id(), r);
                lengths.put(root.id(), length);
            }
        }
        ScoredDataset data = null;
        Map<Long, Integer> rowOf = new HashMap<>();
        DatasetInfo info = datasetOf(ws, run);
        if (info != null && service != null) {
            data = service.load(info, c);
            long[] ids = ws.read(tx -> tx.datasets().respondentIds(info.id()));
            for (int i = 0; i < ids.length; i++) {
                rowOf.put(ids[i], i);
            }
        }
        List<SpecEntry> entries = new ArrayList<>(newest.size());
        for (var e : newest.entrySet()) {
            SpecRow root = byId.get(e.getKey());
            SpecRow leaf = e.getValue();
            Integer row = rowOf.get(leaf.respondentId());
            String person = data != null && row != null ? data.responses().id(row) : "#" + leaf.respondentId();
            String name;
            try {
                name = TinyTroupeFiles.parse(leaf.document()).spec().name();
            } catch (RuntimeException ex) {
                name = "(unreadable)";
            }
            String source = root.source();
            String model = null;
            try {
                SpecProvenance p = TinyTroupeFiles.parse(root.document()).provenance();
                if (p != null) {
                    source = p.engine();
                    model = p.model();
                }
            } catch (RuntimeException ex) {
                // the stored source column stands
            }
            entries.add(new SpecEntry(leaf.respondentId(), person, name == null ? "(no name)" : name, source, model,
                    root.id(), leaf.id(), lengths.get(e.getKey())));
            c.checkCancelled();
        }
        return new RunData(run, List.copyOf(entries), data, rowOf);
    }

    private static DatasetInfo datasetOf(Workspace ws, RunRecord run) {
        try {
            JsonNode inputs = SpecJson.MAPPER.readTree(run.inputs() == null ? "{}" : run.inputs());
            JsonNode id = inputs.get("datasetId");
            if (id != null && id.canConvertToLong()) {
                return ws.read(tx -> tx.datasets().get(id.asLong())).orElse(null);
            }
        } catch (Exception e) {
            // no dataset recorded: the specs show without targets
        }
        return null;
    }

    // ---- one spec, its versions

    private void openSpec(SpecEntry entry) {
        long gen = ++openGeneration;
        versions.clear();
        compareChoices.clear();
        compareLeft.set(null);
        compareRight.set(null);
        selectedVersion.set(null);
        if (entry == null) {
            target.set(null);
            return;
        }
        Workspace ws = ctx.workspace();
        RunData data = runData;
        ctx.submit("Open spec of " + entry.personId(), c -> {
            List<SpecRow> history = SpecService.history(ws, entry.latestSpecId());
            List<SpecRow> all = ws.read(tx -> tx.specs().byRespondent(entry.respondentId()));
            Profile p = data == null ? null : data.profile(entry.respondentId());
            return new Opened(history, all, p);
        }, o -> {
            if (gen != openGeneration) {
                return;
            }
            List<SpecVersion> vs = new ArrayList<>();
            for (int i = 0; i < o.history().size(); i++) {
                vs.add(new SpecVersion(o.history().get(i), i + 1));
            }
            Set<Long> inChain = new HashSet<>();
            o.history().forEach(r -> inChain.add(r.id()));
            List<SpecVersion> choices = new ArrayList<>(vs);
            o.all().stream().filter(r -> !inChain.contains(r.id())).forEach(r -> choices.add(new SpecVersion(r, 0)));
            target.set(o.profile());
            versions.setAll(vs);
            compareChoices.setAll(choices);
            selectedVersion.set(vs.get(vs.size() - 1));
            if (choices.size() > 1) {
                compareLeft.set(vs.size() > 1 ? vs.get(vs.size() - 2) : choices.get(choices.size() - 1));
                compareRight.set(vs.get(vs.size() - 1));
            }
        }, e -> {
            if (gen == openGeneration) {
                message.set("Could not open the spec of " + entry.personId() + ": " + Failures.describe(e));
            }
        });
    }

    private record Opened(List<SpecRow> history, List<SpecRow> all, Profile profile) {
    }

    private void showVersion(SpecVersion v) {
        formError.set(null);
        if (v == null) {
            savedDocument = "";
            readOnly.set(true);
            document.set("");
            return;
        }
        savedDocument = v.row().document();
        readOnly.set(!versions.isEmpty() && v != versions.get(versions.size() - 1));
        document.set(v.row().document());
        dirty.set(false);
    }

    /** Lets an older version be edited; saving it makes a new version branching from it. */
    public void editThisVersion() {
        if (selectedVersion.get() != null) {
            readOnly.set(false);
        }
    }

    /** Throws away unsaved changes. */
    public void revert() {
        if (selectedVersion.get() != null) {
            document.set(savedDocument);
        }
    }

    // ---- form <-> document

    private void applyForm(BiConsumer<AgentSpec, String> setter, String value) {
        AgentFile file;
        try {
            file = TinyTroupeFiles.parse(document.get());
        } catch (RuntimeException e) {
            formError.set("The raw JSON does not parse, so the form cannot change it: " + e.getMessage());
            return;
        }
        try {
            setter.accept(file.spec(), value == null ? "" : value);
        } catch (SpecFormatException e) {
            formError.set("Cannot set this field: " + e.getMessage());
            return;
        }
        formError.set(null);
        document.set(TinyTroupeFiles.format(file));
    }

    private static void setField(AgentSpec spec, Field f, String v) {
        switch (f) {
            case NAME -> spec.name(v);
            case GENDER -> spec.gender(v);
            case NATIONALITY -> spec.nationality(v);
            case RESIDENCE -> spec.residence(v);
            case STYLE -> spec.style(v);
            case AGE -> {
                if (v.strip().matches("\\d{1,3}")) {
                    spec.age(Integer.parseInt(v.strip()));
                } else {
                    spec.node().put("age", v);
                }
            }
            case OCCUPATION -> {
                JsonNode occ = spec.at("occupation");
                if (occ != null && occ.isObject()) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) occ).put("title", v);
                } else {
                    spec.occupation(new AgentSpec.Occupation(v, null, null));
                }
            }
            default -> throw new IllegalStateException(f.name());
        }
    }

    private void updateForm(AgentFile file) {
        syncingForm = true;
        try {
            AgentSpec s = file.spec();
            for (Field f : Field.values()) {
                fields.get(f).set(read(() -> switch (f) {
                    case NAME -> s.name();
                    case AGE -> {
                        JsonNode n = s.at("age");
                        yield n == null || n.isNull() ? "" : n.asText();
                    }
                    case GENDER -> s.gender();
                    case NATIONALITY -> s.nationality();
                    case RESIDENCE -> s.residence();
                    case OCCUPATION -> {
                        AgentSpec.Occupation o = s.occupation();
                        yield o == null ? null : o.title();
                    }
                    case STYLE -> s.style();
                }));
            }
            for (Domain d : PromptContext.OCEAN) {
                bigFive.get(d).set(read(() -> s.bigFive(d)));
            }
            for (Facet f : Facet.values()) {
                facets.get(f).set(read(() -> s.facet(f)));
            }
        } finally {
            syncingForm = false;
        }
    }

    private static String read(java.util.function.Supplier<String> getter) {
        try {
            String v = getter.get();
            return v == null ? "" : v;
        } catch (RuntimeException e) {
            return "";
        }
    }

    // ---- validation

    /** What validating one text gave: the parsed file and its findings, or why it does not parse. */
    record Validation(AgentFile file, List<Finding> findings, String parseError) {
    }

    static Validation validate(SpecValidator validator, String text, Profile person) {
        AgentFile file;
        try {
            file = TinyTroupeFiles.parse(text);
        } catch (RuntimeException e) {
            return new Validation(null, List.of(), e.getMessage());
        }
        List<Finding> out;
        try {
            out = validator.validate(file.spec(), person);
        } catch (RuntimeException e) {
            out = List.of(new Finding(Finding.Severity.ERROR, "$", "validation failed: " + e.getMessage()));
        }
        List<Finding> sorted = new ArrayList<>(out);
        sorted.sort((a, b) -> a.severity().compareTo(b.severity()));
        return new Validation(file, Collections.unmodifiableList(sorted), null);
    }

    private void scheduleValidation() {
        long gen = validationGeneration.incrementAndGet();
        String text = document.get();
        Profile person = target.get();
        if (text == null || text.isEmpty()) {
            validating.set(false);
            parseError.set(null);
            findings.clear();
            return;
        }
        validating.set(true);
        Runnable work = () -> {
            if (gen != validationGeneration.get()) {
                return;
            }
            Validation v = validate(validator, text, person);
            ctx.ui().execute(() -> applyValidation(gen, v));
        };
        if (validationThread == null) {
            work.run();
        } else {
            validationThread.schedule(work, debounceMs, TimeUnit.MILLISECONDS);
        }
    }

    private void applyValidation(long gen, Validation v) {
        if (gen != validationGeneration.get()) {
            return;
        }
        validating.set(false);
        parseError.set(v.parseError());
        findings.setAll(v.findings());
        if (v.file() != null) {
            updateForm(v.file());
            SpecProvenance p = v.file().provenance();
            boolean template = p != null && SpecProvenance.TEMPLATE_ENGINE.equals(p.engine());
            templateEngine.set(template);
            SpecVersion sv = selectedVersion.get();
            String edited = sv != null && sv.row().author() != null ? "; edited by " + sv.row().author() : "";
            if (template) {
                engineNote.set("Written by the offline rule-based template engine (no LLM)"
                        + (p.model() == null ? "" : ", rules " + p.model()) + edited);
            } else if (p != null) {
                engineNote.set("Written by " + p.engine() + (p.model() == null ? "" : ", model " + p.model())
                        + (p.temperature() == null ? "" : ", temperature " + p.temperature()) + edited);
            } else {
                engineNote.set("No provenance recorded in this document" + edited);
            }
        }
    }

    /** Counts of error findings, for the view's summary. */
    public long errorCount() {
        return findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR).count();
    }

    // ---- saving

    /**
     * Saves the editor's text as a new version of the selected one, by {@link #authorProperty()}. Refuses (with a
     * message) when there is no author, nothing changed, the version is read-only or the text does not parse.
     */
    public boolean save() {
        SpecVersion parent = selectedVersion.get();
        SpecEntry entry = selectedSpec.get();
        String who = author.get() == null ? "" : author.get().strip();
        if (parent == null || entry == null) {
            message.set("Choose a spec first.");
            return false;
        }
        if (readOnly.get()) {
            message.set("This is an older version: choose \"Edit this version\" to change it.");
            return false;
        }
        if (who.isEmpty()) {
            message.set("Enter your name as annotator before saving.");
            return false;
        }
        if (!dirty.get()) {
            message.set("Nothing changed since the saved version.");
            return false;
        }
        String text = document.get();
        Workspace ws = ctx.workspace();
        busy.set(true);
        ctx.submit("Save spec of " + entry.personId(), c -> {
            long id = SpecService.saveEdit(ws, parent.row().id(), text, who);
            String name;
            try {
                name = TinyTroupeFiles.parse(text).spec().name();
            } catch (RuntimeException e) {
                name = null;
            }
            return new Saved(id, name);
        }, saved -> {
            busy.set(false);
            SpecEntry updated = entry.withNewVersion(saved.id(), saved.name());
            int versionNumber = parent.number() + 1;
            updated = new SpecEntry(updated.respondentId(), updated.personId(), updated.agentName(), updated.source(),
                    updated.model(), updated.rootSpecId(), updated.latestSpecId(), versionNumber);
            int i = specs.indexOf(entry);
            if (i >= 0) {
                specs.set(i, updated);
            }
            message.set("Saved version " + versionNumber + " of " + entry.personId() + " by " + who + ".");
            ctx.status("Saved spec version " + versionNumber + " of " + entry.personId());
            selectedSpec.set(updated);
        }, e -> {
            busy.set(false);
            message.set("Could not save: " + Failures.describe(e));
        });
        return true;
    }

    private record Saved(long id, String name) {
    }

    /**
     * Writes this person's spec again with the engine that wrote it: the template engine offline, or the same
     * provider and model with a fresh sample (a new seed, so a new temperature draw and a new paid request; the
     * answer is stored in its own one-person run as the provenance of the text). The result goes into the editor,
     * unsaved: the researcher reviews it and saves it as a new version.
     */
    public void regenerate() {
        SpecEntry entry = selectedSpec.get();
        Profile p = target.get();
        if (entry == null || p == null) {
            message.set("Choose a spec to regenerate.");
            return;
        }
        String source = entry.source() == null ? "" : entry.source();
        if (!source.startsWith(org.personalab.service.SpecGenerationService.ENGINE + ":") || entry.model() == null) {
            regenerateFromTemplate();
            return;
        }
        if (readOnly.get()) {
            message.set("This is an older version: choose \"Edit this version\" first.");
            return;
        }
        String provider = source.substring(source.indexOf(':') + 1);
        String model = entry.model();
        Workspace ws = ctx.workspace();
        DatasetService datasets = ctx.datasetService();
        busy.set(true);
        message.set("Asking " + provider + ":" + model + " for a new spec of " + entry.personId() + " …");
        ctx.submit("Regenerate spec of " + entry.personId() + " with " + provider + ":" + model, c -> {
            long datasetId = ws.read(tx -> tx.datasets().list()).stream()
                    .filter(d -> {
                        long[] ids = ws.read(tx -> tx.datasets().respondentIds(d.id()));
                        return ids.length > 0 && entry.respondentId() >= ids[0]
                                && entry.respondentId() < ids[0] + ids.length;
                    }).mapToLong(org.personalab.data.DatasetInfo::id).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the person's dataset is gone"));
            var d = ws.read(tx -> tx.datasets().get(datasetId)).orElseThrow();
            var people = new org.personalab.service.SplitSelection(d, null, null, new long[] {entry.respondentId()});
            var request = new org.personalab.service.SpecGenerationService.Request(people,
                    new org.personalab.service.SpecGenerationService.Engine(provider, model),
                    new org.personalab.spec.PromptTemplate("edited in the workbench",
                            promptPreview.templateProperty().get()),
                    1, org.personalab.service.SpecGenerationService.DEFAULT_TEMPERATURE,
                    org.personalab.service.SpecGenerationService.DEFAULT_SEED + 1000
                            + ws.read(tx -> tx.runs().list()).size(), org.personalab.service.SpecGenerationService.DEFAULT_MAX_TOKENS, 0, null, 1);
            try (var gw = org.personalab.llm.LlmGateway.builder(ws)
                    .registry(org.personalab.llm.ProviderRegistry.load(ctx.settings().folder()))
                    .keys(org.personalab.llm.ApiKeys.in(ctx.settings().folder())).build()) {
                var o = new org.personalab.service.SpecGenerationService(ws, gw, datasets).generate(request, null, c);
                List<SpecRow> rows = ws.read(tx -> tx.specs().byRun(o.runId()));
                if (rows.isEmpty()) {
                    throw new IllegalStateException("the model gave no usable spec (" + o.status()
                            + (o.error() == null ? "" : ": " + o.error()) + ")");
                }
                return rows.get(0).document();
            }
        }, text -> {
            busy.set(false);
            if (entry == selectedSpec.get()) {
                document.set(text);
                message.set("Regenerated by " + provider + ":" + model + ": review it, then save it as a new "
                        + "version.");
            }
        }, e -> {
            busy.set(false);
            message.set("Could not regenerate: " + Failures.describe(e));
        });
    }

    /**
     * Writes this person's spec again with the offline template engine and puts it in the editor, unsaved: the
     * researcher reviews it and saves it as a new version (so the history shows who regenerated it and when).
     */
    public void regenerateFromTemplate() {
        Profile p = target.get();
        SpecEntry entry = selectedSpec.get();
        if (p == null || entry == null) {
            message.set("Choose a spec to regenerate.");
            return;
        }
        if (readOnly.get()) {
            message.set("This is an older version: choose \"Edit this version\" first.");
            return;
        }
        ctx.submit("Regenerate spec of " + entry.personId(),
                c -> TinyTroupeFiles.format(new org.personalab.spec.TemplateWriter().writeFile(p)), text -> {
                    if (entry == selectedSpec.get()) {
                        document.set(text);
                        message.set("Regenerated by the template engine (offline, rule-based): review it, then save "
                                + "it as a new version.");
                    }
                }, e -> message.set("Could not regenerate: " + Failures.describe(e)));
    }

    // ---- compare

    /** Diffs the persona JSON of {@link #compareLeftProperty()} and {@link #compareRightProperty()}. */
    public void compare() {
        long gen = ++diffGeneration;
        SpecVersion a = compareLeft.get();
        SpecVersion b = compareRight.get();
        if (a == null || b == null) {
            diff.clear();
            diffSummary.set("Choose two specs to compare.");
            return;
        }
        ctx.submit("Compare specs", c -> LineDiff.diff(personaText(a.row().document()),
                personaText(b.row().document())), rows -> {
                    if (gen != diffGeneration) {
                        return;
                    }
                    diff.setAll(rows);
                    int[] n = LineDiff.counts(rows);
                    diffSummary.set(n[0] == 0 && n[1] == 0 ? "The personas are identical."
                            : n[0] + " lines removed, " + n[1] + " added (" + a.label() + " → " + b.label() + ")");
                }, e -> {
                    if (gen == diffGeneration) {
                        diffSummary.set("Could not compare: " + Failures.describe(e));
                    }
                });
    }

    /** The pretty-printed persona of a document, or the document itself when it does not parse. */
    static String personaText(String document) {
        try {
            return SpecJson.pretty(TinyTroupeFiles.parse(document).spec().node());
        } catch (RuntimeException e) {
            return document;
        }
    }

    // ---- properties

    public ObservableList<RunRecord> runs() { return runs; }
    public ObjectProperty<RunRecord> selectedRunProperty() { return selectedRun; }
    public ObservableList<SpecEntry> specs() { return specs; }
    public ObjectProperty<SpecEntry> selectedSpecProperty() { return selectedSpec; }
    public ObservableList<SpecVersion> versions() { return versions; }
    public ObjectProperty<SpecVersion> selectedVersionProperty() { return selectedVersion; }
    public ObjectProperty<Profile> targetProperty() { return target; }

    /** Starting a generation run (template or LLM) with estimate, progress, pause and cancel. */
    public SpecGenerationViewModel generation() {
        return generation;
    }

    /** The generation prompt's editable template and its live preview for the current person. */
    public PromptPreviewModel promptPreview() {
        return promptPreview;
    }
    public StringProperty documentProperty() { return document; }
    public BooleanProperty dirtyProperty() { return dirty; }
    public BooleanProperty readOnlyProperty() { return readOnly; }
    public BooleanProperty busyProperty() { return busy; }
    public BooleanProperty validatingProperty() { return validating; }
    public StringProperty engineNoteProperty() { return engineNote; }
    public BooleanProperty templateEngineProperty() { return templateEngine; }
    public StringProperty parseErrorProperty() { return parseError; }
    public StringProperty formErrorProperty() { return formError; }
    public StringProperty messageProperty() { return message; }
    /** The annotator's name, remembered for every save of this session. */
    public StringProperty authorProperty() { return author; }
    public ObservableList<Finding> findings() { return findings; }
    public StringProperty field(Field f) { return fields.get(f); }
    public StringProperty bigFive(Domain d) { return bigFive.get(d); }
    public StringProperty facet(Facet f) { return facets.get(f); }
    public ObservableList<SpecVersion> compareChoices() { return compareChoices; }
    public ObjectProperty<SpecVersion> compareLeftProperty() { return compareLeft; }
    public ObjectProperty<SpecVersion> compareRightProperty() { return compareRight; }
    public ObservableList<LineDiff.Row> diff() { return diff; }
    public StringProperty diffSummaryProperty() { return diffSummary; }
}
