package org.personalab.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.personalab.data.Sex;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Facet;
import org.personalab.spec.SpecTestData;

class PromptContextTest {

    @Test
    void noVariableIsBlankForACompleteProfile() {
        ScoredDataset data = SpecTestData.dataset(80, 11);
        for (int row = 1; row < data.size(); row++) {
            Profile p = Profile.of(data, row);
            PromptContext c = PromptContext.of(p);
            assertEquals(List.of(), c.blankVariables(), "row " + row);
            assertEquals(3 + 5 + 30, c.variables().size());
            for (Map.Entry<String, String> e : c.variables().entrySet()) {
                assertFalse(e.getValue().isBlank(), e.getKey());
            }
            assertEquals(p.level(Facet.E4).label(), c.get("activity_level"));
            assertEquals(p.sex().label(), c.get("sex"));
        }
    }

    @Test
    void activityLevelAndOtherFacetNamesAreSnakeCase() {
        // the seed's bug: its template said {{activity_level}} but the context held "active_level"
        Profile p = SpecTestData.profile("1", Sex.FEMALE, 34, "USA", 2);
        PromptContext c = PromptContext.of(p);
        assertEquals(p.level(Facet.E4).label(), c.get("activity_level"));
        assertEquals(p.level(Facet.E5).label(), c.get("excitement_seeking"));
        assertEquals(p.level(Facet.N4).label(), c.get("self_consciousness"));
        assertEquals(p.level(Facet.C4).label(), c.get("achievement_striving"));
        assertEquals(p.level(Facet.O2).label(), c.get("artistic_interests"));
        assertEquals(p.level(Facet.N1).label(), c.get("anxiety"));
        assertEquals("activity_level", PromptContext.key(Facet.E4));
        assertEquals(null, c.get("active_level"));
    }

    @Test
    void variablesComeInAFixedOrder() {
        PromptContext c = PromptContext.of(SpecTestData.profile("1", Sex.MALE, 50, "Canada", 0));
        List<String> keys = new ArrayList<>(c.variables().keySet());
        assertEquals(List.of("age", "sex", "country", "openness", "conscientiousness", "extraversion",
                "agreeableness", "neuroticism", "imagination"), keys.subList(0, 9));
        assertEquals("cautiousness", keys.get(3 + 5 + 11), "conscientiousness facets follow openness facets");
        assertEquals("cheerfulness", keys.get(3 + 5 + 17));
        assertEquals("vulnerability", keys.getLast());
        assertEquals("50", c.get("age"));
        assertEquals("Male", c.get("sex"));
        assertEquals("Canada", c.get("country"));
        for (Domain d : Domain.values()) {
            assertTrue(c.variables().containsKey(PromptContext.key(d)));
        }
    }

    @Test
    void unknownValuesAreBlankNotPlaceholders() {
        ScoredDataset data = SpecTestData.dataset(20, 3);
        PromptContext c = PromptContext.of(Profile.of(data, 0));
        assertEquals(38, c.blankVariables().size(), "age, sex, country and all 35 levels are unknown");
        assertTrue(c.blankVariables().contains("activity_level"));
        assertEquals(List.of("sex"),
                PromptContext.of(SpecTestData.profile("1", Sex.UNKNOWN, 40, "UK", 1)).blankVariables());
    }
}
