package org.personalab.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.personalab.store.LlmCallRepository;
import org.personalab.store.LlmCallRepository.StoredCall;
import org.personalab.task.TaskContext;

/**
 * Large runs through a provider's OpenAI-compatible Batch API, into the same workspace cache as live calls. Requests
 * already answered in the workspace are skipped; the rest are written as JSONL ({@code custom_id} = request hash),
 * uploaded, and sent as one batch per provider and model (at most {@link #maxRequestsPerBatch} lines each). The batch
 * is polled with growing pauses; its output and error files are downloaded and every answer is stored in
 * {@code llm_call} exactly like a live one (status, usage, cost at the provider's batch price, JSON validation);
 * failed lines are reported and stored as errors.
 *
 * <p>Never paying twice: requests are recorded as waiting in their batch before the batch is created, and the batch id
 * as soon as it is known. A process killed at any point leaves those rows behind; {@link #resume} (or {@link #run} on
 * the same requests) polls the recorded batch, or finds the one made from the recorded input file, instead of sending
 * the requests again. A live {@link LlmGateway#call} on a waiting request is refused for the same reason.
 */
public final class LlmBatch {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LlmGateway gw;
    private Duration pollFirst = Duration.ofSeconds(5);
    private Duration pollMax = Duration.ofMinutes(1);
    private int maxRequestsPerBatch = 50_000;
    private final Map<String, Budget.Reservation> reservations = new ConcurrentHashMap<>();

    public LlmBatch(LlmGateway gateway) {
        this.gw = java.util.Objects.requireNonNull(gateway);
    }

    /** Pause before the first poll of a batch, doubled after each poll up to {@code max}. */
    public LlmBatch polling(Duration first, Duration max) {
        if (first.isNegative() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("poll pauses must be >= 0 and max >= first");
        }
        pollFirst = first;
        pollMax = max;
        return this;
    }

