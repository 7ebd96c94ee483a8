package org.personalab.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.personalab.eval.EvalFixtures.I120;
import static org.personalab.eval.EvalFixtures.I300;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Item;
import org.personalab.inventory.ScoringRule;
import org.personalab.support.Shared;

class PapiAlignedTest {

    @Test
    void heldOutItemsAreThe180NotInTheIpipNeo120() {
        int held = 0;
        for (Item i : I300.items()) {
            if (PapiAligned.isHeldOut(i)) {
                held++;
            }
        }
        assertEquals(180, held);
        assertTrue(PapiAligned.covers(I300));
        assertFalse(PapiAligned.covers(I120));
        for (Item i : I120.items()) {
            assertFalse(PapiAligned.isHeldOut(i), i.toString());
        }
    }

    @Test
    void heldOutItemsMatchPapisOwnTestSplit() throws Exception {
        JsonNode split = new ObjectMapper().readTree(Shared.data("palign_mpi_300_split.json").toFile());
        TreeSet<Integer> test = new TreeSet<>();
        split.get("test_index").forEach(n -> test.add(n.asInt()));
        TreeSet<Integer> ours = new TreeSet<>();
        for (Item i : I300.items()) {
            if (PapiAligned.isHeldOut(i)) {
                ours.add(i.ipip300());
            }
        }
        assertEquals(test, ours);
    }

    @Test
    void perDomainMeanOverHeldOutItemsAndTheirSum() {
        // Person answers 3 everywhere. Agent: 1 on every IPIP-120 item (they must not count), and on held-out items
        // N -> 5 (|d| 2), E -> 4 (1), O -> 3 (0), A -> 1 (2), C -> 2 (1) except every other C item missing.
        byte[] person = EvalFixtures.constant(I300, 3);
        byte[] agent = new byte[300];
        int cSeen = 0;
        for (int i = 0; i < 300; i++) {
            Item it = I300.items().get(i);
            if (!PapiAligned.isHeldOut(it)) {
                agent[i] = 1;
                continue;
            }
            agent[i] = switch (it.domain()) {
                case N -> 5;
                case E -> 4;
                case O -> 3;
                case A -> 1;
                case C -> (byte) (cSeen++ % 2 == 0 ? 2 : 0);
            };
        }
        PapiAligned a = PapiAligned.of(I300, agent, person);
        assertArrayEquals(new double[] {2, 1, 0, 2, 1}, a.domains(), 1e-12);
        assertEquals(6.0, a.composite(), 1e-12);
        assertEquals(2.0, a.domain(Domain.A), 1e-12);

        AgentScores s = new AgentScorer(I300, ScoringRule.DEFAULT).score(1, agent,
                EvalFixtures.person("p", I300, person, EvalFixtures.flatNorms()));
        assertEquals(2.0, s.get(Metric.PAPI_ALIGNED_N), 1e-12);
        assertEquals(0.0, s.get(Metric.PAPI_ALIGNED_O), 1e-12);
        assertEquals(6.0, s.get(Metric.PAPI_COMPOSITE), 1e-12);
    }

    @Test
    void aMissingPersonAnswerIsLeftOutNotComparedWithZero() {
        // PAlign added |s - 0| for a stored 0; here the item is simply not compared.
        byte[] person = EvalFixtures.constant(I300, 4);
        byte[] agent = EvalFixtures.constant(I300, 4);
        for (int i = 0; i < 300; i++) {
            if (PapiAligned.isHeldOut(I300.items().get(i)) && I300.items().get(i).domain() == Domain.E) {
                person[i] = 0;
                break;
            }
        }
        PapiAligned a = PapiAligned.of(I300, agent, person);
        assertEquals(0.0, a.composite());
    }

    @Test
    void aDomainWithNothingComparedMakesTheCompositeUndefined() {
        byte[] person = EvalFixtures.constant(I300, 4);
        byte[] agent = EvalFixtures.constant(I300, 4);
        for (int i = 0; i < 300; i++) {
            if (I300.items().get(i).domain() == Domain.O) {
                agent[i] = 0;
            }
        }
        PapiAligned a = PapiAligned.of(I300, agent, person);
        assertTrue(Double.isNaN(a.domain(Domain.O)));
        assertEquals(0.0, a.domain(Domain.N));
        assertTrue(Double.isNaN(a.composite()));
    }

    @Test
    void theShortFormHasNoAlignedScore() {
        PapiAligned a = PapiAligned.of(I120, EvalFixtures.constant(I120, 1), EvalFixtures.constant(I120, 5));
        assertTrue(Double.isNaN(a.composite()));
        for (double d : a.domains()) {
            assertTrue(Double.isNaN(d));
        }
    }
}
