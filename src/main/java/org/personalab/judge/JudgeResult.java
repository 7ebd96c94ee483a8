package org.personalab.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import org.personalab.spec.SpecJson;

/**
 * A judge's verdict on one pair, made from its answers in both presentation orders ({@link BothOrders}).
 *
 * @param winner     in the pair's own order
 * @param confidence 0..1
 * @param flagged    the judge was unsure: its orders disagreed or an answer was invalid (goes to the review queue)
 * @param consistent both orders were valid and named the same winner
 * @param extra      judge-specific detail (per-scale errors, ...), may be empty
 */
public record JudgeResult(Verdict winner, double confidence, String rationale, boolean flagged, boolean consistent,
        OrderAnswer first, OrderAnswer second, ObjectNode extra) {

    public JudgeResult {
        Objects.requireNonNull(winner, "winner");
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        extra = extra == null ? SpecJson.object() : extra;
    }

    /** Dollars paid now for both answers (NaN when a model has no price). */
    public double costUsd() {
        return first.costUsd() + second.costUsd();
    }

    /** The detail stored with the judgment: {@code {"orders": [..], "consistent": .., ...extra}}. */
    public String detailJson() {
        ObjectNode o = SpecJson.object();
        ArrayNode orders = o.putArray("orders");
        orders.add(first.toJson());
        orders.add(second.toJson());
        o.put("consistent", consistent);
        extra.properties().forEach(e -> o.set(e.getKey(), e.getValue()));
        return SpecJson.compact(o);
    }

    /** The two order answers stored in a judgment's detail; empty when the detail holds none. */
    public static java.util.List<OrderAnswer> orders(String detailJson) {
        try {
            JsonNode n = SpecJson.MAPPER.readTree(detailJson == null ? "{}" : detailJson);
            java.util.List<OrderAnswer> out = new java.util.ArrayList<>();
            for (JsonNode o : n.path("orders")) {
                out.add(OrderAnswer.fromJson(o));
            }
            return out;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("judgment detail is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
