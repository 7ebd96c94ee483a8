package org.personalab.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.random.RandomGenerator;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.personalab.task.TaskContext;

/**
 * The OpenAI Batch API of one provider: upload a JSONL file ({@code POST /files}, purpose {@code batch}), create a
 * batch ({@code POST /batches}), look one up ({@code GET /batches/{id}}, {@code GET /batches}) and download result
 * files ({@code GET /files/{id}/content}). Reads and uploads are retried like chat calls; creating a batch is never
 * retried blindly, since a second batch would be paid for twice: the caller first looks for a batch made from the
 * same input file.
 */
final class BatchApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final MediaType JSONL_TYPE = MediaType.get("application/jsonl");
    private static final int LIST_PAGES = 10;

    /** A batch as the provider describes it. */
    record Info(String id, String status, String inputFileId, String outputFileId, String errorFileId, int total,
            int completed, int failed, List<String> errors) {

        boolean done() {
            return switch (status) {
                case "completed", "failed", "expired", "cancelled" -> true;
                default -> false;
            };
        }
    }

    private final Provider provider;
    private final OkHttpClient http;
    private final OkHttpClient downloads;
    private final String key;
    private final RetryPolicy policy;
    private final RandomGenerator random;

    BatchApi(Provider provider, OkHttpClient shared, String key, RetryPolicy policy, RandomGenerator random) {
        this.provider = provider;
        Timeouts t = provider.timeouts();
        this.http = shared.newBuilder().connectTimeout(t.connect()).readTimeout(t.read()).writeTimeout(t.read())
                .callTimeout(t.call()).retryOnConnectionFailure(false).build();
        this.downloads = http.newBuilder().callTimeout(Duration.ZERO).build(); // result files can be large
        this.key = key;
        this.policy = policy;
        this.random = random;
    }

    /** The path chat requests of a batch go to, e.g. {@code /v1/chat/completions} for {@code https://host/v1}. */
    String chatEndpoint() {
        HttpUrl u = HttpUrl.get(provider.baseUrl() + "/chat/completions");
        return u.encodedPath();
    }

    /** Uploads a batch input file; returns its id. */
    String upload(byte[] jsonl, String fileName, TaskContext task) {
        RequestBody body = new MultipartBody.Builder().setType(MultipartBody.FORM).addFormDataPart("purpose", "batch")
                .addFormDataPart("file", fileName, RequestBody.create(jsonl, JSONL_TYPE)).build();
        JsonNode n = retried("upload the batch input file", () -> request("/files").post(body), http, task);
        return text(n, "id", "uploaded file");
    }

    /** Creates a batch from an uploaded file; one try (see the class comment). */
    Info create(String inputFileId, TaskContext task) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("input_file_id", inputFileId);
        o.put("endpoint", chatEndpoint());
        o.put("completion_window", "24h");
        o.putObject("metadata").put("created_by", "personalab");
        task.checkCancelled();
        return info(exchange(request("/batches").post(RequestBody.create(o.toString(), JSON_TYPE)).build(), http,
                "create the batch"));
    }

    Info get(String batchId, TaskContext task) {
        return info(retried("read batch " + batchId, () -> request("/batches/" + batchId).get(), http, task));
    }

    /** The most recent batch made from {@code inputFileId}, looking through the provider's latest batches. */
    Optional<Info> findByInputFile(String inputFileId, TaskContext task) {
        String after = null;
        for (int page = 0; page < LIST_PAGES; page++) {
            String q = "/batches?limit=100" + (after == null ? "" : "&after=" + after);
            JsonNode n = retried("list batches", () -> request(q).get(), http, task);
            for (JsonNode b : n.path("data")) {
                if (inputFileId.equals(b.path("input_file_id").asText(null))) {
                    return Optional.of(info(b));
                }
                after = b.path("id").asText(after);
            }
            if (!n.path("has_more").asBoolean(false) || after == null) {
                break;
            }
        }
        return Optional.empty();
    }

    /** The text of a file (a batch's output or error file). */
    String content(String fileId, TaskContext task) {
        JsonNode n = retriedText("download file " + fileId, () -> request("/files/" + fileId + "/content").get(),
                task);
        return n.asText();
    }

    private Request.Builder request(String path) {
        Request.Builder b = new Request.Builder().url(provider.baseUrl() + path);
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return b;
    }

    @FunctionalInterface
    private interface Req {
        Request.Builder build();
    }

    private JsonNode retried(String what, Req r, OkHttpClient client, TaskContext task) {
        return retry(what, task, () -> exchange(r.build().header("Accept", "application/json").build(), client, what));
    }

    private JsonNode retriedText(String what, Req r, TaskContext task) {
        return retry(what, task, () -> JSON.getNodeFactory().textNode(raw(r.build().build(), downloads, what)));
    }

    @FunctionalInterface
    private interface Io {
        JsonNode run() throws IOException;
    }

    private JsonNode retry(String what, TaskContext task, Io io) {
        int failed = 0;
        while (true) {
            task.checkCancelled();
            Exception last;
            Duration retryAfter = null;
            try {
                return io.run();
            } catch (LlmException.HttpStatus e) {
                if (!RetryPolicy.retryable(e.status())) {
                    throw e;
                }
                last = e;
                retryAfter = e.retryAfter();
            } catch (IOException e) {
                last = e;
            }
            failed++;
            if (failed >= policy.maxAttempts()) {
                throw new LlmException(provider.name() + ": cannot " + what + ": "
                        + ProviderChannel.describe(last, key) + " (gave up after " + failed + " tries)", last);
            }
            Duration d = policy.delay(failed, retryAfter, random);
            task.message(provider.name() + ": cannot " + what + " (" + ProviderChannel.describe(last, key)
                    + "); trying again in " + d.toMillis() / 1000.0 + " s");
            sleep(d, task);
        }
    }

    private JsonNode exchange(Request r, OkHttpClient client, String what) throws IOException {
        String body = raw(r, client, what);
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !n.isObject()) {
                throw new IOException("expected a JSON object, got: " + ChatClient.snippet(body));
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new IOException("unreadable answer (" + e.getOriginalMessage() + "): " + ChatClient.snippet(body));
        }
    }

    private String raw(Request r, OkHttpClient client, String what) throws IOException {
        try (Response resp = client.newCall(r).execute()) {
            String text = ApiKeys.redact(resp.body().string(), key);
            if (!resp.isSuccessful()) {
                throw new LlmException.HttpStatus(provider.name() + ": cannot " + what + ": HTTP " + resp.code()
                        + errorText(text), resp.code(), RetryPolicy.parseRetryAfter(resp.header("Retry-After"),
                                resp.header("retry-after-ms"), Instant.now()));
            }
            return text;
        }
    }

    private static String errorText(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            JsonNode m = n == null ? null : n.path("error").isTextual() ? n.get("error") : n.path("error")
                    .path("message");
            if (m != null && m.isTextual()) {
                return ": " + ChatClient.snippet(m.asText());
            }
        } catch (JsonProcessingException ignored) {
            // plain text
        }
        return body == null || body.isBlank() ? "" : ": " + ChatClient.snippet(body);
    }

    private static Info info(JsonNode n) {
        JsonNode c = n.path("request_counts");
        List<String> errors = new ArrayList<>();
        for (JsonNode e : n.path("errors").path("data")) {
            String line = e.path("line").isNumber() ? "line " + e.get("line").asInt() + ": " : "";
            errors.add(line + e.path("message").asText(e.path("code").asText("error")));
        }
        return new Info(text(n, "id", "batch"), n.path("status").asText("unknown"),
                n.path("input_file_id").asText(null), textOrNull(n, "output_file_id"),
                textOrNull(n, "error_file_id"), c.path("total").asInt(), c.path("completed").asInt(),
                c.path("failed").asInt(), errors);
    }

    private static String textOrNull(JsonNode n, String f) {
        JsonNode v = n.get(f);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }

    private static String text(JsonNode n, String f, String what) {
        String v = textOrNull(n, f);
        if (v == null) {
            throw new LlmException("the provider's " + what + " has no " + f + ": " + ChatClient.snippet(n.toString()));
        }
        return v;
    }

    static void sleep(Duration d, TaskContext task) {
        long end = System.nanoTime() + d.toNanos();
        try {
            while (true) {
                task.checkCancelled();
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return;
                }
                Thread.sleep(Math.min(50, left));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for a batch");
        }
    }
}
