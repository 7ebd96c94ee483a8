package org.personalab.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.personalab.data.Sex;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Facet;
import org.personalab.inventory.Level;
import org.personalab.profile.Profile;
import org.personalab.profile.PromptContext;
import org.personalab.spec.Finding.Severity;

/**
 * Checks a spec: its JSON shape (TinyTroupe's required keys and their types) and, against the person it should
 * describe, its meaning: age (exact, or 1 year off as INFO), gender against sex, country named in nationality or
 * residence, each Big Five statement opening with the target level ("Low to Medium" style ranges that include the
 * target are warnings), and each facet level. Never throws on a malformed spec: every problem is a finding.
 */
public final class SpecValidator {

    private static final String[] STRINGS = {"name", "gender", "nationality", "residence", "education", "style",
            "health"};
    private static final String[][] STRING_LISTS = {{"long_term_goals"}, {"personality", "traits"},
            {"preferences", "interests"}, {"preferences", "likes"}, {"preferences", "dislikes"}, {"skills"},
            {"beliefs"}, {"behaviors", "general"}, {"behaviors", "routines", "morning"},
            {"behaviors", "routines", "workday"}, {"behaviors", "routines", "evening"},
            {"behaviors", "routines", "weekend"}, {"other_facts"}};
    private static final String LEVEL = "(very\\s+low|very\\s+high|low|medium|moderate|average|high)";
    private static final Pattern LEADING = Pattern.compile("^\\W*" + LEVEL + "(?:\\s*(?:to|-|–|/)\\s*" + LEVEL
            + ")?\\b", Pattern.CASE_INSENSITIVE);

    /** Shape checks only. */
    public List<Finding> validate(AgentSpec spec) {
        return validate(spec, null);
    }

    /** Shape checks, plus meaning checks against {@code person} when it is not null. */
    public List<Finding> validate(AgentSpec spec, Profile person) {
        List<Finding> out = new ArrayList<>();
        shape(spec, out);
        if (person != null) {
            meaning(spec, person, out);
        }
        return out;
    }

    public static boolean hasErrors(List<Finding> findings) {
        return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
    }

    // ---- shape

    private static void shape(AgentSpec s, List<Finding> out) {
        for (String k : STRINGS) {
            expect(s, out, Kind.STRING, k);
        }
        JsonNode age = s.at("age");
        if (age == null || age.isNull()) {
            out.add(error(s.path("age"), "missing"));
        } else if (!age.isIntegralNumber()) {
            try {
                s.age();
                out.add(new Finding(Severity.WARNING, s.path("age"), "a number written as a string"));
            } catch (SpecFormatException e) {
                out.add(error(s.path("age"), "expected a whole number, got " + AgentSpec.kind(age)));
            }
        }
        JsonNode occ = s.at("occupation");
        if (occ != null && occ.isTextual()) {
            out.add(new Finding(Severity.WARNING, s.path("occupation"), "a plain string, not {title, organization, description}"));
        } else if (expect(s, out, Kind.OBJECT, "occupation")) {
            for (String k : new String[] {"title", "organization", "description"}) {
                expect(s, out, Kind.STRING, "occupation", k);
            }
        }
        for (String[] path : STRING_LISTS) {
            if (expect(s, out, Kind.LIST, path)) {
                JsonNode a = s.at(path);
                for (int i = 0; i < a.size(); i++) {
                    if (!a.get(i).isTextual()) {
                        out.add(error(s.path(path) + "[" + i + "]", "expected a string, got " + AgentSpec.kind(a.get(i))));
                    }
                }
            }
        }
        for (Domain d : PromptContext.OCEAN) {
            expect(s, out, Kind.STRING, "personality", "big_five", PromptContext.key(d));
        }
        if (expect(s, out, Kind.LIST, "relationships")) {
            JsonNode a = s.at("relationships");
            for (int i = 0; i < a.size(); i++) {
                String p = s.path("relationships") + "[" + i + "]";
                JsonNode r = a.get(i);
                if (!r.isObject()) {
                    out.add(error(p, "expected an object {name, description}, got " + AgentSpec.kind(r)));
                    continue;
                }
                for (String k : new String[] {"name", "description"}) {
                    if (r.get(k) == null || !r.get(k).isTextual()) {
                        out.add(error(p + "." + k, r.get(k) == null ? "missing" : "expected a string"));
                    }
                }
            }
        }
    }

    private enum Kind {
        STRING, LIST, OBJECT
    }

    /** Adds a finding if the value is missing, blank or of the wrong kind; true when it is usable. */
    private static boolean expect(AgentSpec s, List<Finding> out, Kind kind, String... keys) {
        JsonNode n = s.at(keys);
        String p = s.path(keys);
        if (n == null || n.isNull()) {
            out.add(error(p, "missing"));
            return false;
        }
        boolean ok = switch (kind) {
            case STRING -> n.isTextual();
            case LIST -> n.isArray();
            case OBJECT -> n.isObject();
        };
        if (!ok) {
            out.add(error(p, "expected " + (kind == Kind.STRING ? "a string" : kind == Kind.LIST ? "a list"
                    : "an object") + ", got " + AgentSpec.kind(n)));
            return false;
        }
        if (kind == Kind.STRING && n.asText().isBlank()) {
            out.add(error(p, "blank"));
            return false;
        }
        return true;
    }

