package org.personalab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.personalab.data.Responses;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Facet;
import org.personalab.inventory.Inventory;
import org.personalab.inventory.Item;
import org.personalab.inventory.Keying;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;
import org.personalab.profile.ItemLevelModel;
import org.personalab.profile.Norms;
import org.personalab.profile.Profile;
import org.personalab.profile.PromptContext;
import org.personalab.profile.ScoredDataset;
import org.personalab.spec.AgentSpec;
import org.personalab.spec.TemplateWriter;
import org.personalab.task.TaskContext;

/** The offline psychometric respondent answers from the levels a spec states, and those levels come back out. */
class PsychometricRespondentTest {

    static ScoredDataset people;
    static ItemLevelModel model;
    static final int TRAIN = 3000;
    static final int HELD_OUT = 60;

    @BeforeAll
    static void estimate() {
        people = SimTestData.population(TRAIN + HELD_OUT, 7);
        int[] train = new int[TRAIN];
        for (int i = 0; i < TRAIN; i++) {
            train[i] = i;
        }
        model = ItemLevelModel.estimate(people, train);
    }

    private static List<ItemAnswer> administer(PsychometricRespondent r, SimSettings s, long specId, AgentSpec spec) {
        List<ItemAnswer> out = new ArrayList<>();
        new Administration(s, r).administer(specId, spec, List.of(), (a, reply) -> out.add(a),
                new TokenTally(s.memory().id()), TaskContext.none());
        return out;
    }

    private static byte[] answers(List<ItemAnswer> as, Inventory inv) {
        byte[] b = new byte[inv.size()];
        for (ItemAnswer a : as) {
            if (a.sample() == 0) {
                b[a.item() - 1] = (byte) a.value();
            }
        }
        return b;
    }

    @Test
    void aSpecStatingVeryHighNeuroticismAgreesWithNPlusItemsAndNotWithNMinusItems() {
        AgentSpec spec = new TemplateWriter().write(Profile.of(people, TRAIN));
        for (Facet f : Domain.N.facets()) {
            spec.facet(f, Level.VERY_HIGH.label());
        }
        PsychometricRespondent r = new PsychometricRespondent(model, PsychometricRespondent.Mode.MEDIAN, 1);
        byte[] a = answers(administer(r, SimSettings.standard(), 1, spec), Inventory.IPIP_NEO_120);
        double plus = 0;
        double minus = 0;
        int np = 0;
        int nm = 0;
        for (Item it : Inventory.IPIP_NEO_120.items()) {
            if (it.domain() != Domain.N) {
                continue;
            }
            if (it.keying() == Keying.PLUS) {
                plus += a[it.number() - 1];
                np++;
            } else {
                minus += a[it.number() - 1];
                nm++;
            }
        }
        assertTrue(plus / np >= 4.0, "N+ items answered " + plus / np + " on average");
        assertTrue(minus / nm <= 2.5, "N- items answered " + minus / nm + " on average");
    }

    @Test
    void scoringItsAnswersGivesBackTheStatedLevelsForMostFacets() {
        PsychometricRespondent r = new PsychometricRespondent(model, PsychometricRespondent.Mode.MEDIAN, 1);
        Inventory inv = Inventory.IPIP_NEO_120;
        Responses.Builder b = new Responses.Builder(inv, AnswerEncoding.RAW, HELD_OUT);
        List<Profile> truth = new ArrayList<>();
        for (int k = 0; k < HELD_OUT; k++) {
            Profile p = Profile.of(people, TRAIN + k);
            truth.add(p);
            byte[] a = answers(administer(r, SimSettings.standard(), k + 1, new TemplateWriter().write(p)), inv);
            b.add(p.id(), p.sex(), p.age(), p.country(), a);
        }
        Responses sim = b.build();
        float[] scores = SimTestData.scoreRaw(inv, sim.answerMatrix(), HELD_OUT);
        Norms.Placement placed = Norms.place(people.norms(), sim, scores);
        int exact = 0;
        int withinOne = 0;
        int n = 0;
        for (int k = 0; k < HELD_OUT; k++) {
            for (Facet f : Facet.values()) {
                Level want = truth.get(k).level(f);
                Level got = placed.level(k, Scale.of(f));
                n++;
                exact += want == got ? 1 : 0;
                withinOne += Math.abs(want.ordinal() - got.ordinal()) <= 1 ? 1 : 0;
            }
        }
        double e = (double) exact / n;
        double w = (double) withinOne / n;
        System.out.printf("psychometric recovery over %d held-out people x 30 facets: %.3f exact, %.3f within one "
                + "level%n", HELD_OUT, e, w);
        assertTrue(e >= 0.8, "stated facet levels recovered exactly for " + e);
        assertTrue(w >= 0.95, "stated facet levels recovered within one level for " + w);
    }

