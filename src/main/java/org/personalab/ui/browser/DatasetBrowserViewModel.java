package org.personalab.ui.browser;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.personalab.data.AgeGroup;
import org.personalab.data.DatasetInfo;
import org.personalab.data.ImportOptions;
import org.personalab.data.Sex;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;
import org.personalab.profile.ScoredDataset;
import org.personalab.service.DatasetService;
import org.personalab.service.ImportService;
import org.personalab.task.BackgroundTask;
import org.personalab.ui.WorkbenchContext;

/**
 * The dataset browser: the workspace's datasets, the loaded one's visible rows (filtered and sorted in background
 * tasks; only the latest request may update the view), find by id, the selected respondent, the distribution view,
 * and imports. All state is in JavaFX properties; it never touches a control.
 */
public final class DatasetBrowserViewModel {

    private final WorkbenchContext ctx;
    private final ObservableList<DatasetInfo> datasets = FXCollections.observableArrayList();
    private final ObjectProperty<DatasetInfo> selectedDataset = new SimpleObjectProperty<>(this, "selectedDataset");
    private final ObjectProperty<ScoredDataset> data = new SimpleObjectProperty<>(this, "data");
    private final RowIndexList rows = new RowIndexList();
    private final BooleanProperty busy = new SimpleBooleanProperty(this, "busy");
    private final StringProperty summary = new SimpleStringProperty(this, "summary", "No dataset loaded");
    private final StringProperty message = new SimpleStringProperty(this, "message", "");
    private final ObservableList<CountryCount> countries = FXCollections.observableArrayList();
    private final ObjectProperty<Sex> sex = new SimpleObjectProperty<>(this, "sex");
    private final ObjectProperty<AgeGroup> ageGroup = new SimpleObjectProperty<>(this, "ageGroup");
    private final ObjectProperty<CountryCount> country = new SimpleObjectProperty<>(this, "country");
    private final ObjectProperty<Scale> levelScale = new SimpleObjectProperty<>(this, "levelScale", Scale.N);
    private final ObjectProperty<Level> level = new SimpleObjectProperty<>(this, "level");
    private final StringProperty findText = new SimpleStringProperty(this, "findText", "");
    private final ObjectProperty<RowFocus> focus = new SimpleObjectProperty<>(this, "focus");
    private final IntegerProperty selectedRow = new SimpleIntegerProperty(this, "selectedRow", -1);
    private final ObjectProperty<ImportFailure> importFailure = new SimpleObjectProperty<>(this, "importFailure");
    private final RespondentDetailViewModel detail = new RespondentDetailViewModel();
    private final DistributionViewModel distribution = new DistributionViewModel();
    private List<SortKey> sortKeys = List.of();
    private RowQuery query;
    /** Incremented by every load, filter, sort and find request; a result applies only if it is still the latest. */
    private long generation;
    private boolean applying;
    /** A row to select once its dataset is loaded or refiltered (-1: none); see {@link #showRespondent}. */
    private int pendingRow = -1;

    public DatasetBrowserViewModel(WorkbenchContext ctx) {
        this.ctx = ctx;
        ctx.datasetServiceProperty().addListener((o, a, s) -> {
            datasets.clear();
            selectedDataset.set(null);
            if (s != null) {
                refreshDatasets(null);
            }
        });
        selectedDataset.addListener((o, a, d) -> load(d));
        for (var p : List.of(sex, ageGroup, country, levelScale, level)) {
            p.addListener((o, a, b) -> {
                if (!applying) {
                    requery("Filter respondents");
                }
            });
        }
        selectedRow.addListener((o, a, r) -> {
            detail.show(data.get(), r.intValue());
            distribution.mark(r.intValue());
        });
        if (ctx.datasetService() != null) {
            refreshDatasets(null);
        }
    }

    /** Reads the dataset list again; then selects {@code select} (by name) if given, else keeps the selection. */
    public BackgroundTask<List<DatasetInfo>> refreshDatasets(String select) {
        DatasetService service = ctx.datasetService();
        if (service == null) {
            return null;
        }
        return ctx.submit("List datasets", c -> service.list(), list -> {
            if (service != ctx.datasetService()) {
                return;
            }
            DatasetInfo current = selectedDataset.get();
            String wanted = select != null ? select : current != null ? current.name() : null;
            datasets.setAll(list);
            DatasetInfo pick = list.stream().filter(d -> d.name().equals(wanted)).findFirst()
                    .orElse(list.isEmpty() ? null : list.get(0));
            if (pick == null || current == null || pick.id() != current.id()) {
                selectedDataset.set(pick);
            }
        }, null);
    }

