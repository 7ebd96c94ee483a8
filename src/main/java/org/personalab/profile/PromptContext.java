package org.personalab.profile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.personalab.data.Sex;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Facet;
import org.personalab.inventory.Level;

/**
 * The variables a spec-generation prompt needs, in a fixed order: {@code age}, {@code sex} ("Male"/"Female"),
 * {@code country}, the five domain levels keyed by lower-case domain name in OCEAN order, then the 30 facet levels
 * keyed by the snake_case facet name ({@code activity_level}, {@code excitement_seeking}, ...), grouped by domain in
 * OCEAN order. Values are level labels ("Very Low" .. "Very High").
 *
 * <p>An unknown value (age 0, blank country, unknown sex, missing level) is the empty string, never a placeholder
 * like "Unknown": {@link #blankVariables()} lists them, and a prompt renderer must refuse them. (The seed project
 * rendered its Activity Level facet as blank for every person because the variable names disagreed.)
 */
public final class PromptContext {

    /** Domains in the order prompts list them: O, C, E, A, N. */
    public static final List<Domain> OCEAN = List.of(Domain.O, Domain.C, Domain.E, Domain.A, Domain.N);

    private final Map<String, String> variables;

    private PromptContext(Map<String, String> variables) {
        this.variables = Collections.unmodifiableMap(variables);
    }

    public static PromptContext of(Profile p) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("age", p.age() > 0 ? Integer.toString(p.age()) : "");
        v.put("sex", p.sex() == Sex.UNKNOWN ? "" : p.sex().label());
        v.put("country", p.country());
        for (Domain d : OCEAN) {
            v.put(key(d), label(p.level(d)));
        }
        for (Domain d : OCEAN) {
            for (Facet f : d.facets()) {
                v.put(key(f), label(p.level(f)));
            }
        }
        return new PromptContext(v);
    }

    private static String label(Level l) {
        return l == null ? "" : l.label();
    }

    /** Variable name of a domain: its lower-case name ("openness"). */
    public static String key(Domain d) {
        return d.displayName().toLowerCase(Locale.ROOT);
    }

    /** Variable name of a facet: its display name in snake_case ("Activity Level" → "activity_level"). */
    public static String key(Facet f) {
        return f.displayName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    }

    /** All variables in order (unmodifiable). */
    public Map<String, String> variables() {
        return variables;
    }

    /** The value of a variable, or null if there is no such variable. */
    public String get(String name) {
        return variables.get(name);
    }

    /** Names of the variables whose value is blank (unknown), in order. */
    public List<String> blankVariables() {
        List<String> out = new ArrayList<>();
        variables.forEach((k, val) -> {
            if (val.isBlank()) {
                out.add(k);
            }
        });
        return out;
    }
}
