package org.personalab.engine.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Call;
import okhttp3.Response;
import org.personalab.task.TaskContext;

/**
 * Downloads a model folder from the hub. The revision is resolved to a commit once, and every file is fetched from that
 * commit, so a branch moving mid-download cannot mix two versions. Each file is written to {@code FILE.part}; a broken
 * connection is retried with a {@code Range} request from where the part ends (in this run or a later one), and the
 * whole file is verified (size, then sha256 for LFS files or the git blob id for the others) before it is moved
 * into place atomically. A mismatch deletes the part and fails naming the file and both hashes (a part left by an
 * earlier run gets one fresh try first: it may be from an older commit). After every verified file the
 * {@link DownloadManifest} is rewritten, so a second run skips what is verified and fetches only the rest. A lock
 * file keeps two downloads out of one folder. Progress and cancellation go through the {@link TaskContext}; a cancelled
 * download keeps its part file for the next run.
 */
public final class ModelDownloader {

    /** Suffix of a file being downloaded. */
    public static final String PART = ".part";
    static final String LOCK = ".personalab-download.lock";
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final int BUFFER = 1 << 16;

    /**
     * What to download where.
     *
     * @param revision a branch, tag or commit sha
     */
    public record Request(String repo, String revision, Path folder, FileSelection selection) {
        public Request {
            HubClient.checkRepo(repo);
            if (folder == null) {
                throw new HubException(HubException.Reason.INVALID, "no target folder");
            }
            revision = revision == null || revision.isBlank() ? "main" : revision.strip();
            selection = selection == null ? FileSelection.engineDefault() : selection;
        }
    }

    private final HubClient hub;

    public ModelDownloader(HubClient hub) {
        this.hub = hub;
    }

    /** The default folder name of a repository: {@code owner__name}. */
    public static String folderName(String repo) {
        return HubClient.checkRepo(repo).replace("/", "__");
    }

