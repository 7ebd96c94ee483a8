package org.personalab.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model's own chat template — the Jinja text in {@code chat_template.jinja} or in the {@code chat_template} field
 * of {@code tokenizer_config.json} — rendered the way Hugging Face's {@code apply_chat_template} renders it, so each
 * model gets exactly the prompt layout it was trained on. Jinjava is configured as Hugging Face configures Jinja
 * ({@code trim_blocks}, {@code lstrip_blocks}, and {@code {{-}} trimming; STACK.md), and the template sees the same
 * variables: {@code messages}, {@code add_generation_prompt}, {@code bos_token}, {@code eos_token} and the functions
 * {@code raise_exception} and {@code strftime_now}.
 */
public final class ChatTemplate {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String template;
    private final String bosToken;
    private final String eosToken;
    private final String source;
    private final Jinjava jinjava;

    public ChatTemplate(String template, String bosToken, String eosToken, String source) {
        this.template = template;
        this.bosToken = bosToken == null ? "" : bosToken;
        this.eosToken = eosToken == null ? "" : eosToken;
        this.source = source;
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withLegacyOverrides(LegacyOverrides.newBuilder().withUseTrimmingForNotesAndExpressions(true).build())
                .build();
        this.jinjava = new Jinjava(config);
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                ChatTemplate.class, "raiseException", String.class));
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "strftime_now",
                ChatTemplate.class, "strftimeNow", String.class));
    }

    /** Reads the template and the bos/eos tokens of a model folder. */
    public static ChatTemplate load(Path dir) {
        Path configFile = dir.resolve("tokenizer_config.json");
        JsonNode config = null;
        if (Files.isRegularFile(configFile)) {
            try {
                config = MAPPER.readTree(Files.readString(configFile, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new EngineException(configFile + ": cannot read: " + e.getMessage(), e);
            }
        }
        String bos = config == null ? null : tokenText(config.get("bos_token"), configFile, "bos_token");
        String eos = config == null ? null : tokenText(config.get("eos_token"), configFile, "eos_token");
        Path jinja = dir.resolve("chat_template.jinja");
        if (Files.isRegularFile(jinja)) {
            try {
                return new ChatTemplate(Files.readString(jinja, StandardCharsets.UTF_8), bos, eos, jinja.toString());
            } catch (IOException e) {
                throw new EngineException(jinja + ": cannot read: " + e.getMessage(), e);
            }
        }
        if (config == null) {
            throw new EngineException(dir + ": no tokenizer_config.json or chat_template.jinja with a chat template");
        }
        JsonNode t = config.get("chat_template");
        if (t != null && t.isArray()) {
            // several named templates: Hugging Face uses the one called "default"
            for (JsonNode named : t) {
                if ("default".equals(named.path("name").asText())) {
                    t = named.get("template");
                    break;
                }
            }
        }
        if (t == null || !t.isTextual()) {
            throw new EngineException(configFile + ": field 'chat_template' is missing (this model has no chat "
                    + "template; it is not a chat model)");
        }
        return new ChatTemplate(t.asText(), bos, eos, configFile + " (chat_template)");
    }

    private static String tokenText(JsonNode n, Path file, String field) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isObject() && n.path("content").isTextual()) {
            return n.get("content").asText();
        }
        throw new EngineException(file + ": field '" + field + "' must be a string or {\"content\": ...}");
    }

    /** The prompt text for {@code messages}; with {@code addGenerationPrompt} it ends where the reply starts. */
    public String render(List<ChatTurn> messages, boolean addGenerationPrompt) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (ChatTurn m : messages) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("role", m.role());
            map.put("content", m.content());
            list.add(map);
        }
        Map<String, Object> context = new HashMap<>();
        context.put("messages", list);
        context.put("add_generation_prompt", addGenerationPrompt);
        context.put("bos_token", bosToken);
        context.put("eos_token", eosToken);
        RenderResult result = jinjava.renderForResult(template, context);
        for (TemplateError e : result.getErrors()) {
            if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
                for (Throwable c = e.getException(); c != null; c = c.getCause()) {
                    if (c instanceof TemplateRaise r) {
                        throw new EngineException(source + ": the chat template refused the messages: "
                                + r.getMessage());
                    }
                }
                throw new EngineException(source + ": chat template failed"
                        + (e.getLineno() > 0 ? " near line " + e.getLineno() : "") + ": " + e.getMessage());
            }
        }
        return result.getOutput();
    }

    public String template() {
        return template;
    }

    /** The end-of-sequence token text of tokenizer_config.json ("" when none). */
    public String eosToken() {
        return eosToken;
    }

    /** {@code raise_exception(msg)} of Hugging Face's template environment. */
    public static Object raiseException(String message) {
        throw new TemplateRaise(message);
    }

    /** {@code strftime_now(format)}: the current local time in a Python strftime format (common codes). */
    public static String strftimeNow(String format) {
        ZonedDateTime now = ZonedDateTime.now();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            char code = format.charAt(++i);
            String pattern = switch (code) {
                case 'd' -> "dd";
                case 'm' -> "MM";
                case 'Y' -> "yyyy";
                case 'y' -> "yy";
                case 'b' -> "MMM";
                case 'B' -> "MMMM";
                case 'a' -> "EEE";
                case 'A' -> "EEEE";
                case 'H' -> "HH";
                case 'M' -> "mm";
                case 'S' -> "ss";
                default -> null;
            };
            if (pattern == null) {
                out.append(code == '%' ? "%" : "%" + code);
            } else {
                out.append(DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH).format(now));
            }
        }
        return out.toString();
    }

    /** What {@code raise_exception} throws; its message is the template author's. */
    static final class TemplateRaise extends RuntimeException {
        TemplateRaise(String message) {
            super(message);
        }
    }
}
