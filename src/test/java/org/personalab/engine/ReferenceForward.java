package org.personalab.engine;

/**
 * An independent forward pass of the tiny Qwen2 model in plain Java loops and double precision, written from the
 * papers (RMSNorm, RoPE rotate-half, grouped-query causal attention, SwiGLU) without any engine class, to check the
 * DJL implementation against.
 */
final class ReferenceForward {

    private final TinyModel m;

    ReferenceForward(TinyModel m) {
        this.m = m;
    }

    /** Logits [T][vocab] of one sequence. */
    double[][] logits(int[] ids) {
        int n = ids.length;
        int h = TinyModel.HIDDEN;
        double[][] x = new double[n][h];
        float[] embed = m.w("model.embed_tokens.weight").data();
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < h; j++) {
                x[t][j] = embed[ids[t] * h + j];
            }
        }
        for (int l = 0; l < TinyModel.LAYERS; l++) {
            String p = "model.layers." + l + ".";
            double[][] a = attention(norm(x, p + "input_layernorm.weight"), p);
            for (int t = 0; t < n; t++) {
                for (int j = 0; j < h; j++) {
                    x[t][j] += a[t][j];
                }
            }
            double[][] xn = norm(x, p + "post_attention_layernorm.weight");
            double[][] gate = matVec(xn, p + "mlp.gate_proj.weight", null);
            double[][] up = matVec(xn, p + "mlp.up_proj.weight", null);
            for (int t = 0; t < n; t++) {
                for (int j = 0; j < gate[t].length; j++) {
                    double g = gate[t][j];
                    gate[t][j] = g / (1 + Math.exp(-g)) * up[t][j];
                }
            }
            double[][] down = matVec(gate, p + "mlp.down_proj.weight", null);
            for (int t = 0; t < n; t++) {
                for (int j = 0; j < h; j++) {
                    x[t][j] += down[t][j];
                }
            }
        }
        double[][] xn = norm(x, "model.norm.weight");
        return matVec(xn, m.tied ? "model.embed_tokens.weight" : "lm_head.weight", null);
    }

    private double[][] norm(double[][] x, String weight) {
        float[] g = m.w(weight).data();
        double[][] out = new double[x.length][x[0].length];
        for (int t = 0; t < x.length; t++) {
            double ss = 0;
            for (double v : x[t]) {
                ss += v * v;
            }
            double scale = 1 / Math.sqrt(ss / x[t].length + TinyModel.EPS);
            for (int j = 0; j < x[t].length; j++) {
                out[t][j] = x[t][j] * scale * g[j];
            }
        }
        return out;
    }

    /** y[t] = W x[t] + b with W [out][in] row-major. */
    private double[][] matVec(double[][] x, String weight, String bias) {
        HostTensor w = m.w(weight);
        int out = (int) w.dim(0);
        int in = (int) w.dim(1);
        float[] b = bias == null ? null : m.w(bias).data();
        double[][] y = new double[x.length][out];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < out; o++) {
                double s = b == null ? 0 : b[o];
                for (int i = 0; i < in; i++) {
                    s += w.data()[o * in + i] * x[t][i];
                }
                y[t][o] = s;
            }
        }
        return y;
    }

    private double[][] attention(double[][] x, String p) {
        int n = x.length;
        int d = TinyModel.HEAD_DIM;
        int group = TinyModel.HEADS / TinyModel.KV_HEADS;
        double[][] q = rope(matVec(x, p + "self_attn.q_proj.weight", p + "self_attn.q_proj.bias"), TinyModel.HEADS);
        double[][] k = rope(matVec(x, p + "self_attn.k_proj.weight", p + "self_attn.k_proj.bias"), TinyModel.KV_HEADS);
        double[][] v = matVec(x, p + "self_attn.v_proj.weight", p + "self_attn.v_proj.bias");
        double[][] out = new double[n][TinyModel.HEADS * d];
        for (int head = 0; head < TinyModel.HEADS; head++) {
            int kv = head / group;
            for (int t = 0; t < n; t++) {
                double[] score = new double[t + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s <= t; s++) {
                    double dot = 0;
                    for (int j = 0; j < d; j++) {
                        dot += q[t][head * d + j] * k[s][kv * d + j];
                    }
                    score[s] = dot / Math.sqrt(d);
                    max = Math.max(max, score[s]);
                }
                double sum = 0;
                for (int s = 0; s <= t; s++) {
                    score[s] = Math.exp(score[s] - max);
                    sum += score[s];
                }
                for (int s = 0; s <= t; s++) {
                    for (int j = 0; j < d; j++) {
                        out[t][head * d + j] += score[s] / sum * v[s][kv * d + j];
                    }
                }
            }
        }
        return matVec(out, p + "self_attn.o_proj.weight", null);
    }

    /** Rotates pairs (j, j + d/2) of every head of token t by t · θ^(−2j/d). */
    private static double[][] rope(double[][] x, int heads) {
        int d = TinyModel.HEAD_DIM;
        int half = d / 2;
        double[][] out = new double[x.length][x[0].length];
        for (int t = 0; t < x.length; t++) {
            for (int head = 0; head < heads; head++) {
                for (int j = 0; j < half; j++) {
                    double angle = t * Math.pow(TinyModel.THETA, -2.0 * j / d);
                    double a = x[t][head * d + j];
                    double b = x[t][head * d + j + half];
                    out[t][head * d + j] = a * Math.cos(angle) - b * Math.sin(angle);
                    out[t][head * d + j + half] = b * Math.cos(angle) + a * Math.sin(angle);
                }
            }
        }
        return out;
    }
}
