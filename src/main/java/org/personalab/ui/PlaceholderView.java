package org.personalab.ui;

import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.shape.SVGPath;

/** A panel that is not built yet: its title and a plain sentence saying what it will do. */
public final class PlaceholderView extends VBox {

    public PlaceholderView(PanelId panel) {
        getStyleClass().add("panel");
        setId("panel-" + panel.name());
        VBox header = PanelHeader.of(panel.title(), "Planned panel");
        SVGPath icon = new SVGPath();
        icon.setContent(panel.icon());
        icon.getStyleClass().add("placeholder-icon");
        icon.setScaleX(3);
        icon.setScaleY(3);
        Label what = new Label(panel.placeholderText());
        what.setId("placeholder-" + panel.name());
        what.getStyleClass().add("placeholder-text");
        what.setWrapText(true);
        what.setMaxWidth(560);
        Label note = new Label("The data it needs is already prepared by the Dataset browser and the command line.");
        note.getStyleClass().add("muted");
        note.setWrapText(true);
        note.setMaxWidth(560);
        VBox body = new VBox(28, icon, what, note);
        body.setAlignment(Pos.CENTER);
        body.getStyleClass().add("placeholder");
        VBox.setVgrow(body, Priority.ALWAYS);
        getChildren().addAll(header, body);
    }
}
