package org.personalab.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.personalab.inventory.ResponseOption;

/**
 * Reads the final answer out of an agent's free-text (or JSON) reply to one questionnaire item and returns its raw
 * value 1..5 (5 = Very Accurate with the statement as printed), or says why there is none.
 *
 * <p>Why not MPI/PAlign's parser: it takes the first {@code [a-eA-E][^a-zA-Z]} in the first 12 characters, so
 * "I would choose (A)" reads as D (the "d " of "would"), "Based on…" as D and "The answer…" as E. Here:
 * <ul>
 * <li>only letters in an option-like form count: "(A)", "[A]", "A)", "**A**", "A." or "A:" at the start of a line,
 * a lone letter, or an uppercase letter after an answer word ("Answer: B", "I choose B", "option C"); option labels
 * ("Moderately Accurate") count too, unless negated ("not very accurate");</li>
 * <li>the <b>final</b> answer wins: the last mention after an answer word if there is one, else the last mention; a
 * reasoning block ({@code <think>…</think>}) is skipped;</li>
 * <li>a letter followed by a label that belongs to another letter ("(A) Very Accurate" when the options were shown
 * reversed) is a contradiction, not a guess;</li>
 * <li>a reply that merely lists the options, or mentions none, is {@link AnswerStatus#UNPARSEABLE}; one that declines
 * ("As an AI, I don't have personal feelings") is {@link AnswerStatus#REFUSED}. Neither is ever scored.</li>
 * </ul>
 * Letters map to values through the {@link OptionOrder} the item was shown in; labels carry their value themselves.
 * Thread-safe and stateless.
 */
public final class AnswerParser {

    /**
     * The outcome of parsing one reply.
     *
     * @param value raw value 1..5 when answered, else 0
     * @param evidence the text the answer was read from, or why there is none
     */
    public record Result(AnswerStatus status, int value, String evidence) {

        static Result answered(int value, String evidence) {
            return new Result(AnswerStatus.ANSWERED, value, evidence);
        }

        static Result unparseable(String why) {
            return new Result(AnswerStatus.UNPARSEABLE, 0, why);
        }
    }

    private static final Pattern THINK = Pattern.compile("(?is)<think>.*?</think>");
    private static final Pattern JSON_FIELD = Pattern.compile(
            "\"(?i:answer|option|choice|final_answer)\"\\s*:\\s*\"([^\"]{0,80})\"");
    private static final String LETTER_END = "(?![A-Za-z])";
    private static final Pattern EXPLICIT = Pattern.compile("(?i:\\b(?:final\\s+answer|answer|choice|option|"
            + "choose|chose|choosing|select|selected|selecting|pick|picked|picking|go\\s+with|going\\s+with|"
            + "opt\\s+for|i'd\\s+say|i\\s+would\\s+say|i\\s+say)\\b)"
            + "(?:\\s*(?i:is|would\\s+be|will\\s+be|has\\s+to\\s+be)\\b)?\\s*[:=\\-–—]?\\s*[*_\"'“”`]*\\s*"
            + "(?:[(\\[]([A-Ea-e])[)\\]]|([A-E])" + LETTER_END + ")");
    private static final Pattern BRACKETED = Pattern.compile("[(\\[]([A-Ea-e])[)\\]]");
    private static final Pattern LETTER_PAREN = Pattern.compile("(?<![A-Za-z0-9(\\[])([A-E])\\)");
    private static final Pattern BOLD = Pattern.compile("\\*\\*\\s*\\(?([A-E])\\)?[.:]?\\s*\\*\\*");
    private static final Pattern LINE_START = Pattern.compile("(?m)^[\\s>*_#-]*([A-E])(?:[.:](?![A-Za-z])|\\s*$)");
    private static final Pattern LABEL = Pattern.compile("(?i)(?<!\\bnot\\s)(?<!n't\\s)(?<!\\bnot\\s{2})"
            + "\\b(neither\\s+accurate\\s+nor\\s+inaccurate|moderately\\s+inaccurate|very\\s+inaccurate|"
            + "moderately\\s+accurate|very\\s+accurate)\\b");
    private static final Pattern LABEL_AFTER_LETTER = Pattern.compile("^[\\s).:*\\-–—=]{0,6}(?i:(neither\\s+accurate"
            + "\\s+nor\\s+inaccurate|moderately\\s+inaccurate|very\\s+inaccurate|moderately\\s+accurate|"
            + "very\\s+accurate))\\b");
    private static final Pattern REFUSAL = Pattern.compile("(?i)\\b(i\\s+can(?:no|['’])t|i\\s+cannot|"
            + "i['’]m\\s+(?:not\\s+able|unable)|i\\s+am\\s+(?:not\\s+able|unable)|as\\s+an\\s+ai|"
            + "as\\s+a\\s+(?:large\\s+)?language\\s+model|i\\s+(?:do\\s+not|don['’]t)\\s+have\\s+(?:personal|"
            + "feelings|a\\s+personality|opinions|experiences|a\\s+self)|i\\s+won['’]t|i\\s+will\\s+not|"
            + "i\\s+(?:must|have\\s+to)\\s+decline|not\\s+comfortable|i['’]m\\s+sorry|i\\s+apologi[sz]e)");

