package org.personalab.judge;

import org.personalab.data.Sex;
import org.personalab.inventory.Facet;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;
import org.personalab.profile.Profile;
import org.personalab.spec.AgentSpec;
import org.personalab.spec.TemplateWriter;

/** Small hand-made people and specs for the judge tests. */
final class JudgeTestData {

    private JudgeTestData() {
    }

    /** A complete profile with a spread of levels (scale i gets level i mod 5). */
    static Profile person(String id) {
        Level[] levels = new Level[Scale.COUNT];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = Level.values()[i % 5];
        }
        return Profile.ofLevels(id, Sex.FEMALE, 34, "Germany", levels);
    }

    /** The template writer's spec of the person: every stated level right. */
    static AgentSpec faithful(Profile p) {
        return new TemplateWriter().write(p);
    }

    /** The faithful spec with {@code n} facet levels moved one step (towards Medium where possible). */
    static AgentSpec offBy(Profile p, int n) {
        AgentSpec s = faithful(p);
        for (int i = 0; i < n; i++) {
            Facet f = Facet.values()[i];
            Level l = p.level(f);
            Level moved = l.ordinal() < 2 ? Level.values()[l.ordinal() + 1] : Level.values()[l.ordinal() - 1];
            s.facet(f, moved.label());
        }
        return s;
    }

    static JudgeInput input(Profile p, AgentSpec a, AgentSpec b) {
        return new JudgeInput(new SpecPair(1, 2, 7, "run 1", "run 2"), p, a, b);
    }
}