    @Test
    void aMissingFacetLevelFallsBackToTheDomainStatementAndIsRecorded() {
        AgentSpec spec = new TemplateWriter().write(Profile.of(people, TRAIN + 1));
        ((com.fasterxml.jackson.databind.node.ObjectNode) spec.at("personality", "facets"))
                .remove(PromptContext.key(Facet.N1));
        spec.bigFive(Domain.N, "Very high. Worries about everything.");
        StatedLevels levels = StatedLevels.of(spec);
        assertEquals(Level.VERY_HIGH, levels.level(Facet.N1));
        assertEquals(List.of(Facet.N1), levels.fromDomain());
        PsychometricRespondent r = new PsychometricRespondent(model, PsychometricRespondent.Mode.MEDIAN, 1);
        assertEquals(List.of("N1 from the neuroticism statement"), r.agent(1, spec).notes());
        assertEquals(Level.MEDIUM, StatedLevels.statement("Low to High, depending on the day"));
        assertEquals(Level.LOW, StatedLevels.statement("Very low to medium"));
    }

    @Test
    void samplingIsSeededAndOffersTheSameItemsAcrossInventories() {
        AgentSpec spec = new TemplateWriter().write(Profile.of(people, TRAIN + 2));
        PsychometricRespondent s1 = new PsychometricRespondent(model, PsychometricRespondent.Mode.SAMPLE, 5);
        PsychometricRespondent s2 = new PsychometricRespondent(model, PsychometricRespondent.Mode.SAMPLE, 6);
        SimSettings three = SimSettings.standard().withSamples(3);
        List<ItemAnswer> a = administer(s1, three, 9, spec);
        assertEquals(administer(s1, three, 9, spec), a, "same seed, same answers");
        assertTrue(!administer(s2, three, 9, spec).equals(a), "another seed, other answers");
        assertTrue(a.stream().filter(x -> x.sample() == 1).map(ItemAnswer::value).toList()
                .equals(a.stream().filter(x -> x.sample() == 2).map(ItemAnswer::value).toList()) == false,
                "samples differ");

        // the 300-item form: shared items keep their estimate, the other 180 come from their facet
        ItemLevelModel m300 = model.forInventory(Inventory.IPIP_NEO_300);
        Item shared = Inventory.IPIP_NEO_120.item(1);
        assertEquals(model.median(0, Level.HIGH), m300.median(shared.ipip300() - 1, Level.HIGH));
        PsychometricRespondent r300 = new PsychometricRespondent(m300, PsychometricRespondent.Mode.MEDIAN, 1);
        List<ItemAnswer> full = administer(r300, SimSettings.standard().withInventory(Inventory.IPIP_NEO_300), 3,
                spec);
        assertEquals(300, full.size());
        assertTrue(full.stream().allMatch(x -> x.status() == AnswerStatus.ANSWERED && x.value() >= 1));
        int item9 = Inventory.IPIP_NEO_300.item(9).number(); // "Would never cheat on my taxes": not in the 120
        assertEquals(0, m300.support(item9 - 1, Level.HIGH));
    }
}
