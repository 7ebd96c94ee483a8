package org.personalab.engine.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.Buffer;

/**
 * A Hugging Face hub on two real local HTTP servers: the hub itself ({@code /api/models/{repo}/revision/{rev}} and
 * {@code /{repo}/resolve/{commit}/{file}}) and a CDN on another port that LFS files are redirected to (302), as
 * huggingface.co does — so OkHttp must follow the redirect and drop the token on the way. Tests switch on failures:
 * a token the repository requires (private) or a gated licence, a connection dropped half-way through a file, a
 * corrupted byte, scripted error statuses, and a server that ignores Range.
 */
public final class FakeHub implements AutoCloseable {

    public static final String COMMIT = "3f1c0ffee0ddba11cafe5eedfacade0123456789";

    public final String repo;
    public final MockWebServer hub = new MockWebServer();
    public final MockWebServer cdn = new MockWebServer();
    /** Every request to either server, in arrival order. */
    public final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
    /** Files whose next response is cut off half-way through the body (removed once used). */
    public final Set<String> dropOnce = ConcurrentHashMap.newKeySet();
    /** Files served with one byte changed (same size). */
    public final Set<String> corrupt = ConcurrentHashMap.newKeySet();
    /** Statuses to answer first, per file path or "api", before serving normally. */
    public final Map<String, Deque<Integer>> failFirst = new ConcurrentHashMap<>();
    /** The token a private repository requires (null: public). */
    public volatile String privateToken;
    /** The token of an account that accepted a gated licence (null: not gated). */
    public volatile String gatedToken;
    public volatile boolean ignoreRange;

    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final Map<String, String> sha256 = new LinkedHashMap<>();
    private final Set<String> lfs = ConcurrentHashMap.newKeySet();

