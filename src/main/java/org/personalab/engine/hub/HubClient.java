package org.personalab.engine.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.personalab.task.TaskContext;

/**
 * The Hugging Face hub's HTTP API, as far as downloading a model folder needs it: the file list of a repository at a
 * revision ({@code GET /api/models/{repo}/revision/{rev}?blobs=true}) and the files themselves
 * ({@code GET /{repo}/resolve/{commit}/{file}}, redirects followed, ranges for resuming). The endpoint defaults to
 * {@value #DEFAULT_ENDPOINT} and is overridable (mirrors, tests). The token is sent as {@code Authorization: Bearer}
 * and nowhere else: OkHttp drops it when a redirect leaves the host (the CDN never sees it), and every text the server
 * sends back is cleaned of it before it reaches a message.
 *
 * <p>Timeouts, broken connections, 408, 429 and 5xx are retried with jittered exponential backoff; 401, 403 and
 * 404 are not (they would fail again) and become a {@link HubException} that says what to do.
 */
public final class HubClient {

    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    /** {@code owner/name} (or a bare legacy name) as the hub allows them; no {@code ..}, no empty parts. */
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_BODY = 2000;

    /**
     * How often and how patiently to retry: exponential backoff, each wait drawn between half and all of
     * {@code min(maxDelay, baseDelay * 2^(n-1))} so that many clients do not retry in step.
     *
     * @param attempts tries of one request in all (a download that made progress starts counting again)
     */
    public record Retry(int attempts, Duration baseDelay, Duration maxDelay) {
        public static final Retry DEFAULT = new Retry(5, Duration.ofSeconds(1), Duration.ofSeconds(30));

        public Retry {
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1");
            }
        }

