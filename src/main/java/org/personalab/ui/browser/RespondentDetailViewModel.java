package org.personalab.ui.browser;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.personalab.profile.ScoredDataset;

/** The respondent shown in the detail pane: profile (scores, levels, percentiles) and the answer table's rows. */
public final class RespondentDetailViewModel {

    private final ObjectProperty<RespondentProfile> profile = new SimpleObjectProperty<>(this, "profile");
    private final ObservableList<AnswerRow> answers = FXCollections.observableArrayList();

    /** Shows one respondent (cheap: 35 scores and one person's answers), or nothing for row &lt; 0. */
    public void show(ScoredDataset data, int row) {
        if (data == null || row < 0 || row >= data.size()) {
            clear();
            return;
        }
        RespondentProfile p = RespondentProfile.of(data, row);
        answers.setAll(p.answers());
        profile.set(p);
    }

    public void clear() {
        answers.clear();
        profile.set(null);
    }

    public ReadOnlyObjectProperty<RespondentProfile> profileProperty() {
        return profile;
    }

    public RespondentProfile profile() {
        return profile.get();
    }

    public ObservableList<AnswerRow> answers() {
        return answers;
    }
}
