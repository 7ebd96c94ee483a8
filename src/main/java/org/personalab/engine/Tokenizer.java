package org.personalab.engine;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model's tokenizer from its {@code tokenizer.json}, run by Hugging Face's own Rust tokenizers through DJL, so ids
 * match the Python stack exactly. Text is encoded without adding special tokens: chat templates write the special
 * tokens themselves (as {@code apply_chat_template} does), and no truncation or padding is applied.
 */
public final class Tokenizer implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final Path file;

    private Tokenizer(HuggingFaceTokenizer tokenizer, Path file) {
        this.tokenizer = tokenizer;
        this.file = file;
    }

    /** Loads {@code tokenizer.json} from a model folder (or the file itself). */
    public static Tokenizer load(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
        if (!Files.isRegularFile(file)) {
            throw new EngineException(file + ": no tokenizer.json (the model folder needs Hugging Face's tokenizer)");
        }
        DjlRuntime.offlineByDefault();
        try {
            HuggingFaceTokenizer t = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optAddSpecialTokens(false)
                    .optTruncation(false)
                    .optPadding(false)
                    .build();
            return new Tokenizer(t, file);
        } catch (IOException | RuntimeException e) {
            throw new EngineException(file + ": cannot load the tokenizer: " + e.getMessage(), e);
        }
    }

    /** Token ids of {@code text}; special-token strings in the text (e.g. {@code <|im_start|>}) become their ids. */
    public int[] encode(String text) {
        Encoding e = tokenizer.encode(text, false, false);
        long[] ids = e.getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    /** The text of {@code ids}; special tokens are dropped when {@code skipSpecialTokens}. */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return tokenizer.decode(l, skipSpecialTokens);
    }

    /** The id of a single token such as {@code <|im_end|>}, or -1 when the text is not exactly one token. */
    public int tokenId(String token) {
        int[] ids = encode(token);
        return ids.length == 1 ? ids[0] : -1;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
