package org.personalab.judge;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.LongFunction;

/**
 * Refuses training records about people held out for testing: training on them would leak the test set into the
 * model (the seed evaluated on a split it never guarded). Built from the members of the test parts of the workspace's
 * split sets; {@link #check} throws when any record's person is among them, naming how many and who.
 */
public final class LeakageGuard {

    /** Thrown when an export would contain test people; nothing is written. */
    public static final class LeakageException extends RuntimeException {
        private final int people;

        LeakageException(String message, int people) {
            super(message);
            this.people = people;
        }

        /** How many distinct test people the records are about. */
        public int people() {
            return people;
        }
    }

    private final Map<Long, String> testPeople;
    private final List<String> parts;

    /**
     * @param testPeople respondent id → the "SET:PART" that holds them out
     * @param parts      the test parts guarded, for messages and manifests
     */
    public LeakageGuard(Map<Long, String> testPeople, List<String> parts) {
        this.testPeople = Map.copyOf(testPeople);
        this.parts = List.copyOf(parts);
    }

    public List<String> parts() {
        return parts;
    }

    public int guardedPeople() {
        return testPeople.size();
    }

    /** Whether the person is in a guarded test part. */
    public boolean isTest(long respondentId) {
        return testPeople.containsKey(respondentId);
    }

    /**
     * @param respondents the people of the records about to be written
     * @param name        how to name a person in the message (their dataset id)
     * @throws LeakageException naming the count and up to ten people with their test part
     */
    public void check(Collection<Long> respondents, LongFunction<String> name) {
        TreeSet<Long> bad = new TreeSet<>();
        for (long r : respondents) {
            if (testPeople.containsKey(r)) {
                bad.add(r);
            }
        }
        if (bad.isEmpty()) {
            return;
        }
        List<String> shown = new ArrayList<>();
        for (long r : bad) {
            if (shown.size() == 10) {
                break;
            }
            shown.add(name.apply(r) + " (" + testPeople.get(r) + ")");
        }
        throw new LeakageException("refused: " + bad.size() + " " + (bad.size() == 1 ? "person" : "people")
                + " of the records " + (bad.size() == 1 ? "is" : "are") + " in a test split: "
                + String.join(", ", shown) + (bad.size() > 10 ? ", ..." : "") + "; nothing was written (restrict "
                + "the judging to training people, e.g. judge --split SET:train)", bad.size());
    }
}
