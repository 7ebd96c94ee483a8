package org.personalab.engine.train;

import java.util.List;

/**
 * Dynamic loss scaling for float16 training, as PyTorch's {@code torch.amp.GradScaler} does it with its defaults: the
 * loss is multiplied by a scale (initially 2¹⁶) before the backward pass, so small gradients survive float16's narrow
 * range; the gradients are divided by it again (in float32, on the master weights) before clipping and AdamW. A step
 * whose gradients overflowed (inf or NaN) is skipped and the scale halved; after 2000 steps in a row without overflow
 * it doubles. float32 runs use scale 1 and never skip.
 */
final class LossScaler {

    static final double INITIAL = 65536;
    static final double GROWTH = 2;
    static final double BACKOFF = 0.5;
    static final int INTERVAL = 2000;

    private final boolean enabled;
    private double scale;
    private int goodSteps;

    LossScaler(boolean enabled) {
        this.enabled = enabled;
        this.scale = enabled ? INITIAL : 1;
    }

    boolean enabled() {
        return enabled;
    }

    /** The factor the loss is multiplied by in the next backward pass. */
    double scale() {
        return scale;
    }

    /** Steps in a row without overflow since the scale last changed. */
    int goodSteps() {
        return goodSteps;
    }

    /** Restores a saved state (a resumed run continues with the same scale). */
    void restore(double scale, int goodSteps) {
        if (enabled && scale > 0 && Double.isFinite(scale)) {
            this.scale = scale;
            this.goodSteps = Math.max(0, goodSteps);
        }
    }

    /**
     * Divides {@code grads} by the scale in place and says whether they are all finite; updates the scale for the
     * next step (halved after an overflow, doubled after {@link #INTERVAL} good steps).
     *
     * @return false when the step must be skipped
     */
    boolean unscale(List<float[]> grads) {
        boolean finite = true;
        float inv = (float) (1 / scale);
        for (float[] g : grads) {
            for (int j = 0; j < g.length; j++) {
                float v = g[j] * inv;
                if (!Float.isFinite(v)) {
                    finite = false;
                }
                g[j] = v;
            }
        }
        if (!enabled) {
            return finite;
        }
        if (!finite) {
            scale *= BACKOFF;
            goodSteps = 0;
            return false;
        }
        if (++goodSteps >= INTERVAL) {
            scale *= GROWTH;
            goodSteps = 0;
        }
        return true;
    }
}
