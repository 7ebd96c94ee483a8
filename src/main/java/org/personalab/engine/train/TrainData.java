package org.personalab.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.personalab.engine.ChatTemplate;
import org.personalab.engine.ChatTurn;
import org.personalab.engine.EngineException;
import org.personalab.engine.Tokenizer;

/**
 * Reads the training exports (JSONL, one record a line) and turns them into labelled token sequences with the
 * model's own chat template:
 * <ul>
 *   <li>SFT: {@code {"messages": [...]}}; every assistant message is labelled, everything else masked;</li>
 *   <li>DPO, TRL's explicit-prompt form: {@code {"prompt": ..., "chosen": ..., "rejected": ...}} where each is either
 *       a list of chat messages (conversational: the prompt is rendered with the generation prompt, the completion
 *       is what the template adds for the assistant turn) or a string (plain text; the completion gets the
 *       template's end-of-sequence token). An optional {@code "weight"} is accepted and ignored.</li>
 * </ul>
 * Each piece (masked prefix, assistant turn, …) is tokenised on its own and the ids joined; with ChatML templates the
 * pieces meet at special tokens and newlines, where the tokenizer would split anyway. Sequences longer than
 * {@code max_length} are cut at the end ({@code truncation_mode} "keep_start", the default) or at the beginning
 * ("keep_end": the prompt's start goes first, the completion is kept), and every cut is counted in
 * {@link Truncation}, never silent: how many sequences were cut, how many trained (completion) tokens that cost, and
 * how many sequences lost their whole completion and so train nothing. Before that, {@code max_prompt_length} (TRL's
 * DPO field, here for both kinds) may cut each prompt to its last tokens, so a long prompt leaves room for the
 * completion.
 */
public final class TrainData {

    /**
     * What truncation cost: sequences cut, labelled (completion) tokens lost, and sequences left with no labelled
     * token at all (their completion was cut away entirely).
     */
    public record Truncation(int sequences, int sequencesCut, long labelledTokensLost, int longest,
            int completionsLost, int maxLength, String mode, int promptsCut, int maxPromptLength) {
        public String describe() {
            String prompts = promptsCut == 0 ? "" : promptsCut + " prompts cut to their last max_prompt_length = "
                    + maxPromptLength + " tokens; ";
            return prompts + (sequencesCut == 0 ? "no sequence exceeded max_length (longest " + longest + " tokens)"
                    : sequencesCut + " of " + sequences + " sequences exceeded max_length = " + maxLength
                            + " and were cut (" + mode + "), losing " + labelledTokensLost + " trained tokens"
                            + (completionsLost == 0 ? "" : "; " + completionsLost + " lost their whole completion "
                                    + "and train nothing")
                            + " (longest " + longest + " tokens)");
        }
    }

    /** Keep the first max_length tokens (cut the end), as TRL's SFT does. */
    public static final String KEEP_START = "keep_start";
    /** Keep the last max_length tokens (cut the prompt's beginning), TRL's DPO option of that name. */
    public static final String KEEP_END = "keep_end";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final int maxLength;
    private final String mode;
    private final int maxPromptLength;
    private int sequences;
    private int promptsCut;
    private int cut;
    private long lost;
    private int longest;
    private int completionsLost;

    /** Cuts sequences longer than {@code maxLength} at the end ({@value #KEEP_START}). */
    public TrainData(Tokenizer tokenizer, ChatTemplate template, int maxLength) {
        this(tokenizer, template, maxLength, KEEP_START, 0);
    }

    /**
     * @param mode            {@value #KEEP_START} or {@value #KEEP_END}
     * @param maxPromptLength prompts (what precedes the first completion) longer than this keep their last this many
     *                        tokens before {@code maxLength} applies; 0 for no limit
     */
    public TrainData(Tokenizer tokenizer, ChatTemplate template, int maxLength, String mode, int maxPromptLength) {
        if (!KEEP_START.equals(mode) && !KEEP_END.equals(mode)) {
            throw new IllegalArgumentException("truncation mode '" + mode + "' is not " + KEEP_START + " or "
                    + KEEP_END);
        }
        this.tokenizer = tokenizer;
        this.template = template;
        this.maxLength = maxLength;
        this.mode = mode;
        this.maxPromptLength = maxPromptLength;
    }

