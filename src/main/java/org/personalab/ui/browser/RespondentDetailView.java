package org.personalab.ui.browser;

import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;
import org.personalab.ui.LevelPalette;

/**
 * One respondent: who they are and which norm group they were placed with, the domain radar with levels and
 * cohort percentiles, the 30-facet profile, and every answer with its item, facet, key and stored/keyed value.
 */
public final class RespondentDetailView extends StackPane {

    private final Label title = new Label();
    private final Label demographics = new Label();
    private final Label norms = new Label();
    private final DomainRadar radar = new DomainRadar();
    private final GridPane domains = new GridPane();
    private final FacetProfileChart facets = new FacetProfileChart();
    private final TableView<AnswerRow> answers = new TableView<>();
    private final Tab answersTab = new Tab("Answers");

    public RespondentDetailView(RespondentDetailViewModel vm) {
        setId("respondentDetail");
        getStyleClass().add("respondent-detail");
        title.setId("respondentTitle");
        title.getStyleClass().add("detail-title");
        demographics.getStyleClass().add("muted");
        norms.setId("respondentNorms");
        norms.getStyleClass().add("muted");
        norms.setWrapText(true);
        norms.setTooltip(new javafx.scene.control.Tooltip("Levels and percentiles are computed against this group"));
        domains.getStyleClass().add("domain-grid");
        domains.setHgap(8);
        var nameCol = new javafx.scene.layout.ColumnConstraints();
        nameCol.setHgrow(Priority.ALWAYS);
        var fixed = new javafx.scene.layout.ColumnConstraints();
        fixed.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        domains.getColumnConstraints().addAll(nameCol, fixed, fixed, fixed);
        domains.setVgap(3);
        VBox.setVgrow(radar, Priority.ALWAYS);
        VBox identity = new VBox(2, title, demographics, norms);
        VBox left = new VBox(6, identity, radar, domains);
        left.setMinWidth(320);
        left.setPrefWidth(330);
        left.setMaxWidth(340);
        left.setPadding(new Insets(10, 10, 10, 12));

        answers.setId("answersTable");
        answers.setItems(vm.answers());
        answers.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        answers.getColumns().add(column("#", 42, a -> a.item()));
        TableColumn<AnswerRow, Object> text = column("Item", 260, AnswerRow::text);
        answers.getColumns().add(text);
        answers.getColumns().add(column("Facet", 150, AnswerRow::facet));
        answers.getColumns().add(column("Key", 40, AnswerRow::keySign));
        answers.getColumns().add(column("Stored", 56, a -> a.stored() == 0 ? "–" : a.stored()));
        answers.getColumns().add(column("Keyed", 56, a -> a.keyed() == 0 ? "–" : a.keyed()));
        answers.setPlaceholder(new Label("Select a respondent to see their answers"));

        Tab profileTab = new Tab("Facet profile", padded(facets));
        answersTab.setContent(answers);
        TabPane tabs = new TabPane(profileTab, answersTab);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.getStyleClass().add("floating");
        HBox.setHgrow(tabs, Priority.ALWAYS);
        HBox content = new HBox(left, tabs);

        Label empty = new Label("Select a respondent in the table (or find one by id) to see their profile.");
        empty.getStyleClass().add("empty-hint");
        empty.setId("detailEmpty");
        StackPane.setAlignment(empty, Pos.CENTER);
        getChildren().addAll(content, empty);

        vm.profileProperty().addListener((o, a, p) -> show(p));
        show(vm.profile());
        content.visibleProperty().bind(vm.profileProperty().isNotNull());
        empty.visibleProperty().bind(vm.profileProperty().isNull());
    }

    private static VBox padded(javafx.scene.Node n) {
        VBox b = new VBox(n);
        VBox.setVgrow(n, Priority.ALWAYS);
        b.setPadding(new Insets(10, 12, 6, 6));
        return b;
    }

    private static TableColumn<AnswerRow, Object> column(String name, double width,
            java.util.function.Function<AnswerRow, Object> value) {
        TableColumn<AnswerRow, Object> c = new TableColumn<>(name);
        c.setPrefWidth(width);
        c.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(value.apply(cd.getValue())));
        c.setSortable(false);
        return c;
    }

    private void show(RespondentProfile p) {
        radar.setProfile(p);
        facets.setProfile(p);
        domains.getChildren().clear();
        if (p == null) {
            title.setText("");
            demographics.setText("");
            norms.setText("");
            answersTab.setText("Answers");
            return;
        }
        title.setText("Respondent " + p.id());
        demographics.setText(p.demographics());
        norms.setText("Norm group: " + p.normGroup());
        answersTab.setText("Answers (" + p.answers().size() + ")");
        int r = 0;
        for (Domain d : Domain.values()) {
            Scale s = Scale.of(d);
            Label name = new Label(d.displayName());
            Label score = new Label(fmt(p.score(s)));
            score.getStyleClass().add("numeric");
            Label level = chip(p.level(s));
            double pct = p.percentile(s);
            Label pl = new Label(Double.isNaN(pct) ? "–" : ordinal((int) Math.round(pct)) + " pct");
            pl.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            score.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            name.setMinWidth(0);
            pl.getStyleClass().add("muted");
            domains.addRow(r++, name, score, level, pl);
        }
    }

    /** A coloured level label (also used by the table). */
    static Label chip(Level level) {
        Label l = new Label(level == null ? "–" : level.label());
        l.getStyleClass().addAll("level-chip", LevelPalette.styleClass(level));
        l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        return l;
    }

    static String fmt(float f) {
        return f != f ? "–" : String.format("%.2f", f);
    }

    static String ordinal(int n) {
        int m100 = n % 100;
        String suffix = m100 >= 11 && m100 <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }

    public TableView<AnswerRow> answersTable() {
        return answers;
    }
}
