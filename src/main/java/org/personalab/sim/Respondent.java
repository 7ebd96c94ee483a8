package org.personalab.sim;

import java.util.List;
import org.personalab.llm.ChatMessage;
import org.personalab.spec.AgentSpec;
import org.personalab.task.TaskContext;

/**
 * An engine that answers questionnaire items as agents: a chat model through the gateway ({@link LlmRespondent}) or
 * the offline psychometric respondent ({@link PsychometricRespondent}).
 */
public interface Respondent {

    /** The engine as stored with runs: "psychometric" or "PROVIDER:MODEL". */
    String engine();

    /** Whether replies come from a chat model (and so have text, tokens and cost). */
    boolean usesModel();

    /** Prepares the agent that {@code spec} describes. */
    Agent agent(long specId, AgentSpec spec);

    /** One agent of an engine. */
    interface Agent {

        /**
         * Answers {@code q}.
         *
         * @param systemPrompt the rendered persona (shared prefix of every call of this agent)
         * @param memory earlier items and replies to replay, per the memory policy (oldest first)
         * @throws java.util.concurrent.CancellationException when the task is cancelled
         */
        Reply answer(Question q, String systemPrompt, List<ChatMessage> memory, TaskContext task);

        /** What the engine noted about this agent (e.g. facet levels taken from the domain statement). */
        default List<String> notes() {
            return List.of();
        }
    }
}