    private void load(DatasetInfo info) {
        long gen = ++generation;
        selectedRow.set(-1);
        applying = true;
        country.set(null);
        applying = false;
        if (info == null) {
            apply(gen, null, null, new int[0]);
            return;
        }
        DatasetService service = ctx.datasetService();
        RowFilter f = filter();
        List<SortKey> keys = sortKeys;
        busy.set(true);
        summary.set("Loading " + info.name() + "…");
        ctx.submit("Load " + info.name(), c -> {
            ScoredDataset d = service.load(info, c);
            RowQuery q = new RowQuery(d);
            c.message("Filtering " + String.format("%,d", d.size()) + " respondents");
            int[] r = q.filter(f, c);
            q.sort(r, keys, c);
            return new Loaded(q, q.countries(), r);
        }, l -> {
            apply(gen, l.query, l.countries, l.rows);
            if (gen == generation) {
                ctx.status("Loaded " + info.name() + " (" + String.format("%,d", l.query.data().size())
                        + " respondents)");
                if (pendingRow >= 0) {
                    selectPending();
                } else if (selectedRow.get() < 0 && l.rows.length > 0) {
                    selectedRow.set(l.rows[0]);
                    focus.set(new RowFocus(0, l.rows[0], false));
                }
            }
        }, e -> failed(gen, "Could not load " + info.name()));
    }

    private record Loaded(RowQuery query, List<CountryCount> countries, int[] rows) {
    }

    private void apply(long gen, RowQuery q, List<CountryCount> cs, int[] visible) {
        if (gen != generation) {
            return;
        }
        busy.set(false);
        query = q;
        data.set(q == null ? null : q.data());
        countries.setAll(cs == null ? List.of() : cs);
        distribution.setData(data.get());
        setRows(visible);
    }

    private void failed(long gen, String what) {
        if (gen == generation) {
            busy.set(false);
            message.set(what + " (see the task list).");
        }
    }

    /** The current filter from the filter properties. */
    public RowFilter filter() {
        CountryCount c = country.get();
        return new RowFilter(sex.get(), ageGroup.get(), c == null ? null : c.country(), levelScale.get(), level.get());
    }

    /** Applies the table's sort order (first key most significant); the table itself never sorts. */
    public void sortBy(List<SortKey> keys) {
        if (keys.equals(sortKeys)) {
            return;
        }
        sortKeys = List.copyOf(keys);
        requery(keys.isEmpty() ? "Restore file order" : "Sort respondents by " + keys.get(0).column().header()
                + (keys.get(0).ascending() ? " (ascending)" : " (descending)"));
    }

    public List<SortKey> sortKeys() {
        return sortKeys;
    }

    private void requery(String title) {
        RowQuery q = query;
        if (q == null) {
            return;
        }
        long gen = ++generation;
        RowFilter f = filter();
        List<SortKey> keys = sortKeys;
        busy.set(true);
        ctx.submit(title, c -> {
            c.message("Scanning " + String.format("%,d", q.data().size()) + " respondents");
            int[] r = q.filter(f, c);
            if (!keys.isEmpty()) {
                c.message("Sorting " + String.format("%,d", r.length) + " respondents");
                q.sort(r, keys, c);
            }
            return r;
        }, r -> {
            if (gen == generation) {
                busy.set(false);
                setRows(r);
                selectPending();
            }
        }, e -> failed(gen, title + " failed"));
    }

    private void setRows(int[] visible) {
        int keep = selectedRow.get();
        rows.setRows(visible);
        ScoredDataset d = data.get();
        summary.set(d == null ? "No dataset loaded" : "Showing " + String.format("%,d", visible.length) + " of "
                + String.format("%,d", d.size()) + " respondents");
        int pos = keep < 0 ? -1 : RowQuery.positionOf(visible, keep);
        if (pos >= 0) {
            focus.set(new RowFocus(pos, keep, false));
        }
    }

    /** Clears every filter (one request). */
    public void clearFilters() {
        applying = true;
        sex.set(null);
        ageGroup.set(null);
        country.set(null);
        level.set(null);
        applying = false;
        requery("Filter respondents");
    }

    /** Finds {@link #findTextProperty()} among the ids, then selects and scrolls to that respondent. */
    public void find() {
        String id = findText.get() == null ? "" : findText.get().strip();
        RowQuery q = query;
        if (id.isEmpty() || q == null) {
            return;
        }
        long gen = ++generation;
        int[] visible = rows.rowsCopy();
        ctx.submit("Find respondent " + id, c -> {
            int row = q.data().rowOf(id);
            return new int[] {row, row < 0 ? -1 : RowQuery.positionOf(visible, row)};
        }, found -> {
            if (gen != generation) {
                return;
            }
            if (found[0] < 0) {
                message.set("No respondent with id " + id + " in " + q.data().info().name() + ".");
            } else if (found[1] < 0) {
                message.set("Respondent " + id + " is hidden by the current filters; clear them to see it.");
            } else {
                message.set("");
                selectedRow.set(found[0]);
                focus.set(new RowFocus(found[1], found[0], true));
            }
        }, null);
    }

