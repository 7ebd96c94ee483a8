package org.personalab.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.personalab.inventory.Item;
import org.personalab.spec.PromptTemplate;

/**
 * The prompt that puts one item to an agent, after MPI/PAlign: "Given a statement of you: …" with the five options.
 * The text is an editable template (default: resource {@code item-prompt.txt}) with two variables,
 * {@code {{statement}}} (the item as a second-person sentence, {@link SecondPerson}) and {@code {{options}}} (the
 * option lines in the order shown, {@link OptionOrder#render()}). Both must appear; an unknown variable is an error.
 * The template's hash is stored with every run.
 */
public final class ItemPrompt {

    public static final String DEFAULT_RESOURCE = "item-prompt.txt";

    private final String name;
    private final String text;
    private final PromptTemplate template;

    private ItemPrompt(String name, String text) {
        if (!text.contains("{{statement}}") || !text.contains("{{options}}")) {
            throw new IllegalArgumentException(name + ": an item prompt template needs both {{statement}} and "
                    + "{{options}}");
        }
        this.name = name;
        this.text = text;
        this.template = new PromptTemplate(name, text);
        render(org.personalab.inventory.Inventory.IPIP_NEO_120.item(1), OptionOrder.FIXED); // unknown variables fail now
    }

    /** The built-in template. */
    public static ItemPrompt standard() {
        try (InputStream in = ItemPrompt.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + DEFAULT_RESOURCE + " is missing from the class path");
            }
            return new ItemPrompt(DEFAULT_RESOURCE, new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A template edited by the user; {@code name} (e.g. the file) appears in error messages. */
    public static ItemPrompt of(String name, String text) {
        return new ItemPrompt(name, text.strip());
    }

    public String name() {
        return name;
    }

    public String text() {
        return text;
    }

    /** SHA-256 (hex) of the template text: which wording a run used. */
    public String hash() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The user message that asks {@code item} with the options in {@code order}. */
    public String render(Item item, OptionOrder order) {
        return template.render(Map.of("statement", SecondPerson.statement(item), "options", order.render()));
    }
}