    /** One place in the reply that names an option; value -1 when its letter and label disagree. */
    private record Mention(int start, int end, int value, boolean explicit, String text) {
    }

    /** Parses a reply to an item shown in {@code order}. */
    public Result parse(String reply, OptionOrder order) {
        String text = reply == null ? "" : THINK.matcher(reply).replaceAll(" ");
        if (text.isBlank()) {
            return Result.unparseable(reply == null || reply.isBlank() ? "empty reply" : "only reasoning, no answer");
        }
        Result json = fromJson(text, order);
        if (json != null) {
            return json;
        }
        List<Mention> mentions = mentions(text, order);
        if (mentions.isEmpty()) {
            Matcher r = REFUSAL.matcher(text);
            if (r.find()) {
                return new Result(AnswerStatus.REFUSED, 0, r.group());
            }
            String whole = text.replaceAll("[^A-Za-z]", "");
            if (whole.length() == 1 && LETTERS_CI.indexOf(whole.charAt(0)) >= 0) {
                return Result.answered(order.value(whole.charAt(0)), text.strip());
            }
            return Result.unparseable("no option letter or label in the reply");
        }
        Mention last = null;
        for (Mention m : mentions) {
            if (m.explicit()) {
                last = m;
            }
        }
        if (last == null) {
            long distinct = mentions.stream().mapToInt(Mention::value).distinct().count();
            if (distinct >= 4) {
                return Result.unparseable("lists " + distinct + " options without choosing one");
            }
            last = mentions.get(mentions.size() - 1);
        }
        if (last.value() < 0) {
            return Result.unparseable("\"" + last.text() + "\": the letter and the label name different options");
        }
        return Result.answered(last.value(), last.text());
    }

    private static final String LETTERS_CI = "ABCDEabcde";

    /** The answer of a JSON reply ({"answer": "B"}), or null when the reply has no such field. */
    private Result fromJson(String text, OptionOrder order) {
        Matcher m = JSON_FIELD.matcher(text);
        String value = null;
        while (m.find()) {
            value = m.group(1);
        }
        if (value == null) {
            return null;
        }
        String bare = value.replaceAll("[\\s()\\[\\]*.:]", "");
        if (bare.length() == 1 && LETTERS_CI.indexOf(bare.charAt(0)) >= 0) {
            return Result.answered(order.value(bare.charAt(0)), value);
        }
        List<Mention> ms = mentions(value, order);
        if (ms.isEmpty()) {
            return Result.unparseable("JSON answer \"" + value + "\" names no option");
        }
        Mention last = ms.get(ms.size() - 1);
        return last.value() < 0 ? Result.unparseable("JSON answer \"" + value + "\" is contradictory")
                : Result.answered(last.value(), value);
    }

    private static List<Mention> mentions(String text, OptionOrder order) {
        List<Mention> out = new ArrayList<>();
        Matcher m = EXPLICIT.matcher(text);
        while (m.find()) {
            int g = m.group(1) != null ? 1 : 2;
            add(out, text, order, m.start(), m.start(g), m.end(g), m.end(), true);
        }
        for (Pattern p : new Pattern[] {BOLD, BRACKETED, LETTER_PAREN, LINE_START}) {
            m = p.matcher(text);
            while (m.find()) {
                add(out, text, order, m.start(), m.start(1), m.end(1), m.end(), false);
            }
        }
        m = LABEL.matcher(text);
        while (m.find()) {
            if (!overlaps(out, m.start(), m.end())) {
                out.add(new Mention(m.start(), m.end(), labelValue(m.group(1)), false, m.group()));
            }
        }
        out.sort(Comparator.comparingInt(Mention::start));
        return out;
    }

    /** Adds a letter mention (with an adjacent label, if any) unless it overlaps one found before. */
    private static void add(List<Mention> out, String text, OptionOrder order, int start, int letterStart,
            int letterEnd, int end, boolean explicit) {
        if (overlaps(out, letterStart, letterEnd)) {
            return;
        }
        int value = order.value(text.charAt(letterStart));
        Matcher l = LABEL_AFTER_LETTER.matcher(text).region(end, text.length());
        int stop = end;
        if (l.lookingAt()) {
            int labelValue = labelValue(l.group(1));
            stop = l.end();
            if (labelValue != value) {
                value = -1;
            }
        }
        out.add(new Mention(start, stop, value, explicit, text.substring(start, stop).strip()));
    }

    private static boolean overlaps(List<Mention> ms, int start, int end) {
        for (Mention x : ms) {
            if (start < x.end() && x.start() < end) {
                return true;
            }
        }
        return false;
    }

    private static int labelValue(String label) {
        String norm = label.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        for (ResponseOption o : ResponseOption.values()) {
            if (o.label().toLowerCase(Locale.ROOT).equals(norm)) {
                return o.value();
            }
        }
        throw new IllegalStateException("not an option label: " + label);
    }
}