    public Truncation truncation() {
        return new Truncation(sequences, cut, lost, longest, completionsLost, maxLength, mode, promptsCut,
                maxPromptLength);
    }

    /** SFT records of {@code file}. */
    public List<Sequence> sft(Path file) {
        List<Sequence> out = new ArrayList<>();
        forEachLine(file, (line, o) -> {
            JsonNode m = o.get("messages");
            if (m == null || !m.isArray() || m.isEmpty()) {
                throw new EngineException(file + ":" + line + ": field 'messages' must be a non-empty list");
            }
            List<ChatTurn> turns = turns(m, file, line, "messages");
            if (turns.stream().noneMatch(t -> t.role().equals("assistant"))) {
                throw new EngineException(file + ":" + line + ": field 'messages' has no assistant message to train");
            }
            out.add(fit(conversation(turns, file, line)));
        });
        return out;
    }

    /** DPO records of {@code file}. */
    public List<DpoExample> dpo(Path file) {
        List<DpoExample> out = new ArrayList<>();
        forEachLine(file, (line, o) -> {
            for (String f : List.of("prompt", "chosen", "rejected")) {
                JsonNode n = o.get(f);
                if (n == null || !(n.isTextual() || (n.isArray() && !n.isEmpty()))) {
                    throw new EngineException(file + ":" + line + ": field '" + f
                            + "' must be a string or a non-empty list of chat messages");
                }
            }
            JsonNode p = o.get("prompt");
            boolean chat = p.isArray() || o.get("chosen").isArray();
            if (chat) {
                List<ChatTurn> prompt = p.isArray() ? turns(p, file, line, "prompt")
                        : List.of(new ChatTurn("user", p.asText()));
                out.add(new DpoExample(fit(completion(prompt, o.get("chosen"), file, line, "chosen")),
                        fit(completion(prompt, o.get("rejected"), file, line, "rejected"))));
            } else {
                int[] prompt = prompt(tokenizer.encode(p.asText()));
                out.add(new DpoExample(fit(plain(prompt, o.get("chosen").asText())),
                        fit(plain(prompt, o.get("rejected").asText()))));
            }
        });
        return out;
    }

    private Sequence plain(int[] prompt, String completion) {
        int[] c = tokenizer.encode(completion);
        String eos = template.eosToken();
        int eosId = eos.isEmpty() ? -1 : tokenizer.tokenId(eos);
        if (eosId >= 0) {
            c = Arrays.copyOf(c, c.length + 1);
            c[c.length - 1] = eosId;
        }
        return join(new int[][] {prompt, c}, new boolean[] {false, true});
    }

    private Sequence completion(List<ChatTurn> prompt, JsonNode completion, Path file, int line, String field) {
        List<ChatTurn> all = new ArrayList<>(prompt);
        if (completion.isTextual()) {
            all.add(new ChatTurn("assistant", completion.asText()));
        } else {
            all.addAll(turns(completion, file, line, field));
        }
        String head = template.render(prompt, true);
        String full = template.render(all, false);
        if (!full.startsWith(head)) {
            throw new EngineException(file + ":" + line + ": the chat template renders '" + field + "' in a way "
                    + "that does not continue the prompt; cannot tell prompt from completion");
        }
        return join(new int[][] {prompt(tokenizer.encode(head)), tokenizer.encode(full.substring(head.length()))},
                new boolean[] {false, true});
    }

