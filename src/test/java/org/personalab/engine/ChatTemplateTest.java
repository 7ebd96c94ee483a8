package org.personalab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Templates other than Qwen's: bos/eos tokens, whitespace control, raise_exception and where templates come from. */
class ChatTemplateTest {

    /** A Llama-2-style template: bos_token, raise_exception on a bad role order, {%- -%} trimming. */
    static final String LLAMA2_STYLE = """
            {%- for message in messages %}
                {%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}
                    {{- raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}
                {%- endif %}
                {%- if message['role'] == 'user' %}
                    {{- bos_token + '[INST] ' + message['content'] | trim + ' [/INST]' }}
                {%- elif message['role'] == 'assistant' %}
                    {{- ' ' + message['content'] | trim + ' ' + eos_token }}
                {%- endif %}
            {%- endfor %}
            """;

    @TempDir
    Path tmp;

    @Test
    void rendersBosEosAndTrimsWhitespace() throws Exception {
        Files.writeString(tmp.resolve("tokenizer_config.json"), "{\"bos_token\": {\"content\": \"<s>\"}, "
                + "\"eos_token\": \"</s>\", \"chat_template\": " + json(LLAMA2_STYLE) + "}");
        ChatTemplate t = ChatTemplate.load(tmp);
        String out = t.render(List.of(new ChatTurn("user", " Hi "), new ChatTurn("assistant", "Hello"),
                new ChatTurn("user", "Bye")), false);
        assertEquals("<s>[INST] Hi [/INST] Hello </s><s>[INST] Bye [/INST]", out);
    }

    @Test
    void raiseExceptionBecomesAClearError() throws Exception {
        Files.writeString(tmp.resolve("tokenizer_config.json"), "{\"chat_template\": " + json(LLAMA2_STYLE) + "}");
        ChatTemplate t = ChatTemplate.load(tmp);
        EngineException e = assertThrows(EngineException.class,
                () -> t.render(List.of(new ChatTurn("assistant", "first")), false));
        assertTrue(e.getMessage().contains("tokenizer_config.json"), e.getMessage());
        assertTrue(e.getMessage().contains("Conversation roles must alternate"), e.getMessage());
    }

    @Test
    void chatTemplateJinjaFileTakesPrecedenceAndNamedTemplatesPickDefault() throws Exception {
        Files.writeString(tmp.resolve("tokenizer_config.json"), "{\"chat_template\": [{\"name\": \"tool_use\", "
                + "\"template\": \"TOOLS\"}, {\"name\": \"default\", \"template\": \"{{ messages[0].content }}!\"}]}");
        assertEquals("x!", ChatTemplate.load(tmp).render(List.of(new ChatTurn("user", "x")), false));
        Files.writeString(tmp.resolve("chat_template.jinja"), "[{{ messages | length }}]");
        assertEquals("[1]", ChatTemplate.load(tmp).render(List.of(new ChatTurn("user", "x")), false));
    }

    @Test
    void modelWithoutTemplateIsReported() throws Exception {
        Files.writeString(tmp.resolve("tokenizer_config.json"), "{\"eos_token\": \"</s>\"}");
        EngineException e = assertThrows(EngineException.class, () -> ChatTemplate.load(tmp));
        assertTrue(e.getMessage().contains("'chat_template' is missing"), e.getMessage());
    }

    private static String json(String s) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
    }
}
