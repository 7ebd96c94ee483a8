package org.personalab.ui.browser;

import javafx.collections.FXCollections;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/** Lists every problem of a refused import, one {@code FILE:LINE:COLUMN: message} per line, and says nothing changed. */
final class ImportProblemsDialog extends Dialog<ButtonType> {

    private static final ButtonType COPY = new ButtonType("Copy all", ButtonBar.ButtonData.LEFT);

    ImportProblemsDialog(Window owner, ImportFailure failure) {
        initOwner(owner);
        setTitle("Import refused");
        setHeaderText(failure.headline());
        getDialogPane().setId("importProblemsDialog");
        if (owner != null && owner.getScene() != null) {
            getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        Label unchanged = new Label(ImportFailure.UNCHANGED);
        unchanged.setId("importUnchanged");
        unchanged.getStyleClass().add("ok-note");
        unchanged.setWrapText(true);
        Label hint = new Label("Fix the file (or import it with Lenient to skip the bad records) and try again.");
        hint.getStyleClass().add("muted");
        hint.setWrapText(true);
        ListView<String> lines = new ListView<>(FXCollections.observableArrayList(failure.lines()));
        lines.setId("importProblems");
        lines.getStyleClass().add("problem-list");
        lines.setPrefSize(720, Math.min(360, 40 + failure.lines().size() * 26));
        VBox.setVgrow(lines, Priority.ALWAYS);
        VBox box = new VBox(8, unchanged, lines, hint);
        getDialogPane().setContent(box);
        getDialogPane().getButtonTypes().setAll(COPY, ButtonType.CLOSE);
        getDialogPane().lookupButton(COPY).addEventFilter(javafx.event.ActionEvent.ACTION, e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(failure.text());
            javafx.scene.input.Clipboard.getSystemClipboard().setContent(c);
            e.consume();
        });
        setResizable(true);
    }
}
