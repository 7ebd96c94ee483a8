package org.personalab.spec;

import static org.personalab.spec.TemplateLists.hash;
import static org.personalab.spec.TemplateLists.pick;

import java.util.ArrayList;
import java.util.List;
import org.personalab.data.AgeGroup;
import org.personalab.data.Sex;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Facet;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;
import org.personalab.profile.Profile;
import org.personalab.profile.PromptContext;

/**
 * The offline spec engine "template": a deterministic, rule-based writer that turns a complete {@link Profile} into
 * a TinyTroupe persona with every field filled. Big Five statements are "&lt;Level&gt;. &lt;phrase&gt;", the 30
 * facet levels go to {@code personality.facets} and one trait sentence per facet to {@code personality.traits}
 * (phrases from {@link PhraseTable}). Name, city, occupation and relationships are picked from small lists by a
 * stable hash of (sex, country, id), so the same profile always gives byte-identical JSON. No LLM, no randomness.
 */
public final class TemplateWriter {

    /** Version of these rules, recorded as the provenance's model. */
    public static final String RULES = "template-rules-v1";

    private final PhraseTable phrases;

    public TemplateWriter() {
        this(PhraseTable.standard());
    }

    public TemplateWriter(PhraseTable phrases) {
        this.phrases = phrases;
    }

    public static SpecProvenance provenance() {
        return SpecProvenance.template(RULES);
    }

    /** The spec and its provenance, ready for {@link TinyTroupeFiles#write(java.nio.file.Path, AgentFile)}. */
    public AgentFile writeFile(Profile p) {
        return AgentFile.of(write(p), provenance());
    }

    /** @throws IllegalArgumentException if the profile lacks sex, age, country or a level */
    public AgentSpec write(Profile p) {
        List<String> blank = PromptContext.of(p).blankVariables();
        if (!blank.isEmpty()) {
            throw new IllegalArgumentException("person " + p.id() + " has no " + String.join(", ", blank)
                    + ": the template engine needs a complete profile");
        }
        long h = hash(p.sex().label(), p.country(), p.id());
        String first = pick(TemplateLists.firstNames(p.country(), p.sex()), h);
        String last = pick(TemplateLists.country(p.country()).surnames(), h >>> 17);
        String city = TemplateLists.residence(p.country(), h >>> 29);
        AgeGroup ag = p.ageGroup();
        Job job = job(p, ag, h >>> 37);

        AgentSpec s = AgentSpec.empty();
        s.name(first + " " + last).age(p.age()).gender(p.sex().label())
                .nationality(TemplateLists.nationality(p.country())).residence(city)
                .education(education(ag, job, p));
        s.longTermGoals(goals(p, ag));
        s.occupation(new AgentSpec.Occupation(job.title, job.organization, job.description));
        s.style(style(p));
        s.traits(traits(p));
        for (Domain d : PromptContext.OCEAN) {
            s.bigFive(d, p.level(d).label() + ". " + phrases.phrase(Scale.of(d), p.level(d)));
        }
        for (Domain d : PromptContext.OCEAN) {
            for (Facet f : d.facets()) {
                s.facet(f, p.level(f).label());
            }
        }
        s.interests(interests(p, job)).likes(likes(p)).dislikes(dislikes(p));
        s.skills(List.of("You are competent at the everyday work of a " + job.title.toLowerCase() + ".",
                high(p, Facet.E3) ? "You can run a meeting and make a group decide." : "You listen carefully before you speak.",
                high(p, Facet.O5) ? "You pick up new technical subjects quickly." : "You are good with practical, hands-on tasks."));
        s.beliefs(beliefs(p));
        s.generalBehaviors(List.of(phrases.phrase(Scale.C2, p.level(Facet.C2)),
                phrases.phrase(Scale.C5, p.level(Facet.C5)), phrases.phrase(Scale.E2, p.level(Facet.E2))));
        routines(s, p, ag, job);
        s.health(health(p));
        s.relationships(relationships(p, ag, h >>> 43));
        s.otherFacts(List.of("You grew up in " + p.country() + " and live in " + city + ".",
                "You are " + p.age() + " years old (" + ag.label().toLowerCase() + ").",
                "Your personality description comes from your answers to a 120-item personality questionnaire."));
        return s;
    }

