package org.personalab.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.personalab.judge.PairBuilder.Candidate;

class PairBuilderTest {

    @Test
    void twoRunsPairTheSamePersonsFirstOriginalSpecs() {
        List<Candidate> a = List.of(new Candidate(1, 100, 0, 0), new Candidate(2, 101, 0, 0),
                new Candidate(3, 102, 0, 0), new Candidate(9, 100, 1, 0)); // 9 is an edit of 1: not an original
        List<Candidate> b = List.of(new Candidate(11, 101, 0, 1), new Candidate(10, 101, 0, 0),
                new Candidate(12, 100, 0, 0), new Candidate(13, 103, 0, 0));
        List<SpecPair> pairs = PairBuilder.betweenRuns(a, b, "run 1", "run 2");
        assertEquals(List.of(new SpecPair(1, 12, 100, "run 1", "run 2"), new SpecPair(2, 10, 101, "run 1", "run 2")),
                pairs, "people 102 and 103 have a spec in only one run; person 101's first sample is spec 10");
    }

    @Test
    void editsPairEachOriginalWithTheNewestVersionOfItsChain() {
        List<Candidate> run = List.of(new Candidate(1, 100, 0, 0), new Candidate(2, 101, 0, 0),
                new Candidate(5, 100, 1, 0), new Candidate(7, 100, 5, 0), new Candidate(8, 102, 0, 0));
        assertEquals(List.of(new SpecPair(1, 7, 100, "original", "edited")), PairBuilder.edits(run));
    }

    @Test
    void samplesPairEveryTwoSamplesOfAPerson() {
        List<Candidate> run = List.of(new Candidate(1, 100, 0, 0), new Candidate(2, 100, 0, 1),
                new Candidate(3, 100, 0, 2), new Candidate(4, 101, 0, 0));
        List<SpecPair> pairs = PairBuilder.samples(run);
        assertEquals(3, pairs.size());
        assertEquals(new SpecPair(2, 3, 100, "sample 1", "sample 2"), pairs.get(2));
        assertEquals(1, PairBuilder.restrict(pairs, Set.of(100L)).stream().filter(p -> p.specA() == 1)
                .filter(p -> p.specB() == 2).count());
        assertTrue(PairBuilder.restrict(pairs, Set.of(101L)).isEmpty());
    }

    @Test
    void pairSourcesParseAndRefuseWithTheSyntax() {
        assertEquals(new PairSource.Runs("3", "latest"), PairSource.parse("3:latest"));
        assertEquals(new PairSource.Edits("latest"), PairSource.parse("edits:latest"));
        assertEquals(new PairSource.Samples("7"), PairSource.parse(" samples:7 "));
        for (String bad : new String[] {"", "3", "3:", ":4", "1:2:3", "5:5"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PairSource.parse(bad));
            assertTrue(e.getMessage().contains("--pairs"), e.getMessage());
        }
    }
}
