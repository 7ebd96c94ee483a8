package org.personalab.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.personalab.data.AgeGroup;
import org.personalab.data.Sex;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Facet;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;
import org.personalab.spec.SpecTestData;

class ProfileTest {

    private final ScoredDataset data = SpecTestData.dataset(60, 7);

    @Test
    void copiesDemographicsScoresAndLevelsOfTheRow() {
        for (int row = 1; row < data.size(); row++) {
            Profile p = Profile.of(data, row);
            assertEquals(data.responses().id(row), p.id());
            assertEquals(data.responses().sex(row), p.sex());
            assertEquals(data.responses().age(row), p.age());
            assertEquals(data.responses().country(row), p.country());
            assertEquals(data.normGroup(row).label(), p.group());
            for (Scale s : Scale.values()) {
                assertEquals(data.score(row, s), p.score(s), s.name());
                assertEquals(data.level(row, s), p.level(s), s.name());
            }
            assertEquals(p.level(Scale.E4), p.level(Facet.E4));
            assertEquals(p.level(Scale.C), p.level(Domain.C));
            assertEquals(AgeGroup.of(p.age()), p.ageGroup());
            assertTrue(p.isComplete(), "row " + row);
        }
    }

    @Test
    void unscoredPersonHasNoLevelsAndIsIncomplete() {
        Profile p = Profile.of(data, 0);
        assertNull(p.level(Scale.N));
        assertTrue(Float.isNaN(p.score(Scale.N1)));
        assertFalse(p.isComplete());
    }

    @Test
    void isImmutableAndComparesByValue() {
        Profile a = Profile.of(data, 3);
        Level[] levels = a.levels();
        levels[0] = levels[0] == Level.LOW ? Level.HIGH : Level.LOW;
        assertNotEquals(levels[0], a.level(Scale.N1), "the accessor returns a copy");
        assertEquals(a, Profile.of(data, 3));
        assertEquals(a.hashCode(), Profile.of(data, 3).hashCode());
        assertNotEquals(a, Profile.of(data, 4));
    }

    @Test
    void rejectsBadShapesAndRows() {
        assertThrows(IndexOutOfBoundsException.class, () -> Profile.of(data, data.size()));
        assertThrows(IllegalArgumentException.class,
                () -> Profile.ofLevels("x", Sex.MALE, 30, "USA", new Level[5]));
        Profile blankCountry = SpecTestData.profile("x", Sex.FEMALE, 30, "  ", 0);
        assertEquals("", blankCountry.country());
        assertFalse(blankCountry.isComplete());
        assertFalse(SpecTestData.profile("x", Sex.UNKNOWN, 30, "USA", 0).isComplete());
        assertTrue(SpecTestData.profile("x", Sex.MALE, 30, "USA", 0).isComplete());
    }
}
