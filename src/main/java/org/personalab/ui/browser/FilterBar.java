package org.personalab.ui.browser;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TextField;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.util.StringConverter;
import org.personalab.data.AgeGroup;
import org.personalab.data.Sex;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;
import org.personalab.ui.LevelPalette;

/** Filters above the respondent table (sex, age group, country, level of a scale), and the find-by-id box. */
final class FilterBar extends FlowPane {

    static final StringConverter<Scale> SCALE_NAMES = new StringConverter<>() {
        @Override
        public String toString(Scale s) {
            return s == null ? "" : s.displayName();
        }

        @Override
        public Scale fromString(String string) {
            return null;
        }
    };

    FilterBar(DatasetBrowserViewModel vm) {
        getStyleClass().add("filter-bar");
        setAlignment(Pos.CENTER_LEFT);
        setHgap(8);
        setVgap(6);

        ComboBox<Choice<Sex>> sex = new ComboBox<>(Choice.of("Any sex",
                List.of(Sex.FEMALE, Sex.MALE, Sex.UNKNOWN), Sex::label));
        sex.setId("filterSex");
        Choice.bind(sex, vm.sexProperty());

        ComboBox<Choice<AgeGroup>> age = new ComboBox<>(Choice.of("Any age", Arrays.asList(AgeGroup.values()),
                a -> a == AgeGroup.UNKNOWN ? "Unknown age" : a.label() + ageRange(a)));
        age.setId("filterAge");
        Choice.bind(age, vm.ageGroupProperty());

        ObservableList<Choice<CountryCount>> countryChoices = FXCollections.observableArrayList();
        ComboBox<Choice<CountryCount>> country = new ComboBox<>(countryChoices);
        country.setId("filterCountry");
        country.setVisibleRowCount(16);
        Runnable fillCountries = () -> countryChoices.setAll(Choice.of("All countries", vm.countries(),
                CountryCount::label));
        vm.countries().addListener((ListChangeListener<CountryCount>) c -> fillCountries.run());
        fillCountries.run();
        Choice.bind(country, vm.countryProperty());

        ComboBox<Scale> scale = new ComboBox<>(scalesDomainsFirst());
        scale.setId("filterScale");
        scale.setConverter(SCALE_NAMES);
        scale.setVisibleRowCount(16);
        scale.valueProperty().bindBidirectional(vm.levelScaleProperty());
        ComboBox<Choice<Level>> level = new ComboBox<>(Choice.of("Any level", Arrays.asList(Level.values()),
                Level::label));
        level.setId("filterLevel");
        level.setCellFactory(v -> new LevelChoiceCell());
        level.setButtonCell(new LevelChoiceCell());
        Choice.bind(level, vm.levelProperty());

        Button clear = new Button("Clear");
        clear.setId("clearFilters");
        clear.setOnAction(e -> vm.clearFilters());

        Label levelOf = new Label("Level of");
        levelOf.getStyleClass().add("muted");
        levelOf.setMinWidth(Region.USE_PREF_SIZE);
        for (ComboBox<?> c : List.of(sex, age, country, scale, level)) {
            c.setMinWidth(Region.USE_PREF_SIZE);
        }
        sex.setPrefWidth(112);
        age.setPrefWidth(150);
        country.setPrefWidth(160);
        scale.setPrefWidth(180);
        level.setPrefWidth(122);
        clear.setMinWidth(Region.USE_PREF_SIZE);
        getChildren().addAll(sex, age, country, levelOf, scale, level, clear);
    }

    private static String ageRange(AgeGroup a) {
        return a.max() == Integer.MAX_VALUE ? " (" + a.min() + "+)"
                : " (" + (a.min() == 0 ? "<" + (a.max() + 1) : a.min() + "–" + a.max()) + ")";
    }

    /** The find-by-id field and button (placed in the panel header). */
    static HBox findBox(DatasetBrowserViewModel vm) {
        TextField find = new TextField();
        find.setId("findId");
        find.setPromptText("Find respondent by id");
        find.setPrefColumnCount(14);
        find.textProperty().bindBidirectional(vm.findTextProperty());
        find.setOnAction(e -> vm.find());
        Button go = new Button("Find");
        go.setId("findButton");
        go.setOnAction(e -> vm.find());
        go.setMinWidth(Region.USE_PREF_SIZE);
        HBox box = new HBox(6, find, go);
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    /** The five domains, then the thirty facets. */
    static ObservableList<Scale> scalesDomainsFirst() {
        List<Scale> out = new ArrayList<>();
        for (Scale s : Scale.values()) {
            if (s.isDomain()) {
                out.add(s);
            }
        }
        for (Scale s : Scale.values()) {
            if (s.isFacet()) {
                out.add(s);
            }
        }
        return FXCollections.observableArrayList(out);
    }

    /** A level choice with its colour swatch. */
    private static final class LevelChoiceCell extends ListCell<Choice<Level>> {
        @Override
        protected void updateItem(Choice<Level> item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            setText(item.label());
            if (item.value() == null) {
                setGraphic(null);
            } else {
                Region swatch = new Region();
                swatch.getStyleClass().addAll("level-swatch", LevelPalette.styleClass(item.value()));
                setGraphic(swatch);
            }
        }
    }
}
