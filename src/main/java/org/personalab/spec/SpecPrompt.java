package org.personalab.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.personalab.profile.Profile;
import org.personalab.profile.PromptContext;

/**
 * The messages that ask an LLM for one person's spec: TinyTroupe's system message for generating people, and the
 * user message rendered from an (editable) {@link PromptTemplate} with the person's 5 domain levels, 30 facet levels,
 * age, sex and country. A template that would leave any of them blank refuses to render. Also the JSON schema the
 * answer must fit ({@code persona-schema.json}: TinyTroupe's persona keys plus {@code personality.facets}).
 *
 * <p>Free of any LLM client: what it builds is text, so the workbench can show it as a live preview.
 */
public final class SpecPrompt {

    /** TinyTroupe's system message for its person factory (also what the seed project sent). */
    public static final String SYSTEM = "You are a system that generates specifications for realistic simulations of "
            + "people. You follow the generation rules and constraints carefully.";
    /** Name under which the schema is sent to providers that enforce it. */
    public static final String SCHEMA_NAME = "tinytroupe_persona";
    static final String SCHEMA_RESOURCE = "persona-schema.json";

    private static final ObjectNode SCHEMA = loadSchema();

    private SpecPrompt() {
    }

    /**
     * The user message for {@code person}.
     *
     * @throws IllegalArgumentException naming the person and every unknown or blank variable
     */
    public static String render(PromptTemplate template, Profile person) {
        try {
            return template.render(PromptContext.of(person));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("person " + person.id() + ": " + e.getMessage(), e);
        }
    }

    /** The system and user texts, in order. */
    public static List<String> messages(PromptTemplate template, Profile person) {
        return List.of(SYSTEM, render(template, person));
    }

    /** SHA-256 (hex) of the prompt texts in order, each followed by a NUL: the prompt hash of the provenance. */
    public static String hash(List<String> texts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String t : texts) {
                md.update(t.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 (hex) of a template's text, recorded with each run so its prompts trace back to the exact text. */
    public static String templateHash(PromptTemplate t) {
        return hash(List.of(t.text()));
    }

    /** The JSON schema of an answer (a fresh copy). */
    public static ObjectNode schema() {
        return SCHEMA.deepCopy();
    }

    private static ObjectNode loadSchema() {
        try (InputStream in = SpecPrompt.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + SCHEMA_RESOURCE + " is missing from the class path");
            }
            return (ObjectNode) SpecJson.MAPPER.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(SCHEMA_RESOURCE + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
