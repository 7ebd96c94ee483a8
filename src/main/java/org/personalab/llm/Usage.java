package org.personalab.llm;

/** Tokens of one call as the provider counted them. */
public record Usage(int promptTokens, int completionTokens) {

    public static final Usage ZERO = new Usage(0, 0);

    public int total() {
        return promptTokens + completionTokens;
    }

    public Usage plus(Usage o) {
        return new Usage(promptTokens + o.promptTokens, completionTokens + o.completionTokens);
    }
}
