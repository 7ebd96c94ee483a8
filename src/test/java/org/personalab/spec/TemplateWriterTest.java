package org.personalab.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.data.Sex;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Facet;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;
import org.personalab.profile.Profile;
import org.personalab.profile.PromptContext;
import org.personalab.profile.ScoredDataset;

class TemplateWriterTest {

    private final TemplateWriter writer = new TemplateWriter();

    @Test
    void fillsEveryTinyTroupeFieldInOrder() {
        AgentSpec s = writer.write(SpecTestData.profile("42", Sex.FEMALE, 34, "USA", 0));
        List<String> keys = new ArrayList<>();
        s.node().fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("name", "age", "gender", "nationality", "residence", "education", "long_term_goals",
                "occupation", "style", "personality", "preferences", "skills", "beliefs", "behaviors", "health",
                "relationships", "other_facts"), keys);
        assertEquals(34, s.age());
        assertEquals("Female", s.gender());
        assertEquals("American", s.nationality());
        assertTrue(s.residence().endsWith(", USA"), s.residence());
        assertEquals(30, s.traits().size());
        for (AgentSpec.Routine r : AgentSpec.Routine.values()) {
            assertTrue(!s.routine(r).isEmpty(), r.key());
        }
        assertEquals(2, s.relationships().size());
        assertTrue(s.node().get("personality").get("facets").size() == 30);
        assertEquals(List.of(), new SpecValidator().validate(s), "shape is complete");
    }

    @Test
    void bigFiveAndFacetsFollowTheLevels() {
        Profile p = SpecTestData.profile("7", Sex.MALE, 52, "Canada", 1);
        AgentSpec s = writer.write(p);
        PhraseTable t = PhraseTable.standard();
        for (Domain d : Domain.values()) {
            assertEquals(p.level(d).label() + ". " + t.phrase(Scale.of(d), p.level(d)), s.bigFive(d));
        }
        for (Facet f : Facet.values()) {
            assertEquals(p.level(f).label(), s.facet(f), f.name());
        }
        assertTrue(s.traits().contains(t.phrase(Scale.E4, p.level(Facet.E4))));
        assertEquals(Level.HIGH, p.level(Domain.O), "shift 1 puts O (ordinal 32) at High");
        assertTrue(s.bigFive(Domain.O).startsWith("High. "));
    }

    @Test
    void sameInputGivesByteIdenticalJson(@TempDir Path dir) throws IOException {
        ScoredDataset data = SpecTestData.dataset(40, 5);
        Profile p = Profile.of(data, 9);
        Path a = dir.resolve("a.agent.json");
        Path b = dir.resolve("b.agent.json");
        TinyTroupeFiles.write(a, writer.writeFile(p));
        TinyTroupeFiles.write(b, new TemplateWriter().writeFile(Profile.of(data, 9)));
        assertEquals(-1L, Files.mismatch(a, b));
        AgentFile back = TinyTroupeFiles.read(a);
        assertEquals(SpecProvenance.TEMPLATE_ENGINE, back.provenance().engine());
        assertTrue(!back.spec().node().has("spec_meta") && !back.spec().node().has("engine"),
                "provenance stays out of the persona");
    }

    @Test
    void namesDependOnSexCountryAndId() {
        var names = new HashSet<String>();
        for (int i = 0; i < 20; i++) {
            names.add(writer.write(SpecTestData.profile("id" + i, Sex.MALE, 30, "UK", 0)).name());
        }
        assertTrue(names.size() > 5, "ids spread over the lists: " + names);
        String fi = writer.write(SpecTestData.profile("1", Sex.FEMALE, 30, "Finland", 0)).name();
        assertTrue(List.of("Virtanen", "Korhonen", "Nieminen", "Mäkinen", "Heikkinen", "Laine")
                .contains(fi.substring(fi.indexOf(' ') + 1)), fi);
        AgentSpec other = writer.write(SpecTestData.profile("1", Sex.MALE, 30, "Slovenia", 0));
        assertEquals("From Slovenia", other.nationality());
        assertNotEquals(writer.write(SpecTestData.profile("1", Sex.MALE, 30, "UK", 0)).name(),
                writer.write(SpecTestData.profile("1", Sex.FEMALE, 30, "UK", 0)).name());
    }

    @Test
    void occupationFitsTheAgeGroup() {
        assertEquals("High school student", writer.write(SpecTestData.profile("1", Sex.MALE, 16, "USA", 0)).occupation().title());
        assertEquals("Retired", writer.write(SpecTestData.profile("1", Sex.FEMALE, 70, "USA", 0)).occupation().title());
        assertTrue(writer.write(SpecTestData.profile("1", Sex.FEMALE, 70, "USA", 0)).routine(AgentSpec.Routine.WORKDAY)
                .getFirst().contains("errands"));
    }

    @Test
    void refusesAnIncompleteProfile() {
        ScoredDataset data = SpecTestData.dataset(10, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> writer.write(Profile.of(data, 0)));
        assertTrue(e.getMessage().contains("activity_level"), e.getMessage());
    }

    @Test
    void phraseTableIsCompleteAndDistinctPerScale() {
        PhraseTable t = PhraseTable.standard();
        for (Scale s : Scale.values()) {
            var seen = new HashSet<String>();
            for (Level l : Level.values()) {
                assertTrue(seen.add(t.phrase(s, l)), s + " " + l);
            }
        }
        assertEquals("activity_level", PromptContext.key(Facet.E4));
    }

    @Test
    void everyWrittenSpecIsValidJsonOfTheFileFormat() {
        ScoredDataset data = SpecTestData.dataset(30, 9);
        for (int row = 1; row < data.size(); row++) {
            AgentFile f = writer.writeFile(Profile.of(data, row));
            JsonNode back = TinyTroupeFiles.parse(TinyTroupeFiles.format(f)).spec().node();
            assertEquals(f.spec().node(), back);
        }
    }
}
