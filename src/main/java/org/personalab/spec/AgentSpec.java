package org.personalab.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Facet;
import org.personalab.profile.PromptContext;

/**
 * A TinyTroupe persona ({@code persona} object of an {@code .agent.json} file) over a Jackson {@link ObjectNode}. The
 * node is the record: unknown keys and key order survive reading and writing, and setters replace values in place
 * (a new key goes to the end of its object). Getters return null (or an empty list) for a missing key and throw a
 * {@link SpecFormatException} naming the JSON path when a value has the wrong type.
 *
 * <p>Beyond TinyTroupe's schema, {@code personality.facets} holds the 30 facet levels keyed by snake_case facet
 * name ({@link PromptContext#key(Facet)}).
 */
public final class AgentSpec {

    /** Parts of the day under {@code behaviors.routines}. */
    public enum Routine {
        MORNING, WORKDAY, EVENING, WEEKEND;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public record Occupation(String title, String organization, String description) {
    }

    public record Relationship(String name, String description) {
    }

    private final ObjectNode persona;
    private final String base;

    private AgentSpec(ObjectNode persona, String base) {
        this.persona = Objects.requireNonNull(persona, "persona");
        this.base = base;
    }

    /** A spec over {@code persona} (not copied) whose JSON paths start at {@code $.persona}. */
    public static AgentSpec wrap(ObjectNode persona) {
        return new AgentSpec(persona, "$.persona");
    }

    /** A spec over {@code persona} whose paths start at {@code base} (e.g. "$" for a bare persona file). */
    public static AgentSpec wrap(ObjectNode persona, String base) {
        return new AgentSpec(persona, base);
    }

    public static AgentSpec empty() {
        return wrap(SpecJson.object());
    }

    /** The underlying persona node (live, not a copy). */
    public ObjectNode node() {
        return persona;
    }

    /** JSON path of a key under the persona, e.g. {@code path("occupation", "title")}. */
    public String path(String... keys) {
        return base + "." + String.join(".", keys);
    }

    public AgentSpec copy() {
        return new AgentSpec(persona.deepCopy(), base);
    }

    // ---- scalar fields

    public String name() { return text("name"); }
    public AgentSpec name(String v) { return put(v, "name"); }
    public String gender() { return text("gender"); }
    public AgentSpec gender(String v) { return put(v, "gender"); }
    public String nationality() { return text("nationality"); }
    public AgentSpec nationality(String v) { return put(v, "nationality"); }
    public String residence() { return text("residence"); }
    public AgentSpec residence(String v) { return put(v, "residence"); }
    public String education() { return text("education"); }
    public AgentSpec education(String v) { return put(v, "education"); }
    public String style() { return text("style"); }
    public AgentSpec style(String v) { return put(v, "style"); }
    public String health() { return text("health"); }
    public AgentSpec health(String v) { return put(v, "health"); }

    /** Age in years; a numeric string such as "34" is accepted (LLMs write those), anything else is an error. */
    public Integer age() {
        JsonNode n = persona.get("age");
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isIntegralNumber()) {
            return n.intValue();
        }
        if (n.isTextual() && n.asText().strip().matches("\\d{1,3}")) {
            return Integer.parseInt(n.asText().strip());
        }
        throw new SpecFormatException(path("age"), "expected a whole number, got " + SpecJson.compact(n));
    }

    public AgentSpec age(int years) {
        persona.put("age", years);
        return this;
    }

    // ---- lists of strings

    public List<String> longTermGoals() { return strings("long_term_goals"); }
    public AgentSpec longTermGoals(List<String> v) { return putStrings(v, "long_term_goals"); }
    public List<String> skills() { return strings("skills"); }
    public AgentSpec skills(List<String> v) { return putStrings(v, "skills"); }
    public List<String> beliefs() { return strings("beliefs"); }
    public AgentSpec beliefs(List<String> v) { return putStrings(v, "beliefs"); }
    public List<String> otherFacts() { return strings("other_facts"); }
    public AgentSpec otherFacts(List<String> v) { return putStrings(v, "other_facts"); }
    public List<String> traits() { return strings("personality", "traits"); }
    public AgentSpec traits(List<String> v) { return putStrings(v, "personality", "traits"); }
    public List<String> interests() { return strings("preferences", "interests"); }
    public AgentSpec interests(List<String> v) { return putStrings(v, "preferences", "interests"); }
    public List<String> likes() { return strings("preferences", "likes"); }
    public AgentSpec likes(List<String> v) { return putStrings(v, "preferences", "likes"); }
    public List<String> dislikes() { return strings("preferences", "dislikes"); }
    public AgentSpec dislikes(List<String> v) { return putStrings(v, "preferences", "dislikes"); }
    public List<String> generalBehaviors() { return strings("behaviors", "general"); }
    public AgentSpec generalBehaviors(List<String> v) { return putStrings(v, "behaviors", "general"); }

