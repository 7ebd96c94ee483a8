package org.personalab.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A chat model ready to answer: a Hugging Face model folder (config.json, safetensors, tokenizer.json,
 * tokenizer_config.json with its chat template, optional generation_config.json) and an optional PEFT LoRA adapter.
 * Messages are rendered by the model's own template, tokenised, generated with the KV cache and decoded; text can be
 * streamed as it is produced. One chat runs at a time (calls are serialised).
 */
public final class LocalModel implements AutoCloseable {

    /** Options of one chat call; {@code stop} strings end the reply and are left out of it. */
    public record ChatOptions(int maxTokens, SamplingParams sampling, List<String> stop) {
        public ChatOptions {
            stop = List.copyOf(stop);
            if (maxTokens < 1) {
                throw new IllegalArgumentException("max_tokens must be at least 1, not " + maxTokens);
            }
        }
    }

    /** The reply, why it ended, and token counts (OpenAI's usage). */
    public record ChatResult(String text, Generation.FinishReason finishReason, int promptTokens,
            int completionTokens) {
    }

    /** Sampling defaults from generation_config.json (greedy when the file is absent or do_sample is false). */
    public record Defaults(double temperature, double topP, int topK) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String name;
    private final DecoderModel model;
    private final LoraAdapter adapter;
    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final Set<Integer> stopTokens;
    private final Defaults defaults;
    private final Generator generator;

    private LocalModel(String name, DecoderModel model, LoraAdapter adapter, Tokenizer tokenizer,
            ChatTemplate template, Set<Integer> stopTokens, Defaults defaults) {
        this.name = name;
        this.model = model;
        this.adapter = adapter;
        this.tokenizer = tokenizer;
        this.template = template;
        this.stopTokens = Set.copyOf(stopTokens);
        this.defaults = defaults;
        this.generator = new Generator(model);
    }

    /** Loads {@code modelDir} (float32 on the CPU) and, when {@code adapterDir} is not null, puts that adapter on it. */
    public static LocalModel load(Path modelDir, Path adapterDir) {
        return load(modelDir, adapterDir, Compute.cpu());
    }

    /** Loads {@code modelDir} onto {@code compute}'s device and dtype, with the adapter when not null. */
    public static LocalModel load(Path modelDir, Path adapterDir, Compute compute) {
        ChatTemplate template = ChatTemplate.load(modelDir);
        JsonNode generationConfig = generationConfig(modelDir);
        Tokenizer tokenizer = Tokenizer.load(modelDir);
        DecoderModel model = null;
        try {
            model = DecoderModel.load(modelDir, compute);
            LoraAdapter adapter = adapterDir == null ? null : LoraAdapter.load(model, adapterDir);
            Set<Integer> stops = new LinkedHashSet<>(model.config().eosTokenIds());
            JsonNode eos = generationConfig.path("eos_token_id");
            if (eos.isInt()) {
                stops.add(eos.asInt());
            } else if (eos.isArray()) {
                eos.forEach(e -> stops.add(e.asInt()));
            }
            String eosText = template.eosToken();
            if (!eosText.isEmpty() && tokenizer.tokenId(eosText) >= 0) {
                stops.add(tokenizer.tokenId(eosText));
            }
            if (stops.isEmpty()) {
                throw new EngineException(modelDir + ": no end-of-sequence token in config.json, "
                        + "generation_config.json or tokenizer_config.json; generation could not stop");
            }
            boolean sample = generationConfig.path("do_sample").asBoolean(false);
            Defaults defaults = sample
                    ? new Defaults(generationConfig.path("temperature").asDouble(1.0),
                            generationConfig.path("top_p").asDouble(1.0), generationConfig.path("top_k").asInt(0))
                    : new Defaults(0, 1, 0);
            String name = modelDir.toAbsolutePath().normalize().getFileName().toString()
                    + (adapterDir == null ? "" : "+" + adapterDir.toAbsolutePath().normalize().getFileName());
            return new LocalModel(name, model, adapter, tokenizer, template, stops, defaults);
        } catch (RuntimeException e) {
            tokenizer.close();
            if (model != null) {
                model.close();
            }
            throw e;
        }
    }

