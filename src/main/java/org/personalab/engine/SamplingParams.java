package org.personalab.engine;

/**
 * How the next token is chosen from the logits, with OpenAI's / Hugging Face's meanings: {@code temperature} 0 is
 * greedy (argmax); otherwise logits are divided by the temperature, {@code topK} (0 = off) keeps the k most likely
 * tokens and {@code topP} (1 = off) the smallest set whose probability reaches p (nucleus sampling, Holtzman et al.
 * 2020), and a token is drawn with a generator seeded by {@code seed}.
 */
public record SamplingParams(double temperature, double topP, int topK, long seed) {

    public static final SamplingParams GREEDY = new SamplingParams(0, 1, 0, 0);

    public SamplingParams {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number ≥ 0, not " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], not " + topP);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k must be ≥ 0 (0 = off), not " + topK);
        }
    }

    public boolean greedy() {
        return temperature == 0;
    }
}
