package org.personalab.ui.browser;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import org.personalab.data.Responses;
import org.personalab.data.Sex;
import org.personalab.inventory.Level;
import org.personalab.profile.ScoredDataset;
import org.personalab.ui.LevelPalette;

/**
 * The virtualised respondent table. Its items are row indices ({@link RowIndexList}); every cell computes its text
 * from the scored dataset's arrays when it is shown. Sorting is delegated to the ViewModel (a background sort of an
 * {@code int[]}); the table's own comparator sort is never used.
 */
final class RespondentTable extends TableView<Integer> {

    private final DatasetBrowserViewModel vm;

    RespondentTable(DatasetBrowserViewModel vm) {
        this.vm = vm;
        setId("respondentTable");
        getStyleClass().add("respondent-table");
        setItems(vm.rows());
        setFixedCellSize(26);
        setTableMenuButtonVisible(true);
        setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        for (RespondentColumn c : RespondentColumn.tableColumns()) {
            getColumns().add(column(c));
        }
        setSortPolicy(t -> {
            List<SortKey> keys = new ArrayList<>();
            for (TableColumn<Integer, ?> col : t.getSortOrder()) {
                keys.add(new SortKey((RespondentColumn) col.getUserData(),
                        col.getSortType() == TableColumn.SortType.ASCENDING));
            }
            vm.sortBy(keys);
            return true;
        });
        Label empty = new Label();
        empty.textProperty().bind(vm.summaryProperty());
        setPlaceholder(empty);
        vm.dataProperty().addListener((o, a, d) -> refresh());
    }

    private TableColumn<Integer, Integer> column(RespondentColumn c) {
        TableColumn<Integer, Integer> col = new TableColumn<>(c.header());
        col.setId("col-" + c.header().replace(' ', '-'));
        col.setUserData(c);
        col.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(cd.getValue()));
        switch (c.kind()) {
            case ID -> col.setPrefWidth(78);
            case SEX -> col.setPrefWidth(62);
            case AGE -> col.setPrefWidth(46);
            case COUNTRY -> col.setPrefWidth(92);
            case SCORE -> col.setPrefWidth(52);
            case LEVEL -> {
                col.setPrefWidth(88);
                col.setMinWidth(84);
            }
        }
        col.setCellFactory(tc -> c.kind() == RespondentColumn.Kind.LEVEL ? new LevelCell(c) : new TextCell(c));
        return col;
    }

    private String text(RespondentColumn c, int row) {
        ScoredDataset d = vm.data();
        if (d == null || row >= d.size()) {
            return "";
        }
        Responses r = d.responses();
        return switch (c.kind()) {
            case ID -> r.id(row);
            case SEX -> r.sex(row) == Sex.UNKNOWN ? "–" : r.sex(row).label();
            case AGE -> r.age(row) > 0 ? Integer.toString(r.age(row)) : "–";
            case COUNTRY -> r.country(row).isBlank() ? "–" : r.country(row);
            case SCORE -> RespondentDetailView.fmt(d.score(row, c.scale()));
            case LEVEL -> {
                Level l = d.level(row, c.scale());
                yield l == null ? "–" : l.label();
            }
        };
    }

    private final class TextCell extends TableCell<Integer, Integer> {
        private final RespondentColumn c;

        TextCell(RespondentColumn c) {
            this.c = c;
            if (c.kind() == RespondentColumn.Kind.SCORE || c.kind() == RespondentColumn.Kind.AGE) {
                setAlignment(Pos.CENTER_RIGHT);
                getStyleClass().add("numeric");
            }
        }

        @Override
        protected void updateItem(Integer row, boolean empty) {
            super.updateItem(row, empty);
            setText(empty || row == null ? null : text(c, row));
        }
    }

    private final class LevelCell extends TableCell<Integer, Integer> {
        private final RespondentColumn c;
        private final Label chip = new Label();

        LevelCell(RespondentColumn c) {
            this.c = c;
            chip.getStyleClass().add("level-chip");
            chip.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            setContentDisplay(javafx.scene.control.ContentDisplay.GRAPHIC_ONLY);
        }

        @Override
        protected void updateItem(Integer row, boolean empty) {
            super.updateItem(row, empty);
            ScoredDataset d = vm.data();
            if (empty || row == null || d == null || row >= d.size()) {
                setGraphic(null);
                return;
            }
            Level l = d.level(row, c.scale());
            chip.setText(l == null ? "–" : l.label());
            chip.getStyleClass().removeIf(s -> s.startsWith("level-") && !s.equals("level-chip"));
            chip.getStyleClass().add(LevelPalette.styleClass(l));
            setGraphic(chip);
        }
    }
}
