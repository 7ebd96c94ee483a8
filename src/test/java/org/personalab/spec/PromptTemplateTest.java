package org.personalab.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.personalab.data.Sex;
import org.personalab.inventory.Facet;
import org.personalab.profile.Profile;
import org.personalab.profile.PromptContext;
import org.personalab.profile.ScoredDataset;

class PromptTemplateTest {

    @Test
    void defaultTemplateRendersEveryVariable() {
        Profile p = SpecTestData.profile("3", Sex.FEMALE, 29, "Singapore", 4);
        String out = PromptTemplate.defaultSpecPrompt().render(PromptContext.of(p));
        assertFalse(out.contains("{{"), out);
        assertTrue(out.contains("Activity Level: " + p.level(Facet.E4).label()), out);
        assertTrue(out.contains("- Age: 29") && out.contains("- Sex: Female") && out.contains("- Country: Singapore"));
        for (Facet f : Facet.values()) {
            assertTrue(out.contains(f.displayName() + ": " + p.level(f).label()), f.displayName());
        }
        assertTrue(out.contains("\"activity_level\": \"\""), "the output skeleton asks for the facet levels");
    }

    @Test
    void unknownAndBlankVariablesAreErrors() {
        PromptTemplate t = new PromptTemplate("t", "Hi {{name}}, {{ active_level }} and {{age}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.render(Map.of("name", "Ann", "age", " ")));
        assertEquals("t: unknown variables [active_level]; blank variables [age]", e.getMessage());
        assertEquals("Hi A$1\\, x and 3", t.render(Map.of("name", "A$1\\", "active_level", "x", "age", "3")));
    }

    @Test
    void anUnscoredPersonCannotBeRendered() {
        ScoredDataset data = SpecTestData.dataset(10, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PromptTemplate.defaultSpecPrompt().render(PromptContext.of(Profile.of(data, 0))));
        assertTrue(e.getMessage().contains("activity_level"), e.getMessage());
    }
}
