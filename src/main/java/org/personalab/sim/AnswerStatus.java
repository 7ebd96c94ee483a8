package org.personalab.sim;

/**
 * What became of one questionnaire item put to an agent. Only {@link #ANSWERED} carries a value; the others are
 * stored as they are, left out of every score and reported as rates, never scored as 0 (the seed project stored
 * unparsed answers as 0 and averaged them in).
 */
public enum AnswerStatus {
    /** A usable answer 1..5. */
    ANSWERED("answered"),
    /** A reply without a recognisable final answer. */
    UNPARSEABLE("unparseable"),
    /** The model declined to answer. */
    REFUSED("refused"),
    /** No reply at all (the provider refused the request); asked again when the run resumes. */
    FAILED("failed");

    private final String id;

    AnswerStatus(String id) {
        this.id = id;
    }

    /** The stored name ({@code sim_answer.status}; the store's SimAnswerRepository uses the same names). */
    public String id() {
        return id;
    }

    public static AnswerStatus of(String id) {
        for (AnswerStatus s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown answer status '" + id + "'");
    }
}
