package org.personalab.ui.browser;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;
import org.personalab.data.DatasetInfo;

/** A dataset in the list: name, then size, format, raw/keyed and inventory; provenance in the tooltip. */
final class DatasetListCell extends ListCell<DatasetInfo> {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneId.systemDefault());
    private final Label name = new Label();
    private final Label facts = new Label();
    private final Label kind = new Label();
    private final VBox box = new VBox(1, name, facts, kind);

    DatasetListCell() {
        name.getStyleClass().add("dataset-name");
        facts.getStyleClass().add("muted");
        kind.getStyleClass().add("muted");
        setPrefWidth(0);
        for (Label l : new Label[] {name, facts, kind}) {
            l.setWrapText(true);
        }
        box.getStyleClass().add("dataset-cell");
        setContentDisplay(javafx.scene.control.ContentDisplay.GRAPHIC_ONLY);
    }

    @Override
    protected void updateItem(DatasetInfo d, boolean empty) {
        super.updateItem(d, empty);
        if (empty || d == null) {
            setGraphic(null);
            setTooltip(null);
            return;
        }
        name.setText(d.name());
        facts.setText(String.format("%,d", d.size()) + " people · " + d.format());
        kind.setText(d.inventory().name() + " · " + d.encoding().name().toLowerCase());
        Tooltip t = new Tooltip(details(d));
        t.setWrapText(true);
        t.setMaxWidth(480);
        setTooltip(t);
        setGraphic(box);
    }

    static String facts(DatasetInfo d) {
        return String.format("%,d", d.size()) + " people · " + d.format() + " · "
                + d.encoding().name().toLowerCase() + " · " + d.inventory().name();
    }

    /** Everything known about where the dataset came from. */
    static String details(DatasetInfo d) {
        StringBuilder sb = new StringBuilder();
        sb.append(d.name()).append('\n').append(facts(d)).append('\n');
        if (d.provenance() != null && !d.provenance().isBlank()) {
            sb.append('\n').append(d.provenance()).append('\n');
        }
        if (d.sourceFile() != null) {
            sb.append("\nSource: ").append(d.sourceFile());
        }
        if (d.createdAt() != null) {
            sb.append("\nCreated: ").append(WHEN.format(d.createdAt()));
        }
        sb.append("\nRun #").append(d.runId()).append(", norm set #").append(d.normSetId());
        return sb.toString();
    }
}
