package org.personalab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.personalab.inventory.Inventory;
import org.personalab.inventory.Item;

/** Every one of the 300 items reads as a grammatical second-person statement inside the MPI-style prompt. */
class ItemPromptTest {

    private static final Pattern FIRST_PERSON = Pattern.compile("\\b(I|me|my|mine|myself|am|I'm|I've|I'd)\\b");

    @Test
    void allThreeHundredItemsRenderGrammatically() {
        List<String> bad = new ArrayList<>();
        for (Item it : Inventory.IPIP_NEO_300.items()) {
            String s = SecondPerson.statement(it);
            String why = problem(s);
            if (why != null) {
                bad.add(it.ipip300() + " \"" + it.text() + "\" -> \"" + s + "\": " + why);
            }
        }
        assertTrue(bad.isEmpty(), bad.size() + " items read badly:\n" + String.join("\n", bad));
    }

    private static String problem(String s) {
        if (!s.startsWith("You ")) {
            return "does not start with 'You '";
        }
        if (!s.endsWith(".") || s.endsWith("..") || s.matches(".*[.!?;,]\\.$")) {
            return "does not end with exactly one period";
        }
        if (Character.isUpperCase(s.charAt(4))) {
            return "capital letter after 'You' (PAlign's 'You Worry')";
        }
        if (FIRST_PERSON.matcher(s).find()) {
            return "first-person word left";
        }
        if (s.contains("You are not") == false && s.matches("You (is|has|does) .*")) {
            return "third-person verb";
        }
        if (s.contains("  ")) {
            return "double space";
        }
        return null;
    }

    @Test
    void firstPersonStemsTurnRound() {
        assertEquals("You are afraid that you will do the wrong thing.", statement(46));
        assertEquals("You would never cheat on your taxes.", statement(9));
        assertEquals("You involve others in what you are doing.", statement(97));
        assertEquals("You are easily intimidated.", statement(16));
        assertEquals("You worry about things.", statement(1));
        assertEquals("You enjoy examining yourself and your life.", statement(103));
        assertEquals("You are willing to try anything once.", statement(202), "the stem has no verb");
        assertEquals("You are interested in many things.", statement(78));
        assertEquals("You often feel blue.", statement(11), "an adverb first needs no verb added");
        assertEquals("You are able to stand up for yourself.", statement(286), "'Am able' is not doubled");
    }

    private static String statement(int full) {
        return SecondPerson.statement(Inventory.IPIP_NEO_300.item(full));
    }

    @Test
    void thePromptFollowsMpiWithTheOptionsInTheOrderShown() {
        ItemPrompt p = ItemPrompt.standard();
        Item worry = Inventory.IPIP_NEO_120.item(1);
        String fixed = p.render(worry, OptionOrder.FIXED);
        assertTrue(fixed.startsWith("Given a statement of you: \"You worry about things.\"\n"), fixed);
        assertTrue(fixed.contains("(A). Very Accurate\n(B). Moderately Accurate\n(C). Neither Accurate Nor Inaccurate\n"
                + "(D). Moderately Inaccurate\n(E). Very Inaccurate"), fixed);
        String rev = p.render(worry, OptionOrder.REVERSED);
        assertTrue(rev.contains("(A). Very Inaccurate\n(B). Moderately Inaccurate"), rev);
        assertEquals(64, p.hash().length());
    }

    @Test
    void anEditedTemplateIsCheckedAndChangesTheHash() {
        ItemPrompt mine = ItemPrompt.of("my.txt", "Statement: {{statement}}\n{{options}}\nLetter only.");
        assertTrue(mine.render(Inventory.IPIP_NEO_120.item(2), OptionOrder.FIXED)
                .startsWith("Statement: You make friends easily.\n(A). Very Accurate"));
        assertTrue(!mine.hash().equals(ItemPrompt.standard().hash()));
        IllegalArgumentException noOptions = assertThrows(IllegalArgumentException.class,
                () -> ItemPrompt.of("bad.txt", "{{statement}} only"));
        assertTrue(noOptions.getMessage().contains("bad.txt"), noOptions.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ItemPrompt.of("typo.txt", "{{statement}} {{options}} {{persona_name}}"));
        assertTrue(unknown.getMessage().contains("persona_name"), unknown.getMessage());
    }
}
