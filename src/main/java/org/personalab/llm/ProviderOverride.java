package org.personalab.llm;

/**
 * A provider given on the command line: {@code --provider} (name; "custom" when only a URL is given),
 * {@code --base-url}, {@code --api-key-env} (the name of the variable, never the key), {@code --model} and, where a
 * command offers the Batch API, {@code --batch-api}/{@code --no-batch-api}.
 *
 * @param batchApi whether the provider offers the Batch API, or null to leave it as configured (a new provider then
 *        gets {@link Provider#defaultBatchApi})
 */
public record ProviderOverride(String provider, String baseUrl, String apiKeyEnv, String model, Boolean batchApi) {

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

    /** An override that leaves the Batch API capability as configured. */
    public ProviderOverride(String provider, String baseUrl, String apiKeyEnv, String model) {
        this(provider, baseUrl, apiKeyEnv, model, null);
    }
}
