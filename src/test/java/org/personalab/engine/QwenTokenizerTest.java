package org.personalab.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.personalab.support.Shared;

/**
 * The real Qwen2.5 tokenizer and chat template from ../shared/models (skipped when ../shared is absent): token ids
 * known from the Python tokenizer, and the exact ChatML text that {@code apply_chat_template} produces.
 */
class QwenTokenizerTest {

    static Path dir;
    static Tokenizer tokenizer;
    static ChatTemplate template;

    @BeforeAll
    static void load() {
        dir = Shared.dir().resolve("models").resolve("qwen2.5-tokenizer");
        assumeTrue(Files.isRegularFile(dir.resolve("tokenizer.json")), dir + " is not available; skipping");
        tokenizer = Tokenizer.load(dir);
        template = ChatTemplate.load(dir);
    }

    @AfterAll
    static void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }

    @Test
    void knownIds() {
        assertArrayEquals(new int[] {9707, 1879, 0}, tokenizer.encode("Hello world!"));
        assertEquals(151644, tokenizer.tokenId("<|im_start|>"));
        assertEquals(151645, tokenizer.tokenId("<|im_end|>"));
        assertEquals(151643, tokenizer.tokenId("<|endoftext|>"));
        assertArrayEquals(new int[] {151644, 872, 198, 9707, 1879, 0, 151645},
                tokenizer.encode("<|im_start|>user\nHello world!<|im_end|>"));
    }

    @Test
    void decodeRoundTripsAndDropsSpecialTokensOnRequest() {
        String text = "Ich bin ein Berliner — 北京 🙂";
        assertEquals(text, tokenizer.decode(tokenizer.encode(text), true));
        int[] ids = tokenizer.encode("<|im_start|>user\nHi<|im_end|>");
        assertEquals("user\nHi", tokenizer.decode(ids, true));
        assertEquals("<|im_start|>user\nHi<|im_end|>", tokenizer.decode(ids, false));
    }

    @Test
    void chatTemplateRendersExactChatMl() {
        List<ChatTurn> conversation = List.of(new ChatTurn("system", "You answer questionnaires."),
                new ChatTurn("user", "I am the life of the party.\nAnswer 1-5."),
                new ChatTurn("assistant", "4"));
        assertEquals("<|im_start|>system\nYou answer questionnaires.<|im_end|>\n"
                + "<|im_start|>user\nI am the life of the party.\nAnswer 1-5.<|im_end|>\n"
                + "<|im_start|>assistant\n4<|im_end|>\n", template.render(conversation, false));
        assertEquals("<|im_start|>system\nYou answer questionnaires.<|im_end|>\n"
                + "<|im_start|>user\nI am the life of the party.\nAnswer 1-5.<|im_end|>\n"
                + "<|im_start|>assistant\n", template.render(conversation.subList(0, 2), true));
    }

    @Test
    void templateAddsQwensDefaultSystemPromptWhenThereIsNone() {
        String prompt = template.render(List.of(new ChatTurn("user", "Hi")), true);
        assertEquals("<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant."
                + "<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", prompt);
        int[] ids = tokenizer.encode(prompt);
        assertEquals(151644, ids[0]);
        assertEquals(198, ids[ids.length - 1]); // "\n" after "assistant"
    }
}
