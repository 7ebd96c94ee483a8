package org.personalab.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.personalab.llm.ChatMessage;

/**
 * What an agent remembers of the questionnaire so far, replayed as chat messages before the next item.
 * <ul>
 * <li>{@link None}: each item on its own. Every call of an agent then starts with the same persona prefix, which
 * providers' prompt caches reuse: the cheapest policy.</li>
 * <li>{@link LastK}: the last {@code k} items with the agent's replies.</li>
 * <li>{@link TinyTroupe}: TinyTroupe's episodic memory (0.4/0.5, {@code EpisodicMemory(fixed_prefix_length=10,
 * lookback_length=40)}): the first 10 and the last 40 memory entries, with its omission note between them. An entry is
 * one message (an item asked, or a reply), as in TinyTroupe.</li>
 * </ul>
 */
public sealed interface MemoryPolicy {

    /** TinyTroupe's note where memories were left out. */
    String OMISSION = "Info: there were other messages here, but they were omitted for brevity.";

    /** One earlier item of the questionnaire: the prompt as asked and the agent's reply. */
    record Exchange(String prompt, String reply) {
    }

    /** The messages to replay before the next item, given the earlier exchanges (oldest first). */
    List<ChatMessage> replay(List<Exchange> history);

    /** The policy as written on the command line and stored with runs: none, last:K, tinytroupe. */
    String id();

    /** Each item on its own. */
    record None() implements MemoryPolicy {
        @Override
        public List<ChatMessage> replay(List<Exchange> history) {
            return List.of();
        }

        @Override
        public String id() {
            return "none";
        }
    }

    /** The last {@code k} exchanges. */
    record LastK(int k) implements MemoryPolicy {
        public LastK {
            if (k < 1) {
                throw new IllegalArgumentException("memory last:K needs K >= 1, not " + k);
            }
        }

        @Override
        public List<ChatMessage> replay(List<Exchange> history) {
            return messages(history.subList(Math.max(0, history.size() - k), history.size()));
        }

        @Override
        public String id() {
            return "last:" + k;
        }
    }

    /** The first {@code prefix} and last {@code lookback} memory entries (messages), as TinyTroupe replays them. */
    record TinyTroupe(int prefix, int lookback) implements MemoryPolicy {
        public static final TinyTroupe STANDARD = new TinyTroupe(10, 40);

        public TinyTroupe {
            if (prefix < 0 || lookback < 0) {
                throw new IllegalArgumentException("memory prefix and lookback must be >= 0");
            }
        }

        @Override
        public List<ChatMessage> replay(List<Exchange> history) {
            List<ChatMessage> all = messages(history);
            if (all.size() <= prefix + lookback) {
                return all;
            }
            List<ChatMessage> out = new ArrayList<>(all.subList(0, prefix));
            out.add(ChatMessage.assistant(OMISSION));
            out.addAll(all.subList(all.size() - lookback, all.size()));
            return out;
        }

        @Override
        public String id() {
            return equals(STANDARD) ? "tinytroupe" : "tinytroupe:" + prefix + ":" + lookback;
        }
    }

    private static List<ChatMessage> messages(List<Exchange> history) {
        List<ChatMessage> out = new ArrayList<>(history.size() * 2);
        for (Exchange e : history) {
            out.add(ChatMessage.user(e.prompt()));
            out.add(ChatMessage.assistant(e.reply()));
        }
        return out;
    }

    /** Parses none, last:K, tinytroupe or tinytroupe:PREFIX:LOOKBACK. */
    static MemoryPolicy parse(String s) {
        String t = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.equals("none")) {
                return new None();
            }
            if (t.equals("tinytroupe")) {
                return TinyTroupe.STANDARD;
            }
            if (t.startsWith("last:")) {
                return new LastK(Integer.parseInt(t.substring(5)));
            }
            if (t.startsWith("tinytroupe:")) {
                String[] p = t.split(":");
                if (p.length == 3) {
                    return new TinyTroupe(Integer.parseInt(p[1]), Integer.parseInt(p[2]));
                }
            }
        } catch (IllegalArgumentException e) { // a bad number, or K < 1
            throw new IllegalArgumentException("memory policy must be none, last:K or tinytroupe (or "
                    + "tinytroupe:PREFIX:LOOKBACK), not '" + s + "'" + (e instanceof NumberFormatException ? ""
                    : ": " + e.getMessage()), e);
        }
        throw new IllegalArgumentException("memory policy must be none, last:K or tinytroupe (or "
                + "tinytroupe:PREFIX:LOOKBACK), not '" + s + "'");
    }
}
