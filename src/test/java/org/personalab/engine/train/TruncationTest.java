package org.personalab.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.engine.ChatTemplate;
import org.personalab.engine.EngineException;
import org.personalab.engine.Tokenizer;

/**
 * How long records are cut to {@code max_length}: at the end (keep_start) or the prompt's beginning (keep_end), after
 * {@code max_prompt_length} kept each prompt's last tokens; every cut is counted, and a record whose whole completion
 * was cut away is counted as such.
 */
class TruncationTest {

    @TempDir
    static Path tmp;
    static Path model;
    static Path data;

    @BeforeAll
    static void setUp() {
        model = TrainFixtures.chatModel(tmp.resolve("model"), 5);
        String prompt = "p".repeat(200);
        data = TrainFixtures.write(tmp.resolve("long.jsonl"), List.of(
                "{\"messages\": [{\"role\": \"user\", \"content\": \"" + prompt + "\"}, {\"role\": \"assistant\", "
                        + "\"content\": \"" + "a".repeat(30) + "\"}]}",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"short\"}, {\"role\": \"assistant\", "
                        + "\"content\": \"b\"}]}"));
    }

    private static TrainData reader(Tokenizer tok, int max, String mode, int maxPrompt) {
        return new TrainData(tok, ChatTemplate.load(model), max, mode, maxPrompt);
    }

    @Test
    void keepStartCountsCompletionsCutAwayEntirely() {
        try (Tokenizer tok = Tokenizer.load(model)) {
            TrainData full = reader(tok, 4096, TrainData.KEEP_START, 0);
            Sequence whole = full.sft(data).get(0);
            TrainData r = reader(tok, 100, TrainData.KEEP_START, 0);
            List<Sequence> seqs = r.sft(data);
            TrainData.Truncation t = r.truncation();
            assertEquals(1, t.sequencesCut(), "only the long record exceeds 100 tokens");
            assertEquals(1, t.completionsLost(), "its prompt alone is longer than 100 tokens");
            assertEquals(whole.labelled(), t.labelledTokensLost());
            assertEquals(0, seqs.get(0).labelled());
            assertArrayEquals(Arrays.copyOf(whole.ids(), 100), seqs.get(0).ids(), "the first 100 tokens are kept");
            assertTrue(t.describe().contains("1 lost their whole completion and train nothing"), t.describe());
        }
    }

    @Test
    void keepEndKeepsTheCompletionAndMaxPromptLengthCutsThePromptFirst() {
        try (Tokenizer tok = Tokenizer.load(model)) {
            Sequence whole = reader(tok, 4096, TrainData.KEEP_START, 0).sft(data).get(0);
            TrainData end = reader(tok, 100, TrainData.KEEP_END, 0);
            Sequence kept = end.sft(data).get(0);
            assertArrayEquals(Arrays.copyOfRange(whole.ids(), whole.ids().length - 100, whole.ids().length),
                    kept.ids(), "the last 100 tokens are kept");
            assertEquals(whole.labelled(), kept.labelled(), "the whole completion is still trained");
            assertEquals(0, end.truncation().completionsLost());
            assertEquals(1, end.truncation().sequencesCut());

            TrainData prompt = reader(tok, 4096, TrainData.KEEP_START, 32);
            List<Sequence> seqs = prompt.sft(data);
            int completion = whole.ids().length - firstLabelled(whole);
            assertEquals(32 + completion, seqs.get(0).ids().length, "32 prompt tokens, then the completion");
            assertEquals(whole.labelled(), seqs.get(0).labelled());
            assertEquals(1, prompt.truncation().promptsCut(), "the short record's prompt fits");
            assertEquals(0, prompt.truncation().sequencesCut());
            assertTrue(prompt.truncation().describe().startsWith("1 prompts cut to their last max_prompt_length = 32"),
                    prompt.truncation().describe());
        }
    }

    @Test
    void theModesAreCheckedByTheConfig() throws Exception {
        Path bad = TrainFixtures.config(tmp.resolve("bad.json"), model, data, tmp.resolve("out"),
                java.util.Map.of("truncation_mode", "keep_middle"));
        EngineException e = assertThrows(EngineException.class, () -> TrainConfig.load(bad, TrainConfig.Kind.SFT));
        assertTrue(e.getMessage().contains("truncation_mode") && e.getMessage().contains("keep_end"), e.getMessage());
        Path ok = TrainFixtures.config(tmp.resolve("ok.json"), model, data, tmp.resolve("out"),
                java.util.Map.of("truncation_mode", "keep_end", "max_prompt_length", 64));
        TrainConfig c = TrainConfig.load(ok, TrainConfig.Kind.DPO);
        assertEquals(TrainData.KEEP_END, c.truncationMode());
        assertEquals(64, c.maxPromptLength());
        assertEquals("keep_end", c.toJson().get("truncation_mode").asText());
        assertEquals(TrainData.KEEP_START, TrainConfig.defaults(TrainConfig.Kind.SFT).truncationMode());
    }

    /** The position of the first trained label (the prompt's length). */
    private static int firstLabelled(Sequence s) {
        for (int t = 0; t < s.labels().length; t++) {
            if (s.labels()[t] != Sequence.IGNORE) {
                return t;
            }
        }
        return s.labels().length;
    }
}