    private static Finding error(String path, String message) {
        return new Finding(Severity.ERROR, path, message);
    }

    // ---- meaning

    private static void meaning(AgentSpec s, Profile person, List<Finding> out) {
        Integer age = null;
        try {
            age = s.age();
        } catch (SpecFormatException e) {
            // reported by the shape check
        }
        if (age != null && person.age() > 0) {
            int diff = Math.abs(age - person.age());
            if (diff == 1) {
                out.add(new Finding(Severity.INFO, s.path("age"), "age " + age + " is one year off the person's " + person.age()));
            } else if (diff > 1) {
                out.add(error(s.path("age"), "age " + age + " but the person is " + person.age()));
            }
        }
        String gender = textOrNull(s.at("gender"));
        if (gender != null && !gender.isBlank() && person.sex() != Sex.UNKNOWN) {
            Sex g = genderSex(gender);
            if (g == null) {
                out.add(new Finding(Severity.WARNING, s.path("gender"), "cannot tell whether \"" + gender
                        + "\" agrees with the person's sex (" + person.sex().label() + ")"));
            } else if (g != person.sex()) {
                out.add(error(s.path("gender"), "\"" + gender + "\" but the person is " + person.sex().label()));
            }
        }
        if (!person.country().isBlank()) {
            String c = person.country().toLowerCase(Locale.ROOT);
            String nat = String.valueOf(textOrNull(s.at("nationality"))).toLowerCase(Locale.ROOT);
            String res = String.valueOf(textOrNull(s.at("residence"))).toLowerCase(Locale.ROOT);
            String adj = TemplateLists.nationality(person.country()).toLowerCase(Locale.ROOT);
            if (!nat.contains(c) && !res.contains(c) && !nat.contains(adj)) {
                out.add(new Finding(Severity.WARNING, s.path("residence"), "neither nationality nor residence mentions "
                        + person.country()));
            }
        }
        for (Domain d : PromptContext.OCEAN) {
            String text = textOrNull(s.at("personality", "big_five", PromptContext.key(d)));
            if (text != null && person.level(d) != null) {
                checkStatement(s.path("personality", "big_five", PromptContext.key(d)), text, person.level(d), out);
            }
        }
        JsonNode facets = s.at("personality", "facets");
        if (facets == null || !facets.isObject()) {
            out.add(new Finding(Severity.WARNING, s.path("personality", "facets"), "no facet levels"));
            return;
        }
        for (Domain d : PromptContext.OCEAN) {
            for (Facet f : d.facets()) {
                String p = s.path("personality", "facets", PromptContext.key(f));
                String v = textOrNull(facets.get(PromptContext.key(f)));
                Level target = person.level(f);
                if (target == null) {
                    continue;
                }
                if (v == null) {
                    out.add(error(p, "missing"));
                } else if (!target.label().equalsIgnoreCase(v.strip())) {
                    out.add(error(p, "\"" + v + "\" but the person's level is " + target.label()));
                }
            }
        }
    }

    private static void checkStatement(String path, String text, Level target, List<Finding> out) {
        Matcher m = LEADING.matcher(text);
        if (m.find()) {
            Level a = level(m.group(1));
            Level b = m.group(2) == null ? null : level(m.group(2));
            if (b == null && a == target) {
                return;
            }
            if (b != null && within(target, a, b)) {
                out.add(new Finding(Severity.WARNING, path, "a range (\"" + m.group().strip() + "\") that includes "
                        + target.label() + "; state the level exactly"));
                return;
            }
            out.add(error(path, "states " + m.group().strip() + " but the person's level is " + target.label()));
        } else if (text.toLowerCase(Locale.ROOT).contains(target.label().toLowerCase(Locale.ROOT))) {
            out.add(new Finding(Severity.WARNING, path, "mentions " + target.label() + " but does not start with it"));
        } else {
            out.add(error(path, "does not state a level; the person's level is " + target.label()));
        }
    }

    private static boolean within(Level t, Level a, Level b) {
        int lo = Math.min(a.ordinal(), b.ordinal());
        int hi = Math.max(a.ordinal(), b.ordinal());
        return t.ordinal() >= lo && t.ordinal() <= hi;
    }

    private static Level level(String word) {
        String w = word.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        return switch (w) {
            case "moderate", "average" -> Level.MEDIUM;
            default -> Level.parse(w);
        };
    }

    private static Sex genderSex(String gender) {
        String g = gender.strip().toLowerCase(Locale.ROOT);
        if (g.matches(".*\\b(female|woman|girl|f)\\b.*")) {
            return Sex.FEMALE;
        }
        if (g.matches(".*\\b(male|man|boy|m)\\b.*")) {
            return Sex.MALE;
        }
        return null;
    }

    private static String textOrNull(JsonNode n) {
        return n == null || !n.isTextual() ? null : n.asText();
    }
}