    private static JsonNode generationConfig(Path dir) {
        Path f = dir.resolve("generation_config.json");
        if (!Files.isRegularFile(f)) {
            return MAPPER.createObjectNode();
        }
        try {
            JsonNode n = MAPPER.readTree(Files.readString(f, StandardCharsets.UTF_8));
            return n == null ? MAPPER.createObjectNode() : n;
        } catch (IOException e) {
            throw new EngineException(f + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The name the server answers to: the model folder's name, plus "+adapter folder" with an adapter. */
    public String name() {
        return name;
    }

    public ModelConfig config() {
        return model.config();
    }

    /** The device and dtype the model computes in. */
    public Compute compute() {
        return model.compute();
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public ChatTemplate template() {
        return template;
    }

    public Set<Integer> stopTokens() {
        return stopTokens;
    }

    public Defaults defaults() {
        return defaults;
    }

    /** The prompt token ids for {@code messages}, ending with the template's generation prompt. */
    public int[] promptTokens(List<ChatTurn> messages) {
        return tokenizer.encode(template.render(messages, true));
    }

    /**
     * Answers {@code messages}. {@code onText} (may be null) receives the reply in pieces as they become final:
     * never half a UTF-8 character, never the start of a stop string.
     */
    public synchronized ChatResult chat(List<ChatTurn> messages, ChatOptions options, Consumer<String> onText) {
        int[] prompt = promptTokens(messages);
        int room = model.config().maxPositionEmbeddings() - prompt.length;
        if (room < 1) {
            throw new IllegalArgumentException("the prompt has " + prompt.length + " tokens; the model's context is "
                    + model.config().maxPositionEmbeddings());
        }
        int maxTokens = Math.min(options.maxTokens(), room);
        TextStream stream = new TextStream(tokenizer, options.stop(), onText);
        Generation g = generator.generate(prompt, new GenerationParams(maxTokens, stopTokens, options.sampling()),
                stream::accept);
        stream.finish();
        Generation.FinishReason finish = stream.stopped() ? Generation.FinishReason.STOP : g.finishReason();
        return new ChatResult(stream.text(), finish, prompt.length, g.tokens().length);
    }

    @Override
    public void close() {
        if (adapter != null) {
            adapter.close();
        }
        model.close();
        tokenizer.close();
    }

    /** Turns tokens into text as it becomes final, cutting at the first stop string. */
    private static final class TextStream {
        private final Tokenizer tokenizer;
        private final List<String> stop;
        private final Consumer<String> sink;
        private final int holdBack;
        private int[] tokens = new int[0];
        private String text = "";
        private int emitted;
        private boolean stopped;

        TextStream(Tokenizer tokenizer, List<String> stop, Consumer<String> sink) {
            this.tokenizer = tokenizer;
            this.stop = stop;
            this.sink = sink;
            this.holdBack = stop.stream().mapToInt(String::length).max().orElse(1) - 1;
        }

        /** Takes one token; false once a stop string has appeared. */
        boolean accept(int token) {
            tokens = java.util.Arrays.copyOf(tokens, tokens.length + 1);
            tokens[tokens.length - 1] = token;
            text = tokenizer.decode(tokens, true);
            int cut = -1;
            for (String s : stop) {
                int i = text.indexOf(s);
                if (i >= 0 && (cut < 0 || i < cut)) {
                    cut = i;
                }
            }
            if (cut >= 0) {
                text = text.substring(0, cut);
                stopped = true;
                return false;
            }
            if (!text.endsWith("\uFFFD")) {
                emit(text.length() - holdBack);
            }
            return true;
        }

        void finish() {
            emit(text.length());
        }

        private void emit(int upTo) {
            if (upTo > emitted && sink != null) {
                sink.accept(text.substring(emitted, upTo));
            }
            emitted = Math.max(emitted, upTo);
        }

        String text() {
            return text;
        }

        boolean stopped() {
            return stopped;
        }
    }
}
