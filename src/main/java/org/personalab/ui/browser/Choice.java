package org.personalab.ui.browser;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import javafx.beans.property.ObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.control.ComboBox;

/** A combo box entry with a label; a null value stands for "any". */
record Choice<T>(String label, T value) {

    @Override
    public String toString() {
        return label;
    }

    static <T> ObservableList<Choice<T>> of(String anyLabel, List<T> values, Function<T, String> label) {
        List<Choice<T>> out = new ArrayList<>();
        out.add(new Choice<>(anyLabel, null));
        values.forEach(v -> out.add(new Choice<>(label.apply(v), v)));
        return FXCollections.observableArrayList(out);
    }

    /** Keeps a combo box of choices and a value property in step, both ways. */
    static <T> void bind(ComboBox<Choice<T>> combo, ObjectProperty<T> property) {
        combo.valueProperty().addListener((o, a, c) -> {
            T v = c == null ? null : c.value();
            if (!Objects.equals(property.get(), v)) {
                property.set(v);
            }
        });
        property.addListener((o, a, v) -> select(combo, v));
        combo.getItems().addListener((javafx.collections.ListChangeListener<Choice<T>>) ch -> select(combo,
                property.get()));
        select(combo, property.get());
    }

    private static <T> void select(ComboBox<Choice<T>> combo, T v) {
        Choice<T> current = combo.getValue();
        if (current != null && Objects.equals(current.value(), v)) {
            return;
        }
        for (Choice<T> c : combo.getItems()) {
            if (Objects.equals(c.value(), v)) {
                combo.setValue(c);
                return;
            }
        }
        combo.setValue(combo.getItems().isEmpty() ? null : combo.getItems().get(0));
    }
}