    private record Job(String title, String organization, String description, String place) {
    }

    private static Job job(Profile p, AgeGroup ag, long h) {
        return switch (ag) {
            case TEEN -> new Job("High school student", "a local secondary school",
                    "You are a student in your last years of school.", "school");
            case YOUNG_ADULT -> pick(List.of(
                    new Job("University student", "a public university", "You are studying for a degree and work part-time in a café.", "campus"),
                    new Job("Sales assistant", "a retail chain", "You work on the shop floor and help customers.", "shop"),
                    new Job("Junior administrator", "a regional council", "You handle paperwork and enquiries.", "office")), h);
            case SENIOR -> new Job("Retired", "none", "You are retired after a long working life and now have time for your own pursuits.", "home");
            default -> pick(high(p, Domain.O) ? List.of(
                    new Job("Graphic designer", "a small design studio", "You design print and web material for clients.", "studio"),
                    new Job("Secondary school teacher", "a public school", "You teach history and run a reading club.", "school"),
                    new Job("Research technician", "a university laboratory", "You run experiments and keep lab records.", "lab"))
                    : List.of(
                    new Job("Accountant", "a mid-sized accounting firm", "You prepare accounts and tax returns for small businesses.", "office"),
                    new Job("Nurse", "a regional hospital", "You care for patients on a general ward in shifts.", "hospital"),
                    new Job("Logistics coordinator", "a freight company", "You plan deliveries and solve scheduling problems.", "office"),
                    new Job("Electrician", "a building services company", "You install and repair electrical systems.", "site")), h);
        };
    }

    private static String education(AgeGroup ag, Job job, Profile p) {
        return switch (ag) {
            case TEEN -> "Currently in secondary school.";
            case YOUNG_ADULT -> job.title.startsWith("University") ? "Secondary school diploma; now studying at university."
                    : "Secondary school diploma.";
            default -> high(p, Facet.O5) ? "University degree, with continued reading and courses since."
                    : "Secondary school diploma and vocational training.";
        };
    }

    private static List<String> goals(Profile p, AgeGroup ag) {
        List<String> g = new ArrayList<>();
        g.add(high(p, Facet.C4) ? "To reach a position where your work is recognised as excellent."
                : "To have a stable, manageable life without too much pressure.");
        g.add(high(p, Facet.A3) ? "To be there for the people who depend on you." : "To keep enough time and money for yourself.");
        g.add(ag == AgeGroup.SENIOR ? "To stay healthy and independent." : high(p, Facet.O4)
                ? "To travel and live somewhere new for a while." : "To stay close to home and the people you know.");
        return g;
    }

    private String style(Profile p) {
        String tone = p.level(Domain.E).ordinal() >= Level.HIGH.ordinal() ? "Talkative and energetic"
                : p.level(Domain.E).ordinal() <= Level.LOW.ordinal() ? "Quiet and brief" : "Conversational and measured";
        String manner = p.level(Domain.A).ordinal() >= Level.HIGH.ordinal() ? "warm and polite"
                : p.level(Domain.A).ordinal() <= Level.LOW.ordinal() ? "blunt and direct" : "friendly but frank";
        String mood = p.level(Domain.N).ordinal() >= Level.HIGH.ordinal() ? "often voices worries"
                : "keeps an even tone";
        return tone + "; " + manner + "; " + mood + ".";
    }

    private List<String> traits(Profile p) {
        List<String> t = new ArrayList<>(30);
        for (Domain d : PromptContext.OCEAN) {
            for (Facet f : d.facets()) {
                t.add(phrases.phrase(Scale.of(f), p.level(f)));
            }
        }
        return t;
    }

    private static List<String> interests(Profile p, Job job) {
        List<String> i = new ArrayList<>();
        i.add(high(p, Facet.O2) ? "Art galleries, music and literature." : "Sport on television and local news.");
        i.add(high(p, Facet.O5) ? "Popular science and history books." : "Cooking and home improvement.");
        i.add(high(p, Facet.E5) ? "Adventure sports and festivals." : "Walks, gardening and quiet hobbies.");
        i.add("Things related to your work as " + article(job.title) + ".");
        return i;
    }

