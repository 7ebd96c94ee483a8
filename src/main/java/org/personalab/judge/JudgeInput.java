package org.personalab.judge;

import java.util.Objects;
import org.personalab.profile.Profile;
import org.personalab.spec.AgentSpec;

/** What a judge sees of one pair: the person (demographics and levels) and the two specs in the pair's order. */
public record JudgeInput(SpecPair pair, Profile target, AgentSpec specA, AgentSpec specB) {

    public JudgeInput {
        Objects.requireNonNull(pair, "pair");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(specA, "specA");
        Objects.requireNonNull(specB, "specB");
    }

    /** The specs as shown: B first when {@code swapped}. */
    public AgentSpec shownFirst(boolean swapped) {
        return swapped ? specB : specA;
    }

    public AgentSpec shownSecond(boolean swapped) {
        return swapped ? specA : specB;
    }
}