    public List<String> routine(Routine r) {
        return strings("behaviors", "routines", r.key());
    }

    public AgentSpec routine(Routine r, List<String> v) {
        return putStrings(v, "behaviors", "routines", r.key());
    }

    // ---- personality

    public String bigFive(Domain d) {
        return text("personality", "big_five", PromptContext.key(d));
    }

    public AgentSpec bigFive(Domain d, String statement) {
        return put(statement, "personality", "big_five", PromptContext.key(d));
    }

    /** The level label stored for a facet under {@code personality.facets}, or null. */
    public String facet(Facet f) {
        return text("personality", "facets", PromptContext.key(f));
    }

    public AgentSpec facet(Facet f, String level) {
        return put(level, "personality", "facets", PromptContext.key(f));
    }

    // ---- objects

    /** The occupation; TinyTroupe also accepts a plain string, read here as the title. */
    public Occupation occupation() {
        JsonNode n = persona.get("occupation");
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isTextual()) {
            return new Occupation(n.asText(), null, null);
        }
        if (!n.isObject()) {
            throw new SpecFormatException(path("occupation"), "expected an object or a string, got "
                    + SpecJson.compact(n));
        }
        return new Occupation(text("occupation", "title"), text("occupation", "organization"),
                text("occupation", "description"));
    }

    public AgentSpec occupation(Occupation o) {
        if (persona.has("occupation") && !persona.get("occupation").isObject()) {
            persona.remove("occupation");
        }
        put(o.title(), "occupation", "title");
        put(o.organization(), "occupation", "organization");
        return put(o.description(), "occupation", "description");
    }

    public List<Relationship> relationships() {
        JsonNode n = persona.get("relationships");
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new SpecFormatException(path("relationships"), "expected a list, got " + kind(n));
        }
        List<Relationship> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode r = n.get(i);
            String p = path("relationships") + "[" + i + "]";
            if (!r.isObject()) {
                throw new SpecFormatException(p, "expected an object {name, description}, got " + kind(r));
            }
            out.add(new Relationship(textOf(r.get("name"), p + ".name"), textOf(r.get("description"),
                    p + ".description")));
        }
        return out;
    }

    public AgentSpec relationships(List<Relationship> rs) {
        ArrayNode a = SpecJson.MAPPER.createArrayNode();
        for (Relationship r : rs) {
            a.addObject().put("name", r.name()).put("description", r.description());
        }
        persona.set("relationships", a);
        return this;
    }

    // ---- generic access

    /** The node at a key path, or null if any step is missing. */
    public JsonNode at(String... keys) {
        JsonNode n = persona;
        for (String k : keys) {
            if (n == null || !n.isObject()) {
                return null;
            }
            n = n.get(k);
        }
        return n;
    }

    public String text(String... keys) {
        return textOf(at(keys), path(keys));
    }

    public List<String> strings(String... keys) {
        JsonNode n = at(keys);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new SpecFormatException(path(keys), "expected a list of strings, got " + kind(n));
        }
        List<String> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            out.add(textOf(n.get(i), path(keys) + "[" + i + "]"));
        }
        return List.copyOf(out);
    }

    private static String textOf(JsonNode n, String p) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isNumber() || n.isBoolean()) {
            return n.asText();
        }
        throw new SpecFormatException(p, "expected a string, got " + kind(n));
    }

    static String kind(JsonNode n) {
        return n.isObject() ? "an object" : n.isArray() ? "a list" : n.isTextual() ? "a string"
                : n.isNumber() ? "a number" : n.isBoolean() ? "a boolean" : "null";
    }

    private ObjectNode parent(String[] keys) {
        ObjectNode o = persona;
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode c = o.get(keys[i]);
            if (c == null || c.isNull()) {
                c = o.putObject(keys[i]);
            } else if (!c.isObject()) {
                String[] sub = java.util.Arrays.copyOf(keys, i + 1);
                throw new SpecFormatException(path(sub), "expected an object, got " + kind(c));
            }
            o = (ObjectNode) c;
        }
        return o;
    }

    private AgentSpec put(String v, String... keys) {
        ObjectNode p = parent(keys);
        if (v == null) {
            p.putNull(keys[keys.length - 1]);
        } else {
            p.put(keys[keys.length - 1], v);
        }
        return this;
    }

    private AgentSpec putStrings(List<String> v, String... keys) {
        ArrayNode a = SpecJson.MAPPER.createArrayNode();
        v.forEach(a::add);
        parent(keys).set(keys[keys.length - 1], a);
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AgentSpec s && persona.equals(s.persona);
    }

    @Override
    public int hashCode() {
        return persona.hashCode();
    }

    @Override
    public String toString() {
        return SpecJson.pretty(persona);
    }
}