        /** The wait before try {@code failed + 1}. */
        Duration delay(int failed) {
            long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(20, Math.max(0, failed - 1)));
            return Duration.ofMillis(cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
        }
    }

    private final HttpUrl endpoint;
    private final String token;
    private final OkHttpClient http;
    private final Retry retry;

    private HubClient(Builder b) {
        this.endpoint = b.endpoint;
        this.token = b.token;
        this.retry = b.retry;
        this.http = (b.http != null ? b.http.newBuilder() : new OkHttpClient.Builder())
                .connectTimeout(b.connectTimeout).readTimeout(b.readTimeout).callTimeout(Duration.ZERO)
                .followRedirects(true).followSslRedirects(true).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The endpoint as given, without a trailing slash (and never with user info). */
    public String endpoint() {
        String s = endpoint.newBuilder().username("").password("").build().toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** Whether a token will be sent (the token itself is not exposed). */
    public boolean hasToken() {
        return token != null;
    }

    /** Checks a repository id ({@code owner/name}); the message names it. */
    public static String checkRepo(String repo) {
        if (repo == null || !REPO.matcher(repo).matches() || repo.contains("..")) {
            throw new HubException(HubException.Reason.INVALID, "'" + repo + "' is not a hub repository id "
                    + "(owner/name, e.g. Qwen/Qwen2.5-0.5B-Instruct)");
        }
        return repo;
    }

    /** The repository's page on the hub, where a gated model's licence is accepted. */
    public String pageOf(String repo) {
        return endpoint() + "/" + repo;
    }

    /**
     * Lists the files of {@code repo} at {@code revision} and resolves the revision to its commit.
     *
     * @throws HubException with a message that says what to do; never containing the token
     * @throws CancellationException when the task is cancelled
     */
    public RepoSnapshot snapshot(String repo, String revision, TaskContext ctx) {
        checkRepo(repo);
        if (revision == null || revision.isBlank()) {
            throw new HubException(HubException.Reason.INVALID, "the revision is empty (a branch, tag or commit sha)");
        }
        HttpUrl url = base().addPathSegment("api").addPathSegment("models").addPathSegments(repo)
                .addPathSegment("revision").addPathSegment(revision).addQueryParameter("blobs", "true").build();
        Target target = new Target(repo, revision, null, false);
        String body = withRetries("list " + repo + "@" + revision, ctx, target, () -> false, () -> {
            Call call = http.newCall(request(url).header("Accept", "application/json").build());
            try (CallGuard g = CallGuard.watch(call, ctx); Response r = g.execute()) {
                if (!r.isSuccessful()) {
                    throw new Status(r.code(), r.headers(), errorBody(r));
                }
                return r.body().string();
            }
        });
        return parse(body, repo, revision);
    }

    private RepoSnapshot parse(String body, String repo, String revision) {
        String where = endpoint() + " (model info of " + repo + "@" + revision + ")";
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new HubException(HubException.Reason.INVALID, where + ": not JSON: " + snippet(body));
        }
        if (root == null || !root.isObject()) {
            throw new HubException(HubException.Reason.INVALID, where + ": not a JSON object: " + snippet(body));
        }
        String sha = root.path("sha").asText("");
        if (!sha.matches("[0-9a-f]{40}")) {
            throw new HubException(HubException.Reason.INVALID, where + ": field 'sha' (the commit) is missing or not "
                    + "a 40-digit hex sha: '" + snippet(sha) + "'");
        }
        JsonNode siblings = root.get("siblings");
        if (siblings == null || !siblings.isArray()) {
            throw new HubException(HubException.Reason.INVALID, where + ": field 'siblings' (the file list) is "
                    + "missing");
        }
        List<HubFile> files = new ArrayList<>();
        for (int i = 0; i < siblings.size(); i++) {
            JsonNode s = siblings.get(i);
            String at = where + ": siblings[" + i + "]";
            String name = s.path("rfilename").asText("");
            checkFileName(name, at);
            JsonNode lfs = s.get("lfs");
            String sha256 = null;
            long size = s.path("size").isIntegralNumber() ? s.get("size").asLong() : -1;
            if (lfs != null && lfs.isObject()) {
                sha256 = lfs.path("sha256").asText("").toLowerCase(java.util.Locale.ROOT);
                if (!sha256.matches("[0-9a-f]{64}")) {
                    throw new HubException(HubException.Reason.INVALID, at + " (" + name + "): field 'lfs.sha256' "
                            + "is not a sha256: '" + snippet(sha256) + "'");
                }
                long lfsSize = lfs.path("size").isIntegralNumber() ? lfs.get("size").asLong() : -1;
                if (size >= 0 && lfsSize >= 0 && size != lfsSize) {
                    throw new HubException(HubException.Reason.INVALID, at + " (" + name + "): size " + size
                            + " and lfs.size " + lfsSize + " disagree");
                }
                size = Math.max(size, lfsSize);
            }
            String blob = s.path("blobId").isTextual() ? s.get("blobId").asText().toLowerCase(java.util.Locale.ROOT)
                    : null;
            if (blob != null && !blob.matches("[0-9a-f]{40}")) {
                throw new HubException(HubException.Reason.INVALID, at + " (" + name + "): field 'blobId' is not a "
                        + "git sha1: '" + snippet(blob) + "'");
            }
            files.add(new HubFile(name, size, blob, sha256));
        }
        JsonNode gated = root.get("gated");
        return new RepoSnapshot(repo, revision, sha, gated == null || gated.isNull() ? "false" : gated.asText(),
                files);
    }

    /** A path inside a repository: relative, forward slashes, no {@code .} or {@code ..} parts. */
    static void checkFileName(String name, String where) {
        boolean ok = !name.isEmpty() && !name.startsWith("/") && !name.contains("\\") && !name.contains("\0");
        if (ok) {
            for (String part : name.split("/", -1)) {
                if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                    ok = false;
                    break;
                }
            }
        }
        if (!ok) {
            throw new HubException(HubException.Reason.INVALID, where + ": unsafe file name '" + snippet(name)
                    + "' (must be a relative path inside the repository)");
        }
    }

    /** Builds the call for one file at one commit, from byte {@code from} on (a Range request when above 0). */
    Call fileCall(String repo, String commit, String path, long from) {
        HttpUrl url = base().addPathSegments(repo).addPathSegment("resolve").addPathSegment(commit)
                .addPathSegments(path).build();
        // identity: a transparently gunzipped body would make Range offsets meaningless
        Request.Builder b = request(url).header("Accept-Encoding", "identity");
        if (from > 0) {
            b.header("Range", "bytes=" + from + "-");
        }
        return http.newCall(b.build());
    }

    private HttpUrl.Builder base() {
        return endpoint.newBuilder();
    }

    private Request.Builder request(HttpUrl url) {
        Request.Builder b = new Request.Builder().url(url).get().header("User-Agent", "personalab (java)");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    // ---- retries and errors ----

    /** One HTTP exchange that may fail with an {@link IOException} or a non-2xx {@link Status}. */
    @FunctionalInterface
    interface Exchange<T> {
        T run() throws IOException;
    }

    /** What a request was about, for the messages of its errors. */
    record Target(String repo, String revision, String file, boolean gated) {
    }

    /** A non-2xx answer. */
    static final class Status extends IOException {
        final int code;
        final transient Headers headers;
        final String body;

        Status(int code, Headers headers, String body) {
            super("HTTP " + code);
            this.code = code;
            this.headers = headers;
            this.body = body;
        }
    }

    static String errorBody(Response r) {
        try {
            String s = r.peekBody(MAX_ERROR_BODY).string();
            return s.strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * Runs {@code exchange}, retrying timeouts, broken connections, 408, 429 and 5xx with backoff.
     *
     * @param progressed whether the failed try made progress (then the count of tries starts again)
     */
    <T> T withRetries(String what, TaskContext ctx, Target target, BooleanSupplier progressed, Exchange<T> exchange) {
        int failed = 0;
        while (true) {
            ctx.checkCancelled();
            String why;
            try {
                return exchange.run();
            } catch (Status s) {
                boolean retryable = s.code == 408 || s.code == 429 || s.code >= 500;
                if (!retryable || failed + 1 >= retry.attempts()) {
                    throw translate(s, target, failed + 1);
                }
                why = "HTTP " + s.code;
            } catch (IOException e) {
                if (ctx.isCancelled() || Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("cancelled");
                }
                if (e instanceof UnknownHostException || failed + 1 >= retry.attempts()) {
                    throw unreachable(e, failed + 1);
                }
                why = redact(String.valueOf(e.getMessage()));
            }
            failed = progressed.getAsBoolean() ? 1 : failed + 1;
            Duration wait = retry.delay(failed);
            ctx.message(what + ": " + why + "; retrying in " + wait.toMillis() + " ms");
            sleep(wait, ctx);
        }
    }

    private static void sleep(Duration d, TaskContext ctx) {
        long end = System.nanoTime() + d.toNanos();
        try {
            while (System.nanoTime() < end) {
                ctx.checkCancelled();
                Thread.sleep(Math.max(1, Math.min(50, (end - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        }
    }

    HubException unreachable(IOException e, int tries) {
        String cause = e instanceof UnknownHostException ? "unknown host " + redact(e.getMessage())
                : redact(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        return new HubException(HubException.Reason.UNREACHABLE, "cannot reach " + endpoint() + " (" + cause
                + (tries > 1 ? "; gave up after " + tries + " tries" : "") + "). If this machine is offline, copy "
                + "the model folder here from another machine and point PersonaLab at it (check it with "
                + "'personalab models check DIR'); a mirror can be set with --endpoint or HF_ENDPOINT.");
    }

    HubException translate(Status s, Target t, int tries) {
        String code = s.headers.get("X-Error-Code");
        String serverText = redact(s.headers.get("X-Error-Message") != null ? s.headers.get("X-Error-Message")
                : s.body);
        String said = serverText == null || serverText.isBlank() ? "" : " The hub said: " + snippet(serverText);
        String what = t.file == null ? t.repo : t.file + " of " + t.repo + "@" + t.revision;
        boolean gated = t.gated || "GatedRepo".equals(code);
        return switch (s.code) {
            case 401 -> gated ? gatedError(t, 401, said) : new HubException(HubException.Reason.UNAUTHORIZED,
                    what + ": HTTP 401 (unauthorized). " + (token == null
                            ? "The hub shows private and gated repositories (and reports unknown names) this way to "
                                    + "anonymous users: check the name, and for a private or gated model set HF_TOKEN "
                                    + "to an access token of an account that may read it."
                            : "The hub refused the token in HF_TOKEN (expired or revoked?), or the repository does "
                                    + "not exist or is not visible to that account.") + said);
            case 403 -> gatedError(t, 403, said);
            case 404 -> new HubException(HubException.Reason.NOT_FOUND, switch (code == null ? "" : code) {
                case "RevisionNotFound" -> "revision '" + t.revision + "' not found in " + t.repo
                        + " (HTTP 404): check the branch, tag or commit.";
                case "EntryNotFound" -> "file " + what + " not found (HTTP 404).";
                default -> t.file != null && !"RepoNotFound".equals(code) ? "file " + what + " not found (HTTP 404)."
                        : "no model repository '" + t.repo + "'" + (t.revision.equals("main") ? ""
                                : " with revision '" + t.revision + "'") + " on " + endpoint()
                                + " (HTTP 404): check the name (owner/name).";
            } + said);
            default -> new HubException(HubException.Reason.SERVER, what + ": HTTP " + s.code + " from "
                    + endpoint() + (tries > 1 ? " (gave up after " + tries + " tries)" : "") + "." + said);
        };
    }

    private HubException gatedError(Target t, int code, String said) {
        return new HubException(code == 401 ? HubException.Reason.UNAUTHORIZED : HubException.Reason.FORBIDDEN,
                t.repo + ": HTTP " + code + " (access denied). If the model is gated, accept the licence on the hub "
                        + "(" + pageOf(t.repo) + ") and set HF_TOKEN to an access token of that account"
                        + (token == null ? " (HF_TOKEN is not set)." : " (HF_TOKEN is set, but its account has no "
                                + "access yet).") + said);
    }

    /** Removes the token from text that came from the server or the network stack. */
    String redact(String text) {
        if (text == null || token == null) {
            return text;
        }
        return text.replace(token, "***");
    }

    static String snippet(String s) {
        String t = s == null ? "" : s.replaceAll("\\s+", " ").strip();
        return t.length() > 300 ? t.substring(0, 300) + "…" : t;
    }

    /** Configures a client; {@link #fromEnvironment} reads HF_ENDPOINT and HF_TOKEN as the Python stack does. */
    public static final class Builder {
        private HttpUrl endpoint = HttpUrl.get(DEFAULT_ENDPOINT);
        private String token;
        private Retry retry = Retry.DEFAULT;
        private Duration connectTimeout = Duration.ofSeconds(15);
        private Duration readTimeout = Duration.ofSeconds(60);
        private OkHttpClient http;

        private Builder() {
        }

        /** The hub's base URL (default {@value #DEFAULT_ENDPOINT}); a mirror or a test server. */
        public Builder endpoint(String url) {
            if (url == null || url.isBlank()) {
                return this;
            }
            HttpUrl u = HttpUrl.parse(url.strip());
            if (u == null) {
                throw new HubException(HubException.Reason.INVALID, "endpoint '" + url + "' is not an http(s) URL");
            }
            this.endpoint = u;
            return this;
        }

        /** The access token (null or blank: anonymous). */
        public Builder token(String token) {
            this.token = token == null || token.isBlank() ? null : token.strip();
            return this;
        }

        /**
         * Endpoint from {@code HF_ENDPOINT}; token from {@code HF_TOKEN} (or the older {@code HUGGING_FACE_HUB_TOKEN}),
         * else from the file {@code huggingface-cli login} writes ({@code HF_TOKEN_PATH}, {@code $HF_HOME/token} or
         * {@code ~/.cache/huggingface/token}).
         */
        public Builder fromEnvironment(Map<String, String> env, Path userHome) {
            endpoint(env.get("HF_ENDPOINT"));
            String t = env.get("HF_TOKEN");
            if (t == null || t.isBlank()) {
                t = env.get("HUGGING_FACE_HUB_TOKEN");
            }
            if (t == null || t.isBlank()) {
                Path file = env.get("HF_TOKEN_PATH") != null ? Path.of(env.get("HF_TOKEN_PATH"))
                        : env.get("HF_HOME") != null ? Path.of(env.get("HF_HOME"), "token")
                                : userHome.resolve(".cache/huggingface/token");
                try {
                    t = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
                } catch (IOException e) {
                    t = null; // an unreadable token file is the same as none: anonymous
                }
            }
            return token(t);
        }

        public Builder retry(Retry retry) {
            this.retry = retry;
            return this;
        }

        public Builder timeouts(Duration connect, Duration read) {
            this.connectTimeout = connect;
            this.readTimeout = read;
            return this;
        }

        /** Shares an OkHttp client's pools (its timeouts are replaced by ours). */
        public Builder http(OkHttpClient client) {
            this.http = client;
            return this;
        }

        public HubClient build() {
            return new HubClient(this);
        }
    }
}
