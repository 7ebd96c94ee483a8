package org.personalab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The answer parser against a corpus of replies as models write them, including the ones MPI/PAlign's
 * first-letter-in-12-characters regex gets wrong. Each case states the raw value (5 = Very Accurate) or the status.
 */
class AnswerParserTest {

    private static final String U = "UNPARSEABLE";
    private static final String R = "REFUSED";

    /** text, option order, expected ("1".."5", UNPARSEABLE or REFUSED). */
    private static final Object[][] CORPUS = {
        // plain letters in option form
        {"(A)", OptionOrder.FIXED, "5"},
        {"A", OptionOrder.FIXED, "5"},
        {"b", OptionOrder.FIXED, "4"},
        {"C.", OptionOrder.FIXED, "3"},
        {"D)", OptionOrder.FIXED, "2"},
        {"(E). Very Inaccurate", OptionOrder.FIXED, "1"},
        {"[B]", OptionOrder.FIXED, "4"},
        {"**C**", OptionOrder.FIXED, "3"},
        {"**(D)**", OptionOrder.FIXED, "2"},
        {"Answer: B", OptionOrder.FIXED, "4"},
        {"answer: (d)", OptionOrder.FIXED, "2"},
        {"Final answer: E", OptionOrder.FIXED, "1"},
        {"My answer is C", OptionOrder.FIXED, "3"},
        {"Option A", OptionOrder.FIXED, "5"},
        {"I choose B.", OptionOrder.FIXED, "4"},
        {"I'd say (C), it depends on the day.", OptionOrder.FIXED, "3"},
        {"B. Moderately Accurate", OptionOrder.FIXED, "4"},
        // MPI/PAlign's regex reads these as D, D, E, D
        {"\n\nI would choose (A)", OptionOrder.FIXED, "5"},
        {"I would choose (A) Very Accurate", OptionOrder.FIXED, "5"},
        {"Based on my personality, I would pick (B).", OptionOrder.FIXED, "4"},
        {"The answer is (A). Very Accurate", OptionOrder.FIXED, "5"},
        {"Well, I would go with E", OptionOrder.FIXED, "1"},
        // labels only
        {"Very Accurate", OptionOrder.FIXED, "5"},
        {"moderately inaccurate, I think", OptionOrder.FIXED, "2"},
        {"Neither accurate nor inaccurate.", OptionOrder.FIXED, "3"},
        {"That is very accurate for me.", OptionOrder.FIXED, "5"},
        {"It is not very accurate; moderately inaccurate describes me.", OptionOrder.FIXED, "2"},
        // the final answer wins
        {"At first I thought (A), but on reflection (C).", OptionOrder.FIXED, "3"},
        {"Not (A) - I'd choose (D) Moderately Inaccurate.", OptionOrder.FIXED, "2"},
        {"(B) seems close, but my final answer: E", OptionOrder.FIXED, "1"},
        {"<think>Maybe A? They worry a lot... (A) fits. Hmm, actually (B).</think>\nAnswer: B", OptionOrder.FIXED,
                "4"},
        {"Options:\n(A). Very Accurate\n(B). Moderately Accurate\n(C). Neither Accurate Nor Inaccurate\n"
                + "(D). Moderately Inaccurate\n(E). Very Inaccurate\nMy choice: (D)", OptionOrder.FIXED, "2"},
        // JSON
        {"{\"answer\": \"D\"}", OptionOrder.FIXED, "2"},
        {"```json\n{\"answer\":\"a\"}\n```", OptionOrder.FIXED, "5"},
        {"{\"answer\": \"(C)\", \"reason\": \"mixed\"}", OptionOrder.FIXED, "3"},
        {"{\"answer\": \"Moderately Accurate\"}", OptionOrder.FIXED, "4"},
        {"{\"answer\": \"maybe\"}", OptionOrder.FIXED, U},
        // reversed option order: letters map back through the order shown; labels keep their meaning
        {"(A)", OptionOrder.REVERSED, "1"},
        {"Answer: E", OptionOrder.REVERSED, "5"},
        {"{\"answer\": \"B\"}", OptionOrder.REVERSED, "2"},
        {"(A). Very Inaccurate", OptionOrder.REVERSED, "1"},
        {"Very Accurate", OptionOrder.REVERSED, "5"},
        {"I would choose (A) Very Accurate", OptionOrder.REVERSED, U},
        // nothing to read
        {"", OptionOrder.FIXED, U},
        {"Based on the statement, it depends.", OptionOrder.FIXED, U},
        {"The answer depends on the situation.", OptionOrder.FIXED, U},
        {"A good question! Sometimes I do, sometimes I don't.", OptionOrder.FIXED, U},
        {"E.g. when I am tired I worry more.", OptionOrder.FIXED, U},
        {"(A). Very Accurate\n(B). Moderately Accurate\n(C). Neither Accurate Nor Inaccurate\n"
                + "(D). Moderately Inaccurate\n(E). Very Inaccurate", OptionOrder.FIXED, U},
        {"<think>I lean to (B) but", OptionOrder.FIXED, "4"},
        {"<think>(B) maybe</think>", OptionOrder.FIXED, U},
        // refusals (and a refusal preamble that still answers)
        {"As an AI, I don't have personal feelings or experiences.", OptionOrder.FIXED, R},
        {"I'm sorry, but I can't answer personal questions.", OptionOrder.FIXED, R},
        {"I cannot provide a personal assessment.", OptionOrder.FIXED, R},
        {"As an AI language model I have no personality, but if I had to choose: (C)", OptionOrder.FIXED, "3"},
    };

    @Test
    void corpusParsesToTheFinalAnswerOnTheRawScale() {
        AnswerParser p = new AnswerParser();
        List<String> wrong = new ArrayList<>();
        for (Object[] c : CORPUS) {
            AnswerParser.Result r = p.parse((String) c[0], (OptionOrder) c[1]);
            String got = r.status() == AnswerStatus.ANSWERED ? Integer.toString(r.value()) : r.status().name();
            if (!got.equals(c[2])) {
                wrong.add(c[1] + " \"" + c[0] + "\": expected " + c[2] + ", got " + got + " (" + r.evidence() + ")");
            }
        }
        assertTrue(CORPUS.length >= 50, "corpus of " + CORPUS.length);
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void unansweredRepliesCarryNoValue() {
        AnswerParser p = new AnswerParser();
        for (String t : new String[] {"", "it depends", "I'm sorry, I can't."}) {
            assertEquals(0, p.parse(t, OptionOrder.FIXED).value(), t);
        }
        assertEquals(0, p.parse(null, OptionOrder.FIXED).value());
    }
}
