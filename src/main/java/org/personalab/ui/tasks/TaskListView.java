package org.personalab.ui.tasks;

import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The global task list: every background task with its progress, a Cancel button and its error, plus "Clear finished". */
public final class TaskListView extends VBox {

    private final ListView<TaskItem> list = new ListView<>();

    public TaskListView(TaskListViewModel vm) {
        getStyleClass().add("task-list");
        Label header = new Label("Tasks");
        header.getStyleClass().add("section-title");
        header.setMinWidth(Region.USE_PREF_SIZE);
        Label count = new Label();
        count.getStyleClass().add("muted");
        count.textProperty().bind(Bindings.createStringBinding(
                () -> vm.runningProperty().get() == 0 ? "" : vm.runningProperty().get() + " running",
                vm.runningProperty()));
        Button clear = new Button("Clear finished");
        clear.setId("clearFinished");
        clear.getStyleClass().addAll("small-button", "link-button");
        clear.setOnAction(e -> vm.clearFinished());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox head = new HBox(6, header, count, spacer, clear);
        head.setAlignment(Pos.CENTER_LEFT);
        head.getStyleClass().add("section-header");

        list.setId("taskList");
        list.setItems(vm.items());
        list.setCellFactory(v -> new TaskCell());
        list.setPlaceholder(new Label("No tasks yet"));
        list.getStyleClass().add("task-list-view");
        VBox.setVgrow(list, Priority.ALWAYS);
        getChildren().addAll(head, list);
    }

    public ListView<TaskItem> list() {
        return list;
    }
}
