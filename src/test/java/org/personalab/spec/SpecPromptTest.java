package org.personalab.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.personalab.data.Sex;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Facet;
import org.personalab.profile.Profile;
import org.personalab.profile.PromptContext;
import org.personalab.profile.ScoredDataset;

class SpecPromptTest {

    @Test
    void thePromptNamesAllFiveDomainsAllThirtyFacetsAndTheDemographicsOfThePerson() {
        Profile p = SpecTestData.profile("P7", Sex.MALE, 52, "Finland", 2);
        List<String> m = SpecPrompt.messages(PromptTemplate.defaultSpecPrompt(), p);
        assertEquals(SpecPrompt.SYSTEM, m.get(0));
        String user = m.get(1);
        for (Domain d : Domain.values()) {
            assertTrue(user.contains("**" + d.displayName() + "**: " + p.level(d).label()), d.displayName());
        }
        for (Facet f : Facet.values()) {
            assertTrue(user.contains(f.displayName() + ": " + p.level(f).label()), f.displayName());
        }
        assertTrue(user.contains("- Age: 52\n- Sex: Male\n- Country: Finland"), user);
    }

    @Test
    void aPersonWithABlankVariableIsRefusedByName() {
        ScoredDataset data = SpecTestData.dataset(5, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpecPrompt.render(PromptTemplate.defaultSpecPrompt(), Profile.of(data, 0)));
        assertTrue(e.getMessage().startsWith("person P0: spec-prompt.mustache: "), e.getMessage());
        assertTrue(e.getMessage().contains("blank variables [") && e.getMessage().contains(" activity_level, ")
                && e.getMessage().contains(" country, "), e.getMessage());
    }

    @Test
    void theSchemaAsksForExactlyTheKeysThePromptsOutputFormatShows() throws Exception {
        String text = PromptTemplate.defaultSpecPrompt().text();
        String example = text.substring(text.indexOf("{\"name\""));
        JsonNode shown = SpecJson.MAPPER.readTree(example);
        JsonNode schema = SpecPrompt.schema();
        assertEquals(keys(shown), keys(schema), "every key of the prompt's skeleton is required, nothing more");
        Set<String> facets = keys(schema.path("properties").path("personality").path("properties").path("facets"));
        assertEquals(30, facets.size());
        for (Facet f : Facet.values()) {
            assertTrue(facets.contains(PromptContext.key(f)), f.displayName());
        }
    }

    @Test
    void thePromptHashChangesWithEveryText() {
        String a = SpecPrompt.hash(List.of("sys", "user"));
        assertEquals(64, a.length());
        assertEquals(a, SpecPrompt.hash(List.of("sys", "user")));
        assertNotEquals(a, SpecPrompt.hash(List.of("sys", "user ")));
        assertNotEquals(a, SpecPrompt.hash(List.of("sysu", "ser")), "texts are delimited");
    }

    /** Paths of every key in a JSON value (for the schema: its properties, all of which must be required). */
    private static Set<String> keys(JsonNode n) {
        Set<String> out = new TreeSet<>();
        collect(n, "", out);
        return out;
    }

    private static void collect(JsonNode n, String path, Set<String> out) {
        if (n.has("type") && n.path("type").isTextual()) { // a schema node
            if (n.has("properties")) {
                Set<String> required = new TreeSet<>();
                n.path("required").forEach(r -> required.add(r.asText()));
                n.path("properties").properties().forEach(e -> {
                    assertTrue(required.contains(e.getKey()), path + e.getKey() + " is required");
                    out.add(path + e.getKey());
                    collect(e.getValue(), path + e.getKey() + ".", out);
                });
            } else if (n.has("items")) {
                collect(n.path("items"), path + "[].", out);
            }
            return;
        }
        if (n.isObject()) {
            n.properties().forEach(e -> {
                out.add(path + e.getKey());
                collect(e.getValue(), path + e.getKey() + ".", out);
            });
        } else if (n.isArray() && !n.isEmpty()) {
            collect(n.get(0), path + "[].", out);
        }
    }
}
