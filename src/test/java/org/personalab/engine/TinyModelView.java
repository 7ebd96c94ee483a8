package org.personalab.engine;

/** Derives variants of a {@link TinyModel} for comparisons. */
record TinyModelView(TinyModel model) {

    /** The same weights without lm_head, i.e. the head tied to the embedding. */
    TinyModel tiedCopy() {
        java.util.Map<String, HostTensor> w = new java.util.LinkedHashMap<>(model.weights);
        w.remove("lm_head.weight");
        return TinyModel.of(w, true);
    }
}
