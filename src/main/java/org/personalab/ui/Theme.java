package org.personalab.ui;

import java.net.URL;
import java.util.List;
import javafx.scene.Parent;
import javafx.scene.Scene;

/** Light and dark stylesheets ({@code /assets/styles/base.css} plus {@code light.css} or {@code dark.css}). */
public final class Theme {

    public static final String LIGHT = "light";
    public static final String DARK = "dark";

    private Theme() {
    }

    public static String normalise(String theme) {
        return DARK.equalsIgnoreCase(theme) ? DARK : LIGHT;
    }

    /** Stylesheet URLs for a theme, base first. */
    public static List<String> stylesheets(String theme) {
        return List.of(url("base.css"), url(normalise(theme) + ".css"));
    }

    public static void apply(Scene scene, String theme) {
        scene.getStylesheets().setAll(stylesheets(theme));
    }

    /** For dialogs, whose panes live in their own scene. */
    public static void apply(Parent root, String theme) {
        root.getStylesheets().setAll(stylesheets(theme));
    }

    private static String url(String file) {
        URL u = Theme.class.getResource("/assets/styles/" + file);
        if (u == null) {
            throw new IllegalStateException("stylesheet /assets/styles/" + file + " is missing from the class path");
        }
        return u.toExternalForm();
    }
}
