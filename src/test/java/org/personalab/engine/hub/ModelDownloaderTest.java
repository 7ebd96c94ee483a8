package org.personalab.engine.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.task.TaskContext;

/** Downloads from a fake hub on real local HTTP servers: verification, manifest, skipping, resume, errors, secrecy. */
class ModelDownloaderTest {

    static final String REPO = "tiny-org/Tiny-Qwen2";
    static final String SHARD1 = "model-00001-of-00002.safetensors";
    static final String SHARD2 = "model-00002-of-00002.safetensors";
    static final HubClient.Retry FAST = new HubClient.Retry(4, Duration.ofMillis(1), Duration.ofMillis(5));

    @TempDir
    Path tmp;
    FakeHub hub;
    Path out;

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub(REPO, HubTestModel.write(tmp.resolve("repo"), 7)).start();
        out = tmp.resolve("out");
    }

    @AfterEach
    void stop() throws IOException {
        hub.close();
    }

    HubClient client() {
        return HubClient.builder().endpoint(hub.endpoint()).retry(FAST).build();
    }

    DownloadResult download(HubClient c, TaskContext ctx, List<DownloadProgress> progress) {
        return new ModelDownloader(c).download(new ModelDownloader.Request(REPO, "main", out, null), ctx,
                progress == null ? null : progress::add);
    }

    DownloadResult download() {
        return download(client(), TaskContext.none(), null);
    }

    /** Names of the regular files under {@code dir}, relative, sorted. */
    static List<String> filesIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    void assertIdentical(String name) throws IOException {
        assertArrayEquals(hub.file(name), Files.readAllBytes(out.resolve(name)), name);
    }

    @Test
    void downloadsWhatTheEngineNeedsVerifiedWithAManifestAndTheFolderLoads() throws IOException {
        List<DownloadProgress> progress = new ArrayList<>();
        DownloadResult r = download(client(), TaskContext.none(), progress);

        List<String> expected = new ArrayList<>(HubTestModel.ENGINE_FILES);
        expected.add(DownloadManifest.FILE);
        assertEquals(expected.stream().sorted().toList(), filesIn(out),
                "the engine's files and the manifest; no .bin, no onnx/, no .part or lock left behind");
        for (String f : HubTestModel.ENGINE_FILES) {
            assertIdentical(f);
        }
        assertTrue(hub.file(SHARD1).length > 2 * (1 << 16), "the first shard spans several download buffers");
        assertEquals(HubTestModel.ENGINE_FILES.size(), r.downloaded().size());
        assertTrue(r.skipped().isEmpty());
        assertEquals(FakeHub.COMMIT, r.snapshot().commit());
        long total = HubTestModel.ENGINE_FILES.stream().mapToLong(f -> hub.file(f).length).sum();
        assertEquals(total, r.bytes());

        // LFS files came from the CDN after a 302; the others straight from the hub
        List<String> lfs = HubTestModel.ENGINE_FILES.stream().filter(hub::isLfs).toList();
        assertEquals(List.of("model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
                "tokenizer.json"), lfs);
        assertEquals(lfs.size(), hub.requestsTo("/blobs/").size());
        assertEquals(HubTestModel.ENGINE_FILES.size(), hub.requestsTo("/" + REPO + "/resolve/" + FakeHub.COMMIT + "/")
                .size(), "every file resolved at the commit the revision named");

        DownloadManifest m = DownloadManifest.read(out);
        assertNotNull(m);
        assertEquals(REPO, m.repo());
        assertEquals("main", m.revision());
        assertEquals(FakeHub.COMMIT, m.commit());
        assertEquals(hub.endpoint(), m.endpoint());
        assertTrue(m.complete());
        assertEquals(HubTestModel.ENGINE_FILES.size(), m.files().size());
        for (String f : HubTestModel.ENGINE_FILES) {
            DownloadManifest.Entry e = m.entry(f);
            assertEquals(hub.file(f).length, e.size(), f);
            assertEquals(hub.sha256(f), e.sha256(), f);
            assertEquals(hub.isLfs(f), e.lfs(), f);
            assertEquals(hub.isLfs(f) ? null : FakeHub.gitBlob(hub.file(f)), e.gitSha1(), f);
        }

        assertNotNull(r.check());
        assertTrue(r.check().ok(), r.check().problems()::toString);
        assertEquals("qwen2", r.check().config().modelType());
        assertEquals(2, r.check().weightFiles());

        // progress: overall bytes only grow and end at the total; the first shard was reported while in flight
        assertFalse(progress.isEmpty());
        for (int i = 1; i < progress.size(); i++) {
            assertTrue(progress.get(i).done() >= progress.get(i - 1).done(), progress.get(i) + " after "
                    + progress.get(i - 1));
        }
        DownloadProgress last = progress.get(progress.size() - 1);
        assertEquals(total, last.done());
        assertEquals(total, last.total());
        assertEquals(HubTestModel.ENGINE_FILES.size(), last.files());
        assertTrue(progress.stream().anyMatch(p -> p.file().equals(SHARD1) && p.fileDone() == 0));
        assertTrue(progress.stream().anyMatch(p -> p.file().equals(SHARD1) && p.fileDone() == p.fileTotal()));
    }

    @Test
    void aSecondRunDownloadsNothingAndAReplacedFileIsFetchedAgain() throws IOException {
        download();
        int before = hub.requests.size();
        DownloadResult again = download();
        assertEquals(before + 1, hub.requests.size(), "only the file list was asked for again");
        assertEquals(1, hub.requests.stream().skip(before).filter(q -> q.getUrl().encodedPath().startsWith("/api/"))
                .count());
        assertTrue(again.downloaded().isEmpty());
        assertEquals(HubTestModel.ENGINE_FILES.size(), again.skipped().size());
        assertEquals(0, again.bytes());

        // a deleted file and a damaged one (same size, so only its hash tells) are fetched; the rest is skipped
        Files.delete(out.resolve("config.json"));
        byte[] damaged = hub.file(SHARD2).clone();
        damaged[100] ^= 1;
        Files.write(out.resolve(SHARD2), damaged);
        int mark = hub.requests.size();
        DownloadResult third = download();
        assertEquals(List.of("config.json", SHARD2), third.downloaded().stream().sorted().toList());
        assertIdentical("config.json");
        assertIdentical(SHARD2);
        assertEquals(1 + 1 + 2, hub.requests.size() - mark, "list, config.json, shard 2 (302 + CDN)");
    }

    @Test
    void filesAlreadyInPlaceWithoutAManifestAreHashedNotFetched() throws IOException {
        download();
        Files.delete(out.resolve(DownloadManifest.FILE));
        int before = hub.requests.size();
        DownloadResult r = download();
        assertEquals(before + 1, hub.requests.size());
        assertEquals(HubTestModel.ENGINE_FILES.size(), r.skipped().size());
        assertTrue(DownloadManifest.read(out).complete());
    }

    @Test
    void aConnectionDroppedMidFileResumesWithARangeRequestAndEndsIdentical() throws IOException {
        hub.dropOnce.add(SHARD1);
        DownloadResult r = download();
        assertIdentical(SHARD1);
        List<RecordedRequest> cdn = hub.requestsTo("/blobs/" + hub.sha256(SHARD1));
        assertEquals(2, cdn.size(), "the cut-off request and the resumed one");
        assertNull(cdn.get(0).getHeaders().get("Range"));
        String range = cdn.get(1).getHeaders().get("Range");
        assertNotNull(range, "the second request continues the part file");
        long from = Long.parseLong(range.substring("bytes=".length(), range.length() - 1));
        assertTrue(from > 0 && from < hub.file(SHARD1).length, range);
        assertTrue(r.check().ok(), r.check().problems()::toString);
        assertFalse(Files.exists(out.resolve(SHARD1 + ModelDownloader.PART)));
    }

    @Test
    void aPartFileLeftByAnInterruptedRunIsContinuedAndAStaleOneReplaced() throws IOException {
        Files.createDirectories(out);
        Files.write(out.resolve(SHARD1 + ModelDownloader.PART), Arrays.copyOf(hub.file(SHARD1), 100_000));
        byte[] stale = new byte[50_000];
        Arrays.fill(stale, (byte) 7);
        Files.write(out.resolve(SHARD2 + ModelDownloader.PART), stale);
        List<String> messages = new ArrayList<>();
        download(client(), recording(messages, new AtomicBoolean()), null);
        assertIdentical(SHARD1);
        assertIdentical(SHARD2);
        assertEquals("bytes=100000-", hub.requestsTo("/blobs/" + hub.sha256(SHARD1)).get(0).getHeaders().get("Range"));
        List<RecordedRequest> s2 = hub.requestsTo("/blobs/" + hub.sha256(SHARD2));
        assertEquals("bytes=50000-", s2.get(0).getHeaders().get("Range"));
        assertNull(s2.get(1).getHeaders().get("Range"), "after the mismatch, a fresh download");
        assertTrue(messages.stream().anyMatch(m -> m.contains(SHARD2) && m.contains("sha256 mismatch")
                && m.contains("downloading afresh")), messages::toString);
    }

    @Test
    void aServerThatIgnoresRangeSendsTheWholeFileAndThePartStartsOver() throws IOException {
        hub.ignoreRange = true;
        hub.dropOnce.add(SHARD1);
        download();
        assertIdentical(SHARD1);
    }

    @Test
    void aCorruptedFileFailsNamingItAndBothHashesAndIsNotLeftInPlace() throws IOException {
        hub.corrupt.add(SHARD2);
        byte[] served = hub.file(SHARD2).clone();
        served[served.length / 3] ^= 0x5a;
        HubException e = assertThrows(HubException.class, this::download);
        assertEquals(HubException.Reason.CHECKSUM, e.reason());
        assertTrue(e.getMessage().startsWith(SHARD2 + ": sha256 mismatch: expected " + hub.sha256(SHARD2)
                + ", got " + FakeHub.hex("SHA-256", served)), e.getMessage());
        assertFalse(Files.exists(out.resolve(SHARD2)));
        assertFalse(Files.exists(out.resolve(SHARD2 + ModelDownloader.PART)));
        assertFalse(DownloadManifest.read(out).complete());
        assertIdentical(SHARD1); // verified before the bad one, and kept

        // a file kept in git is checked by its blob id
        hub.corrupt.clear();
        hub.corrupt.add("config.json");
        Files.delete(out.resolve("config.json"));
        HubException git = assertThrows(HubException.class, this::download);
        assertTrue(git.getMessage().startsWith("config.json: git blob sha1 mismatch: expected "
                + FakeHub.gitBlob(hub.file("config.json")) + ", got "), git.getMessage());
        assertFalse(Files.exists(out.resolve("config.json")));

        hub.corrupt.clear();
        assertTrue(download().check().ok(), "the next run completes the folder");
    }

    @Test
    void serverErrorsAreRetriedWithBackoffThenGivenUp() throws IOException {
        hub.failFirst("api", 503, 502);
        hub.failFirst("config.json", 500);
        List<String> messages = new ArrayList<>();
        download(client(), recording(messages, new AtomicBoolean()), null);
        assertIdentical("config.json");
        assertTrue(messages.stream().anyMatch(m -> m.contains("HTTP 503") && m.contains("retrying")),
                messages::toString);

        hub.failFirst("api", 503, 503, 503, 503, 503);
        HubException e = assertThrows(HubException.class, this::download);
        assertEquals(HubException.Reason.SERVER, e.reason());
        assertTrue(e.getMessage().contains("HTTP 503") && e.getMessage().contains("gave up after 4 tries"),
                e.getMessage());
    }

    @Test
    void unauthorizedNotFoundAndGatedSayWhatToDo() {
        hub.privateToken = "hf_privateRepoToken0000000000000000";
        HubException anon = assertThrows(HubException.class, this::download);
        assertEquals(HubException.Reason.UNAUTHORIZED, anon.reason());
        assertTrue(anon.getMessage().startsWith(REPO + ": HTTP 401"), anon.getMessage());
        assertTrue(anon.getMessage().contains("set HF_TOKEN"), anon.getMessage());
        hub.privateToken = null;

        ModelDownloader d = new ModelDownloader(client());
        HubException noRepo = assertThrows(HubException.class, () -> d.download(
                new ModelDownloader.Request("tiny-org/No-Such-Model", "main", out, null), TaskContext.none(), null));
        assertEquals(HubException.Reason.NOT_FOUND, noRepo.reason());
        assertTrue(noRepo.getMessage().startsWith("no model repository 'tiny-org/No-Such-Model' on "
                + hub.endpoint() + " (HTTP 404)"), noRepo.getMessage());
        HubException noRev = assertThrows(HubException.class, () -> d.download(
                new ModelDownloader.Request(REPO, "v9.9", out, null), TaskContext.none(), null));
        assertTrue(noRev.getMessage().startsWith("revision 'v9.9' not found in " + REPO), noRev.getMessage());

        hub.gatedToken = "hf_acceptedLicence000000000000000000";
        HubException gated = assertThrows(HubException.class, this::download);
        assertEquals(HubException.Reason.UNAUTHORIZED, gated.reason());
        assertTrue(gated.getMessage().contains("accept the licence on the hub (" + hub.endpoint() + "/" + REPO
                + ") and set HF_TOKEN"), gated.getMessage());
        assertTrue(gated.getMessage().contains("HF_TOKEN is not set"), gated.getMessage());
        HubClient wrong = HubClient.builder().endpoint(hub.endpoint()).token("hf_otherAccount0000000000000000")
                .retry(FAST).build();
        HubException forbidden = assertThrows(HubException.class, () -> download(wrong, TaskContext.none(), null));
        assertEquals(HubException.Reason.FORBIDDEN, forbidden.reason());
        assertTrue(forbidden.getMessage().contains("HTTP 403") && forbidden.getMessage().contains("no access yet"),
                forbidden.getMessage());
        assertFalse(Files.exists(out.resolve("config.json")));
    }

    @Test
    void theTokenIsSentAsBearerToTheHubOnlyAndNeverWrittenOrShown() throws IOException {
        String token = "hf_SeCrEtToKeN1234567890abcdefXYZ";
        hub.privateToken = token;
        Path hfHome = tmp.resolve("hf-home");
        HubClient c = HubClient.builder().fromEnvironment(Map.of("HF_TOKEN", token, "HF_ENDPOINT", hub.endpoint(),
                "HF_HOME", hfHome.toString()), tmp).retry(FAST).build();
        assertEquals(hub.endpoint(), c.endpoint());
        assertTrue(c.hasToken());
        DownloadResult r = download(c, TaskContext.none(), null);
        assertTrue(r.check().ok());
        for (RecordedRequest q : hub.requests) {
            boolean cdn = q.getUrl().encodedPath().startsWith("/blobs/");
            assertEquals(cdn ? null : "Bearer " + token, q.getHeaders().get("Authorization"),
                    "the token goes to the hub, never across the redirect to the CDN: " + q.getUrl());
        }
        for (String f : filesIn(out)) {
            assertFalse(new String(Files.readAllBytes(out.resolve(f)), StandardCharsets.ISO_8859_1).contains(token),
                    f);
        }
        // a wrong token that the server echoes back in its refusal is redacted from the message
        String wrong = "hf_WrOnGtOkEn0987654321zyxwvutABC";
        HubClient w = HubClient.builder().endpoint(hub.endpoint()).token(wrong).retry(FAST).build();
        HubException e = assertThrows(HubException.class, () -> download(w, TaskContext.none(), null));
        assertTrue(e.getMessage().contains("Invalid credentials in Authorization header: Bearer ***"), e.getMessage());
        assertTrue(e.getMessage().contains("refused the token"), e.getMessage());
        assertFalse(e.getMessage().contains(wrong));
        assertFalse(e.toString().contains(wrong));

        // the file huggingface-cli login writes is used when HF_TOKEN is not set
        Files.createDirectories(hfHome);
        Files.writeString(hfHome.resolve("token"), token + "\n");
        HubClient fromFile = HubClient.builder().fromEnvironment(Map.of("HF_HOME", hfHome.toString()), tmp)
                .endpoint(hub.endpoint()).retry(FAST).build();
        assertTrue(fromFile.hasToken());
        assertEquals(FakeHub.COMMIT, fromFile.snapshot(REPO, "main", TaskContext.none()).commit());
        assertFalse(HubClient.builder().fromEnvironment(Map.of("HF_HOME", tmp.resolve("none").toString()), tmp)
                .build().hasToken());
    }

    @Test
    void anUnreachableHubSuggestsALocalFolder() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        HubClient c = HubClient.builder().endpoint("http://127.0.0.1:" + port).retry(FAST).build();
        HubException e = assertThrows(HubException.class, () -> download(c, TaskContext.none(), null));
        assertEquals(HubException.Reason.UNREACHABLE, e.reason());
        assertTrue(e.getMessage().startsWith("cannot reach http://127.0.0.1:" + port), e.getMessage());
        assertTrue(e.getMessage().contains("offline") && e.getMessage().contains("personalab models check DIR"),
                e.getMessage());
        assertFalse(Files.exists(out), "nothing created");
    }

    @Test
    void cancellingKeepsThePartAndTheNextRunResumesIt() throws IOException {
        Path part = out.resolve(SHARD1 + ModelDownloader.PART);
        // cancelled as soon as the first bytes of the big shard are on disk (the downloader polls after each buffer)
        TaskContext ctx = new TaskContext() {
            @Override
            public void progress(double done, double total) {
            }

            @Override
            public void message(String message) {
            }

            @Override
            public boolean isCancelled() {
                try {
                    return Files.isRegularFile(part) && Files.size(part) > 0;
                } catch (IOException e) {
                    return false;
                }
            }
        };
        ModelDownloader d = new ModelDownloader(client());
        assertThrows(CancellationException.class, () -> d.download(new ModelDownloader.Request(REPO, "main", out,
                null), ctx, null));
        assertTrue(Files.exists(part), "the part file is kept for the next run");
        assertTrue(Files.size(part) < hub.file(SHARD1).length);
        assertFalse(Files.exists(out.resolve(SHARD1)));
        assertFalse(Files.exists(out.resolve(ModelDownloader.LOCK)), "the lock is released");
        long kept = Files.size(part);

        download();
        assertIdentical(SHARD1);
        List<RecordedRequest> s1 = hub.requestsTo("/blobs/" + hub.sha256(SHARD1));
        String range = s1.get(s1.size() - 1).getHeaders().get("Range");
        assertEquals("bytes=" + kept + "-", range);
    }

    @Test
    void includeGlobsChooseFilesAndARepositoryWithoutSafetensorsIsRefusedByDefault() throws IOException {
        ModelDownloader d = new ModelDownloader(client());
        DownloadResult r = d.download(new ModelDownloader.Request(REPO, FakeHub.COMMIT, out,
                FileSelection.of(List.of("*.json", "onnx/**"))), TaskContext.none(), null);
        assertEquals(List.of(DownloadManifest.FILE, "config.json", "generation_config.json",
                "model.safetensors.index.json", "onnx/model.onnx", "tokenizer.json", "tokenizer_config.json"),
                filesIn(out));
        assertIdentical("onnx/model.onnx");
        assertEquals(FakeHub.COMMIT, DownloadManifest.read(out).revision());
        assertNotNull(r.check(), "config.json was selected, so the folder was checked");
        assertFalse(r.check().ok(), "no weights: the check says so");
        assertTrue(r.check().problems().stream().anyMatch(p -> p.contains("model-00001-of-00002.safetensors")),
                r.check().problems()::toString);

        HubException none = assertThrows(HubException.class, () -> d.download(new ModelDownloader.Request(REPO,
                "main", out, FileSelection.of(List.of("*.gguf"))), TaskContext.none(), null));
        assertTrue(none.getMessage().contains("no file matches *.gguf") && none.getMessage().contains("config.json"),
                none.getMessage());

        Path bin = tmp.resolve("bin-only");
        Files.createDirectories(bin);
        Files.writeString(bin.resolve("config.json"), "{}");
        Files.write(bin.resolve("pytorch_model.bin"), new byte[10]);
        try (FakeHub old = new FakeHub("old/bin-model", bin).start()) {
            HubException noWeights = assertThrows(HubException.class, () -> new ModelDownloader(HubClient.builder()
                    .endpoint(old.endpoint()).retry(FAST).build()).download(new ModelDownloader.Request(
                            "old/bin-model", "main", tmp.resolve("o2"), null), TaskContext.none(), null));
            assertTrue(noWeights.getMessage().contains("has no .safetensors weights"), noWeights.getMessage());
            assertTrue(noWeights.getMessage().contains("pytorch_model.bin"), noWeights.getMessage());
        }
    }

    @Test
    void namesAreCheckedBeforeAnythingIsWritten() {
        for (String bad : List.of("../etc/passwd", "/abs", "a//b", "a/./b", "a\\b", "")) {
            assertThrows(HubException.class, () -> HubClient.checkFileName(bad, "test"), bad);
        }
        HubClient.checkFileName("onnx/model.onnx", "test");
        for (String bad : List.of("no spaces/x", "a/b/c", "../x", "a/..", "")) {
            HubException e = assertThrows(HubException.class, () -> HubClient.checkRepo(bad), bad);
            assertTrue(e.getMessage().contains("owner/name"), e.getMessage());
        }
        assertEquals("Qwen__Qwen2.5-0.5B-Instruct", ModelDownloader.folderName("Qwen/Qwen2.5-0.5B-Instruct"));
        HubException glob = assertThrows(HubException.class, () -> FileSelection.of(List.of("[")));
        assertTrue(glob.getMessage().startsWith("--include '[' is not a valid glob"), glob.getMessage());
    }

    static TaskContext recording(List<String> messages, AtomicBoolean cancelled) {
        return new TaskContext() {
            @Override
            public void progress(double done, double total) {
            }

            @Override
            public void message(String message) {
                messages.add(message);
            }

            @Override
            public boolean isCancelled() {
                return cancelled.get();
            }
        };
    }
}
