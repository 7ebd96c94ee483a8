package org.personalab.spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.personalab.profile.PromptContext;

/**
 * A minimal mustache-like template: {@code {{name}}} is replaced by the variable's value. Unlike mustache (and the
 * seed project's chevron), an unknown or blank variable is an error, never an empty string: that is how the seed's
 * Activity Level facet went missing from every prompt.
 */
public final class PromptTemplate {

    /** The default spec-generation prompt (resource {@code spec-prompt.mustache}). */
    public static final String DEFAULT_RESOURCE = "spec-prompt.mustache";
    private static final Pattern VAR = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");

    private final String name;
    private final String text;

    public PromptTemplate(String name, String text) {
        this.name = name;
        this.text = text;
    }

    public static PromptTemplate defaultSpecPrompt() {
        try (InputStream in = PromptTemplate.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + DEFAULT_RESOURCE + " is missing from the class path");
            }
            return new PromptTemplate(DEFAULT_RESOURCE, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A template read from a file (an edited copy of the default); its name in error messages is the file's path.
     *
     * @throws UncheckedIOException naming the file when it cannot be read
     */
    public static PromptTemplate read(java.nio.file.Path file) {
        try {
            return new PromptTemplate(file.toString(), java.nio.file.Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read prompt template " + file + ": " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    public String text() {
        return text;
    }

    public String render(PromptContext context) {
        return render(context.variables());
    }

    /** @throws IllegalArgumentException naming every unknown or blank variable (and the template) */
    public String render(Map<String, String> vars) {
        TreeSet<String> unknown = new TreeSet<>();
        TreeSet<String> blank = new TreeSet<>();
        Matcher m = VAR.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 512);
        while (m.find()) {
            String v = vars.get(m.group(1));
            if (v == null) {
                unknown.add(m.group(1));
            } else if (v.isBlank()) {
                blank.add(m.group(1));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? "" : v));
        }
        m.appendTail(out);
        if (!unknown.isEmpty() || !blank.isEmpty()) {
            throw new IllegalArgumentException(name + ": " + (unknown.isEmpty() ? "" : "unknown variables " + unknown)
                    + (unknown.isEmpty() || blank.isEmpty() ? "" : "; ") + (blank.isEmpty() ? "" : "blank variables " + blank));
        }
        int left = out.indexOf("{{");
        if (left >= 0) {
            throw new IllegalArgumentException(name + ": malformed tag at offset " + left + " of the rendered text");
        }
        return out.toString();
    }
}
