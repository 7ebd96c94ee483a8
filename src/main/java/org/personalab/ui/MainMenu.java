package org.personalab.ui;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCombination;
import javafx.stage.DirectoryChooser;
import org.personalab.store.AppVersion;
import org.personalab.store.Workspace;

/**
 * Workspace (New, Open, Open Recent, Import, Quit), View (light/dark theme), Settings (LLM providers) and Help
 * (About).
 */
final class MainMenu {

    private final MainWindow window;
    private final MenuBar bar = new MenuBar();

    MainMenu(MainWindow window) {
        this.window = window;
        bar.setId("menuBar");
        bar.getMenus().addAll(workspaceMenu(), viewMenu(), settingsMenu(), helpMenu());
    }

    MenuBar bar() {
        return bar;
    }

    private Menu workspaceMenu() {
        ShellViewModel vm = window.shell();
        MenuItem create = item("New…", "menuNew", "Shortcut+N");
        create.setOnAction(e -> chooseFolder("New workspace: choose an empty or new folder").ifPresent(dir ->
                vm.checkNewLocation(dir).ifPresentOrElse(p -> window.error("Cannot create a workspace here", p),
                        () -> vm.open(dir, !Workspace.isWorkspace(dir)))));
        MenuItem open = item("Open…", "menuOpen", "Shortcut+O");
        open.setOnAction(e -> chooseFolder("Open workspace").ifPresent(dir ->
                vm.checkOpenLocation(dir).ifPresentOrElse(p -> window.error("Cannot open this folder", p),
                        () -> vm.open(dir, false))));
        Menu recent = new Menu("Open Recent");
        recent.setId("menuRecent");
        recent.getItems().add(new MenuItem("(none)"));
        recent.setOnShowing(e -> fillRecent(recent));
        fillRecent(recent);
        MenuItem importItem = item("Import dataset…", "menuImport", "Shortcut+I");
        importItem.disableProperty().bind(window.context().workspaceProperty().isNull());
        importItem.setOnAction(e -> {
            vm.selectedPanelProperty().set(PanelId.BROWSER);
            window.browserView().showImportDialog();
        });
        MenuItem quit = item("Quit", "menuQuit", "Shortcut+Q");
        quit.setOnAction(e -> window.quit());
        Menu m = new Menu("Workspace");
        m.getItems().addAll(create, open, recent, new SeparatorMenuItem(), importItem, new SeparatorMenuItem(), quit);
        return m;
    }

    private void fillRecent(Menu recent) {
        List<Path> paths = window.shell().recentWorkspaces();
        recent.getItems().clear();
        if (paths.isEmpty()) {
            MenuItem none = new MenuItem("No recent workspaces");
            none.setDisable(true);
            recent.getItems().add(none);
            return;
        }
        for (Path p : paths) {
            MenuItem i = new MenuItem(p.toString());
            i.setMnemonicParsing(false);
            i.setDisable(!Workspace.isWorkspace(p));
            i.setOnAction(e -> window.shell().open(p, false));
            recent.getItems().add(i);
        }
    }

    private java.util.Optional<Path> chooseFolder(String title) {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle(title);
        Workspace current = window.context().workspace();
        if (current != null && current.dir().getParent() != null && current.dir().getParent().toFile().isDirectory()) {
            dc.setInitialDirectory(current.dir().getParent().toFile());
        }
        File f = dc.showDialog(window.stage());
        return java.util.Optional.ofNullable(f).map(File::toPath);
    }

    private Menu viewMenu() {
        ToggleGroup themes = new ToggleGroup();
        RadioMenuItem light = new RadioMenuItem("Light theme");
        light.setId("menuLight");
        RadioMenuItem dark = new RadioMenuItem("Dark theme");
        dark.setId("menuDark");
        light.setToggleGroup(themes);
        dark.setToggleGroup(themes);
        var theme = window.shell().themeProperty();
        Runnable sync = () -> (Theme.DARK.equals(theme.get()) ? dark : light).setSelected(true);
        sync.run();
        theme.addListener((o, a, t) -> sync.run());
        light.setOnAction(e -> theme.set(Theme.LIGHT));
        dark.setOnAction(e -> theme.set(Theme.DARK));
        Menu m = new Menu("View");
        m.getItems().addAll(light, dark);
        return m;
    }

    private Menu settingsMenu() {
        MenuItem providers = new MenuItem("LLM providers…");
        providers.setId("menuProviders");
        providers.setOnAction(e -> {
            var home = window.context().settings().folder();
            var vm = new org.personalab.ui.settings.ProviderSettingsViewModel(window.context(), home,
                    org.personalab.llm.ApiKeys.in(home));
            new org.personalab.ui.settings.ProviderSettingsDialog(window.stage(), vm).show();
        });
        Menu m = new Menu("Settings");
        m.setId("menuSettings");
        m.getItems().add(providers);
        return m;
    }

    private Menu helpMenu() {
        MenuItem about = new MenuItem("About PersonaLab");
        about.setId("menuAbout");
        about.setOnAction(e -> {
            Alert a = new Alert(Alert.AlertType.INFORMATION, "", ButtonType.OK);
            a.initOwner(window.stage());
            a.setTitle("About PersonaLab");
            a.setHeaderText("PersonaLab " + AppVersion.get());
            a.setContentText("A workbench for research on personality-aligned LLM agents: real people's IPIP-NEO "
                    + "Big Five answers become agent personas, and PersonaLab measures how faithfully each agent "
                    + "reproduces its person.\n\nJava " + System.getProperty("java.version") + ", JavaFX "
                    + System.getProperty("javafx.runtime.version", "?") + "\nSettings: "
                    + window.context().settings().file());
            a.getDialogPane().getStylesheets().setAll(window.stage().getScene().getStylesheets());
            a.getDialogPane().setId("aboutDialog");
            a.show();
        });
        Menu m = new Menu("Help");
        m.getItems().add(about);
        return m;
    }

    private static MenuItem item(String text, String id, String accelerator) {
        MenuItem i = new MenuItem(text);
        i.setId(id);
        i.setAccelerator(KeyCombination.keyCombination(accelerator));
        return i;
    }
}
