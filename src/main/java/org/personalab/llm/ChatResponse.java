package org.personalab.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The answer to a {@link ChatRequest}. An answer that should have been JSON but could not be read or did not fit the
 * schema after every allowed try comes back with status {@link Status#INVALID}, its raw text and the problems found;
 * it is not an exception.
 *
 * @param json the parsed (and possibly repaired) JSON for JSON formats when valid, else null
 * @param usage tokens of the paid tries behind this answer (also reported for cached answers)
 * @param cached answered from the workspace or by another caller's identical in-flight request: nothing paid now
 * @param costUsd dollars paid by this call (0 when cached; NaN when the model has no price)
 * @param tries paid answers it took (more than 1 when invalid answers were re-asked)
 */
public record ChatResponse(String requestHash, Status status, String text, JsonNode json, List<String> problems,
        Usage usage, String finishReason, boolean cached, double costUsd, long latencyMs, int tries) {

    public enum Status { OK, INVALID }

    public ChatResponse {
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    public boolean isOk() {
        return status == Status.OK;
    }

    /** This answer as seen by a caller who did not pay for it. */
    public ChatResponse asCached() {
        return new ChatResponse(requestHash, status, text, json, problems, usage, finishReason, true, 0, latencyMs,
                tries);
    }
}
