package org.personalab.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.personalab.task.TaskContext;

/**
 * One HTTP exchange with an OpenAI-compatible server: {@code POST {baseUrl}/chat/completions}, with
 * {@code Authorization: Bearer <key>} only when a key is configured. No retries here ({@link ProviderChannel} decides);
 * OkHttp's own silent retry is off so that a paid request is never sent twice behind our back. The call runs
 * asynchronously and the caller's thread polls its task, so cancelling a run cancels the call in flight.
 */
final class ChatClient {

    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long POLL_MS = 25;

    private final Provider provider;
    private final OkHttpClient http;

    ChatClient(Provider provider, OkHttpClient shared) {
        this.provider = provider;
        Timeouts t = provider.timeouts();
        this.http = shared.newBuilder().connectTimeout(t.connect()).readTimeout(t.read()).writeTimeout(t.read())
                .callTimeout(t.call()).retryOnConnectionFailure(false).build();
    }

    /**
     * Sends one request and returns the answer.
     *
     * @throws LlmException.HttpStatus for a non-2xx status
     * @throws IOException for timeouts, broken connections, truncated or unreadable bodies
     * @throws CancellationException when the task is cancelled or the thread interrupted (the call is cancelled)
     */
    Completion complete(ChatRequest req, List<ChatMessage> messages, StructuredMode mode, String key, TaskContext task)
            throws IOException {
        String body = body(req, messages, mode);
        Request.Builder rb = new Request.Builder().url(provider.baseUrl() + "/chat/completions")
                .post(RequestBody.create(body, JSON_TYPE)).header("Accept", "application/json");
        if (key != null) {
            rb.header("Authorization", "Bearer " + key);
        }
        long t0 = System.nanoTime();
        Raw raw = exchange(http.newCall(rb.build()), task);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String text = ApiKeys.redact(raw.body, key);
        if (raw.code < 200 || raw.code > 299) {
            throw new LlmException.HttpStatus(where(req) + ": HTTP " + raw.code + errorText(text), raw.code,
                    RetryPolicy.parseRetryAfter(raw.headers.get("Retry-After"), raw.headers.get("retry-after-ms"),
                            Instant.now()));
        }
        return parse(messages, text, ms);
    }

    private record Raw(int code, Headers headers, String body) {
    }

    private static Raw exchange(Call call, TaskContext task) throws IOException {
        CompletableFuture<Raw> f = new CompletableFuture<>();
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
                f.completeExceptionally(e);
            }

            @Override
            public void onResponse(Call c, Response r) {
                try (r) {
                    f.complete(new Raw(r.code(), r.headers(), r.body().string()));
                } catch (IOException | RuntimeException e) {
                    f.completeExceptionally(e);
                }
            }
        });
        try {
            while (true) {
                if (task.isCancelled()) {
                    if (f.isDone() && !f.isCompletedExceptionally()) {
                        return f.join(); // already received (and maybe paid): keep it
                    }
                    call.cancel();
                    throw new CancellationException("cancelled");
                }
                try {
                    return f.get(POLL_MS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // poll the task again
                }
            }
        } catch (InterruptedException e) {
            call.cancel();
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            if (call.isCanceled()) {
                throw new CancellationException("cancelled");
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause().toString(), e.getCause());
        }
    }

    static Completion parse(List<ChatMessage> messages, String text, long ms) throws IOException {
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IOException("unreadable response body (" + e.getOriginalMessage() + "): " + snippet(text));
        }
        JsonNode choice = n == null ? null : n.path("choices").path(0);
        if (choice == null || choice.isMissingNode() || !choice.has("message")) {
            throw new IOException("response without choices[0].message: " + snippet(text));
        }
        JsonNode msg = choice.get("message");
        String content = msg.path("content").isTextual() ? msg.get("content").asText() : "";
        if (content.isEmpty() && msg.path("refusal").isTextual()) {
            content = msg.get("refusal").asText();
        }
        String finish = choice.path("finish_reason").isTextual() ? choice.get("finish_reason").asText() : null;
        JsonNode u = n.get("usage");
        boolean estimated = u == null || !u.path("prompt_tokens").isNumber();
        Usage usage = estimated
                ? new Usage(CostEstimate.promptTokens(messages), CostEstimate.tokensOf(content))
                : new Usage(u.path("prompt_tokens").asInt(), u.path("completion_tokens").asInt());
        return new Completion(content, finish, usage, estimated, n, ms);
    }

    /** The JSON body of the request as sent in {@code mode}. */
    static String body(ChatRequest req, List<ChatMessage> messages, StructuredMode mode) {
        ObjectNode o = JSON.createObjectNode();
        o.put("model", req.model());
        ArrayNode ms = o.putArray("messages");
        for (ChatMessage m : messages) {
            ms.addObject().put("role", m.role()).put("content", m.content());
        }
        if (req.temperature() != null) {
            o.put("temperature", req.temperature());
        }
        if (req.topP() != null) {
            o.put("top_p", req.topP());
        }
        if (req.maxTokens() != null) {
            o.put("max_tokens", req.maxTokens());
        }
        if (req.format().isJson() && mode != StructuredMode.PROMPT) {
            ObjectNode rf = o.putObject("response_format");
            if (mode == StructuredMode.JSON_SCHEMA && req.format() instanceof ResponseFormat.JsonSchema s) {
                rf.put("type", "json_schema");
                ObjectNode js = rf.putObject("json_schema");
                js.put("name", s.name());
                js.set("schema", s.schema());
                js.put("strict", s.strict());
            } else {
                rf.put("type", "json_object");
            }
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The messages sent for {@code req} in {@code mode}: when the provider does not enforce the schema itself, the
     * schema goes into the (first) system message; {@code followUps} (a rejected answer and the correction asked for)
     * are appended.
     */
    static List<ChatMessage> messages(ChatRequest req, StructuredMode mode, List<ChatMessage> followUps) {
        List<ChatMessage> out = new ArrayList<>(req.messages());
        String instruction = null;
        if (req.format() instanceof ResponseFormat.JsonSchema s && mode != StructuredMode.JSON_SCHEMA) {
            instruction = "Reply with only one JSON value that conforms to this JSON schema, without any other text:\n"
                    + s.schema().toString();
        } else if (req.format() instanceof ResponseFormat.JsonObject) {
            instruction = "Reply with only one JSON object, without any other text.";
        }
        if (instruction != null) {
            if (out.get(0).role().equals("system")) {
                out.set(0, ChatMessage.system(out.get(0).content() + "\n\n" + instruction));
            } else {
                out.add(0, ChatMessage.system(instruction));
            }
        }
        out.addAll(followUps);
        return out;
    }

    private String where(ChatRequest req) {
        return provider.name() + " / " + req.model();
    }

    private static String errorText(String body) {
        String m = null;
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null) {
                JsonNode e = n.get("error");
                m = e == null ? null : e.isTextual() ? e.asText() : e.path("message").isTextual()
                        ? e.get("message").asText() : null;
                if (m == null && n.path("message").isTextual()) {
                    m = n.get("message").asText();
                }
            }
        } catch (JsonProcessingException ignored) {
            // plain text body
        }
        String t = m != null ? m : body;
        return t == null || t.isBlank() ? "" : ": " + snippet(t);
    }

    static String snippet(String s) {
        String t = s.strip().replaceAll("\\s+", " ");
        return t.length() > 300 ? t.substring(0, 297) + "..." : t;
    }
}
