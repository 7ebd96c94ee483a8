package org.personalab.ui;

import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The header every panel starts with: a title, a muted subtitle and optional actions on the right. */
public final class PanelHeader {

    private PanelHeader() {
    }

    public static VBox of(String title, String subtitle, Node... actions) {
        Label t = new Label(title);
        t.getStyleClass().add("panel-title");
        Label s = new Label(subtitle);
        s.getStyleClass().add("panel-subtitle");
        VBox text = new VBox(2, t, s);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox row = new HBox(8, text, spacer);
        row.getChildren().addAll(actions);
        row.setAlignment(Pos.CENTER_LEFT);
        VBox header = new VBox(row);
        header.getStyleClass().add("panel-header");
        header.setUserData(s);
        return header;
    }

    /** The subtitle label of a header made by {@link #of}. */
    public static Label subtitle(VBox header) {
        return (Label) header.getUserData();
    }
}