    private static List<String> likes(Profile p) {
        return List.of(high(p, Facet.E2) ? "Busy gatherings with many friends." : "Evenings at home or with one close friend.",
                high(p, Facet.C2) ? "A tidy, well-planned week." : "Days without a fixed plan.",
                high(p, Facet.E6) ? "Jokes and lively conversation." : "Calm, serious conversations.");
    }

    private static List<String> dislikes(Profile p) {
        return List.of(high(p, Facet.O4) ? "Doing the same thing every day." : "Sudden changes of plan.",
                high(p, Facet.A4) ? "Arguments and raised voices." : "Being told what to do without a reason.",
                high(p, Facet.N1) ? "Uncertainty about money or health." : "People who fuss over small problems.");
    }

    private static List<String> beliefs(Profile p) {
        return List.of(high(p, Facet.O6) ? "Rules and traditions should change when they no longer make sense."
                        : "Traditions and established rules hold society together.",
                high(p, Facet.A1) ? "Most people are decent if you give them a chance." : "People usually look after themselves first.",
                high(p, Facet.A2) ? "Honesty matters even when it costs you." : "A little diplomacy with the truth is part of life.",
                high(p, Facet.C3) ? "A promise is a promise." : "Plans and promises can be renegotiated.");
    }

    private static void routines(AgentSpec s, Profile p, AgeGroup ag, Job job) {
        boolean early = high(p, Facet.C5) || high(p, Facet.E4);
        s.routine(AgentSpec.Routine.MORNING, List.of(early ? "Wakes early and starts the day quickly." : "Gets up late and takes the morning slowly.",
                high(p, Facet.C2) ? "Checks the day's plan over breakfast." : "Skips breakfast when in a hurry."));
        s.routine(AgentSpec.Routine.WORKDAY, ag == AgeGroup.SENIOR
                ? List.of("Runs errands and keeps up with household tasks.", "Spends the afternoon on a hobby.")
                : List.of("Spends the day at the " + job.place + ".",
                        high(p, Facet.E2) ? "Chats with others during breaks." : "Takes breaks alone."));
        s.routine(AgentSpec.Routine.EVENING, List.of(high(p, Facet.E2) ? "Often meets friends in the evening." : "Spends most evenings at home.",
                high(p, Facet.O2) ? "Reads or listens to music before bed." : "Watches television before bed."));
        s.routine(AgentSpec.Routine.WEEKEND, List.of(high(p, Facet.E5) ? "Looks for something new and exciting to do." : "Keeps weekends calm and familiar.",
                high(p, Facet.A3) ? "Helps family or neighbours with something." : "Catches up on personal projects."));
    }

    private static String health(Profile p) {
        String base = high(p, Facet.E4) ? "Generally fit and active" : "Average health with a mostly sedentary routine";
        String stress = p.level(Domain.N).ordinal() >= Level.HIGH.ordinal() ? "; stress sometimes disturbs your sleep"
                : "; you sleep well";
        String urges = high(p, Facet.N5) ? "; you find it hard to cut back on treats." : ".";
        return base + stress + urges;
    }

    private static List<AgentSpec.Relationship> relationships(Profile p, AgeGroup ag, long h) {
        Sex other = p.sex() == Sex.FEMALE ? Sex.MALE : Sex.FEMALE;
        String friend = pick(TemplateLists.firstNames(p.country(), p.sex()), h + 1);
        String relative = pick(TemplateLists.firstNames(p.country(), other), h + 2);
        String kin = ag == AgeGroup.TEEN || ag == AgeGroup.YOUNG_ADULT ? "Your sibling" : "Your partner";
        return List.of(new AgentSpec.Relationship(friend, "Your close friend for many years."),
                new AgentSpec.Relationship(relative, kin + ", whom you see often."));
    }

    private static boolean high(Profile p, Facet f) {
        return p.level(f).ordinal() >= Level.HIGH.ordinal();
    }

    private static boolean high(Profile p, Domain d) {
        return p.level(d).ordinal() >= Level.HIGH.ordinal();
    }

    private static String article(String title) {
        String t = title.toLowerCase();
        return ("aeiou".indexOf(t.charAt(0)) >= 0 ? "an " : "a ") + t;
    }
}
