package org.personalab.llm;

/**
 * The price of one model in US dollars per million input (prompt) and output (completion) tokens.
 *
 * @param model the model name as the provider spells it; {@code "*"} for a provider-wide default
 */
public record ModelPrice(String model, double inputPerMillion, double outputPerMillion) {

    public ModelPrice {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("a model price needs a model name");
        }
        if (!(inputPerMillion >= 0) || !(outputPerMillion >= 0)) {
            throw new IllegalArgumentException("prices of " + model + " must be numbers >= 0");
        }
    }

    /** A price of zero for every model (local servers). */
    public static ModelPrice free() {
        return new ModelPrice("*", 0, 0);
    }

    /** Dollars for the given token counts. */
    public double cost(long promptTokens, long completionTokens) {
        return (promptTokens * inputPerMillion + completionTokens * outputPerMillion) / 1_000_000.0;
    }
}
