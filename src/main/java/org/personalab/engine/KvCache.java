package org.personalab.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.Arrays;

/**
 * The keys and values every layer has computed so far for a batch of sequences, so each new token attends to the
 * past without recomputing it (incremental decoding). Per layer: keys and values {@code [B, kvHeads, S, headDim]},
 * after rotary, grown along S. Beside them, per row: which of the S slots hold real tokens (left padding and the
 * slots of finished rows are not) and the position the row's next real token gets.
 *
 * <p>A forward pass that fails part-way leaves the cache inconsistent; discard it then.
 */
public final class KvCache implements AutoCloseable {

    /** One layer's past keys and values. */
    public final class Layer {
        private NDArray keys;
        private NDArray values;

        /** Appends {@code k [B, kvHeads, T, d]} and returns all keys {@code [B, kvHeads, S, d]}. */
        NDArray appendKeys(NDArray k) {
            keys = grow(keys, k);
            return keys;
        }

        NDArray appendValues(NDArray v) {
            values = grow(values, v);
            return values;
        }

        private NDArray grow(NDArray past, NDArray next) {
            NDArray all = past == null ? next : past.concat(next, 2);
            NDScope.unregister(all);
            if (past != null) {
                past.close();
            }
            return all;
        }

        void close() {
            if (keys != null) {
                keys.close();
                values.close();
                keys = null;
                values = null;
            }
        }
    }

    private final Layer[] layers;
    private final int batch;
    private boolean[][] valid;
    private final int[] nextPosition;

    public KvCache(int layerCount, int batch) {
        this.layers = new Layer[layerCount];
        for (int i = 0; i < layerCount; i++) {
            layers[i] = new Layer();
        }
        this.batch = batch;
        this.valid = new boolean[batch][0];
        this.nextPosition = new int[batch];
    }

    public int batch() {
        return batch;
    }

    /** Slots held so far (the same for every row; padding included). */
    public int length() {
        return valid[0].length;
    }

    /** Whether slot {@code s} of row {@code b} holds a real token. */
    public boolean isValid(int b, int s) {
        return valid[b][s];
    }

    /** Whether every slot of every row holds a real token (no padding, no finished rows). */
    boolean allValid() {
        for (boolean[] row : valid) {
            for (boolean v : row) {
                if (!v) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The position the next real token of row {@code b} will get (= real tokens of the row so far). */
    public int nextPosition(int b) {
        return nextPosition[b];
    }

    Layer layer(int i) {
        return layers[i];
    }

    /**
     * Records a step of {@code validNow[b][t]} slots and returns their positions (padding gets position 0). Called
     * by the model before the layers run.
     */
    int[][] advance(boolean[][] validNow) {
        int len = validNow[0].length;
        int[][] positions = new int[batch][len];
        for (int b = 0; b < batch; b++) {
            boolean[] row = Arrays.copyOf(valid[b], valid[b].length + len);
            for (int t = 0; t < len; t++) {
                row[valid[b].length + t] = validNow[b][t];
                positions[b][t] = validNow[b][t] ? nextPosition[b]++ : 0;
            }
            valid[b] = row;
        }
        return positions;
    }

    @Override
    public void close() {
        for (Layer l : layers) {
            l.close();
        }
    }
}
