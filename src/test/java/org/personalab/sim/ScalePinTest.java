package org.personalab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;
import org.personalab.inventory.Item;
import org.personalab.inventory.Keying;
import org.personalab.inventory.Scale;
import org.personalab.inventory.Scorer;
import org.personalab.inventory.ScoringRule;

/**
 * Pins the answer scale: (A) Very Accurate is 5 on the raw scale, always, and a positively keyed item answered A
 * scores 5 on its facet while a negatively keyed one scores 1. The seed project recorded A as 1
 * ({@code LETTER_TO_INTEGER = {"A":1,...}}): under that mapping every assertion here fails.
 */
class ScalePinTest {

    @Test
    void veryAccurateIsFiveOnThePlusItemAndOneWhenReverseKeyed() {
        Inventory inv = Inventory.IPIP_NEO_120;
        Item plus = inv.items().stream().filter(i -> i.keying() == Keying.PLUS).findFirst().orElseThrow();
        Item minus = inv.items().stream().filter(i -> i.keying() == Keying.MINUS).findFirst().orElseThrow();
        AnswerParser p = new AnswerParser();
        int a = p.parse("(A). Very Accurate", OptionOrder.FIXED).value();
        assertEquals(5, a, "A must be 5 on the raw scale (the seed stored 1)");
        assertEquals(5, AnswerEncoding.keyed(AnswerEncoding.RAW, plus.keying(), a));
        assertEquals(1, AnswerEncoding.keyed(AnswerEncoding.RAW, minus.keying(), a));
        assertEquals(1, p.parse("(E)", OptionOrder.FIXED).value());

        // a whole questionnaire answered "A": + items push every facet up, - items down
        Scorer scorer = new Scorer(inv, AnswerEncoding.RAW, ScoringRule.DEFAULT);
        byte[] allA = new byte[inv.size()];
        java.util.Arrays.fill(allA, (byte) a);
        float[] s = scorer.score(allA);
        Scale facet = Scale.of(plus.facet());
        long plusItems = inv.items().stream().filter(i -> i.facet() == plus.facet() && i.keying() == Keying.PLUS)
                .count();
        long n = inv.items().stream().filter(i -> i.facet() == plus.facet()).count();
        assertEquals((5.0 * plusItems + 1.0 * (n - plusItems)) / n, s[facet.ordinal()], 1e-6);
    }

    @Test
    void psychometricAnswersComeBackAsTheSameValueThroughTheParser() {
        AnswerParser p = new AnswerParser();
        for (OptionOrder o : OptionOrder.values()) {
            for (int v = 1; v <= 5; v++) {
                String reply = "{\"answer\": \"" + o.letterOf(v) + "\"}";
                assertEquals(v, p.parse(reply, o).value(), o + " " + v);
            }
        }
    }
}