    /** Lines per batch (OpenAI accepts up to 50,000). */
    public LlmBatch maxRequestsPerBatch(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a batch needs room for at least 1 request");
        }
        maxRequestsPerBatch = n;
        return this;
    }

    /** Sends what is not answered yet, waits for every batch holding these requests, and stores the answers. */
    public BatchReport run(List<ChatRequest> requests, CallContext cx) {
        Submission s = submit(requests, cx);
        BatchReport collected = collect(s.batches(), cx);
        return new BatchReport(s.requests(), s.cached(), s.submitted(), s.alreadyPending(), s.needCorrection(),
                collected.answered(), collected.invalid(), collected.failed(), collected.batches(), collected.usage(),
                collected.costUsd());
    }

    /** Waits for every batch with requests of this workspace (those of a killed process too) and stores the answers. */
    public BatchReport resume(CallContext cx) {
        List<BatchReport.PendingBatch> p = pending();
        BatchReport r = collect(p, cx);
        int n = p.stream().mapToInt(BatchReport.PendingBatch::requests).sum();
        return new BatchReport(n, 0, 0, n, 0, r.answered(), r.invalid(), r.failed(), r.batches(), r.usage(),
                r.costUsd());
    }

    /** Batches of this workspace whose answers are not collected yet. */
    public List<BatchReport.PendingBatch> pending() {
        List<StoredCall> rows = gw.calls().read(repo -> repo.findByStatus(LlmCallRepository.BATCH));
        Map<String, List<StoredCall>> groups = new LinkedHashMap<>();
        for (StoredCall r : rows) {
            groups.computeIfAbsent(r.provider() + "\u0000" + BatchRows.inputFileId(r), k -> new ArrayList<>()).add(r);
        }
        List<BatchReport.PendingBatch> out = new ArrayList<>();
        for (List<StoredCall> g : groups.values()) {
            StoredCall first = g.get(0);
            out.add(new BatchReport.PendingBatch(first.provider(), BatchRows.inputFileId(first),
                    g.stream().map(BatchRows::batchId).flatMap(Optional::stream).findFirst().orElse(null), g.size(),
                    BatchRows.submittedAt(first), "submitted"));
        }
        return out;
    }

    /**
     * What {@link #submit} did.
     *
     * @param batches the batches holding the requests: new ones and ones they were already waiting in
     */
    public record Submission(int requests, int cached, int submitted, int alreadyPending, int needCorrection,
            List<BatchReport.PendingBatch> batches) {
    }

    /**
     * Sends, without waiting, the requests that have no answer in the workspace and are not waiting in a batch yet.
     * The money of the worst case (prompt estimate plus {@code max_tokens} at the batch price) is reserved from the
     * run's budget first; a batch that would exceed it is not sent.
     */
    public Submission submit(List<ChatRequest> requests, CallContext cx) {
        Map<String, ChatRequest> byHash = new LinkedHashMap<>();
        for (ChatRequest r : requests) {
            byHash.putIfAbsent(RequestHash.of(r), r);
        }
        Map<String, StoredCall> rows = gw.calls().read(repo -> repo.findAll(byHash.keySet()));
        int cached = 0;
        int pendingBefore = 0;
        int correction = 0;
        Map<String, Map<String, ChatRequest>> toSend = new LinkedHashMap<>();
        for (var e : byHash.entrySet()) {
            StoredCall row = rows.get(e.getKey());
            String status = row == null ? null : row.status();
            if (status != null && LlmCallRepository.FINAL.contains(status)) {
                cached++;
            } else if (LlmCallRepository.BATCH.equals(status)) {
                pendingBefore++;
            } else if (LlmCallRepository.REJECTED.equals(status)) {
                correction++;
            } else {
                ChatRequest r = e.getValue();
                toSend.computeIfAbsent(r.provider() + "\u0000" + r.model(), k -> new LinkedHashMap<>())
                        .put(e.getKey(), r);
            }
        }
        List<BatchReport.PendingBatch> mine = new ArrayList<>();
        int submitted = 0;
        for (Map<String, ChatRequest> group : toSend.values()) {
            List<Map.Entry<String, ChatRequest>> all = new ArrayList<>(group.entrySet());
            for (int from = 0; from < all.size(); from += maxRequestsPerBatch) {
                List<Map.Entry<String, ChatRequest>> chunk = all.subList(from,
                        Math.min(all.size(), from + maxRequestsPerBatch));
                mine.add(send(chunk, cx));
                submitted += chunk.size();
            }
        }
        // the batches these requests were already waiting in, found again by their rows
        if (pendingBefore > 0) {
            for (BatchReport.PendingBatch p : pending()) {
                boolean holdsOne = rows.values().stream().anyMatch(r -> LlmCallRepository.BATCH.equals(r.status())
                        && r.provider().equals(p.provider()) && BatchRows.inputFileId(r).equals(p.inputFileId()));
                if (holdsOne && mine.stream().noneMatch(m -> m.inputFileId().equals(p.inputFileId()))) {
                    mine.add(p);
                }
            }
        }
        return new Submission(byHash.size(), cached, submitted, pendingBefore, correction, mine);
    }

    private BatchReport.PendingBatch send(List<Map.Entry<String, ChatRequest>> chunk, CallContext cx) {
        ChatRequest first = chunk.get(0).getValue();
        Provider p = gw.registry().get(first.provider());
        String where = p.name() + " / " + first.model();
        Optional<ModelPrice> price = p.batchPrice(first.model());
        if (cx.budget().isCapped() && price.isEmpty()) {
            throw new LlmException(where + ": the model has no price, so the run's budget cannot be enforced; add "
                    + "its prices to " + ProviderRegistry.FILE + " in the settings folder");
        }
        double worst = 0;
        for (var e : chunk) {
            ChatRequest r = e.getValue();
            int pt = CostEstimate.promptTokens(r.messages());
            worst += price.map(x -> x.cost(pt, CostEstimate.worstCaseCompletion(r))).orElse(0.0);
        }
        Budget.Reservation res = cx.budget().reserve(worst, where + " batch of " + chunk.size());
        boolean created = false;
        try {
            BatchApi api = api(p);
            StructuredMode mode = gw.structuredMode(p.name());
            String endpoint = api.chatEndpoint();
            ByteArrayOutputStream jsonl = new ByteArrayOutputStream();
            for (var e : chunk) {
                ChatRequest r = e.getValue();
                ObjectNode line = JSON.createObjectNode();
                line.put("custom_id", e.getKey());
                line.put("method", "POST");
                line.put("url", endpoint);
                line.set("body", JSON.readTree(ChatClient.body(r, ChatClient.messages(r, mode, List.of()), mode)));
                jsonl.write(JSON.writeValueAsBytes(line));
                jsonl.write('\n');
            }
            cx.task().message(where + ": uploading a batch of " + chunk.size() + " requests");
            String fileId = api.upload(jsonl.toByteArray(), "personalab-" + chunk.get(0).getKey().substring(0, 12)
                    + ".jsonl", cx.task());
            Instant now = Instant.now();
            List<StoredCall> waiting = new ArrayList<>();
            for (var e : chunk) {
                waiting.add(BatchRows.pending(e.getValue(), e.getKey(), fileId, mode, now, cx.runId()));
            }
            // recorded before the batch exists: a process killed from here on finds it by its input file
            gw.writer().saveAllUnlessAnswered(waiting);
            List<StoredCall> mineNow = rowsOf(p.name(), fileId);
            reservations.put(fileId, res);
            created = true;
            BatchApi.Info info = createOrAdopt(api, fileId, false, mineNow, cx.task());
            cx.task().message(where + ": batch " + info.id() + " created (" + info.status() + ")");
            return new BatchReport.PendingBatch(p.name(), fileId, info.id(), mineNow.size(), now, info.status());
        } catch (IOException e) {
            throw new LlmException(where + ": cannot write the batch input: " + e.getMessage(), e);
        } finally {
            if (!created) {
                cx.budget().release(res);
            }
        }
    }

    private BatchApi api(Provider p) {
        String key = gw.keys().keyFor(p).orElse(null);
        if (key == null && p.apiKeyEnv() != null) {
            throw new LlmException(p.name() + ": no API key: set the environment variable " + p.apiKeyEnv()
                    + " or add \"" + p.name() + "\" to " + gw.keys().file() + " (readable only by you)");
        }
        return new BatchApi(p, gw.http(), key, gw.policy(), gw.random());
    }

    private List<StoredCall> rowsOf(String provider, String inputFileId) {
        return gw.calls().read(repo -> repo.findByStatus(LlmCallRepository.BATCH)).stream()
                .filter(r -> r.provider().equals(provider) && BatchRows.inputFileId(r).equals(inputFileId)).toList();
    }

    /**
     * The batch of an uploaded file: created now, or (when {@code lookFirst}, or after a failed try whose outcome is
     * unknown) the one the provider already made from that file. A refusal (4xx) marks the rows as errors.
     */
    private BatchApi.Info createOrAdopt(BatchApi api, String fileId, boolean lookFirst, List<StoredCall> rows,
            TaskContext task) {
        RetryPolicy policy = gw.policy();
        Exception last = null;
        for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
            if (lookFirst || attempt > 1) {
                Optional<BatchApi.Info> found = api.findByInputFile(fileId, task);
                if (found.isPresent()) {
                    record(rows, found.get().id());
                    return found.get();
                }
            }
            Duration retryAfter = null;
            try {
                BatchApi.Info info = api.create(fileId, task);
                record(rows, info.id());
                return info;
            } catch (LlmException.HttpStatus e) {
                if (!RetryPolicy.retryable(e.status())) {
                    failAll(rows, e.getMessage(), e.status());
                    throw e;
                }
                last = e;
                retryAfter = e.retryAfter();
            } catch (IOException e) {
                last = e;
            }
            Duration d = policy.delay(attempt, retryAfter, gw.random());
            task.message("cannot create the batch of " + fileId + " (" + ProviderChannel.describe(last, null)
                    + "); looking for it and trying again in " + d.toMillis() / 1000.0 + " s");
            BatchApi.sleep(d, task);
        }
        throw new LlmException("cannot create the batch of " + fileId + ": " + ProviderChannel.describe(last, null)
                + "; its requests stay recorded as waiting, run the batch again later to find or create it", last);
    }

    private void record(List<StoredCall> rows, String batchId) {
        List<StoredCall> updated = new ArrayList<>();
        for (StoredCall r : rows) {
            if (BatchRows.batchId(r).isEmpty()) {
                updated.add(BatchRows.withBatchId(r, batchId));
            }
        }
        gw.writer().saveAll(updated);
    }

    private void failAll(List<StoredCall> rows, String message, Integer status) {
        List<StoredCall> out = new ArrayList<>();
        for (StoredCall r : rows) {
            out.add(error(r, message, status));
        }
        gw.writer().saveAll(out);
    }

    private static StoredCall error(StoredCall r, String message, Integer status) {
        ObjectNode env = JSON.createObjectNode();
        env.put("error", message);
        if (status != null) {
            env.put("http_status", status);
        }
        env.set("batch", BatchRows.batch(r).deepCopy());
        return new StoredCall(r.requestHash(), r.provider(), r.model(), r.request(), env.toString(),
                LlmCallRepository.ERROR, null, null, null, null, r.runId(), null);
    }

    private BatchReport collect(List<BatchReport.PendingBatch> batches, CallContext cx) {
        int answered = 0;
        int invalid = 0;
        List<BatchReport.FailedLine> failed = new ArrayList<>();
        List<BatchReport.PendingBatch> done = new ArrayList<>();
        Usage usage = Usage.ZERO;
        double cost = 0;
        for (BatchReport.PendingBatch b : batches) {
            Collected c = collectOne(b, cx);
            answered += c.answered;
            invalid += c.invalid;
            failed.addAll(c.failed);
            usage = usage.plus(c.usage);
            cost += c.cost;
            done.add(c.batch);
        }
        return new BatchReport(0, 0, 0, 0, 0, answered, invalid, failed, done, usage, cost);
    }

    private static final class Collected {
        int answered;
        int invalid;
        final List<BatchReport.FailedLine> failed = new ArrayList<>();
        Usage usage = Usage.ZERO;
        double cost;
        BatchReport.PendingBatch batch;
    }

    private Collected collectOne(BatchReport.PendingBatch b, CallContext cx) {
        TaskContext task = cx.task();
        Provider p = gw.registry().get(b.provider());
        BatchApi api = api(p);
        List<StoredCall> rows = rowsOf(p.name(), b.inputFileId());
        Collected out = new Collected();
        if (rows.isEmpty()) { // collected meanwhile (by another process)
            out.batch = b;
            return out;
        }
        String batchId = rows.stream().map(BatchRows::batchId).flatMap(Optional::stream).findFirst()
                .orElseGet(() -> createOrAdopt(api, b.inputFileId(), true, rows, task).id());
        BatchApi.Info info = poll(api, batchId, task);
        Map<String, JsonNode> lines = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String fileId : new String[] {info.outputFileId(), info.errorFileId()}) {
            if (fileId == null) {
                continue;
            }
            String text = api.content(fileId, task);
            int n = 0;
            for (String line : text.split("\n")) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode l = JSON.readTree(line);
                    String id = l.path("custom_id").asText("");
                    if (id.isEmpty()) {
                        unknown.add(fileId + " line " + n + ": no custom_id");
                    } else {
                        lines.merge(id, l, (old, now) -> isAnswer(old) ? old : now);
                    }
                } catch (IOException e) {
                    unknown.add(fileId + " line " + n + ": not JSON");
                }
            }
        }
        unknown.forEach(u -> task.message(p.name() + ": batch " + batchId + ": " + u));
        List<StoredCall> result = new ArrayList<>();
        Budget.Reservation res = reservations.remove(b.inputFileId());
        for (StoredCall r : rows) {
            JsonNode l = lines.get(r.requestHash());
            if (l != null && isAnswer(l)) {
                StoredCall stored = answer(r, l, p, batchId, out);
                if (stored != null) {
                    result.add(stored);
                    continue;
                }
            }
            String reason;
            Integer status = null;
            if (l == null) {
                reason = "no answer in batch " + batchId + " (" + info.status() + (info.errors().isEmpty() ? ""
                        : ": " + String.join("; ", info.errors())) + ")";
            } else {
                JsonNode resp = l.path("response");
                status = resp.path("status_code").isNumber() ? resp.get("status_code").asInt() : null;
                String m = l.path("error").path("message").asText(null);
                if (m == null) {
                    JsonNode e = resp.path("body").path("error");
                    m = e.isTextual() ? e.asText() : e.path("message").asText(null);
                }
                if (m == null) {
                    m = "unreadable answer: " + ChatClient.snippet(l.toString());
                }
                reason = p.name() + " / " + r.model() + " (batch " + batchId + ")" + (status == null ? ""
                        : ": HTTP " + status) + ": " + m;
            }
            reason = ApiKeys.redact(reason, gw.keys().keyFor(p).orElse(null));
            out.failed.add(new BatchReport.FailedLine(r.requestHash(), batchId, status, reason));
            result.add(error(BatchRows.withBatchId(r, batchId), reason, status));
        }
        gw.writer().saveAll(result); // one transaction: the batch is collected as a whole or not at all
        double paid = Double.isNaN(out.cost) ? 0 : out.cost;
        if (res != null) {
            cx.budget().settle(res, paid, out.usage);
        } else {
            cx.budget().spend(paid, out.usage);
        }
        task.message(String.format(java.util.Locale.ROOT, "%s: batch %s %s: %d answered, %d invalid, %d failed",
                p.name(), batchId, info.status(), out.answered, out.invalid, out.failed.size()));
        out.batch = new BatchReport.PendingBatch(p.name(), b.inputFileId(), batchId, rows.size(), b.submittedAt(),
                info.status());
        return out;
    }

    private static boolean isAnswer(JsonNode line) {
        JsonNode resp = line.path("response");
        return resp.path("status_code").asInt(0) / 100 == 2 && resp.path("body").path("choices").isArray();
    }

    /** The row of an answer line, or null when the line cannot be read as a chat completion. */
    private StoredCall answer(StoredCall r, JsonNode line, Provider p, String batchId, Collected out) {
        ChatRequest req;
        try {
            req = RequestHash.request(r.request());
        } catch (IllegalArgumentException e) {
            return null;
        }
        StructuredMode mode = BatchRows.mode(r);
        Completion c;
        try {
            c = ChatClient.parse(ChatClient.messages(req, mode, List.of()),
                    line.path("response").path("body").toString(), 0);
        } catch (IOException e) {
            return null;
        }
        Optional<ModelPrice> price = p.batchPrice(r.model());
        double cost = price.map(x -> x.cost(c.usage().promptTokens(), c.usage().completionTokens()))
                .orElse(Double.NaN);
        Journal j = Journal.resume(Optional.empty());
        j.paid(c, cost);
        JsonNode schema = req.format() instanceof ResponseFormat.JsonSchema s ? s.schema()
                : req.format() instanceof ResponseFormat.JsonObject ? JSON.createObjectNode().put("type", "object")
                : null;
        JsonAnswer.Result a = schema == null ? null : JsonAnswer.read(c.text(), schema);
        String status = LlmCallRepository.OK;
        if (a != null && !a.valid()) {
            j.reject(c.text(), a.problems());
            status = gw.policy().maxInvalidAnswers() > 0 ? LlmCallRepository.REJECTED : LlmCallRepository.INVALID;
            out.invalid++;
        } else {
            out.answered++;
        }
        ObjectNode env = j.envelope(c, mode, a);
        ObjectNode info = (ObjectNode) BatchRows.batch(r).deepCopy();
        info.put("id", batchId);
        info.put("request_id", line.path("response").path("request_id").asText(null));
        env.set("batch", info);
        out.usage = out.usage.plus(c.usage());
        out.cost += cost;
        return new StoredCall(r.requestHash(), r.provider(), r.model(), r.request(), env.toString(), status,
                j.usage.promptTokens(), j.usage.completionTokens(), j.unpriced ? null : j.costUsd, null, r.runId(),
                null);
    }

    private BatchApi.Info poll(BatchApi api, String batchId, TaskContext task) {
        Duration pause = pollFirst;
        while (true) {
            BatchApi.Info info = api.get(batchId, task);
            if (info.total() > 0) {
                task.progress(info.completed() + info.failed(), info.total());
            }
            if (info.done()) {
                return info;
            }
            task.message("batch " + batchId + ": " + info.status() + ", " + (info.completed() + info.failed())
                    + " of " + info.total() + " done; next look in " + pause.toSeconds() + " s");
            BatchApi.sleep(pause, task);
            Duration next = pause.multipliedBy(2);
            pause = next.compareTo(pollMax) > 0 ? pollMax : next.isZero() ? pollMax : next;
        }
    }
}
