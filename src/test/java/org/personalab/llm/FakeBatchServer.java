package org.personalab.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * An OpenAI-compatible Batch API behind MockWebServer: {@code POST /v1/files} (multipart, purpose batch),
 * {@code POST /v1/batches}, {@code GET /v1/batches} and {@code /v1/batches/{id}}, {@code GET /v1/files/{id}/content},
 * plus live {@code POST /v1/chat/completions}. A batch moves validating → in_progress → completed over
 * {@link #pollsUntilDone} reads; when it completes, each input line is answered by {@link #answer}: a response body
 * (status 200 in the output file), an {@link Failure} (error file), or null (no line at all, as for an expired batch).
 */
final class FakeBatchServer extends Dispatcher {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A line for the error file: HTTP status and message. */
    record Failure(int status, String message) {
    }

    /** One batch as the server keeps it. */
    static final class Batch {
        final String id;
        final String inputFileId;
        final JsonNode createBody;
        volatile String status = "validating";
        volatile int polls;
        String outputFileId;
        String errorFileId;
        int total;
        int completed;
        int failed;

        Batch(String id, String inputFileId, JsonNode createBody) {
            this.id = id;
            this.inputFileId = inputFileId;
            this.createBody = createBody;
        }
    }

    final Map<String, String> files = new LinkedHashMap<>();
    final Map<String, Batch> batches = new LinkedHashMap<>();
    final List<String> uploadPurposes = new CopyOnWriteArrayList<>();
    final AtomicInteger uploads = new AtomicInteger();
    final AtomicInteger creations = new AtomicInteger();
    final AtomicInteger polls = new AtomicInteger();
    final AtomicInteger liveCalls = new AtomicInteger();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    volatile int pollsUntilDone = 3;
    /** Creates the batch but answers 500, as if the answer was lost on the way back (this many times). */
    volatile int loseCreateAnswers;
    volatile String finalStatus = "completed";
    volatile Function<JsonNode, Object> answer = body -> completion("answer to " + lastUser(body), 100, 50);

    @Override
    public synchronized MockResponse dispatch(RecordedRequest rr) {
        String path = rr.getUrl().encodedPath();
        authorizations.add(String.valueOf(rr.getHeaders().get("Authorization")));
        try {
            if (rr.getMethod().equals("POST") && path.equals("/v1/files")) {
                return upload(rr);
            }
            if (rr.getMethod().equals("POST") && path.equals("/v1/batches")) {
                return create(rr);
            }
            if (rr.getMethod().equals("GET") && path.equals("/v1/batches")) {
                return list();
            }
            if (rr.getMethod().equals("GET") && path.startsWith("/v1/batches/")) {
                return poll(path.substring("/v1/batches/".length()));
            }
            if (rr.getMethod().equals("GET") && path.startsWith("/v1/files/") && path.endsWith("/content")) {
                String id = path.substring("/v1/files/".length(), path.length() - "/content".length());
                String text = files.get(id);
                return text == null ? error(404, "no file " + id)
                        : new MockResponse.Builder().code(200).body(text).build();
            }
            if (rr.getMethod().equals("POST") && path.equals("/v1/chat/completions")) {
                liveCalls.incrementAndGet();
                Object a = answer.apply(JSON.readTree(rr.getBody().utf8()));
                return a instanceof JsonNode n ? json(n) : error(500, "no live answer");
            }
            return error(404, "no route " + rr.getMethod() + " " + path);
        } catch (Exception e) {
            return error(500, e.toString());
        }
    }

    private MockResponse upload(RecordedRequest rr) {
        String ct = rr.getHeaders().get("Content-Type");
        String boundary = ct.substring(ct.indexOf("boundary=") + "boundary=".length());
        String body = rr.getBody().utf8();
        String purpose = null;
        String file = null;
        for (String part : body.split("--" + java.util.regex.Pattern.quote(boundary))) {
            int split = part.indexOf("\r\n\r\n");
            if (split < 0) {
                continue;
            }
            String head = part.substring(0, split);
            String content = part.substring(split + 4);
            if (content.endsWith("\r\n")) {
                content = content.substring(0, content.length() - 2);
            }
            if (head.contains("name=\"purpose\"")) {
                purpose = content;
            } else if (head.contains("name=\"file\"")) {
                file = content;
            }
        }
        if (file == null) {
            return error(400, "no file part");
        }
        uploadPurposes.add(purpose);
        String id = "file-in-" + uploads.incrementAndGet();
        files.put(id, file);
        return json(JSON.createObjectNode().put("id", id).put("object", "file").put("purpose", purpose));
    }

    private MockResponse create(RecordedRequest rr) throws Exception {
        JsonNode b = JSON.readTree(rr.getBody().utf8());
        String in = b.path("input_file_id").asText();
        if (!files.containsKey(in)) {
            return error(400, "no input file " + in);
        }
        Batch batch = new Batch("batch_" + (creations.incrementAndGet()), in, b);
        batch.total = (int) files.get(in).lines().filter(l -> !l.isBlank()).count();
        batches.put(batch.id, batch);
        if (loseCreateAnswers > 0) {
            loseCreateAnswers--;
            return error(500, "upstream timeout");
        }
        return json(describe(batch));
    }

    private MockResponse list() {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode data = o.putArray("data");
        List<Batch> newestFirst = new ArrayList<>(batches.values());
        java.util.Collections.reverse(newestFirst);
        newestFirst.forEach(b -> data.add(describe(b)));
        o.put("has_more", false);
        return json(o);
    }

    private MockResponse poll(String id) throws Exception {
        Batch b = batches.get(id);
        if (b == null) {
            return error(404, "no batch " + id);
        }
        polls.incrementAndGet();
        b.polls++;
        if (b.status.equals("validating")) {
            b.status = "in_progress";
        } else if (b.status.equals("in_progress") && b.polls >= pollsUntilDone) {
            finish(b);
        }
        return json(describe(b));
    }

    private void finish(Batch b) throws Exception {
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        int n = 0;
        for (String line : files.get(b.inputFileId).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode l = JSON.readTree(line);
            Object a = answer.apply(l.path("body"));
            String req = "req_" + (++n);
            if (a instanceof JsonNode body) {
                ObjectNode o = JSON.createObjectNode();
                o.put("id", "batch_req_" + n);
                o.put("custom_id", l.path("custom_id").asText());
                o.putObject("response").put("status_code", 200).put("request_id", req).set("body", body);
                o.putNull("error");
                out.append(o).append('\n');
                b.completed++;
            } else if (a instanceof Failure f) {
                ObjectNode o = JSON.createObjectNode();
                o.put("id", "batch_req_" + n);
                o.put("custom_id", l.path("custom_id").asText());
                ObjectNode r = o.putObject("response");
                r.put("status_code", f.status()).put("request_id", req);
                r.putObject("body").putObject("error").put("message", f.message()).put("type", "invalid_request");
                o.putNull("error");
                err.append(o).append('\n');
                b.failed++;
            }
        }
        if (!out.isEmpty()) {
            b.outputFileId = "file-out-" + b.id;
            files.put(b.outputFileId, out.toString());
        }
        if (!err.isEmpty()) {
            b.errorFileId = "file-err-" + b.id;
            files.put(b.errorFileId, err.toString());
        }
        b.status = finalStatus;
    }

    private static ObjectNode describe(Batch b) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", b.id);
        o.put("object", "batch");
        o.put("endpoint", b.createBody.path("endpoint").asText());
        o.put("input_file_id", b.inputFileId);
        o.put("completion_window", b.createBody.path("completion_window").asText());
        o.put("status", b.status);
        if (b.outputFileId == null) {
            o.putNull("output_file_id");
        } else {
            o.put("output_file_id", b.outputFileId);
        }
        if (b.errorFileId == null) {
            o.putNull("error_file_id");
        } else {
            o.put("error_file_id", b.errorFileId);
        }
        o.putObject("request_counts").put("total", b.total).put("completed", b.completed).put("failed", b.failed);
        return o;
    }

    /** The lines of an uploaded input file, parsed. */
    List<JsonNode> inputLines(String fileId) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : files.get(fileId).split("\n")) {
            if (!l.isBlank()) {
                out.add(JSON.readTree(l));
            }
        }
        return out;
    }

    static String lastUser(JsonNode body) {
        String u = "";
        for (JsonNode m : body.path("messages")) {
            if (m.path("role").asText().equals("user")) {
                u = m.path("content").asText();
            }
        }
        return u;
    }

    static ObjectNode completion(String content, int promptTokens, int completionTokens) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", "chatcmpl-batch");
        o.put("object", "chat.completion");
        ObjectNode c = o.putArray("choices").addObject();
        c.put("index", 0);
        c.putObject("message").put("role", "assistant").put("content", content);
        c.put("finish_reason", "stop");
        o.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        return o;
    }

    private static MockResponse json(JsonNode n) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(n.toString())
                .build();
    }

    private static MockResponse error(int code, String message) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":" + JSON.valueToTree(message) + "}}").build();
    }
}
