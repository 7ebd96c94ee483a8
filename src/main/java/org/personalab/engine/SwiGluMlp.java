package org.personalab.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * The SwiGLU feed-forward block (Shazeer 2020, "GLU Variants Improve Transformer"):
 * {@code down( silu(gate(x)) ⊙ up(x) )} with {@code silu(z) = z · σ(z)}.
 */
public final class SwiGluMlp {

    private Projection gate;
    private Projection up;
    private Projection down;

    public SwiGluMlp(Projection gate, Projection up, Projection down) {
        this.gate = gate;
        this.up = up;
        this.down = down;
    }

    public NDArray forward(NDArray x) {
        NDArray g = gate.forward(x);
        return down.forward(g.mul(Activation.sigmoid(g)).mul(up.forward(x)));
    }

    /** The projection called {@code name} in checkpoints (gate_proj, up_proj, down_proj). */
    Projection projection(String name) {
        return switch (name) {
            case "gate_proj" -> gate;
            case "up_proj" -> up;
            case "down_proj" -> down;
            default -> throw new IllegalArgumentException("mlp has no module '" + name + "'");
        };
    }

    /** Puts {@code p} in place of projection {@code name}. */
    void replace(String name, Projection p) {
        Projection old = projection(name);
        if (old.inFeatures() != p.inFeatures() || old.outFeatures() != p.outFeatures()) {
            throw new IllegalArgumentException(name + ": replacement has a different shape");
        }
        switch (name) {
            case "gate_proj" -> gate = p;
            case "up_proj" -> up = p;
            default -> down = p;
        }
    }

    public Projection gate() {
        return gate;
    }

    public Projection up() {
        return up;
    }

    public Projection down() {
        return down;
    }
}
