package org.personalab.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.personalab.service.UserSettings;

/**
 * The chat providers a researcher can use: built-in entries (OpenAI, Together and the usual local servers), merged
 * with {@code providers.json} in the user settings folder, plus command-line overrides. A file entry with a built-in's
 * name changes only the fields it gives (models are added to the built-in's).
 *
 * <pre>{@code
 * {"providers": [{"name": "together", "models": [{"model": "meta-llama/Llama-3.3-70B-Instruct-Turbo",
 *     "inputPerMillion": 0.88, "outputPerMillion": 0.88}], "limits": {"maxConcurrent": 8}},
 *   {"name": "lab-vllm", "baseUrl": "http://gpu1:8000/v1", "apiKeyEnv": "LAB_KEY", "batchApi": false,
 *    "free": true}]}
 * }</pre>
 *
 * <p>{@code batchApi} says whether the provider offers the OpenAI Batch API. An entry without it keeps the
 * capability of the built-in it changes, unless it changes the key variable; a new entry, or one that changes the key
 * variable, gets {@link Provider#defaultBatchApi} (files written before the field existed read as they always did).
 */
public final class ProviderRegistry {

    public static final String FILE = "providers.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Provider> providers;

    private ProviderRegistry(Map<String, Provider> providers) {
        this.providers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(providers));
    }

    /** Built-in providers only. */
    public static ProviderRegistry builtIn() {
        Map<String, Provider> m = new LinkedHashMap<>();
        Limits cloud = new Limits(8, 0, 0);
        Limits local = new Limits(4, 0, 0);
        put(m, Provider.of("openai", "https://api.openai.com/v1", "OPENAI_API_KEY").withLimits(cloud)
                .withBatchApi(true));
        put(m, Provider.of("together", "https://api.together.xyz/v1", "TOGETHER_API_KEY").withLimits(cloud)
                .withBatchApi(true));
        for (String[] l : new String[][] {{"vllm", "http://localhost:8000/v1"}, {"ollama", "http://localhost:11434/v1"},
                {"llamacpp", "http://localhost:8080/v1"}, {"lmstudio", "http://localhost:1234/v1"}}) {
            put(m, Provider.of(l[0], l[1], null).withLimits(local).withDefaultPrice(ModelPrice.free())
                    .withBatchApi(false));
        }
        return new ProviderRegistry(m);
    }

    /** Built-ins merged with {@code providers.json} in {@link UserSettings#home()} when it exists. */
    public static ProviderRegistry load() {
        return load(UserSettings.home());
    }

    /** Built-ins merged with {@code providers.json} in {@code settingsHome} when it exists. */
    public static ProviderRegistry load(Path settingsHome) {
        Path f = settingsHome.resolve(FILE);
        return Files.isRegularFile(f) ? builtIn().merge(f) : builtIn();
    }

    /** This registry with the providers of a JSON file merged in; errors name the file and the field. */
    public ProviderRegistry merge(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new LlmException(file + (loc == null ? "" : ": line " + loc.getLineNr() + ", column "
                    + loc.getColumnNr()) + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new LlmException("cannot read " + file + ": " + e.getMessage(), e);
        }
        JsonNode list = root == null ? null : root.get("providers");
        if (list == null || !list.isArray()) {
            throw new LlmException(file + ": expected {\"providers\": [...]}");
        }
        Map<String, Provider> m = new LinkedHashMap<>(providers);
        for (int i = 0; i < list.size(); i++) {
            String where = file + ": providers[" + i + "]";
            try {
                Provider p = parse(list.get(i), m, where);
                m.put(p.name(), p);
            } catch (IllegalArgumentException e) {
                throw new LlmException(where + ": " + e.getMessage(), e);
            }
        }
        return new ProviderRegistry(m);
    }

    private static Provider parse(JsonNode n, Map<String, Provider> known, String where) {
        if (!n.isObject()) {
            throw new IllegalArgumentException("expected an object");
        }
        for (var it = n.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!java.util.Set.of("name", "baseUrl", "apiKeyEnv", "structuredOutput", "models", "free", "defaultPrice",
                    "limits", "timeouts", "batchPriceFactor", "batchApi").contains(f)) {
                throw new IllegalArgumentException(f + ": unknown field" + (f.toLowerCase().contains("key")
                        && !f.equals("apiKeyEnv") ? " (keys belong in the environment or keys.json, never here)" : ""));
            }
        }
        String name = text(n, "name", true);
        Provider base = known.get(name);
        String url = text(n, "baseUrl", base == null);
        Provider p = base != null ? base : Provider.of(name, url, null);
        if (url != null || n.has("apiKeyEnv")) {
            p = p.withEndpoint(url != null ? url : p.baseUrl(), n.has("apiKeyEnv") ? text(n, "apiKeyEnv", false)
                    : p.apiKeyEnv());
        }
        if (n.has("batchApi")) {
            if (!n.get("batchApi").isBoolean()) {
                throw new IllegalArgumentException("batchApi: expected true or false (whether the provider offers "
                        + "the OpenAI Batch API, /v1/files and /v1/batches)");
            }
            p = p.withBatchApi(n.get("batchApi").asBoolean());
        } else if (base == null || n.has("apiKeyEnv")) {
            p = p.withBatchApi(Provider.defaultBatchApi(p.apiKeyEnv()));
        }
        if (n.has("structuredOutput")) {
            p = p.withStructured(StructuredMode.parse(text(n, "structuredOutput", true)));
        }
        if (n.has("free")) {
            if (!n.get("free").isBoolean()) {
                throw new IllegalArgumentException("free: expected true or false");
            }
            p = p.withDefaultPrice(n.get("free").asBoolean() ? ModelPrice.free() : null);
        }
        if (n.has("defaultPrice")) {
            p = p.withDefaultPrice(price(n.get("defaultPrice"), "*", "defaultPrice"));
        }
        JsonNode models = n.get("models");
        if (models != null) {
            if (!models.isArray()) {
                throw new IllegalArgumentException("models: expected a list");
            }
            for (int j = 0; j < models.size(); j++) {
                String mw = "models[" + j + "]";
                p = p.withModel(price(models.get(j), text(models.get(j), "model", true, mw), mw));
            }
        }
        if (n.has("batchPriceFactor")) {
            JsonNode b = n.get("batchPriceFactor");
            if (!b.isNumber() || b.asDouble() < 0) {
                throw new IllegalArgumentException("batchPriceFactor: expected a number >= 0 (share of the list "
                        + "price paid in the Batch API, e.g. 0.5)");
            }
            p = p.withBatchPriceFactor(b.asDouble());
        }
        JsonNode l = n.get("limits");
        if (l != null) {
            Limits old = p.limits();
            p = p.withLimits(new Limits(whole(l, "maxConcurrent", old.maxConcurrent()),
                    whole(l, "requestsPerMinute", old.requestsPerMinute()),
                    whole(l, "tokensPerMinute", old.tokensPerMinute())));
        }
        JsonNode t = n.get("timeouts");
        if (t != null) {
            Timeouts old = p.timeouts();
            p = p.withTimeouts(new Timeouts(seconds(t, "connectSeconds", old.connect()),
                    seconds(t, "readSeconds", old.read()), seconds(t, "callSeconds", old.call())));
        }
        return p;
    }

    private static ModelPrice price(JsonNode n, String model, String where) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(where
                    + ": expected {\"inputPerMillion\": ..., \"outputPerMillion\": ...}");
        }
        return new ModelPrice(model, number(n, "inputPerMillion", where), number(n, "outputPerMillion", where));
    }

    private static double number(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber() || v.asDouble() < 0) {
            throw new IllegalArgumentException(where + "." + field + ": expected a number >= 0 (US dollars per "
                    + "million tokens)");
        }
        return v.asDouble();
    }

    private static int whole(JsonNode n, String field, int dflt) {
        JsonNode v = n.get(field);
        if (v == null) {
            return dflt;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
            throw new IllegalArgumentException("limits." + field + ": expected a whole number >= 0 (0 = no limit)");
        }
        return v.asInt();
    }

    private static Duration seconds(JsonNode n, String field, Duration dflt) {
        JsonNode v = n.get(field);
        if (v == null) {
            return dflt;
        }
        if (!v.isNumber() || v.asDouble() < 0) {
            throw new IllegalArgumentException("timeouts." + field + ": expected seconds >= 0");
        }
        return Duration.ofMillis(Math.round(v.asDouble() * 1000));
    }

    private static String text(JsonNode n, String field, boolean required) {
        return text(n, field, required, null);
    }

    private static String text(JsonNode n, String field, boolean required, String where) {
        JsonNode v = n.get(field);
        String w = where == null ? field : where + "." + field;
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(w + ": missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(w + ": expected text");
        }
        return v.asText();
    }

    /**
     * This registry with a provider given on the command line ({@code --provider}, {@code --base-url},
     * {@code --api-key-env}, {@code --batch-api}): changes a known provider's endpoint (its Batch API capability only
     * when the override gives one), or adds a new one ({@link Provider#defaultBatchApi} unless the override says).
     */
    public ProviderRegistry with(ProviderOverride o) {
        Map<String, Provider> m = new LinkedHashMap<>(providers);
        Provider known = m.get(o.provider());
        Provider p;
        if (known == null) {
            if (o.baseUrl() == null) {
                throw new LlmException("unknown provider '" + o.provider() + "': give --base-url, or one of "
                        + String.join(", ", providers.keySet()));
            }
            p = Provider.of(o.provider(), o.baseUrl(), o.apiKeyEnv());
        } else {
            p = known.withEndpoint(o.baseUrl() != null ? o.baseUrl() : known.baseUrl(),
                    o.apiKeyEnv() != null ? o.apiKeyEnv() : known.apiKeyEnv());
        }
        if (o.batchApi() != null) {
            p = p.withBatchApi(o.batchApi());
        }
        m.put(p.name(), p);
        return new ProviderRegistry(m);
    }

    /** This registry with one provider added or replaced. */
    public ProviderRegistry with(Provider p) {
        Map<String, Provider> m = new LinkedHashMap<>(providers);
        m.put(p.name(), p);
        return new ProviderRegistry(m);
    }

    public Optional<Provider> find(String name) {
        return Optional.ofNullable(providers.get(name));
    }

    public Provider get(String name) {
        Provider p = providers.get(name);
        if (p == null) {
            throw new LlmException("unknown provider '" + name + "' (known: " + String.join(", ", providers.keySet())
                    + "; add it to " + FILE + " in the settings folder or give --base-url)");
        }
        return p;
    }

    public Collection<Provider> all() {
        return providers.values();
    }

    static void put(Map<String, Provider> m, Provider p) {
        m.put(p.name(), p);
    }

    /** Whether {@code name} is one of the built-in providers. */
    public static boolean isBuiltIn(String name) {
        return builtIn().find(name).isPresent();
    }

    /**
     * Writes {@code providers} to {@code providers.json} in {@code settingsHome}, atomically and readable only by
     * its owner: every provider that differs from its built-in (or is not built in) as a full entry, so reading the
     * file back gives the same providers. Keys are never part of it.
     */
    public static void save(Path settingsHome, Collection<Provider> providers) {
        ProviderRegistry builtIns = builtIn();
        com.fasterxml.jackson.databind.node.ObjectNode root = JSON.createObjectNode();
        com.fasterxml.jackson.databind.node.ArrayNode list = root.putArray("providers");
        for (Provider p : providers) {
            if (!builtIns.find(p.name()).map(p::equals).orElse(false)) {
                list.add(toJson(p));
            }
        }
        try {
            UserSettings.writePrivately(settingsHome.resolve(FILE),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } catch (IOException e) {
            throw new LlmException("cannot save providers to " + settingsHome.resolve(FILE) + ": " + e.getMessage(),
                    e);
        }
    }

    /** A provider as a full {@code providers.json} entry. */
    public static com.fasterxml.jackson.databind.node.ObjectNode toJson(Provider p) {
        var o = JSON.createObjectNode();
        o.put("name", p.name());
        o.put("baseUrl", p.baseUrl());
        if (p.apiKeyEnv() == null) {
            o.putNull("apiKeyEnv");
        } else {
            o.put("apiKeyEnv", p.apiKeyEnv());
        }
        o.put("structuredOutput", p.structured().id());
        var models = o.putArray("models");
        for (ModelPrice m : p.models().values()) {
            models.addObject().put("model", m.model()).put("inputPerMillion", m.inputPerMillion())
                    .put("outputPerMillion", m.outputPerMillion());
        }
        ModelPrice d = p.defaultPrice();
        if (d == null) {
            o.put("free", false);
        } else if (d.inputPerMillion() == 0 && d.outputPerMillion() == 0) {
            o.put("free", true);
        } else {
            o.putObject("defaultPrice").put("inputPerMillion", d.inputPerMillion())
                    .put("outputPerMillion", d.outputPerMillion());
        }
        o.put("batchApi", p.batchApi());
        o.put("batchPriceFactor", p.batchPriceFactor());
        o.putObject("limits").put("maxConcurrent", p.limits().maxConcurrent())
                .put("requestsPerMinute", p.limits().requestsPerMinute())
                .put("tokensPerMinute", p.limits().tokensPerMinute());
        o.putObject("timeouts").put("connectSeconds", p.timeouts().connect().toMillis() / 1000.0)
                .put("readSeconds", p.timeouts().read().toMillis() / 1000.0)
                .put("callSeconds", p.timeouts().call().toMillis() / 1000.0);
        return o;
    }

    /** Names, for messages. */
    public java.util.List<String> names() {
        return new ArrayList<>(providers.keySet());
    }
}