    /**
     * Selects a respondent from outside the browser (a point clicked in the cluster panel): loads their dataset
     * first when another one is shown, and clears the filters when they hide the row.
     */
    public void showRespondent(long datasetId, int row) {
        DatasetInfo current = selectedDataset.get();
        RowQuery q = query;
        pendingRow = row;
        if (current == null || current.id() != datasetId) {
            DatasetInfo target = datasets.stream().filter(d -> d.id() == datasetId).findFirst().orElse(null);
            if (target == null) {
                pendingRow = -1;
                message.set("That person's dataset is not in this workspace.");
            } else {
                applying = true;
                sex.set(null);
                ageGroup.set(null);
                level.set(null);
                applying = false;
                selectedDataset.set(target);
            }
        } else if (q != null && q.data().info().id() == datasetId) {
            if (RowQuery.positionOf(rows.rowsCopy(), row) >= 0) {
                selectPending();
            } else {
                clearFilters();
            }
        }
        // else: the dataset is still loading; the load selects the row
    }

    private void selectPending() {
        int row = pendingRow;
        pendingRow = -1;
        ScoredDataset d = data.get();
        if (row < 0 || d == null || row >= d.size()) {
            return;
        }
        int pos = RowQuery.positionOf(rows.rowsCopy(), row);
        if (pos < 0) {
            message.set("Respondent " + d.responses().id(row) + " is hidden by the current filters; clear them "
                    + "to see it.");
            return;
        }
        message.set("");
        selectedRow.set(row);
        focus.set(new RowFocus(pos, row, true));
    }

    /** Imports a file in the background; on success the list is refreshed and the new dataset selected. */
    public BackgroundTask<ImportService.Outcome> importFile(Path file, ImportOptions options) {
        var ws = ctx.workspace();
        Objects.requireNonNull(ws, "no workspace open");
        DatasetService service = ctx.datasetService();
        return ctx.submit("Import " + file.getFileName(), c -> new ImportService().importFile(ws, file, options, 0, c),
                out -> {
                    service.remember(out.scored());
                    message.set("Imported " + String.format("%,d", out.dataset().size()) + " respondents from "
                            + file.getFileName() + " as " + out.dataset().name()
                            + (out.skippedCount() > 0 ? " (" + out.skippedCount() + " bad records skipped)" : "")
                            + ".");
                    ctx.status(message.get());
                    refreshDatasets(out.dataset().name());
                }, e -> importFailure.set(ImportFailure.of(file, e)));
    }

    /** Whether a workspace is open (imports need one). */
    public javafx.beans.binding.BooleanBinding workspaceOpen() {
        return ctx.workspaceProperty().isNotNull();
    }

    /** Names already taken in the workspace. */
    public List<String> datasetNames() {
        return datasets.stream().map(DatasetInfo::name).toList();
    }

    public ObservableList<DatasetInfo> datasets() {
        return datasets;
    }

    public ObjectProperty<DatasetInfo> selectedDatasetProperty() {
        return selectedDataset;
    }

    public ReadOnlyObjectProperty<ScoredDataset> dataProperty() {
        return data;
    }

    public ScoredDataset data() {
        return data.get();
    }

    public RowIndexList rows() {
        return rows;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    public StringProperty summaryProperty() {
        return summary;
    }

    public StringProperty messageProperty() {
        return message;
    }

    public ObservableList<CountryCount> countries() {
        return countries;
    }

    public ObjectProperty<Sex> sexProperty() {
        return sex;
    }

    public ObjectProperty<AgeGroup> ageGroupProperty() {
        return ageGroup;
    }

    public ObjectProperty<CountryCount> countryProperty() {
        return country;
    }

    public ObjectProperty<Scale> levelScaleProperty() {
        return levelScale;
    }

    public ObjectProperty<Level> levelProperty() {
        return level;
    }

    public StringProperty findTextProperty() {
        return findText;
    }

    public ReadOnlyObjectProperty<RowFocus> focusProperty() {
        return focus;
    }

    /** The dataset row of the selected respondent, -1 for none. */
    public IntegerProperty selectedRowProperty() {
        return selectedRow;
    }

    public ObjectProperty<ImportFailure> importFailureProperty() {
        return importFailure;
    }

    public RespondentDetailViewModel detail() {
        return detail;
    }

    public DistributionViewModel distribution() {
        return distribution;
    }
}
