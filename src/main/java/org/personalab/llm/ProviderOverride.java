package org.personalab.llm;

/**
 * A provider given on the command line: {@code --provider} (name; "custom" when only a URL is given),
 * {@code --base-url}, {@code --api-key-env} (the name of the variable, never the key) and {@code --model}.
 */
public record ProviderOverride(String provider, String baseUrl, String apiKeyEnv, String model) {

    public ProviderOverride {
        if (provider == null || provider.isBlank()) {
            provider = "custom";
        }
        if (baseUrl != null && baseUrl.isBlank()) {
            baseUrl = null;
        }
        if (apiKeyEnv != null && apiKeyEnv.isBlank()) {
            apiKeyEnv = null;
        }
    }
}
