package org.personalab.engine;

import ai.djl.ndarray.NDArray;

/**
 * A learned map of the last dimension, {@code y = x Wᵀ (+ b)}: a plain {@link Linear} or, for fine-tuning, a
 * base linear plus a low-rank adapter. Attention and MLP hold projections so an adapter can be put in place of a
 * base weight without touching the layer code.
 */
public interface Projection {

    /** {@code x[..., in] → y[..., out]}. */
    NDArray forward(NDArray x);

    int inFeatures();

    int outFeatures();
}
