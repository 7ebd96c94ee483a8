package org.personalab.engine;

/**
 * {@code rope_scaling} of config.json: how rotary frequencies are stretched beyond the trained context. Supported
 * types, with Hugging Face's formulas ({@code transformers.modeling_rope_utils}):
 * <ul>
 * <li>{@code default} (absent): θ_i = rope_theta^(−2i/d).</li>
 * <li>{@code linear} (position interpolation, Chen et al. 2023): θ_i / factor.</li>
 * <li>{@code dynamic} (dynamic NTK): the base grows with the sequence length L once L exceeds
 * max_position_embeddings: base · ((factor·L/max) − (factor − 1))^(d/(d−2)).</li>
 * <li>{@code llama3}: low frequencies (wavelength above original_max_position_embeddings / low_freq_factor) divided
 * by factor, high frequencies kept, the band between interpolated smoothly.</li>
 * </ul>
 * {@code yarn}, {@code longrope} and others are refused with a clear message rather than run wrongly.
 */
public record RopeScaling(Type type, double factor, double lowFreqFactor, double highFreqFactor,
        int originalMaxPositionEmbeddings) {

    /** The supported scaling types. */
    public enum Type { DEFAULT, LINEAR, DYNAMIC, LLAMA3 }

    public static final RopeScaling NONE = new RopeScaling(Type.DEFAULT, 1, 0, 0, 0);

    /** Inverse frequencies θ_i for head dimension {@code dim} (i = 0 … dim/2 − 1), as float like PyTorch. */
    public float[] inverseFrequencies(double base, int dim, int maxPositionEmbeddings, int sequenceLength) {
        double b = base;
        if (type == Type.DYNAMIC) {
            int len = Math.max(sequenceLength, maxPositionEmbeddings);
            b = base * Math.pow(factor * len / maxPositionEmbeddings - (factor - 1), dim / (dim - 2.0));
        }
        float[] inv = new float[dim / 2];
        for (int i = 0; i < inv.length; i++) {
            float exponent = (float) (2 * i) / dim;
            inv[i] = (float) (1.0 / (float) Math.pow(b, exponent));
        }
        switch (type) {
            case LINEAR -> {
                for (int i = 0; i < inv.length; i++) {
                    inv[i] = (float) (inv[i] / factor);
                }
            }
            case LLAMA3 -> llama3(inv);
            default -> {
            }
        }
        return inv;
    }

    private void llama3(float[] inv) {
        double lowFreqWavelen = originalMaxPositionEmbeddings / lowFreqFactor;
        double highFreqWavelen = originalMaxPositionEmbeddings / highFreqFactor;
        for (int i = 0; i < inv.length; i++) {
            double wavelen = 2 * Math.PI / inv[i];
            if (wavelen > lowFreqWavelen) {
                inv[i] = (float) (inv[i] / factor);
            } else if (wavelen >= highFreqWavelen) {
                double smooth = (originalMaxPositionEmbeddings / wavelen - lowFreqFactor)
                        / (highFreqFactor - lowFreqFactor);
                inv[i] = (float) ((1 - smooth) * inv[i] / factor + smooth * inv[i]);
            }
        }
    }

    /** Whether the frequencies depend on the sequence length (only {@code dynamic}). */
    public boolean dependsOnLength() {
        return type == Type.DYNAMIC;
    }
}