    /**
     * Downloads {@code req}; {@code listener} (may be null) gets the same progress the task gets, as a record.
     *
     * @throws HubException for refusals, unreachable hubs, checksum mismatches and unusable folders
     * @throws java.util.concurrent.CancellationException when the task is cancelled (part files are kept)
     */
    @SuppressWarnings("try") // the folder lock is held for the block, not used in it
    public DownloadResult download(Request req, TaskContext ctx, Consumer<DownloadProgress> listener) {
        long t0 = System.nanoTime();
        Path dir = req.folder().toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new HubException(HubException.Reason.INVALID, dir + ": is a file, not a folder");
        }
        ctx.message("Listing " + req.repo() + "@" + req.revision() + " on " + hub.endpoint());
        RepoSnapshot snap = hub.snapshot(req.repo(), req.revision(), ctx);
        List<HubFile> files = select(snap, req.selection());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new HubException(HubException.Reason.INVALID, dir + ": cannot create the folder: " + e.getMessage(),
                    e);
        }
        List<String> downloaded = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        ProgressMeter meter = new ProgressMeter(ctx, listener,
                files.stream().mapToLong(f -> Math.max(0, f.size())).sum(), files.size());
        try (FolderLock lock = FolderLock.acquire(dir)) {
            Map<String, DownloadManifest.Entry> entries = previousEntries(dir, files);
            writeManifest(dir, snap, entries, false);
            for (int i = 0; i < files.size(); i++) {
                ctx.checkCancelled();
                HubFile f = files.get(i);
                Path target = dir.resolve(f.path()).normalize();
                meter.startFile(i + 1, f);
                String label = f.path() + " (" + (i + 1) + "/" + files.size() + ", " + DownloadProgress.bytes(f.size())
                        + ")";
                DownloadManifest.Entry e = entries.get(f.path());
                if (e != null && e.unchangedOnDisk(target)) {
                    ctx.message(label + ": already verified");
                    skipped.add(f.path());
                } else {
                    ctx.message(label);
                    DownloadManifest.Entry verified = alreadyThere(f, target, ctx);
                    if (verified != null) {
                        skipped.add(f.path());
                    } else {
                        verified = fetch(snap, f, target, meter, ctx);
                        downloaded.add(f.path());
                    }
                    entries.put(f.path(), verified);
                    writeManifest(dir, snap, entries, false);
                }
                meter.finishFile();
            }
            writeManifest(dir, snap, entries, true);
        } catch (IOException e) {
            throw new HubException(HubException.Reason.INVALID, dir + ": cannot write: " + e.getMessage(), e);
        }
        ModelFolderCheck.Report check = files.stream().anyMatch(f -> f.path().equals("config.json"))
                ? ModelFolderCheck.check(dir, false, ctx) : null;
        return new DownloadResult(snap, dir, downloaded, skipped, meter.transferredBytes(),
                Duration.ofNanos(System.nanoTime() - t0), check);
    }

    private static List<HubFile> select(RepoSnapshot snap, FileSelection selection) {
        List<HubFile> files = selection.select(snap.files());
        String holds = snap.files().size() <= 30
                ? String.join(", ", snap.files().stream().map(HubFile::path).toList())
                : snap.files().size() + " files";
        if (files.isEmpty()) {
            throw new HubException(HubException.Reason.INVALID, snap.repo() + "@" + snap.revision() + ": no file "
                    + "matches " + selection + " (the repository holds: " + holds + ")");
        }
        if (selection.isEngineDefault() && files.stream().noneMatch(f -> f.path().endsWith(".safetensors"))) {
            throw new HubException(HubException.Reason.INVALID, snap.repo() + "@" + snap.revision() + " has no "
                    + ".safetensors weights, the only format the engine reads (the repository holds: " + holds
                    + "); choose files with --include to download anyway");
        }
        return files;
    }

    /** Entries of an earlier manifest that still describe a selected file of this snapshot. */
    private static Map<String, DownloadManifest.Entry> previousEntries(Path dir, List<HubFile> files) {
        Map<String, DownloadManifest.Entry> out = new LinkedHashMap<>();
        DownloadManifest old;
        try {
            old = DownloadManifest.read(dir);
        } catch (HubException damaged) {
            return out; // files on disk are hashed again instead
        }
        if (old == null) {
            return out;
        }
        for (HubFile f : files) {
            DownloadManifest.Entry e = old.entry(f.path());
            if (e != null && e.describes(f)) {
                out.put(f.path(), e);
            }
        }
        return out;
    }

    private void writeManifest(Path dir, RepoSnapshot snap, Map<String, DownloadManifest.Entry> entries,
            boolean complete) throws IOException {
        new DownloadManifest(snap.repo(), snap.revision(), snap.commit(), hub.endpoint(), complete, Instant.now(),
                new ArrayList<>(entries.values())).write(dir);
    }

    /** A file already at its place (copied in, or verified before the manifest was lost) is hashed, not fetched. */
    private static DownloadManifest.Entry alreadyThere(HubFile f, Path target, TaskContext ctx) throws IOException {
        if (!Files.isRegularFile(target) || f.expectedHash() == null || Files.size(target) != f.size()) {
            return null;
        }
        ctx.message(f.path() + ": already present, verifying");
        FileHasher.Hashes h = FileHasher.of(target, !f.lfs(), ctx::checkCancelled);
        return h.mismatch(f) == null ? entry(f, h, target) : null;
    }

    private static DownloadManifest.Entry entry(HubFile f, FileHasher.Hashes h, Path file) throws IOException {
        return new DownloadManifest.Entry(f.path(), h.size(), h.sha256(), f.lfs() ? null : h.gitSha1(), f.lfs(),
                Files.getLastModifiedTime(file).toMillis());
    }

    /** Fetches one file into its part file, verifies it and moves it into place. */
    private DownloadManifest.Entry fetch(RepoSnapshot snap, HubFile f, Path target, ProgressMeter meter,
            TaskContext ctx) throws IOException {
        Path part = target.resolveSibling(target.getFileName() + PART);
        Files.createDirectories(target.getParent());
        boolean earlierPart = Files.isRegularFile(part) && Files.size(part) > 0;
        HubClient.Target what = new HubClient.Target(snap.repo(), snap.commit(), f.path(), snap.isGated());
        while (true) {
            AtomicBoolean progressed = new AtomicBoolean();
            FileHasher.Hashes h = hub.withRetries("download " + f.path(), ctx, what, progressed::get,
                    () -> attempt(snap, f, part, meter, ctx, progressed));
            String bad = h.mismatch(f);
            if (bad == null) {
                if (f.expectedHash() == null) {
                    ctx.message(f.path() + ": the hub lists no hash for this file; only its size was checked");
                }
                move(part, target);
                return entry(f, h, target);
            }
            Files.deleteIfExists(part);
            meter.fileAt(0);
            if (earlierPart) {
                earlierPart = false; // the part may be from another commit: one fresh try
                ctx.message(bad + "; the partial file from an earlier run was deleted, downloading afresh");
                continue;
            }
            throw new HubException(HubException.Reason.CHECKSUM, bad + " (downloaded from " + hub.endpoint() + "/"
                    + snap.repo() + " at commit " + snap.commit() + "; the partial file was deleted)");
        }
    }

    /** One try: continues the part file from its end (a Range request) and returns the whole file's hashes. */
    private FileHasher.Hashes attempt(RepoSnapshot snap, HubFile f, Path part, ProgressMeter meter, TaskContext ctx,
            AtomicBoolean progressed) throws IOException {
        long have = Files.isRegularFile(part) ? Files.size(part) : 0;
        if (f.size() >= 0 && have > f.size()) {
            Files.delete(part); // longer than the file: not ours
            have = 0;
        }
        long gitSize = f.lfs() ? -1 : f.size();
        meter.fileAt(have);
        if (have > 0 && have == f.size()) {
            return FileHasher.of(part, !f.lfs(), ctx::checkCancelled); // complete before an interruption
        }
        FileHasher hasher = new FileHasher(gitSize);
        if (have > 0) {
            hasher.updateFrom(part, have, ctx::checkCancelled);
        }
        Call call = hub.fileCall(snap.repo(), snap.commit(), f.path(), have);
        try (CallGuard guard = CallGuard.watch(call, ctx); Response r = guard.execute()) {
            if (r.code() == 416 && have > 0) {
                Files.deleteIfExists(part);
                throw new IOException("the server cannot continue " + f.path() + " at byte " + have
                        + " (HTTP 416); starting over");
            }
            if (!r.isSuccessful()) {
                throw new HubClient.Status(r.code(), r.headers(), HubClient.errorBody(r));
            }
            boolean append = false;
            if (r.code() == 206) {
                Matcher m = CONTENT_RANGE.matcher(String.valueOf(r.header("Content-Range")));
                if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                    Files.deleteIfExists(part);
                    throw new IOException(f.path() + ": the server answered the range request for byte " + have
                            + " with Content-Range '" + r.header("Content-Range") + "'; starting over");
                }
                append = true;
            } else if (have > 0) {
                // 200 to a range request: the whole file again
                hasher = new FileHasher(gitSize);
                have = 0;
                meter.fileAt(0);
            }
            long written = have;
            long limit = f.size() >= 0 ? f.size() : Long.MAX_VALUE;
            byte[] buf = new byte[BUFFER];
            try (InputStream in = r.body().byteStream();
                    OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    ctx.checkCancelled();
                    if (n == 0) {
                        continue;
                    }
                    out.write(buf, 0, n);
                    hasher.update(buf, 0, n);
                    written += n;
                    progressed.set(true);
                    meter.transferred(n);
                    if (written > limit) {
                        break; // more than the hub listed: the size check reports it
                    }
                }
            }
        }
        return f.lfs() || f.size() >= 0 ? hasher.finish() : FileHasher.of(part, true, ctx::checkCancelled);
    }

    private static void move(Path part, Path target) throws IOException {
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** An exclusive lock on {@value #LOCK} in the folder for the length of a download. */
    private static final class FolderLock implements AutoCloseable {
        private final Path file;
        private final FileChannel channel;
        private final FileLock lock;

        private FolderLock(Path file, FileChannel channel, FileLock lock) {
            this.file = file;
            this.channel = channel;
            this.lock = lock;
        }

        static FolderLock acquire(Path dir) throws IOException {
            Path file = dir.resolve(LOCK);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                ch.close();
                throw new HubException(HubException.Reason.INVALID, dir + ": another download is writing into this "
                        + "folder; wait for it or choose another folder");
            }
            return new FolderLock(file, ch, l);
        }

        @Override
        public void close() throws IOException {
            try {
                lock.release();
                channel.close();
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }
}
