package org.personalab.ui.browser;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.personalab.data.ImportFormat;
import org.personalab.data.ImportOptions;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.service.ImportService;

/**
 * The import dialog's state: file, format (guessed from the file's extension), answer encoding
 * (null = the format's default), lenient mode and dataset name, with a validation message.
 */
public final class ImportViewModel {

    private final StringProperty file = new SimpleStringProperty(this, "file", "");
    private final ObjectProperty<ImportFormat> format = new SimpleObjectProperty<>(this, "format", ImportFormat.CSV);
    private final ObjectProperty<AnswerEncoding> encoding = new SimpleObjectProperty<>(this, "encoding");
    private final BooleanProperty lenient = new SimpleBooleanProperty(this, "lenient");
    private final StringProperty name = new SimpleStringProperty(this, "name", "");
    private final StringBinding problem;
    private final StringBinding defaultName;

    public ImportViewModel(List<String> takenNames) {
        file.addListener((o, a, f) -> {
            ImportFormat guess = guessFormat(f);
            if (guess != null) {
                format.set(guess);
            }
        });
        defaultName = Bindings.createStringBinding(() -> {
            Path p = path();
            return p == null || p.getFileName() == null ? "" : ImportService.defaultName(p);
        }, file);
        problem = Bindings.createStringBinding(() -> {
            if (file.get() == null || file.get().isBlank()) {
                return "Choose a file to import.";
            }
            Path p = path();
            if (p == null) {
                return "That is not a valid file path.";
            }
            if (!Files.isRegularFile(p)) {
                return p + " does not exist or is not a file.";
            }
            if (!Files.isReadable(p)) {
                return p + " cannot be read.";
            }
            String n = effectiveName();
            if (takenNames.contains(n)) {
                return "A dataset named '" + n + "' already exists; choose another name.";
            }
            return "";
        }, file, name);
    }

    static ImportFormat guessFormat(String file) {
        String f = file == null ? "" : file.toLowerCase(Locale.ROOT);
        if (f.endsWith(".csv") || f.endsWith(".tsv") || f.endsWith(".txt")) {
            return ImportFormat.CSV;
        }
        if (f.endsWith(".json")) {
            return ImportFormat.PAPI;
        }
        if (f.endsWith("ipip300.dat")) {
            return ImportFormat.JOHNSON300;
        }
        if (f.endsWith(".dat")) {
            return ImportFormat.JOHNSON120;
        }
        return null;
    }

    public Path path() {
        try {
            String f = file.get() == null ? "" : file.get().strip();
            return f.isEmpty() ? null : Path.of(f);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    public String effectiveName() {
        String n = name.get() == null ? "" : name.get().strip();
        return n.isEmpty() ? defaultName.get() : n;
    }

    public ImportOptions options() {
        return ImportOptions.of(format.get()).withEncoding(encoding.get()).withLenient(lenient.get())
                .withName(effectiveName());
    }

    public StringProperty fileProperty() {
        return file;
    }

    public ObjectProperty<ImportFormat> formatProperty() {
        return format;
    }

    public ObjectProperty<AnswerEncoding> encodingProperty() {
        return encoding;
    }

    public BooleanProperty lenientProperty() {
        return lenient;
    }

    public StringProperty nameProperty() {
        return name;
    }

    /** What keeps the import from starting, "" when it can start. */
    public StringBinding problemProperty() {
        return problem;
    }

    public StringBinding defaultNameProperty() {
        return defaultName;
    }
}
