package org.personalab.ui.specs;

import javafx.geometry.Pos;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.personalab.spec.Finding;

/** The list cells of the spec editor: specs, versions, findings and diff rows. */
final class SpecCells {

    private SpecCells() {
    }

    /** A spec: person id and agent name, then source and version count. */
    static final class EntryCell extends ListCell<SpecEntry> {
        private final Label person = new Label();
        private final Label name = new Label();
        private final Label source = new Label();
        private final VBox box = new VBox(1, new HBox(8, person, name), source);

        EntryCell() {
            person.getStyleClass().add("dataset-name");
            person.setMinWidth(Label.USE_PREF_SIZE);
            source.getStyleClass().addAll("muted", "provenance");
            box.getStyleClass().add("dataset-cell");
            setPrefWidth(0);
            setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
        }

        @Override
        protected void updateItem(SpecEntry e, boolean empty) {
            super.updateItem(e, empty);
            if (empty || e == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            person.setText(e.personId());
            name.setText(e.agentName());
            source.setText(versions(e.versions()) + " · " + e.sourceLabel());
            setText(e.personId() + " " + e.agentName());
            setGraphic(box);
        }
    }

    static String versions(int n) {
        return n == 1 ? "1 version" : n + " versions";
    }

    /** A version: number, who and when. */
    static final class VersionCell extends ListCell<SpecVersion> {
        VersionCell() {
            setWrapText(true);
            setPrefWidth(0);
        }

        @Override
        protected void updateItem(SpecVersion v, boolean empty) {
            super.updateItem(v, empty);
            setText(empty || v == null ? null : v.label());
        }
    }

    /** A finding: severity icon, JSON path, message. */
    static final class FindingCell extends ListCell<Finding> {
        private final Label icon = new Label();
        private final Label path = new Label();
        private final Label message = new Label();
        private final VBox box = new VBox(1, new HBox(6, icon, path), message);

        FindingCell() {
            path.getStyleClass().add("numeric");
            path.setWrapText(true);
            message.setWrapText(true);
            setPrefWidth(0);
            setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
        }

        @Override
        protected void updateItem(Finding f, boolean empty) {
            super.updateItem(f, empty);
            if (empty || f == null) {
                setGraphic(null);
                setText(null);
                setTooltip(null);
                return;
            }
            icon.setText(switch (f.severity()) {
                case ERROR -> "✖";
                case WARNING -> "⚠";
                case INFO -> "ℹ";
            });
            icon.getStyleClass().setAll("label", "finding-icon", "finding-" + f.severity().name().toLowerCase());
            path.setText(f.jsonPath());
            message.setText(f.message());
            setText(f.toString());
            setTooltip(new Tooltip(f.toString()));
            setGraphic(box);
        }
    }

    /** One side-by-side diff row: the left line and the right line, each coloured by what happened to it. */
    static final class DiffCell extends ListCell<LineDiff.Row> {
        private final Label left = new Label();
        private final Label right = new Label();
        private final HBox box = new HBox(0, left, right);

        DiffCell() {
            for (Label l : new Label[] {left, right}) {
                l.setMaxWidth(Double.MAX_VALUE);
                l.setMinWidth(0);
                l.setPrefWidth(0);
                HBox.setHgrow(l, Priority.ALWAYS);
                l.setAlignment(Pos.CENTER_LEFT);
            }
            box.setFillHeight(true);
            setPrefWidth(0);
            setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
            getStyleClass().add("diff-cell");
        }

        @Override
        protected void updateItem(LineDiff.Row r, boolean empty) {
            super.updateItem(r, empty);
            if (empty || r == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            left.setText(side(r.leftLine(), r.left()));
            right.setText(side(r.rightLine(), r.right()));
            String k = r.kind().name().toLowerCase();
            left.getStyleClass().setAll("label", "diff-line", r.left() == null ? "diff-blank" : "diff-left-" + k);
            right.getStyleClass().setAll("label", "diff-line", r.right() == null ? "diff-blank" : "diff-right-" + k);
            setText((r.left() == null ? "" : r.left()) + " | " + (r.right() == null ? "" : r.right()));
            setGraphic(box);
        }

        private static String side(int line, String text) {
            return text == null ? "" : String.format("%4d  %s", line, text);
        }
    }
}
