package org.personalab.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Facet;
import org.personalab.profile.PromptContext;
import org.personalab.spec.AgentSpec;
import org.personalab.spec.PromptTemplate;
import org.personalab.spec.SpecJson;

/**
 * Turns an agent spec into the system prompt every item of its questionnaire starts with (the shared persona prefix).
 * <ul>
 * <li>{@link Mode#TINYTROUPE}: TinyTroupe-compatible: the persona JSON verbatim in a fenced block inside an agent
 * specification with TinyTroupe's rules for interpreting each persona field (resource {@code persona-tinytroupe.txt},
 * after {@code tiny_person.mustache}; TinyTroupe's action/stimulus protocol is left out, since an item wants one
 * answer, not a THINK/TALK/DONE turn).</li>
 * <li>{@link Mode#PARAGRAPH}: a plain persona paragraph in the second person ("You are Anna, 34, …"), the P²-style
 * description, built from the same spec fields.</li>
 * </ul>
 * The same spec always renders to the same text, so providers' prompt caches can reuse it across items.
 */
public final class PersonaRenderer {

    public static final String TINYTROUPE_RESOURCE = "persona-tinytroupe.txt";

    /** How the persona is written into the system prompt. */
    public enum Mode {
        TINYTROUPE, PARAGRAPH;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Mode parse(String s) {
            for (Mode m : values()) {
                if (m.id().equalsIgnoreCase(s.strip())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("persona mode must be tinytroupe or paragraph, not '" + s + "'");
        }
    }

    private final Mode mode;
    private final PromptTemplate tinyTroupe;

    public PersonaRenderer(Mode mode) {
        this.mode = mode;
        this.tinyTroupe = mode == Mode.TINYTROUPE ? new PromptTemplate(TINYTROUPE_RESOURCE, resource()) : null;
    }

    public Mode mode() {
        return mode;
    }

    /** The system prompt for {@code spec}. */
    public String render(AgentSpec spec) {
        return mode == Mode.TINYTROUPE ? tinyTroupe.render(Map.of("persona", SpecJson.pretty(spec.node())))
                : paragraph(spec);
    }

    private static String paragraph(AgentSpec s) {
        StringBuilder sb = new StringBuilder("You are ");
        sb.append(s.name() == null ? "a person" : s.name());
        List<String> who = new ArrayList<>();
        Integer age = safeAge(s);
        if (age != null) {
            who.add(age + " years old");
        }
        add(who, s.gender() == null ? null : s.gender().toLowerCase(Locale.ROOT));
        add(who, s.nationality());
        if (!who.isEmpty()) {
            sb.append(", ").append(String.join(", ", who));
        }
        if (s.residence() != null && !s.residence().isBlank()) {
            sb.append(", living in ").append(s.residence());
        }
        sb.append('.');
        AgentSpec.Occupation o = s.occupation();
        if (o != null && o.title() != null) {
            sb.append(" You work as ").append(article(o.title())).append(o.title());
            if (o.organization() != null && !o.organization().isBlank()) {
                sb.append(" at ").append(o.organization());
            }
            sb.append('.');
            sentence(sb, o.description());
        }
        if (s.education() != null) {
            sb.append(" Education: ").append(trimEnd(s.education())).append('.');
        }
        sb.append("\n\nYour personality:");
        for (Domain d : PromptContext.OCEAN) {
            String b = s.bigFive(d);
            if (b != null && !b.isBlank()) {
                sb.append("\n- ").append(d.displayName()).append(": ").append(trimEnd(b)).append('.');
            }
        }
        List<String> facets = new ArrayList<>();
        for (Domain d : PromptContext.OCEAN) {
            for (Facet f : d.facets()) {
                String l = s.facet(f);
                if (l != null && !l.isBlank()) {
                    facets.add(f.displayName().toLowerCase(Locale.ROOT) + " " + l.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        if (!facets.isEmpty()) {
            sb.append("\n- In detail: ").append(String.join(", ", facets)).append('.');
        }
        for (String t : s.traits()) {
            sb.append("\n- ").append(trimEnd(t)).append('.');
        }
        list(sb, "Your style", List.of(s.style() == null ? "" : s.style()));
        list(sb, "You are interested in", s.interests());
        list(sb, "You like", s.likes());
        list(sb, "You dislike", s.dislikes());
        list(sb, "You believe", s.beliefs());
        list(sb, "Your skills", s.skills());
        list(sb, "What you usually do", s.generalBehaviors());
        list(sb, "Your goals", s.longTermGoals());
        list(sb, "Your health", List.of(s.health() == null ? "" : s.health()));
        list(sb, "Other facts about you", s.otherFacts());
        sb.append("\n\nYou are this person, not an assistant: answer every question as this person would, true to "
                + "this personality.");
        return sb.toString();
    }

    private static Integer safeAge(AgentSpec s) {
        try {
            return s.age();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void add(List<String> l, String v) {
        if (v != null && !v.isBlank()) {
            l.add(v.strip());
        }
    }

    private static String article(String noun) {
        return "aeiouAEIOU".indexOf(noun.strip().charAt(0)) >= 0 ? "an " : "a ";
    }

    private static void sentence(StringBuilder sb, String text) {
        if (text != null && !text.isBlank()) {
            sb.append(' ').append(trimEnd(text)).append('.');
        }
    }

    private static void list(StringBuilder sb, String heading, List<String> items) {
        List<String> l = items.stream().filter(x -> x != null && !x.isBlank()).map(PersonaRenderer::trimEnd).toList();
        if (!l.isEmpty()) {
            sb.append("\n").append(heading).append(": ").append(String.join("; ", l)).append('.');
        }
    }

    private static String trimEnd(String s) {
        return s.strip().replaceAll("[.\\s]+$", "");
    }

    private static String resource() {
        try (InputStream in = PersonaRenderer.class.getResourceAsStream(TINYTROUPE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + TINYTROUPE_RESOURCE + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
