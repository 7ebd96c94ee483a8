package org.personalab.ui.browser;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.personalab.inventory.Scale;
import org.personalab.profile.GroupNorms;
import org.personalab.profile.NormGroup;
import org.personalab.profile.ScoredDataset;

/**
 * The distribution view: a chosen scale (any domain or facet) in a chosen norm group (a cohort, a wider group or
 * everyone), as a histogram with the level cut points. The distributions are precomputed in the norm set, so
 * choosing is instant; the selected respondent's score is marked.
 */
public final class DistributionViewModel {

    private final ObjectProperty<Scale> scale = new SimpleObjectProperty<>(this, "scale", Scale.N);
    private final ObjectProperty<NormGroup> group = new SimpleObjectProperty<>(this, "group", NormGroup.EVERYONE);
    private final ObservableList<NormGroup> groups = FXCollections.observableArrayList();
    private final ObjectProperty<Histogram> histogram = new SimpleObjectProperty<>(this, "histogram");
    private final DoubleProperty marker = new SimpleDoubleProperty(this, "marker", Double.NaN);
    private ScoredDataset data;
    private int markedRow = -1;

    public DistributionViewModel() {
        scale.addListener((o, a, b) -> update());
        group.addListener((o, a, b) -> update());
    }

    /** The dataset whose norm set is shown (null clears). */
    public void setData(ScoredDataset d) {
        data = d;
        markedRow = -1;
        if (d == null) {
            groups.clear();
            histogram.set(null);
            return;
        }
        List<NormGroup> g = new ArrayList<>();
        g.add(NormGroup.EVERYONE);
        d.norms().groups().forEach((k, v) -> {
            if (!k.equals(NormGroup.EVERYONE) && v.people() > 0) {
                g.add(k);
            }
        });
        NormGroup keep = group.get();
        groups.setAll(g);
        if (keep == null || !g.contains(keep)) {
            group.set(NormGroup.EVERYONE);
        }
        update();
    }

    /** Marks a respondent's score on the chart (row &lt; 0 removes the mark). */
    public void mark(int row) {
        markedRow = row;
        updateMarker();
    }

    private void update() {
        if (data == null || scale.get() == null || group.get() == null) {
            histogram.set(null);
            return;
        }
        GroupNorms n = data.norms().norms(group.get());
        histogram.set(n == null ? null : Histogram.of(n, group.get(), scale.get()));
        updateMarker();
    }

    private void updateMarker() {
        boolean ok = data != null && markedRow >= 0 && markedRow < data.size() && scale.get() != null;
        marker.set(ok ? data.score(markedRow, scale.get()) : Double.NaN);
    }

    public ObjectProperty<Scale> scaleProperty() {
        return scale;
    }

    public ObjectProperty<NormGroup> groupProperty() {
        return group;
    }

    public ObservableList<NormGroup> groups() {
        return groups;
    }

    public ReadOnlyObjectProperty<Histogram> histogramProperty() {
        return histogram;
    }

    public DoubleProperty markerProperty() {
        return marker;
    }
}
