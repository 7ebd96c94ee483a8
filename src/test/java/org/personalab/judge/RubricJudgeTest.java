package org.personalab.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Level;
import org.personalab.profile.Profile;
import org.personalab.spec.AgentSpec;
import org.personalab.task.TaskContext;

class RubricJudgeTest {

    final RubricJudge judge = new RubricJudge();
    final Profile p = JudgeTestData.person("p1");

    @Test
    void theSpecWhoseStatedLevelsAreCloserWinsInBothOrders() {
        JudgeResult r = judge.judge(JudgeTestData.input(p, JudgeTestData.offBy(p, 3), JudgeTestData.faithful(p)),
                TaskContext.none(), 0);
        assertEquals(Verdict.B, r.winner());
        assertTrue(r.consistent());
        assertFalse(r.flagged());
        assertEquals(0.75, r.confidence(), 1e-12, "3 level steps of a full-confidence gap of 4");
        assertEquals(0.0, RubricJudge.score(JudgeTestData.faithful(p), p).total());
        assertEquals(3.0, RubricJudge.score(JudgeTestData.offBy(p, 3), p).total());
        assertTrue(r.detailJson().contains("\"rubric\""), r.detailJson());
        assertEquals(RubricJudge.LABEL, judge.label());
    }

    @Test
    void equalSpecsTie() {
        JudgeResult r = judge.judge(JudgeTestData.input(p, JudgeTestData.offBy(p, 2), JudgeTestData.offBy(p, 2)),
                TaskContext.none(), 0);
        assertEquals(Verdict.TIE, r.winner());
        assertTrue(r.consistent());
    }

    @Test
    void unstatedAndRangedLevelsCost() {
        AgentSpec s = JudgeTestData.faithful(p);
        Level o = p.level(Domain.O);
        s.bigFive(Domain.O, "Creative in many ways."); // no level stated
        assertEquals(StatedLevel.UNSTATED, RubricJudge.score(s, p).total());
        AgentSpec r = JudgeTestData.faithful(p);
        r.bigFive(Domain.O, "Low to Very High. Varies.");
        assertEquals(StatedLevel.RANGE_PENALTY, RubricJudge.score(r, p).total(), "the range includes " + o);
        assertEquals(Verdict.A, judge.judge(JudgeTestData.input(p, r, s), TaskContext.none(), 0).winner());
    }

    @Test
    void statedLevelsAreReadLikeTheValidatorReadsThem() {
        assertEquals(new StatedLevel(Level.HIGH, Level.HIGH), StatedLevel.read("High. Very creative."));
        assertEquals(new StatedLevel(Level.VERY_LOW, Level.VERY_LOW), StatedLevel.read("very low"));
        assertEquals(new StatedLevel(Level.LOW, Level.MEDIUM), StatedLevel.read("Medium to Low: it depends"));
        assertEquals(new StatedLevel(Level.MEDIUM, Level.MEDIUM), StatedLevel.read("Moderate."));
        assertFalse(StatedLevel.read("Quite sociable").stated());
        assertEquals(2.0, StatedLevel.read("High").distance(Level.LOW));
        assertEquals(1.5, StatedLevel.read("Very High to High").distance(Level.MEDIUM));
    }
}
