package org.personalab.llm;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An OpenAI-compatible chat completions endpoint: OpenAI, Together, or any base URL (vLLM, Ollama, llama.cpp server,
 * LM Studio).
 *
 * @param baseUrl the URL that {@code /chat/completions} is appended to, e.g. {@code https://api.openai.com/v1}
 * @param apiKeyEnv the environment variable holding the key, or null for servers that need none. The key itself is
 *        never part of a provider: it is read at call time ({@link ApiKeys}).
 * @param models prices by model name
 * @param defaultPrice price of models not listed, or null (then their cost is unknown)
 * @param batchPriceFactor the share of the list price paid for answers of the provider's Batch API (OpenAI and
 *        Together charge half: {@value #DEFAULT_BATCH_PRICE_FACTOR})
 * @param batchApi whether the provider offers the OpenAI Batch API ({@code /files}, {@code /batches}); spec
 *        generation offers batch mode only where it is true. Where nothing says so, {@link #defaultBatchApi} decides.
 */
public record Provider(String name, String baseUrl, String apiKeyEnv, Map<String, ModelPrice> models,
        ModelPrice defaultPrice, Limits limits, Timeouts timeouts, StructuredMode structured,
        double batchPriceFactor, boolean batchApi) {

    public static final double DEFAULT_BATCH_PRICE_FACTOR = 0.5;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public Provider {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("provider name '" + name
                    + "' must be 1-64 letters, digits, '.', '_' or '-'");
        }
        String given = baseUrl;
        while (baseUrl != null && baseUrl.endsWith("/")) {
            baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
        }
        if (baseUrl == null || !(baseUrl.matches("https?://[^/\\s]+.*"))) {
            throw new IllegalArgumentException("provider " + name + ": base URL '" + given
                    + "' must start with http:// or https:// and a host");
        }
        if (apiKeyEnv != null && apiKeyEnv.isBlank()) {
            apiKeyEnv = null;
        }
        if (apiKeyEnv != null && !ENV.matcher(apiKeyEnv).matches()) {
            throw new IllegalArgumentException("provider " + name + ": '" + apiKeyEnv
                    + "' is not an environment variable name (the key itself belongs in the environment or keys.json)");
        }
        models = java.util.Collections.unmodifiableMap(new TreeMap<>(models == null ? Map.of() : models));
        limits = limits == null ? Limits.NONE : limits;
        timeouts = timeouts == null ? Timeouts.DEFAULT : timeouts;
        structured = structured == null ? StructuredMode.JSON_SCHEMA : structured;
        if (!(batchPriceFactor >= 0 && batchPriceFactor <= 10)) {
            throw new IllegalArgumentException("provider " + name + ": batch price factor must be between 0 and 10 "
                    + "(a share of the list price), not " + batchPriceFactor);
        }
    }

    /** A provider whose Batch API capability follows {@link #defaultBatchApi}. */
    public Provider(String name, String baseUrl, String apiKeyEnv, Map<String, ModelPrice> models,
            ModelPrice defaultPrice, Limits limits, Timeouts timeouts, StructuredMode structured,
            double batchPriceFactor) {
        this(name, baseUrl, apiKeyEnv, models, defaultPrice, limits, timeouts, structured, batchPriceFactor,
                defaultBatchApi(apiKeyEnv));
    }

    /**
     * A provider whose batch answers cost {@value #DEFAULT_BATCH_PRICE_FACTOR} of the list price and whose Batch API
     * capability follows {@link #defaultBatchApi}.
     */
    public Provider(String name, String baseUrl, String apiKeyEnv, Map<String, ModelPrice> models,
            ModelPrice defaultPrice, Limits limits, Timeouts timeouts, StructuredMode structured) {
        this(name, baseUrl, apiKeyEnv, models, defaultPrice, limits, timeouts, structured,
                DEFAULT_BATCH_PRICE_FACTOR);
    }

    /**
     * Whether a provider is taken to offer the Batch API when nothing says so (a {@code providers.json} entry without
     * {@code batchApi}, a provider given on the command line without {@code --batch-api}/{@code --no-batch-api}, a
     * provider made in code by {@link #of}). This is the one place that rule lives: a provider with an API key
     * variable is taken to be a hosted API with {@code /v1/batches} (the built-in OpenAI and Together entries, a lab's
     * gateway), one without a local server without it (vLLM, Ollama, llama.cpp, LM Studio). It is only a default:
     * a keyed vLLM or a hosted API without batches (Groq, OpenRouter) says {@code "batchApi": false}, a keyless
     * server that has {@code /v1/batches} says {@code true}.
     */
    public static boolean defaultBatchApi(String apiKeyEnv) {
        return apiKeyEnv != null && !apiKeyEnv.isBlank();
    }

    /** A provider with default limits, timeouts, structured mode and Batch API capability, and no prices. */
    public static Provider of(String name, String baseUrl, String apiKeyEnv) {
        return new Provider(name, baseUrl, apiKeyEnv, Map.of(), null, Limits.NONE, Timeouts.DEFAULT,
                StructuredMode.JSON_SCHEMA);
    }

    /** The price of a model: its own, else the provider's default, else unknown. */
    public Optional<ModelPrice> price(String model) {
        ModelPrice p = models.get(model);
        return Optional.ofNullable(p != null ? p : defaultPrice);
    }

    public Provider withModel(ModelPrice price) {
        Map<String, ModelPrice> m = new TreeMap<>(models);
        m.put(price.model(), price);
        return new Provider(name, baseUrl, apiKeyEnv, m, defaultPrice, limits, timeouts, structured,
                batchPriceFactor, batchApi);
    }

    public Provider withLimits(Limits l) {
        return new Provider(name, baseUrl, apiKeyEnv, models, defaultPrice, l, timeouts, structured,
                batchPriceFactor, batchApi);
    }

    public Provider withTimeouts(Timeouts t) {
        return new Provider(name, baseUrl, apiKeyEnv, models, defaultPrice, limits, t, structured,
                batchPriceFactor, batchApi);
    }

    public Provider withStructured(StructuredMode s) {
        return new Provider(name, baseUrl, apiKeyEnv, models, defaultPrice, limits, timeouts, s,
                batchPriceFactor, batchApi);
    }

    public Provider withDefaultPrice(ModelPrice p) {
        return new Provider(name, baseUrl, apiKeyEnv, models, p, limits, timeouts, structured,
                batchPriceFactor, batchApi);
    }

    public Provider withBatchPriceFactor(double f) {
        return new Provider(name, baseUrl, apiKeyEnv, models, defaultPrice, limits, timeouts, structured, f,
                batchApi);
    }

    /** This provider with the Batch API capability set explicitly ({@link #batchApi()}). */
    public Provider withBatchApi(boolean b) {
        return new Provider(name, baseUrl, apiKeyEnv, models, defaultPrice, limits, timeouts, structured,
                batchPriceFactor, b);
    }

    /** This provider without the price of {@code model}. */
    public Provider withoutModel(String model) {
        Map<String, ModelPrice> m = new TreeMap<>(models);
        m.remove(model);
        return new Provider(name, baseUrl, apiKeyEnv, m, defaultPrice, limits, timeouts, structured,
                batchPriceFactor, batchApi);
    }

    /** The price of one batch answer of {@code model}, or empty when the model has no price. */
    public Optional<ModelPrice> batchPrice(String model) {
        return price(model).map(p -> new ModelPrice(p.model(), p.inputPerMillion() * batchPriceFactor,
                p.outputPerMillion() * batchPriceFactor));
    }

    /** This provider at another URL and key variable; its Batch API capability stays as it is. */
    public Provider withEndpoint(String url, String keyEnv) {
        return new Provider(name, url, keyEnv, models, defaultPrice, limits, timeouts, structured,
                batchPriceFactor, batchApi);
    }
}
