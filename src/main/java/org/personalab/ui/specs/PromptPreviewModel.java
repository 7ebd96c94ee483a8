package org.personalab.ui.specs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.personalab.profile.Profile;
import org.personalab.spec.PromptTemplate;
import org.personalab.spec.SpecPrompt;
import org.personalab.task.Failures;
import org.personalab.ui.WorkbenchContext;

/**
 * The spec-generation prompt as an editable template with a live preview for the person on screen: every change of
 * the template or the person renders it again in the background (only the latest render is shown), and a template
 * that leaves a variable unknown or blank shows the error instead. The template can be saved to a file for
 * {@code personalab specs generate --template FILE}.
 */
public final class PromptPreviewModel {

    private final WorkbenchContext ctx;
    private final StringProperty template = new SimpleStringProperty(this, "template",
            PromptTemplate.defaultSpecPrompt().text());
    private final ObjectProperty<Profile> person = new SimpleObjectProperty<>(this, "person");
    private final StringProperty preview = new SimpleStringProperty(this, "preview", "");
    private final StringProperty error = new SimpleStringProperty(this, "error");
    private final StringProperty message = new SimpleStringProperty(this, "message", "");
    private long generation;

    public PromptPreviewModel(WorkbenchContext ctx) {
        this.ctx = ctx;
        template.addListener((o, a, t) -> render());
        person.addListener((o, a, p) -> render());
    }

    /** Renders the current template for the current person (background; the latest call wins). */
    public void render() {
        long gen = ++generation;
        Profile p = person.get();
        String text = template.get();
        if (p == null) {
            preview.set("");
            error.set("Choose a spec: the preview shows the prompt its person would get.");
            return;
        }
        ctx.submit("Preview the spec prompt", c -> SpecPrompt.render(new PromptTemplate("edited", text), p), r -> {
            if (gen == generation) {
                preview.set(r);
                error.set(null);
            }
        }, e -> {
            if (gen == generation) {
                preview.set("");
                error.set(Failures.describe(e));
            }
        });
    }

    /** Puts the bundled template back. */
    public void reset() {
        template.set(PromptTemplate.defaultSpecPrompt().text());
    }

    /** Writes the template to {@code out} atomically (for {@code specs generate --template FILE}). */
    public void save(Path out) {
        String text = template.get();
        ctx.submit("Save prompt template", c -> {
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, ".template", ".tmp");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return out;
        }, p -> message.set("Saved the template to " + p + " (use it with specs generate --template)."),
                e -> message.set("Could not save the template: " + Failures.describe(e)));
    }

    public StringProperty templateProperty() {
        return template;
    }

    public ObjectProperty<Profile> personProperty() {
        return person;
    }

    public StringProperty previewProperty() {
        return preview;
    }

    /** Why the template cannot be rendered (null when it can). */
    public StringProperty errorProperty() {
        return error;
    }

    public StringProperty messageProperty() {
        return message;
    }
}