    /** Serves every file under {@code source} as repository {@code repo}. */
    public FakeHub(String repo, Path source) {
        this.repo = repo;
        try (Stream<Path> s = Files.walk(source)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                String name = source.relativize(p).toString().replace('\\', '/');
                byte[] b = Files.readAllBytes(p);
                files.put(name, b);
                sha256.put(name, hex("SHA-256", b));
                if (name.endsWith(".safetensors") || name.endsWith(".bin") || name.endsWith(".onnx")
                        || name.equals("tokenizer.json")) {
                    lfs.add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        hub.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                requests.add(r);
                return onHub(r);
            }
        });
        cdn.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                requests.add(r);
                return onCdn(r);
            }
        });
    }

    public FakeHub start() throws IOException {
        hub.start();
        cdn.start();
        return this;
    }

    public String endpoint() {
        String s = hub.url("/").toString();
        return s.substring(0, s.length() - 1);
    }

    public byte[] file(String name) {
        return files.get(name);
    }

    public String sha256(String name) {
        return sha256.get(name);
    }

    public boolean isLfs(String name) {
        return lfs.contains(name);
    }

    /** Requests whose path starts with {@code prefix}. */
    public List<RecordedRequest> requestsTo(String prefix) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.getUrl().encodedPath().startsWith(prefix)).toList();
        }
    }

    /** Requests that fetched file content (the hub's resolve URLs and the CDN). */
    public List<RecordedRequest> fileRequests() {
        synchronized (requests) {
            return requests.stream().filter(r -> !r.getUrl().encodedPath().startsWith("/api/")).toList();
        }
    }

    private MockResponse onHub(RecordedRequest r) {
        String path = r.getUrl().encodedPath();
        String auth = r.getHeaders().get("Authorization");
        if (privateToken != null && !("Bearer " + privateToken).equals(auth)) {
            // like some servers do, the refusal echoes the credentials it was given: the client must redact them
            return error(401, "RepoNotFound", "Repository Not Found for url: " + r.getUrl()
                    + ". Please make sure you specified the correct repo_id and repo_type."
                    + (auth == null ? "" : " Invalid credentials in Authorization header: " + auth));
        }
        String api = "/api/models/" + repo + "/revision/";
        if (path.startsWith(api)) {
            Integer fail = next("api");
            if (fail != null) {
                return error(fail, null, "scripted failure");
            }
            String rev = r.getUrl().pathSegments().get(r.getUrl().pathSize() - 1);
            if (!rev.equals("main") && !rev.equals(COMMIT)) {
                return error(404, "RevisionNotFound", "Invalid rev id: " + rev);
            }
            return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                    .body(apiJson()).build();
        }
        if (path.startsWith("/api/models/")) {
            return error(404, "RepoNotFound", "Repository not found");
        }
        String resolve = "/" + repo + "/resolve/" + COMMIT + "/";
        if (!path.startsWith(resolve)) {
            return error(404, "RepoNotFound", "Repository not found");
        }
        String name = String.join("/", r.getUrl().pathSegments().subList(4, r.getUrl().pathSize()));
        if (!files.containsKey(name)) {
            return error(404, "EntryNotFound", name + " does not exist on \"" + COMMIT + "\"");
        }
        if (gatedToken != null && !("Bearer " + gatedToken).equals(auth)) {
            return auth == null
                    ? error(401, "GatedRepo", "Access to model " + repo + " is restricted. You must have access to "
                            + "it and be authenticated to access it. Please log in.")
                    : error(403, "GatedRepo", "Access to model " + repo + " is restricted and you are not in the "
                            + "authorized list. Visit https://huggingface.co/" + repo + " to ask for access.");
        }
        if (lfs.contains(name)) {
            return new MockResponse.Builder().code(302)
                    .setHeader("Location", cdn.url("/blobs/" + sha256.get(name)).toString())
                    .setHeader("X-Repo-Commit", COMMIT).setHeader("X-Linked-Etag", "\"" + sha256.get(name) + "\"")
                    .setHeader("X-Linked-Size", files.get(name).length).build();
        }
        return serve(name, r);
    }

    private MockResponse onCdn(RecordedRequest r) {
        List<String> seg = r.getUrl().pathSegments();
        String sha = seg.get(seg.size() - 1);
        return sha256.entrySet().stream().filter(e -> e.getValue().equals(sha)).findFirst()
                .map(e -> serve(e.getKey(), r))
                .orElseGet(() -> new MockResponse.Builder().code(403).body("<Error>AccessDenied</Error>").build());
    }

    private MockResponse serve(String name, RecordedRequest r) {
        Integer fail = next(name);
        if (fail != null) {
            return error(fail, null, "scripted failure");
        }
        byte[] content = files.get(name).clone();
        if (corrupt.contains(name)) {
            content[content.length / 3] ^= 0x5a;
        }
        String range = r.getHeaders().get("Range");
        MockResponse.Builder b = new MockResponse.Builder().setHeader("Accept-Ranges", "bytes")
                .setHeader("ETag", "\"" + sha256.get(name) + "\"");
        int from = 0;
        if (range != null && !ignoreRange) {
            from = Integer.parseInt(range.substring("bytes=".length(), range.indexOf('-')));
            if (from >= content.length) {
                return b.code(416).setHeader("Content-Range", "bytes */" + content.length).build();
            }
            b.code(206).setHeader("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/"
                    + content.length);
        } else {
            b.code(200);
        }
        b.body(new Buffer().write(content, from, content.length - from));
        if (dropOnce.remove(name)) {
            b.onResponseBody(SocketEffect.ShutdownConnection.INSTANCE);
        }
        return b.build();
    }

    private Integer next(String key) {
        Deque<Integer> q = failFirst.get(key);
        return q == null ? null : q.pollFirst();
    }

    /** Scripts {@code statuses} as the first answers for {@code key} (a file path or "api"). */
    public void failFirst(String key, Integer... statuses) {
        failFirst.put(key, new ArrayDeque<>(List.of(statuses)));
    }

    private static MockResponse error(int code, String errorCode, String message) {
        MockResponse.Builder b = new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
                .body("{\"error\":\"" + message.replace("\"", "\\\"") + "\"}");
        if (errorCode != null) {
            b.setHeader("X-Error-Code", errorCode).setHeader("X-Error-Message", message);
        }
        return b.build();
    }

    private String apiJson() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode n = m.createObjectNode();
        n.put("_id", "65a1b2c3d4e5f6");
        n.put("id", repo);
        n.put("private", privateToken != null);
        if (gatedToken != null) {
            n.put("gated", "manual");
        } else {
            n.put("gated", false);
        }
        n.put("sha", COMMIT);
        ArrayNode s = n.putArray("siblings");
        files.forEach((name, b) -> {
            ObjectNode o = s.addObject();
            o.put("rfilename", name);
            if (lfs.contains(name)) {
                String pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:" + sha256.get(name)
                        + "\nsize " + b.length + "\n";
                o.put("blobId", gitBlob(pointer.getBytes(StandardCharsets.UTF_8)));
                o.put("size", b.length);
                o.putObject("lfs").put("sha256", sha256.get(name)).put("size", b.length)
                        .put("pointerSize", pointer.length());
            } else {
                o.put("blobId", gitBlob(b));
                o.put("size", b.length);
            }
        });
        return n.toString();
    }

    static String gitBlob(byte[] b) {
        byte[] head = ("blob " + b.length + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + b.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(b, 0, all, head.length, b.length);
        return hex("SHA-1", all);
    }

    static String hex(String algorithm, byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        hub.close();
        cdn.close();
    }
}
