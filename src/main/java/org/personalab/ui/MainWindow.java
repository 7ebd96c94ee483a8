package org.personalab.ui;

import java.nio.file.Path;
import java.util.Map;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.personalab.ui.browser.DatasetBrowserView;
import org.personalab.ui.browser.DatasetBrowserViewModel;
import org.personalab.ui.clusters.ClusterView;
import org.personalab.ui.clusters.ClusterViewModel;
import org.personalab.ui.tasks.TaskListViewModel;

/**
 * The main window: builds the ViewModels and views for one {@link WorkbenchContext}, the menus, the theme, and asks
 * before quitting while work that cannot resume is running.
 */
public final class MainWindow {

    private final Stage stage;
    private final WorkbenchContext ctx;
    private final ShellViewModel shell;
    private final DatasetBrowserViewModel browser;
    private final DatasetBrowserView browserView;
    private final ShellView shellView;
    private final org.personalab.ui.specs.SpecEditorViewModel specs;
    private final ClusterViewModel clusters;
    private final ClusterView clusterView;
    private final org.personalab.ui.results.ResultsViewModel results;
    private final org.personalab.ui.training.TrainingViewModel training;

    public MainWindow(Stage stage, WorkbenchContext ctx) {
        this.stage = stage;
        this.ctx = ctx;
        TaskListViewModel tasks = new TaskListViewModel(ctx.executor(), ctx.ui());
        shell = new ShellViewModel(ctx, tasks);
        browser = new DatasetBrowserViewModel(ctx);
        shell.datasetCountProperty().bind(Bindings.size(browser.datasets()));
        browserView = new DatasetBrowserView(browser);
        specs = new org.personalab.ui.specs.SpecEditorViewModel(ctx);
        clusters = new ClusterViewModel(ctx);
        clusterView = new ClusterView(clusters);
        clusters.setOpenPerson(p -> {
            shell.selectedPanelProperty().set(PanelId.BROWSER);
            browser.showRespondent(p.datasetId(), p.row());
            browserView.openRespondent();
        });
        results = new org.personalab.ui.results.ResultsViewModel(ctx);
        training = new org.personalab.ui.training.TrainingViewModel(ctx);
        shellView = new ShellView(shell, Map.<PanelId, Node>of(PanelId.BROWSER, browserView,
                PanelId.RESULTS, new org.personalab.ui.results.ResultsView(results),
                PanelId.JUDGE, judgeView(ctx),
                PanelId.CLUSTERS, clusterView, PanelId.SPECS, new org.personalab.ui.specs.SpecEditorView(specs),
                PanelId.TRAINING, new org.personalab.ui.training.TrainingView(training)));
        MainMenu menu = new MainMenu(this);
        VBox root = new VBox(menu.bar(), shellView);
        VBox.setVgrow(shellView, javafx.scene.layout.Priority.ALWAYS);
        var screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        double w = Math.min(1440, screen.getWidth());
        double h = Math.min(920, screen.getHeight());
        Scene scene = new Scene(root, w, h);
        stage.setX(screen.getMinX() + (screen.getWidth() - w) / 2);
        stage.setY(screen.getMinY() + (screen.getHeight() - h) / 2);
        Theme.apply(scene, shell.themeProperty().get());
        shell.themeProperty().addListener((o, a, t) -> Theme.apply(scene, t));
        stage.setScene(scene);
        stage.setMinWidth(960);
        stage.setMinHeight(640);
        stage.titleProperty().bind(Bindings.createStringBinding(() -> ctx.workspace() == null ? "PersonaLab"
                : ctx.workspace().name() + " — PersonaLab", ctx.workspaceProperty()));
        stage.setOnCloseRequest(e -> {
            if (!confirmQuit()) {
                e.consume();
            }
        });
        for (int size : new int[] {16, 32, 64}) {
            var icon = MainWindow.class.getResource("/assets/icons/personalab-" + size + ".png");
            if (icon != null) {
                stage.getIcons().add(new javafx.scene.image.Image(icon.toExternalForm()));
            }
        }
        shell.errorProperty().addListener((o, a, message) -> {
            if (message != null) {
                error("Something went wrong", message);
                shell.errorProperty().set(null);
            }
        });
    }

    /** Shows the window and opens the workspace (see {@link ShellViewModel#start(Path)}). */
    public void show(Path workspace) {
        stage.show();
        shell.start(workspace);
    }

    /** Asks before quitting when unresumable work is running; true when the application may quit. */
    public boolean confirmQuit() {
        var warning = shell.quitWarning();
        if (warning.isEmpty()) {
            return true;
        }
        ButtonType quit = new ButtonType("Quit anyway", ButtonBar.ButtonData.OK_DONE);
        ButtonType stay = new ButtonType("Keep working", ButtonBar.ButtonData.CANCEL_CLOSE);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, warning.get(), quit, stay);
        a.initOwner(stage);
        a.setTitle("Quit PersonaLab?");
        a.setHeaderText("Work in progress would be lost");
        a.getDialogPane().setId("quitConfirmation");
        a.getDialogPane().getStylesheets().setAll(stage.getScene().getStylesheets());
        return a.showAndWait().orElse(stay) == quit;
    }

    /** Quit from the menu: same confirmation as closing the window. */
    public void quit() {
        if (confirmQuit()) {
            stage.hide();
            Platform.exit();
        }
    }

    void error(String header, String message) {
        Alert a = new Alert(Alert.AlertType.ERROR, message, ButtonType.OK);
        a.initOwner(stage);
        a.setHeaderText(header);
        a.getDialogPane().getStylesheets().setAll(stage.getScene().getStylesheets());
        a.getDialogPane().setId("errorDialog");
        a.show();
    }

    public Stage stage() {
        return stage;
    }

    public WorkbenchContext context() {
        return ctx;
    }

    public ShellViewModel shell() {
        return shell;
    }

    public ShellView shellView() {
        return shellView;
    }

    public DatasetBrowserViewModel browser() {
        return browser;
    }

    public org.personalab.ui.specs.SpecEditorViewModel specs() {
        return specs;
    }

    public DatasetBrowserView browserView() {
        return browserView;
    }

    public ClusterViewModel clusters() {
        return clusters;
    }

    private static Node judgeView(WorkbenchContext ctx) {
        var vm = new org.personalab.ui.judge.JudgeReviewViewModel(ctx);
        var view = new org.personalab.ui.judge.JudgeReviewView(vm);
        // a judging run finished since the panel was last shown appears when it is shown again
        view.visibleProperty().addListener((o, a, v) -> {
            if (v && ctx.workspace() != null) {
                vm.refreshRuns();
            }
        });
        return view;
    }

    public org.personalab.ui.results.ResultsViewModel results() {
        return results;
    }

    public org.personalab.ui.training.TrainingViewModel training() {
        return training;
    }

    public ClusterView clusterView() {
        return clusterView;
    }
}
