package org.personalab.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.personalab.spec.SpecJson;

/**
 * A judge's answer for one presentation order of a pair.
 *
 * @param swapped     the judge saw spec B in position "A" (order BA)
 * @param shownWinner the winner as the judge named it, in the order it was shown
 * @param confidence  0..1
 * @param problem     why the answer could not be used (invalid JSON, refused), or null when it is valid
 * @param requestHash the LLM request behind it, or null for offline judges
 * @param costUsd     dollars paid now for it (0 when cached or offline; NaN when the model has no price)
 */
public record OrderAnswer(boolean swapped, Verdict shownWinner, double confidence, String rationale, String problem,
        String requestHash, double costUsd) {

    public static OrderAnswer valid(boolean swapped, Verdict shownWinner, double confidence, String rationale) {
        return new OrderAnswer(swapped, shownWinner, confidence, rationale, null, null, 0);
    }

    public static OrderAnswer invalid(boolean swapped, String problem, String requestHash, double costUsd) {
        return new OrderAnswer(swapped, Verdict.TIE, 0, "", problem, requestHash, costUsd);
    }

    public boolean isValid() {
        return problem == null;
    }

    /** The winner in the pair's own order (A = spec_a). */
    public Verdict verdict() {
        return swapped ? shownWinner.flip() : shownWinner;
    }

    /** The order shown, "AB" or "BA". */
    public String shown() {
        return swapped ? "BA" : "AB";
    }

    public ObjectNode toJson() {
        ObjectNode o = SpecJson.object();
        o.put("shown", shown());
        o.put("valid", isValid());
        if (isValid()) {
            o.put("shownWinner", shownWinner.code());
            o.put("winner", verdict().code());
            o.put("confidence", confidence);
            o.put("rationale", rationale == null ? "" : rationale);
        } else {
            o.put("problem", problem);
        }
        if (requestHash != null) {
            o.put("requestHash", requestHash);
        }
        if (!Double.isNaN(costUsd)) {
            o.put("costUsd", costUsd);
        }
        return o;
    }

    /** Reads {@link #toJson()}. */
    public static OrderAnswer fromJson(JsonNode n) {
        boolean swapped = "BA".equals(n.path("shown").asText());
        String hash = n.hasNonNull("requestHash") ? n.get("requestHash").asText() : null;
        double cost = n.has("costUsd") ? n.get("costUsd").asDouble() : Double.NaN;
        if (!n.path("valid").asBoolean(false)) {
            return new OrderAnswer(swapped, Verdict.TIE, 0, "", n.path("problem").asText("invalid"), hash, cost);
        }
        return new OrderAnswer(swapped, Verdict.parse(n.path("shownWinner").asText()),
                n.path("confidence").asDouble(), n.path("rationale").asText(""), null, hash, cost);
    }
}
