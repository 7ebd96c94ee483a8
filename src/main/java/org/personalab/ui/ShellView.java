package org.personalab.ui;

import java.util.EnumMap;
import java.util.Map;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.SVGPath;
import org.personalab.ui.tasks.TaskListView;

/**
 * The window's content: navigation and the task list on the left, the selected panel in the middle (every panel is
 * created once and kept, so its work continues while another shows), the status bar at the bottom.
 */
public final class ShellView extends BorderPane {

    private final Map<PanelId, ToggleButton> navButtons = new EnumMap<>(PanelId.class);

    public ShellView(ShellViewModel vm, Map<PanelId, Node> panels) {
        getStyleClass().add("shell");
        setId("shell");

        Label brand = new Label("PersonaLab");
        brand.getStyleClass().add("brand");
        Label tagline = new Label("Personality-aligned agents");
        tagline.getStyleClass().add("brand-tagline");
        HBox brandRow = new HBox(8, new VBox(0, brand, tagline));
        brandRow.setAlignment(Pos.CENTER_LEFT);
        var logo = ShellView.class.getResource("/assets/icons/personalab-32.png");
        if (logo != null) {
            javafx.scene.image.ImageView view = new javafx.scene.image.ImageView(logo.toExternalForm());
            view.setFitWidth(30);
            view.setFitHeight(30);
            brandRow.getChildren().add(0, view);
            brandRow.getStyleClass().add("brand-row");
        }
        VBox nav = new VBox(2, brandRow);
        nav.getStyleClass().add("nav");
        ToggleGroup group = new ToggleGroup();
        StackPane content = new StackPane();
        content.getStyleClass().add("content");
        for (PanelId id : PanelId.values()) {
            ToggleButton b = new ToggleButton(id.title());
            b.setId(id.navId());
            b.getStyleClass().add("nav-button");
            SVGPath icon = new SVGPath();
            icon.setContent(id.icon());
            icon.getStyleClass().add("nav-icon");
            icon.setScaleX(0.72);
            icon.setScaleY(0.72);
            Label text = new Label(id.title());
            text.getStyleClass().add("nav-text");
            HBox graphic = new HBox(10, new javafx.scene.Group(icon), text);
            graphic.setAlignment(Pos.CENTER_LEFT);
            if (id.isPlaceholder()) {
                Label soon = new Label("soon");
                soon.getStyleClass().add("soon-badge");
                graphic.getChildren().add(soon);
            }
            b.setGraphic(graphic);
            b.setContentDisplay(javafx.scene.control.ContentDisplay.GRAPHIC_ONLY);
            b.setMaxWidth(Double.MAX_VALUE);
            b.setAlignment(Pos.CENTER_LEFT);
            b.setToggleGroup(group);
            b.setTooltip(new Tooltip(id.description()));
            b.setOnAction(e -> vm.selectedPanelProperty().set(id));
            navButtons.put(id, b);
            nav.getChildren().add(b);
            Node panel = panels.getOrDefault(id, new PlaceholderView(id));
            panel.visibleProperty().bind(vm.selectedPanelProperty().isEqualTo(id));
            content.getChildren().add(panel);
        }
        vm.selectedPanelProperty().addListener((o, a, id) -> navButtons.get(id).setSelected(true));
        navButtons.get(vm.selectedPanelProperty().get()).setSelected(true);
        // a selected toggle must stay selected: clicking it again should not leave no panel chosen
        group.selectedToggleProperty().addListener((o, a, t) -> {
            if (t == null && a != null) {
                a.setSelected(true);
            }
        });

        TaskListView tasks = new TaskListView(vm.tasks());
        VBox.setVgrow(tasks, Priority.ALWAYS);
        VBox left = new VBox(nav, new Separator(), tasks);
        left.getStyleClass().add("sidebar");
        left.setPrefWidth(230);
        left.setMinWidth(200);
        setLeft(left);
        setCenter(content);
        setBottom(statusBar(vm));
    }

    private static HBox statusBar(ShellViewModel vm) {
        Label ws = new Label();
        ws.setId("statusWorkspace");
        ws.textProperty().bind(vm.workspaceText());
        Label datasets = new Label();
        datasets.setId("statusDatasets");
        datasets.textProperty().bind(vm.datasetCountText());
        Label running = new Label();
        running.setId("statusRunning");
        running.textProperty().bind(vm.runningText());
        Label message = new Label();
        message.setId("statusMessage");
        message.textProperty().bind(vm.lastMessageProperty());
        message.getStyleClass().add("status-message");
        message.setMinWidth(0);
        for (Label l : new Label[] {ws, datasets, running}) {
            l.setMinWidth(Region.USE_PREF_SIZE);
        }
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(14, ws, dot(), datasets, dot(), running, spacer, message);
        bar.getStyleClass().add("status-bar");
        bar.setAlignment(Pos.CENTER_LEFT);
        return bar;
    }

    private static Label dot() {
        Label l = new Label("·");
        l.getStyleClass().add("muted");
        return l;
    }

    public ToggleButton navButton(PanelId id) {
        return navButtons.get(id);
    }
}
