package org.personalab.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A complete tiny chat-model folder: the random {@link TinyModel} weights plus a real Hugging Face
 * {@code tokenizer.json} (byte-level BPE over the 256 bytes, no merges, ChatML special tokens, filler tokens up to the
 * vocabulary of 300) and a {@code tokenizer_config.json} with a ChatML template.
 */
final class TinyChatModel {

    static final int END_OF_TEXT = 256;
    static final int IM_START = 257;
    static final int IM_END = 258;
    static final String CHATML = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + "
            + "message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}"
            + "{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private TinyChatModel() {
    }

    static Path write(Path dir, long seed) {
        TinyModel.random(seed, true, false).write(dir, DType.F32, 1, c -> c.put("eos_token_id", IM_END));
        ObjectMapper m = new ObjectMapper();
        try {
            Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson(m).toPrettyString());
            ObjectNode tc = m.createObjectNode();
            tc.put("eos_token", "<|im_end|>");
            tc.put("pad_token", "<|endoftext|>");
            tc.put("chat_template", CHATML);
            Files.writeString(dir.resolve("tokenizer_config.json"), tc.toPrettyString());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode tokenizerJson(ObjectMapper m) {
        ObjectNode t = m.createObjectNode();
        t.put("version", "1.0");
        t.putNull("truncation");
        t.putNull("padding");
        ArrayNode added = t.putArray("added_tokens");
        addToken(added, END_OF_TEXT, "<|endoftext|>", true);
        addToken(added, IM_START, "<|im_start|>", true);
        addToken(added, IM_END, "<|im_end|>", true);
        for (int id = IM_END + 1; id < TinyModel.VOCAB; id++) {
            addToken(added, id, "<extra_" + id + ">", false);
        }
        t.putNull("normalizer");
        t.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", true);
        t.putNull("post_processor");
        t.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true).put("trim_offsets", true)
                .put("use_regex", true);
        ObjectNode model = t.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        char[] byteChars = byteLevelAlphabet();
        for (int b = 0; b < 256; b++) {
            vocab.put(String.valueOf(byteChars[b]), b);
        }
        model.putArray("merges");
        return t;
    }

    private static void addToken(ArrayNode added, int id, String content, boolean special) {
        added.addObject().put("id", id).put("content", content).put("single_word", false).put("lstrip", false)
                .put("rstrip", false).put("normalized", false).put("special", special);
    }

    /** GPT-2's bytes_to_unicode: printable bytes map to themselves, the others to 256 + n. */
    static char[] byteLevelAlphabet() {
        char[] out = new char[256];
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            out[b] = printable ? (char) b : (char) (256 + n++);
        }
        return out;
    }
}
