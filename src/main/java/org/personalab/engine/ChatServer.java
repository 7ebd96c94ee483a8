package org.personalab.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An OpenAI-compatible HTTP server for a {@link LocalModel}, so the gateway (and any other OpenAI client) uses a
 * local model like a hosted provider: {@code POST /v1/chat/completions} (plain JSON, or server-sent events with
 * {@code "stream": true}) and {@code GET /v1/models}. Supported request fields: model, messages (string content or
 * text parts), max_tokens / max_completion_tokens, temperature, top_p, top_k, seed, stop, stream,
 * stream_options.include_usage, n = 1. Unset sampling fields take the model's generation_config.json defaults.
 * {@code response_format} other than text, tools and logprobs are refused with HTTP 400 rather than ignored, so a
 * client falls back to prompting for JSON instead of trusting an unenforced schema. Requests are answered one at a
 * time.
 */
public final class ChatServer implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final LocalModel model;
    private final int defaultMaxTokens;
    private final HttpServer server;
    private final ExecutorService executor;

    private ChatServer(LocalModel model, int defaultMaxTokens, HttpServer server, ExecutorService executor) {
        this.model = model;
        this.defaultMaxTokens = defaultMaxTokens;
        this.server = server;
        this.executor = executor;
    }

    /** Starts serving on {@code host:port} (port 0 picks a free one). */
    public static ChatServer start(LocalModel model, String host, int port, int defaultMaxTokens) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 16);
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "chat-server");
            t.setDaemon(true);
            return t;
        });
        ChatServer s = new ChatServer(model, defaultMaxTokens, http, executor);
        http.createContext("/v1/chat/completions", s::chatCompletions);
        http.createContext("/v1/models", s::models);
        http.createContext("/", ex -> s.error(ex, 404, "not_found", "no such endpoint: " + ex.getRequestURI().getPath()
                + " (POST /v1/chat/completions, GET /v1/models)"));
        http.setExecutor(executor);
        http.start();
        return s;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://host:port/v1}, the base URL an OpenAI client is given. */
    public String baseUrl() {
        return "http://" + server.getAddress().getHostString() + ":" + port() + "/v1";
    }

    private void models(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("GET")) {
                error(ex, 405, "invalid_request_error", "use GET /v1/models");
                return;
            }
            ObjectNode o = MAPPER.createObjectNode().put("object", "list");
            o.putArray("data").addObject().put("id", model.name()).put("object", "model").put("created", 0)
                    .put("owned_by", "personalab");
            send(ex, 200, o);
        }
    }

    private void chatCompletions(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("POST")) {
                error(ex, 405, "invalid_request_error", "use POST /v1/chat/completions");
                return;
            }
            Request req;
            try {
                req = parse(ex.getRequestBody().readAllBytes());
            } catch (IllegalArgumentException e) {
                error(ex, 400, "invalid_request_error", e.getMessage());
                return;
            }
            String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
            long created = System.currentTimeMillis() / 1000;
            if (req.stream) {
                stream(ex, req, id, created);
            } else {
                LocalModel.ChatResult r;
                try {
                    r = model.chat(req.messages, req.options, null);
                } catch (IllegalArgumentException | EngineException e) {
                    error(ex, 400, "invalid_request_error", e.getMessage());
                    return;
                }
                ObjectNode o = envelope(id, created, "chat.completion");
                ObjectNode choice = o.putArray("choices").addObject().put("index", 0);
                choice.putObject("message").put("role", "assistant").put("content", r.text());
                choice.put("finish_reason", finish(r));
                usage(o.putObject("usage"), r);
                send(ex, 200, o);
            }
        } catch (RuntimeException e) {
            error(ex, 500, "server_error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void stream(HttpExchange ex, Request req, String id, long created) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        ObjectNode first = envelope(id, created, "chat.completion.chunk");
        first.putArray("choices").addObject().put("index", 0).putNull("finish_reason")
                .putObject("delta").put("role", "assistant").put("content", "");
        event(out, first);
        LocalModel.ChatResult r;
        try {
            r = model.chat(req.messages, req.options, text -> {
                ObjectNode c = envelope(id, created, "chat.completion.chunk");
                c.putArray("choices").addObject().put("index", 0).putNull("finish_reason")
                        .putObject("delta").put("content", text);
                try {
                    event(out, c);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IllegalArgumentException | EngineException e) {
            ObjectNode err = MAPPER.createObjectNode();
            err.putObject("error").put("message", e.getMessage()).put("type", "invalid_request_error");
            event(out, err);
            return;
        }
        ObjectNode last = envelope(id, created, "chat.completion.chunk");
        last.putArray("choices").addObject().put("index", 0).put("finish_reason", finish(r)).putObject("delta");
        event(out, last);
        if (req.includeUsage) {
            ObjectNode u = envelope(id, created, "chat.completion.chunk");
            u.putArray("choices");
            usage(u.putObject("usage"), r);
            event(out, u);
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private ObjectNode envelope(String id, long created, String object) {
        return MAPPER.createObjectNode().put("id", id).put("object", object).put("created", created)
                .put("model", model.name());
    }

    private static String finish(LocalModel.ChatResult r) {
        return r.finishReason() == Generation.FinishReason.STOP ? "stop" : "length";
    }

    private static void usage(ObjectNode u, LocalModel.ChatResult r) {
        u.put("prompt_tokens", r.promptTokens()).put("completion_tokens", r.completionTokens())
                .put("total_tokens", r.promptTokens() + r.completionTokens());
    }

    private static void event(OutputStream out, JsonNode data) throws IOException {
        out.write(("data: " + MAPPER.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private record Request(List<ChatTurn> messages, LocalModel.ChatOptions options, boolean stream,
            boolean includeUsage) {
    }

    /** Reads and checks a request body; every refusal names the field. */
    private Request parse(byte[] body) {
        JsonNode n;
        try {
            n = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("request body is not valid JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("request body must be a JSON object");
        }
        JsonNode ms = n.get("messages");
        if (ms == null || !ms.isArray() || ms.isEmpty()) {
            throw new IllegalArgumentException("'messages' must be a non-empty array");
        }
        List<ChatTurn> messages = new ArrayList<>();
        for (int i = 0; i < ms.size(); i++) {
            JsonNode m = ms.get(i);
            String role = m.path("role").asText("");
            if (role.isEmpty()) {
                throw new IllegalArgumentException("messages[" + i + "].role is missing");
            }
            messages.add(new ChatTurn(role, content(m.get("content"), i)));
        }
        if (n.path("n").asInt(1) != 1) {
            throw new IllegalArgumentException("'n' must be 1 (ask again with another seed for more samples)");
        }
        String format = n.path("response_format").path("type").asText("text");
        if (!format.equals("text")) {
            throw new IllegalArgumentException("response_format '" + format + "' is not supported by this local "
                    + "server (decoding is not constrained); ask for JSON in the prompt instead");
        }
        for (String unsupported : List.of("tools", "functions", "logprobs", "logit_bias")) {
            if (n.hasNonNull(unsupported) && !(n.get(unsupported).isBoolean() && !n.get(unsupported).asBoolean())) {
                throw new IllegalArgumentException("'" + unsupported + "' is not supported by this local server");
            }
        }
        LocalModel.Defaults d = model.defaults();
        double temperature = number(n, "temperature", d.temperature(), 0, 2);
        double topP = number(n, "top_p", d.topP(), 0, 1);
        if (topP == 0) {
            throw new IllegalArgumentException("'top_p' must be greater than 0");
        }
        int topK = (int) number(n, "top_k", d.topK(), 0, Integer.MAX_VALUE);
        long seed = n.hasNonNull("seed") ? n.get("seed").asLong() : 0;
        int maxTokens = (int) number(n, n.hasNonNull("max_completion_tokens") ? "max_completion_tokens"
                : "max_tokens", defaultMaxTokens, 1, Integer.MAX_VALUE);
        List<String> stop = new ArrayList<>();
        JsonNode s = n.get("stop");
        if (s != null && s.isTextual()) {
            stop.add(s.asText());
        } else if (s != null && s.isArray()) {
            s.forEach(e -> stop.add(e.asText()));
        } else if (s != null && !s.isNull()) {
            throw new IllegalArgumentException("'stop' must be a string or an array of strings");
        }
        stop.removeIf(String::isEmpty);
        return new Request(messages, new LocalModel.ChatOptions(maxTokens,
                new SamplingParams(temperature, topP, topK, seed), stop), n.path("stream").asBoolean(false),
                n.path("stream_options").path("include_usage").asBoolean(false));
    }

    private static String content(JsonNode c, int i) {
        if (c != null && c.isTextual()) {
            return c.asText();
        }
        if (c != null && c.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : c) {
                if (!part.path("type").asText().equals("text")) {
                    throw new IllegalArgumentException("messages[" + i + "].content: only text parts are supported");
                }
                sb.append(part.path("text").asText());
            }
            return sb.toString();
        }
        throw new IllegalArgumentException("messages[" + i + "].content must be a string or an array of text parts");
    }

    private static double number(JsonNode n, String field, double dflt, double min, double max) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
            throw new IllegalArgumentException("'" + field + "' must be a number in [" + min + ", " + max + "], not "
                    + v);
        }
        return v.asDouble();
    }

    private void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private void error(HttpExchange ex, int status, String type, String message) throws IOException {
        ObjectNode o = MAPPER.createObjectNode();
        o.putObject("error").put("message", message).put("type", type);
        try {
            send(ex, status, o);
        } catch (IOException e) {
            // the headers were already sent (a failing stream): nothing more to tell the client
        } finally {
            ex.close();
        }
    }

    /** Stops accepting requests and waits up to a second for answers in progress. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
