package org.personalab.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.personalab.inventory.ResponseOption;
import org.personalab.llm.ChatMessage;

/** Memory policies, item orders and option orders. */
class MemoryAndOrderTest {

    private static List<MemoryPolicy.Exchange> history(int n) {
        List<MemoryPolicy.Exchange> h = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            h.add(new MemoryPolicy.Exchange("q" + i, "a" + i));
        }
        return h;
    }

    @Test
    void noMemoryReplaysNothingAndLastKTheLastKExchanges() {
        assertEquals(List.of(), new MemoryPolicy.None().replay(history(30)));
        List<ChatMessage> last = new MemoryPolicy.LastK(2).replay(history(5));
        assertEquals(List.of(ChatMessage.user("q4"), ChatMessage.assistant("a4"), ChatMessage.user("q5"),
                ChatMessage.assistant("a5")), last);
        assertEquals(2, new MemoryPolicy.LastK(3).replay(history(1)).size());
    }

    @Test
    void tinyTroupeKeepsTheFirstTenAndLastFortyEntriesWithItsOmissionNote() {
        MemoryPolicy tt = MemoryPolicy.parse("tinytroupe");
        assertEquals(40, tt.replay(history(20)).size(), "50 entries or fewer are replayed whole");
        List<ChatMessage> m = tt.replay(history(60)); // 120 entries
        assertEquals(10 + 1 + 40, m.size());
        assertEquals(ChatMessage.user("q1"), m.get(0));
        assertEquals(ChatMessage.assistant("a5"), m.get(9));
        assertEquals(ChatMessage.assistant(MemoryPolicy.OMISSION), m.get(10));
        assertEquals(ChatMessage.user("q41"), m.get(11));
        assertEquals(ChatMessage.assistant("a60"), m.get(50));
    }

    @Test
    void policiesParseAndRefuseNonsense() {
        assertEquals("none", MemoryPolicy.parse("none").id());
        assertEquals("last:5", MemoryPolicy.parse("last:5").id());
        assertEquals("tinytroupe", MemoryPolicy.parse("TinyTroupe").id());
        assertEquals("tinytroupe:10:20", MemoryPolicy.parse("tinytroupe:10:20").id());
        for (String bad : new String[] {"last:0", "last:x", "all", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MemoryPolicy.parse(bad));
            assertTrue(e.getMessage().contains("none, last:K or tinytroupe"), e.getMessage());
        }
    }

    @Test
    void shuffledOrderIsAPermutationFixedPerAgentAndSeed() {
        int[] fixed = ItemOrder.FIXED.order(120, 7);
        for (int i = 0; i < 120; i++) {
            assertEquals(i, fixed[i]);
        }
        ItemOrder s = ItemOrder.shuffled(11);
        int[] a = s.order(120, 7);
        assertArrayEquals(a, s.order(120, 7), "same seed and agent, same order");
        assertFalse(Arrays.equals(a, s.order(120, 8)), "another agent gets another order");
        assertFalse(Arrays.equals(a, ItemOrder.shuffled(12).order(120, 7)), "another seed gives another order");
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        assertArrayEquals(fixed, sorted, "a permutation of all items");
    }

    @Test
    void reversedOptionsMapBackToTheRightValue() {
        for (char l : OptionOrder.LETTERS.toCharArray()) {
            ResponseOption shown = OptionOrder.REVERSED.optionAt(l);
            assertEquals(shown.value(), OptionOrder.REVERSED.value(l));
            assertEquals(l, OptionOrder.REVERSED.letterOf(shown.value()));
            assertEquals(6 - OptionOrder.FIXED.value(l), OptionOrder.REVERSED.value(l));
        }
        assertEquals(ResponseOption.E, OptionOrder.REVERSED.optionAt('A'));
        assertEquals(5, OptionOrder.REVERSED.value('E'), "E shown last is Very Accurate when reversed");
        assertTrue(OptionOrder.REVERSED.render().startsWith("(A). Very Inaccurate\n"));
    }
}
