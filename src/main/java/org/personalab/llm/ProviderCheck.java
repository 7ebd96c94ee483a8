package org.personalab.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.personalab.task.TaskContext;

/**
 * "Test connection" for a provider: {@code GET {baseUrl}/models} with its key, which costs nothing and proves the URL,
 * the key and the network at once. The result says what the server answered, never the key.
 */
public final class ProviderCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHOWN_MODELS = 5;

    private ProviderCheck() {
    }

    /**
     * @param ok the server answered the model list
     * @param message one line for the user
     * @param models model ids the server listed (empty when it failed)
     */
    public record Result(boolean ok, String message, List<String> models, long millis) {
        public Result {
            models = List.copyOf(models);
        }
    }

    /** Asks the provider for its models; waits at most the provider's connect timeout plus 20 seconds. */
    public static Result run(Provider p, ApiKeys keys, TaskContext task) {
        String key;
        try {
            key = keys.keyFor(p).orElse(null);
        } catch (LlmException e) {
            return new Result(false, e.getMessage(), List.of(), 0);
        }
        if (key == null && p.apiKeyEnv() != null) {
            return new Result(false, "no API key: set the environment variable " + p.apiKeyEnv() + " or store a key "
                    + "for " + p.name(), List.of(), 0);
        }
        task.checkCancelled();
        Duration connect = p.timeouts().connect().isZero() ? Duration.ofSeconds(10) : p.timeouts().connect();
        OkHttpClient http = new OkHttpClient.Builder().connectTimeout(connect).readTimeout(Duration.ofSeconds(20))
                .callTimeout(connect.plusSeconds(20)).retryOnConnectionFailure(false).build();
        Request.Builder rb = new Request.Builder().url(p.baseUrl() + "/models").get().header("Accept",
                "application/json");
        if (key != null) {
            rb.header("Authorization", "Bearer " + key);
        }
        long t0 = System.nanoTime();
        try (Response r = http.newCall(rb.build()).execute()) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            String body = ApiKeys.redact(r.body().string(), key);
            if (!r.isSuccessful()) {
                return new Result(false, "HTTP " + r.code() + errorText(body), List.of(), ms);
            }
            List<String> models = new ArrayList<>();
            try {
                JsonNode n = JSON.readTree(body);
                JsonNode data = n == null ? null : n.has("data") ? n.get("data") : n.get("models");
                if (data != null) {
                    data.forEach(m -> models.add(m.isTextual() ? m.asText() : m.path("id").asText(
                            m.path("name").asText("?"))));
                }
            } catch (IOException e) {
                return new Result(false, "the server answered, but not with a model list: "
                        + ChatClient.snippet(body), List.of(), ms);
            }
            String shown = String.join(", ", models.subList(0, Math.min(SHOWN_MODELS, models.size())))
                    + (models.size() > SHOWN_MODELS ? ", …" : "");
            return new Result(true, String.format(Locale.ROOT, "Connected in %d ms: %d model%s%s", ms, models.size(),
                    models.size() == 1 ? "" : "s", models.isEmpty() ? "" : " (" + shown + ")"), models, ms);
        } catch (IOException e) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            return new Result(false, "cannot reach " + p.baseUrl() + ": " + ProviderChannel.describe(e, key),
                    List.of(), ms);
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    private static String errorText(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            JsonNode m = n == null ? null : n.path("error").isTextual() ? n.get("error")
                    : n.path("error").path("message");
            if (m != null && m.isTextual()) {
                return ": " + ChatClient.snippet(m.asText());
            }
        } catch (IOException ignored) {
            // plain text
        }
        return body == null || body.isBlank() ? "" : ": " + ChatClient.snippet(body);
    }
}
