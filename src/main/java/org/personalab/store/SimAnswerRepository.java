package org.personalab.store;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.personalab.inventory.Inventory;

/**
 * Questionnaire answers that agents gave in simulation runs (tables {@code sim_run} and {@code sim_answer}).
 *
 * <p><b>Read API (stable; the evaluation builds on it).</b> {@link #answers(long)} returns a whole run as a compact
 * structure: for every agent (spec) of the run, its answers as one {@code byte[]} in <em>inventory order</em>
 * ({@code answers[i]} is item number {@code i + 1} of the run's inventory), each value the <em>raw</em> agreement with
 * the statement as printed, 1..5 with 5 = Very Accurate whatever the item's key, and 0 = no usable answer (not asked
 * yet, unparseable, refused or failed; never scored). Each agent and the run carry {@link StatusCounts} so that parse
 * failure and refusal rates can be reported. The run's inventory (IPIP-NEO-120 or -300) and number of samples per item
 * come with it. Runs with several samples per item keep every sample ({@link AgentAnswers#samples()}); the plain
 * {@link AgentAnswers#answers()} is sample 0.
 *
 * <p>Statuses of one answer: {@value #ANSWERED} (value 1..5), {@value #UNPARSEABLE} (a reply with no final answer in
 * it), {@value #REFUSED} (the model declined to answer), {@value #FAILED} (no reply: the provider failed or the budget
 * ran out; asked again when the run resumes). Only {@value #ANSWERED} rows have a value.
 *
 * <p>Item numbers in {@code sim_answer.item} are 1-based numbers within the run's inventory; for the 300-item form
 * that is Johnson's Full#, for the 120-item form the IPIP-NEO-120 number.
 */
public interface SimAnswerRepository {

    String ANSWERED = "answered";
    String UNPARSEABLE = "unparseable";
    String REFUSED = "refused";
    String FAILED = "failed";

    /**
     * What a simulation run administers (table {@code sim_run}; one row per run, written when the run starts).
     *
     * @param specRunId the spec-generation run whose specs the agents are
     * @param engine "psychometric" or "PROVIDER:MODEL"
     * @param memory the memory policy ("none", "last:K", "tinytroupe")
     */
    record SimRun(long runId, long specRunId, Inventory inventory, int samples, String engine, String memory) {
    }

    /**
     * One stored answer.
     *
     * @param value raw agreement 1..5 (5 = Very Accurate) when {@code status} is {@value #ANSWERED}, else 0
     * @param position 0-based position in the agent's administration order (after shuffling)
     * @param rawText the model's reply as received (null for offline engines that produce no text)
     * @param promptHash hash of the request that produced the answer (the LLM cache key) or of the prompt
     * @param promptTokens prompt tokens of the call (provider's count, or an estimate when {@code tokensEstimated})
     * @param completionTokens completion tokens of the call
     * @param tokensEstimated the provider reported no usage; tokens were estimated from the text
     */
    record Answer(long specId, int item, int sample, int value, String status, int position, String rawText,
            String promptHash, int promptTokens, int completionTokens, boolean tokensEstimated) {

        public Answer {
            if (ANSWERED.equals(status) ? value < 1 || value > 5 : value != 0) {
                throw new IllegalArgumentException("answer of spec " + specId + " item " + item + ": value " + value
                        + " does not fit status " + status);
            }
            if (!List.of(ANSWERED, UNPARSEABLE, REFUSED, FAILED).contains(status)) {
                throw new IllegalArgumentException("unknown answer status '" + status + "'");
            }
        }
    }

    /** How many answers have each status. Rates are over all stored answers. */
    record StatusCounts(int answered, int unparseable, int refused, int failed) {

        public static final StatusCounts ZERO = new StatusCounts(0, 0, 0, 0);

        public int total() {
            return answered + unparseable + refused + failed;
        }

        public double unparseableRate() {
            return total() == 0 ? 0 : (double) unparseable / total();
        }

        public double refusalRate() {
            return total() == 0 ? 0 : (double) refused / total();
        }

        public StatusCounts plus(StatusCounts o) {
            return new StatusCounts(answered + o.answered, unparseable + o.unparseable, refused + o.refused,
                    failed + o.failed);
        }

        /** These counts with one more answer of {@code status}. */
        public StatusCounts plus(String status) {
            return switch (status) {
                case ANSWERED -> new StatusCounts(answered + 1, unparseable, refused, failed);
                case UNPARSEABLE -> new StatusCounts(answered, unparseable + 1, refused, failed);
                case REFUSED -> new StatusCounts(answered, unparseable, refused + 1, failed);
                case FAILED -> new StatusCounts(answered, unparseable, refused, failed + 1);
                default -> throw new IllegalArgumentException("unknown answer status '" + status + "'");
            };
        }
    }

    /**
     * One agent's answers in a run.
     *
     * @param respondentId the person the spec describes (whose real answers the agent's are compared with)
     * @param samples {@code samples[s][i]}: raw answer 1..5 of sample {@code s} to item {@code i + 1}, 0 = none
     * @param counts statuses over all of this agent's stored answers (all samples)
     */
    record AgentAnswers(long specId, long respondentId, byte[][] samples, StatusCounts counts) {

        /** Sample 0: raw answers 1..5 in inventory order, 0 = missing. The array is shared: do not modify it. */
        public byte[] answers() {
            return samples[0];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AgentAnswers a && a.specId == specId && a.respondentId == respondentId
                    && Arrays.deepEquals(a.samples, samples) && a.counts.equals(counts);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(specId) * 31 + Arrays.deepHashCode(samples);
        }

        @Override
        public String toString() {
            return "AgentAnswers[spec " + specId + ", respondent " + respondentId + ", " + counts + "]";
        }
    }

    /**
     * All answers of one run.
     *
     * @param agents one entry per spec with at least one stored answer, by spec id
     * @param counts statuses over the whole run
     */
    record RunAnswers(SimRun run, List<AgentAnswers> agents, StatusCounts counts) {

        public Inventory inventory() {
            return run.inventory();
        }

        public Optional<AgentAnswers> agent(long specId) {
            return agents.stream().filter(a -> a.specId() == specId).findFirst();
        }
    }

    /** A simulation run and how many agents and answers it has stored so far (for lists). */
    record RunSummary(SimRun run, int agents, StatusCounts counts) {
    }

    // ---- writes ----

    /** Records what a simulation run administers; call once, in the transaction that starts the run. */
    void registerRun(SimRun run);

    /**
     * Stores a batch of answers of one run; an answer already stored for the same spec, item and sample is
     * replaced (a failed answer asked again on resume).
     */
    void insert(long runId, List<Answer> batch);

    // ---- reads ----

    /** The run's parameters as registered, or empty when {@code runId} is not a simulation run. */
    Optional<SimRun> run(long runId);

    /** Simulation runs, newest first, with their stored counts. */
    List<RunSummary> runs();

    /**
     * Every stored answer of a run in the compact form described above.
     *
     * @throws StoreException when {@code runId} is not a simulation run
     */
    RunAnswers answers(long runId);

    /** Spec ids with at least one stored answer in the run, ascending. */
    List<Long> specIds(long runId);

    /** Every stored answer row of one agent in a run (with raw texts), in administration order, samples interleaved. */
    List<Answer> rows(long runId, long specId);
}
