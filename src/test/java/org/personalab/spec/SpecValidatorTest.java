package org.personalab.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.personalab.data.Sex;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Facet;
import org.personalab.inventory.Level;
import org.personalab.profile.Profile;
import org.personalab.profile.ScoredDataset;
import org.personalab.spec.Finding.Severity;

class SpecValidatorTest {

    private final SpecValidator validator = new SpecValidator();
    private final TemplateWriter writer = new TemplateWriter();

    @Test
    void templateSpecsValidateWithoutFindings() {
        ScoredDataset data = SpecTestData.dataset(50, 21);
        for (int row = 1; row < data.size(); row++) {
            Profile p = Profile.of(data, row);
            assertEquals(List.of(), validator.validate(writer.write(p), p), "row " + row);
        }
    }

    @Test
    void wrongAgeGenderLevelAndAMissingKeyGiveExactlyThoseFindings() {
        Profile p = SpecTestData.profile("5", Sex.FEMALE, 45, "USA", 1); // openness High
        AgentSpec s = writer.write(p);
        s.age(30).gender("Male").bigFive(Domain.O, "Low. Prefers the familiar.");
        s.node().remove("health");
        List<Finding> f = validator.validate(s, p);
        assertEquals(List.of(
                new Finding(Severity.ERROR, "$.persona.health", "missing"),
                new Finding(Severity.ERROR, "$.persona.age", "age 30 but the person is 45"),
                new Finding(Severity.ERROR, "$.persona.gender", "\"Male\" but the person is Female"),
                new Finding(Severity.ERROR, "$.persona.personality.big_five.openness",
                        "states Low but the person's level is High")), f);
        assertTrue(SpecValidator.hasErrors(f));
    }

    @Test
    void rangesAndNearMissesAreWarningsOrInfo() {
        Profile p = SpecTestData.profile("5", Sex.MALE, 45, "Canada", 2); // N (ordinal 30) = Medium
        assertEquals(Level.MEDIUM, p.level(Domain.N));
        AgentSpec s = writer.write(p);
        s.age(46).bigFive(Domain.N, "Low to Medium. Mostly calm.");
        List<Finding> f = validator.validate(s, p);
        assertEquals(List.of(Severity.INFO, Severity.WARNING), f.stream().map(Finding::severity).toList(), f.toString());
        assertFalse(SpecValidator.hasErrors(f));
        s.bigFive(Domain.N, "High to Very High. Anxious.");
        assertEquals("$.persona.personality.big_five.neuroticism", validator.validate(s, p).get(1).jsonPath());
        assertTrue(SpecValidator.hasErrors(validator.validate(s, p)));
    }

    @Test
    void facetLevelsMustMatch() {
        Profile p = SpecTestData.profile("5", Sex.MALE, 45, "UK", 0);
        AgentSpec s = writer.write(p);
        String wrong = p.level(Facet.E4) == Level.LOW ? "High" : "Low";
        s.facet(Facet.E4, wrong);
        ((com.fasterxml.jackson.databind.node.ObjectNode) s.node().get("personality").get("facets")).remove("anxiety");
        List<Finding> f = validator.validate(s, p);
        assertEquals(List.of("$.persona.personality.facets.activity_level", "$.persona.personality.facets.anxiety"),
                f.stream().map(Finding::jsonPath).sorted().toList());
    }

    @Test
    void shapeProblemsAreFindingsNotExceptions() {
        AgentSpec s = TinyTroupeFiles.parse("{\"name\": 3, \"age\": \"old\", \"occupation\": \"Baker\","
                + " \"relationships\": [\"Bob\"], \"skills\": [1]}").spec();
        List<Finding> f = validator.validate(s, SpecTestData.profile("1", Sex.MALE, 30, "USA", 0));
        assertTrue(f.contains(new Finding(Severity.ERROR, "$.name", "expected a string, got a number")), f.toString());
        assertTrue(f.contains(new Finding(Severity.ERROR, "$.age", "expected a whole number, got a string")));
        assertTrue(f.contains(new Finding(Severity.WARNING, "$.occupation",
                "a plain string, not {title, organization, description}")));
        assertTrue(f.contains(new Finding(Severity.ERROR, "$.relationships[0]",
                "expected an object {name, description}, got a string")));
        assertTrue(f.contains(new Finding(Severity.ERROR, "$.skills[0]", "expected a string, got a number")));
        assertTrue(f.contains(new Finding(Severity.ERROR, "$.personality.big_five.openness", "missing")));
    }

    @Test
    void countryMustBeMentioned() {
        Profile p = SpecTestData.profile("5", Sex.MALE, 45, "Australia", 0);
        AgentSpec s = writer.write(p).nationality("French").residence("Lyon");
        assertEquals(List.of(new Finding(Severity.WARNING, "$.persona.residence",
                "neither nationality nor residence mentions Australia")), validator.validate(s, p));
    }
}