    /** The conversation with each assistant turn labelled: pieces alternate masked prefix / assistant turn. */
    private Sequence conversation(List<ChatTurn> turns, Path file, int line) {
        List<int[]> pieces = new ArrayList<>();
        List<Boolean> train = new ArrayList<>();
        int done = 0;
        String full = template.render(turns, false);
        for (int i = 0; i < turns.size(); i++) {
            if (!turns.get(i).role().equals("assistant")) {
                continue;
            }
            String head = template.render(turns.subList(0, i), true);
            String upTo = template.render(turns.subList(0, i + 1), false);
            if (!upTo.startsWith(head) || !full.startsWith(upTo) || head.length() < done) {
                throw new EngineException(file + ":" + line + ": the chat template does not render assistant "
                        + "message " + (i + 1) + " after its generation prompt; cannot mask the prompt");
            }
            int[] masked = tokenizer.encode(full.substring(done, head.length()));
            pieces.add(done == 0 ? prompt(masked) : masked);
            train.add(false);
            pieces.add(tokenizer.encode(upTo.substring(head.length())));
            train.add(true);
            done = upTo.length();
        }
        if (done < full.length()) {
            pieces.add(tokenizer.encode(full.substring(done)));
            train.add(false);
        }
        boolean[] t = new boolean[train.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = train.get(i);
        }
        return join(pieces.toArray(int[][]::new), t);
    }

    private static Sequence join(int[][] pieces, boolean[] train) {
        int n = 0;
        for (int[] p : pieces) {
            n += p.length;
        }
        int[] ids = new int[n];
        int[] labels = new int[n];
        int at = 0;
        for (int i = 0; i < pieces.length; i++) {
            System.arraycopy(pieces[i], 0, ids, at, pieces[i].length);
            for (int j = 0; j < pieces[i].length; j++) {
                labels[at + j] = train[i] ? pieces[i][j] : Sequence.IGNORE;
            }
            at += pieces[i].length;
        }
        return new Sequence(ids, labels);
    }

    /** The prompt (everything before the first completion) cut to its last {@code max_prompt_length} tokens. */
    private int[] prompt(int[] ids) {
        if (maxPromptLength <= 0 || ids.length <= maxPromptLength) {
            return ids;
        }
        promptsCut++;
        return Arrays.copyOfRange(ids, ids.length - maxPromptLength, ids.length);
    }

    private Sequence fit(Sequence s) {
        sequences++;
        longest = Math.max(longest, s.ids().length);
        if (s.ids().length <= maxLength) {
            return s;
        }
        Sequence t = mode.equals(KEEP_END) ? s.truncateStart(maxLength) : s.truncate(maxLength);
        cut++;
        lost += s.labelled() - t.labelled();
        if (s.labelled() > 0 && t.labelled() == 0) {
            completionsLost++;
        }
        return t;
    }

    private static List<ChatTurn> turns(JsonNode list, Path file, int line, String field) {
        List<ChatTurn> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode m = list.get(i);
            if (!m.path("role").isTextual() || !m.path("content").isTextual()) {
                throw new EngineException(file + ":" + line + ": " + field + "[" + i
                        + "] needs string fields 'role' and 'content'");
            }
            out.add(new ChatTurn(m.get("role").asText(), m.get("content").asText()));
        }
        return out;
    }

    private interface LineHandler {
        void accept(int line, JsonNode record);
    }

    private static void forEachLine(Path file, LineHandler handler) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String s;
            int line = 0;
            while ((s = r.readLine()) != null) {
                line++;
                if (s.isBlank()) {
                    continue;
                }
                JsonNode o;
                try {
                    o = MAPPER.readTree(s);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new EngineException(file + ":" + line + ": not valid JSON: " + e.getOriginalMessage(), e);
                }
                if (o == null || !o.isObject()) {
                    throw new EngineException(file + ":" + line + ": each line must be a JSON object");
                }
                handler.accept(line, o);
            }
            if (line == 0) {
                throw new EngineException(file + ": the training file is empty");
            }
        } catch (IOException e) {
            throw new EngineException(file + ": cannot read the training data: " + e.getMessage(), e);
        }
    }
}
