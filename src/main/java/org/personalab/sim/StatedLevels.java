package org.personalab.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Facet;
import org.personalab.inventory.Level;
import org.personalab.profile.PromptContext;
import org.personalab.spec.AgentSpec;
import org.personalab.spec.SpecFormatException;

/**
 * The trait levels a spec states: each facet's level from {@code personality.facets}, else the level its domain's
 * Big Five statement opens with ("High. Very creative…", read as {@code SpecValidator} reads it), else Medium. Which
 * facets fell back to their domain, and which domains stated no level, is recorded: the psychometric respondent's
 * answers for them rest on less than the spec could have said.
 *
 * @param facets level per facet, in {@link Facet} order
 * @param fromDomain facets whose level was taken from their domain's statement
 * @param assumed domains without a readable level (their facets without one are taken as Medium)
 */
public record StatedLevels(Level[] facets, List<Facet> fromDomain, List<Domain> assumed) {

    private static final String LEVEL = "(very\\s+low|very\\s+high|low|medium|moderate|average|high)";
    private static final Pattern LEADING = Pattern.compile("^\\W*" + LEVEL + "(?:\\s*(?:to|-|–|/)\\s*" + LEVEL
            + ")?\\b", Pattern.CASE_INSENSITIVE);

    public StatedLevels {
        facets = facets.clone();
        fromDomain = List.copyOf(fromDomain);
        assumed = List.copyOf(assumed);
    }

    public Level level(Facet f) {
        return facets[f.ordinal()];
    }

    @Override
    public Level[] facets() {
        return facets.clone();
    }

    /** Reads the levels stated by {@code spec}; never throws on a malformed spec (what cannot be read falls back). */
    public static StatedLevels of(AgentSpec spec) {
        Level[] out = new Level[30];
        List<Facet> fromDomain = new ArrayList<>();
        List<Domain> assumed = new ArrayList<>();
        for (Domain d : Domain.values()) {
            Level domain = null;
            try {
                domain = statement(spec.bigFive(d));
            } catch (SpecFormatException e) {
                // unreadable: falls back like a missing statement
            }
            for (Facet f : d.facets()) {
                Level l = null;
                try {
                    l = word(spec.facet(f));
                } catch (SpecFormatException e) {
                    // unreadable facet level
                }
                if (l == null) {
                    fromDomain.add(f);
                    if (domain == null && !assumed.contains(d)) {
                        assumed.add(d);
                    }
                    l = domain == null ? Level.MEDIUM : domain;
                }
                out[f.ordinal()] = l;
            }
        }
        return new StatedLevels(out, fromDomain, assumed);
    }

    /** The level a Big Five statement opens with; a range ("Low to Medium") gives its middle, rounded toward Medium. */
    static Level statement(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = LEADING.matcher(text);
        if (!m.find()) {
            return null;
        }
        Level a = word(m.group(1));
        if (m.group(2) == null) {
            return a;
        }
        Level b = word(m.group(2));
        double mid = (a.ordinal() + b.ordinal()) / 2.0;
        int k = mid < 2 ? (int) Math.ceil(mid) : (int) Math.floor(mid);
        return Level.values()[k];
    }

    private static Level word(String w) {
        if (w == null || w.isBlank()) {
            return null;
        }
        String s = w.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").replaceAll("[.!]+$", "");
        return switch (s) {
            case "moderate", "average" -> Level.MEDIUM;
            default -> {
                try {
                    yield Level.parse(s);
                } catch (IllegalArgumentException e) {
                    yield null;
                }
            }
        };
    }

    /** "N1 Anxiety from domain Neuroticism" lines for run outputs. */
    public List<String> notes() {
        List<String> n = new ArrayList<>();
        for (Facet f : fromDomain) {
            n.add(f.name() + " from " + (assumed.contains(f.domain()) ? "nothing (Medium assumed)"
                    : "the " + PromptContext.key(f.domain()) + " statement"));
        }
        return n;
    }
}
