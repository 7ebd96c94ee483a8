package org.personalab.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.personalab.profile.Profile;
import org.personalab.task.TaskContext;

class BothOrdersTest {

    /** A judge that names whatever it is shown first: pure position bias. */
    static final class AlwaysFirst implements Judge {
        @java.lang.Override
        public String label() {
            return "always-A";
        }

        @java.lang.Override
        public Map<String, Object> parameters() {
            return Map.of();
        }

        @java.lang.Override
        public boolean offline() {
            return true;
        }

        @java.lang.Override
        public JudgeResult judge(JudgeInput in, TaskContext task, long runId) {
            return BothOrders.combine(OrderAnswer.valid(false, Verdict.A, 0.9, "first looks better"),
                    OrderAnswer.valid(true, Verdict.A, 0.8, "first looks better"), null);
        }
    }

    @Test
    void aPositionBiasedJudgeYieldsTiesAndConsistencyZero() {
        Judge biased = new AlwaysFirst();
        Profile p = JudgeTestData.person("p1");
        List<List<OrderAnswer>> orders = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            JudgeResult r = biased.judge(JudgeTestData.input(p, JudgeTestData.faithful(p),
                    JudgeTestData.offBy(p, i % 4)), TaskContext.none(), 0);
            assertEquals(Verdict.TIE, r.winner());
            assertEquals(0.0, r.confidence());
            assertTrue(r.flagged());
            assertFalse(r.consistent());
            orders.add(JudgeResult.orders(r.detailJson()));
        }
        PositionConsistency pc = PositionConsistency.of(orders);
        assertEquals(20, pc.pairs());
        assertEquals(0, pc.consistent());
        assertEquals(0.0, pc.rate().estimate());
        assertTrue(pc.rate().high() < 0.2, pc.rate().toString());
        assertEquals(1.0, pc.firstPosition().estimate(), "every answer picked the first-shown spec");
    }

    @Test
    void agreeingOrdersGiveTheWinnerWithTheMeanConfidence() {
        // the judge prefers spec B whichever side it is on: AB says B, BA says A (= spec B shown first)
        JudgeResult r = BothOrders.combine(OrderAnswer.valid(false, Verdict.B, 0.9, "B states the levels"),
                OrderAnswer.valid(true, Verdict.A, 0.7, "A states the levels"), null);
        assertEquals(Verdict.B, r.winner());
        assertEquals(0.8, r.confidence(), 1e-12);
        assertFalse(r.flagged());
        assertTrue(r.consistent());
        List<OrderAnswer> back = JudgeResult.orders(r.detailJson());
        assertEquals(List.of(Verdict.B, Verdict.B), back.stream().map(OrderAnswer::verdict).toList());
        assertEquals(List.of("AB", "BA"), back.stream().map(OrderAnswer::shown).toList());
        PositionConsistency pc = PositionConsistency.of(List.of(back));
        assertEquals(1.0, pc.rate().estimate());
        assertEquals(0.5, pc.firstPosition().estimate(), "one answer named the first spec, one the second");
    }

    @Test
    void aTieInOneOrderKeepsTheOtherWinnerAtHalfConfidenceAndFlagsIt() {
        JudgeResult r = BothOrders.combine(OrderAnswer.valid(false, Verdict.TIE, 0.6, "equal"),
                OrderAnswer.valid(true, Verdict.B, 0.8, "second is better"), null);
        assertEquals(Verdict.A, r.winner(), "B shown second in order BA is spec A");
        assertEquals(0.4, r.confidence(), 1e-12);
        assertTrue(r.flagged());
        assertFalse(r.consistent());
    }

    @Test
    void anInvalidAnswerMakesAFlaggedTieWithItsProblemKept() {
        JudgeResult r = BothOrders.combine(OrderAnswer.valid(false, Verdict.A, 0.9, "ok"),
                OrderAnswer.invalid(true, "$.winner: \"C\" is not one of [\"A\",\"B\",\"tie\"]", "h1", 0.002), null);
        assertEquals(Verdict.TIE, r.winner());
        assertTrue(r.flagged());
        assertTrue(r.rationale().contains("order BA"), r.rationale());
        List<OrderAnswer> back = JudgeResult.orders(r.detailJson());
        assertFalse(back.get(1).isValid());
        assertEquals("h1", back.get(1).requestHash());
        PositionConsistency pc = PositionConsistency.of(List.of(back));
        assertEquals(0, pc.pairs(), "a pair with an invalid answer is not counted for consistency");
        assertEquals(1, pc.invalidAnswers());
    }

    @Test
    void verdictsParseFromCodesAndKeysAndFlip() {
        assertEquals(Verdict.A, Verdict.parse("a"));
        assertEquals(Verdict.B, Verdict.parse("2"));
        assertEquals(Verdict.TIE, Verdict.parse("Tie"));
        assertEquals("tie", Verdict.TIE.code());
        assertEquals(Verdict.B, Verdict.A.flip());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Verdict.parse("C"));
    }
}
