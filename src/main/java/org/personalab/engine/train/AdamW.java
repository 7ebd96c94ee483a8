package org.personalab.engine.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.personalab.engine.EngineException;
import org.personalab.engine.HostTensor;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter 2019), computed exactly as {@code torch.optim.AdamW}:
 * {@code p ← p·(1 − lr·λ)}, then {@code m ← β₁m + (1−β₁)g}, {@code v ← β₂v + (1−β₂)g²},
 * {@code p ← p − lr · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε)}. The parameters and moments are Java float arrays (the
 * adapter is small), so the state is saved and restored bit for bit.
 */
public final class AdamW {

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final float[][] m;
    private final float[][] v;
    private int t;

    public AdamW(List<float[]> params, double beta1, double beta2, double eps, double weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.m = new float[params.size()][];
        this.v = new float[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            m[i] = new float[params.get(i).length];
            v[i] = new float[params.get(i).length];
        }
    }

    /** Updates {@code params} in place from {@code grads} at learning rate {@code lr}. */
    public void step(List<float[]> params, List<float[]> grads, double lr) {
        t++;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < params.size(); i++) {
            float[] p = params.get(i);
            float[] g = grads.get(i);
            float[] mi = m[i];
            float[] vi = v[i];
            for (int j = 0; j < p.length; j++) {
                double pj = p[j] * (1 - lr * weightDecay);
                double mj = beta1 * mi[j] + (1 - beta1) * g[j];
                double vj = beta2 * vi[j] + (1 - beta2) * (double) g[j] * g[j];
                mi[j] = (float) mj;
                vi[j] = (float) vj;
                p[j] = (float) (pj - lr * (mj / c1) / (Math.sqrt(vj / c2) + eps));
            }
        }
    }

    /** Steps taken. */
    public int steps() {
        return t;
    }

    /** The moments as tensors named {@code exp_avg.<name>} and {@code exp_avg_sq.<name>}. */
    public Map<String, HostTensor> state(List<String> names) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            out.put("exp_avg." + names.get(i), HostTensor.of(m[i].clone(), m[i].length));
            out.put("exp_avg_sq." + names.get(i), HostTensor.of(v[i].clone(), v[i].length));
        }
        return out;
    }

    /** Restores moments saved by {@link #state} after {@code steps} steps. */
    public void restore(Map<String, HostTensor> state, List<String> names, int steps, String source) {
        for (int i = 0; i < names.size(); i++) {
            copy(state, "exp_avg." + names.get(i), m[i], source);
            copy(state, "exp_avg_sq." + names.get(i), v[i], source);
        }
        t = steps;
    }

    private static void copy(Map<String, HostTensor> state, String name, float[] into, String source) {
        HostTensor h = state.get(name);
        if (h == null || h.data().length != into.length) {
            throw new EngineException(source + ": optimizer state '" + name + "' is missing or has the wrong size");
        }
        System.arraycopy(h.data(), 0, into, 0, into.length);
    }

    /**
     * Scales {@code grads} in place so their global L2 norm is at most {@code maxNorm} (as
     * {@code torch.nn.utils.clip_grad_norm_}); returns the norm before clipping.
     */
    public static double clipByGlobalNorm(List<float[]> grads, double maxNorm) {
        double sq = 0;
        for (float[] g : grads) {
            for (float x : g) {
                sq += (double) x * x;
            }
        }
        double norm = Math.sqrt(sq);
        if (maxNorm > 0 && norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            for (float[] g : grads) {
                for (int j = 0; j < g.length; j++) {
                    g[j] *= scale;
                }
            }
        }
        return norm;
    }
}
