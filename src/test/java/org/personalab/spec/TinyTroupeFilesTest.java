package org.personalab.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.inventory.Domain;

class TinyTroupeFilesTest {

    /** Abbreviated from TinyTroupe's examples/agents/Oscar.agent.json, plus keys our schema does not know. */
    static final String OSCAR = """
            { "type": "TinyPerson",
              "persona": {
                "name": "Oscar", "age": 30, "gender": "Male", "nationality": "German", "residence": "Germany",
                "education": "Technical University of Munich, Master's in Architecture.",
                "long_term_goals": ["To design innovative and sustainable architectural solutions.", "To have a family."],
                "occupation": {"title": "Architect", "organization": "Awesome Inc.", "description": "You are an architect."},
                "style": "Warm and approachable with a professional edge.",
                "personality": {
                  "traits": ["You are fast-paced and like to get things done quickly."],
                  "big_five": {"openness": "High. Very creative and open to new experiences.",
                               "conscientiousness": "High. Extremely organized and diligent.",
                               "extraversion": "Medium. Friendly and approachable, but values quiet time.",
                               "agreeableness": "Medium. Cooperative but stands firm on important matters.",
                               "neuroticism": "Low. Stays calm under pressure."},
                  "mbti": "ENTJ"},
                "preferences": {"interests": ["Modernist architecture"], "likes": ["Clean lines"], "dislikes": ["Clutter"]},
                "skills": ["You are very familiar with AutoCAD."],
                "beliefs": ["Sustainability is the future of architecture."],
                "behaviors": {"general": ["Taps his pen when thinking."],
                              "routines": {"morning": ["Wakes at 6:00 AM."], "workday": ["Meets clients."],
                                           "evening": ["Reads."], "weekend": ["Hikes."]}},
                "health": "Good health with an active lifestyle.",
                "relationships": [{"name": "Richard", "description": "Your colleague."},
                                  {"name": "John", "description": "Your boss."}],
                "other_facts": ["You grew up in a small town in Bavaria."],
                "projects": [{"name": "Tower", "year": 2020}]
              },
              "mental_faculties": [] }
            """;

    @Test
    void readsATinyTroupeExample(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("Oscar.agent.json");
        Files.writeString(f, OSCAR);
        AgentFile af = TinyTroupeFiles.read(f);
        AgentSpec s = af.spec();
        assertEquals("Oscar", s.name());
        assertEquals(30, s.age());
        assertEquals("Male", s.gender());
        assertEquals(new AgentSpec.Occupation("Architect", "Awesome Inc.", "You are an architect."), s.occupation());
        assertEquals("Low. Stays calm under pressure.", s.bigFive(Domain.N));
        assertEquals(List.of("Wakes at 6:00 AM."), s.routine(AgentSpec.Routine.MORNING));
        assertEquals(List.of(new AgentSpec.Relationship("Richard", "Your colleague."),
                new AgentSpec.Relationship("John", "Your boss.")), s.relationships());
        assertEquals(List.of("Clutter"), s.dislikes());
        assertNull(af.provenance());
        assertTrue(af.extras().get("mental_faculties").isArray());
    }

    @Test
    void roundTripKeepsUnknownKeysAndKeyOrder(@TempDir Path dir) throws IOException {
        AgentFile af = TinyTroupeFiles.parse(OSCAR);
        af.spec().age(31).name("Oskar");
        SpecProvenance prov = new SpecProvenance("llm", "qwen2.5-7b", 2, 0.7, "abc123");
        Path f = dir.resolve("out").resolve("Oskar.agent.json");
        TinyTroupeFiles.write(f, new AgentFile(af.spec(), prov, af.extras()));
        AgentFile back = TinyTroupeFiles.read(f);
        assertEquals("ENTJ", back.spec().node().get("personality").get("mbti").asText());
        assertEquals(2020, back.spec().node().get("projects").get(0).get("year").asInt());
        assertEquals(31, back.spec().age());
        assertEquals("Oskar", back.spec().name());
        assertEquals(prov, back.provenance());
        assertTrue(back.extras().has("mental_faculties"));
        assertEquals(fieldNames(TinyTroupeFiles.parse(OSCAR).spec().node()), fieldNames(back.spec().node()));
        assertEquals(List.of("type", "persona", "mental_faculties", "spec_meta"),
                fieldNames(SpecJson.MAPPER.readTree(Files.readString(f))));
        assertEquals(TinyTroupeFiles.format(back), Files.readString(f), "format is stable");
        assertFalseAnyTemp(f.getParent());
    }

    @Test
    void readsABarePersonaObject() {
        AgentFile af = TinyTroupeFiles.parse("{\"name\": \"Ana\", \"age\": \"41\", \"gender\": \"Female\"}");
        assertEquals("Ana", af.spec().name());
        assertEquals(41, af.spec().age(), "a numeric string is read as a number");
        assertEquals("$.age", af.spec().path("age"));
    }

    @Test
    void errorsNameTheFileAndTheJsonPath(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.agent.json");
        Files.writeString(f, "{\"type\":\"TinyPerson\",\"persona\":[1,2]}");
        SpecFormatException e = assertThrows(SpecFormatException.class, () -> TinyTroupeFiles.read(f));
        assertEquals("$.persona", e.jsonPath());
        assertEquals(f, e.file());
        assertTrue(e.getMessage().startsWith(f + ": $.persona: expected an object"), e.getMessage());

        Files.writeString(f, "{\"type\":\"TinyPerson\",\n \"persona\": {\"name\": }}");
        e = assertThrows(SpecFormatException.class, () -> TinyTroupeFiles.read(f));
        assertTrue(e.getMessage().contains("bad.agent.json") && e.getMessage().contains("line 2"), e.getMessage());

        Files.writeString(f, "{\"type\":\"Fragment\",\"persona\":{}}");
        e = assertThrows(SpecFormatException.class, () -> TinyTroupeFiles.read(f));
        assertEquals("$.type", e.jsonPath());

        AgentSpec s = TinyTroupeFiles.parse("{\"type\":\"TinyPerson\",\"persona\":{\"age\":\"thirty\","
                + "\"relationships\":[{\"name\":\"A\",\"description\":{}}]}}").spec();
        e = assertThrows(SpecFormatException.class, s::age);
        assertEquals("$.persona.age", e.jsonPath());
        e = assertThrows(SpecFormatException.class, s::relationships);
        assertEquals("$.persona.relationships[0].description", e.jsonPath());
    }

    @Test
    void failedWriteLeavesTheOldFileIntact(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("x.agent.json");
        Files.writeString(f, OSCAR);
        Path blocker = dir.resolve("sub");
        Files.writeString(blocker, "not a folder");
        assertThrows(IOException.class,
                () -> TinyTroupeFiles.write(blocker.resolve("y.agent.json"), TinyTroupeFiles.parse(OSCAR)));
        assertEquals(OSCAR, Files.readString(f));
        assertEquals(1, TinyTroupeFiles.readFolder(dir).size(), "only x.agent.json is an agent file");
    }

    private static void assertFalseAnyTemp(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            assertEquals(List.of(), s.filter(p -> p.toString().endsWith(".tmp")).toList());
        }
    }

    private static List<String> fieldNames(com.fasterxml.jackson.databind.JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
