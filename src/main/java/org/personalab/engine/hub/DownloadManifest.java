package org.personalab.engine.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@value #FILE} in a downloaded model folder: where the files came from (endpoint, repository, the revision asked for
 * and the commit it resolved to) and what each verified file is (size, sha256, git blob id, modification time). It is
 * rewritten atomically after every verified file, so an interrupted download keeps what it verified, and a second run
 * skips a file whose manifest entry matches the hub and whose size and modification time are unchanged on disk.
 * {@code complete} is false until every selected file is in place. No token is ever written here.
 *
 * @param endpoint the hub's base URL without user info
 */
public record DownloadManifest(String repo, String revision, String commit, String endpoint, boolean complete,
        Instant updated, List<Entry> files) {

    public static final String FILE = ".personalab-download.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public DownloadManifest {
        files = List.copyOf(files);
    }

    /**
     * One verified file.
     *
     * @param sha256   sha256 of the content (always computed)
     * @param gitSha1  the git blob id, for files kept in git rather than LFS; null for LFS files
     * @param modified the file's modification time (ms) when it was verified
     */
    public record Entry(String path, long size, String sha256, String gitSha1, boolean lfs, long modified) {

        /** Whether this entry records exactly the content {@code f} describes. */
        boolean describes(HubFile f) {
            if (!path.equals(f.path()) || (f.size() >= 0 && size != f.size())) {
                return false;
            }
            return f.lfs() ? f.lfsSha256().equals(sha256) : f.blobId() != null && f.blobId().equals(gitSha1);
        }

        /** Whether {@code file} still has the size and modification time recorded (so it need not be hashed again). */
        boolean unchangedOnDisk(Path file) {
            try {
                return Files.isRegularFile(file) && Files.size(file) == size
                        && Files.getLastModifiedTime(file).toMillis() == modified;
            } catch (IOException e) {
                return false;
            }
        }
    }

    /** The entry for {@code path}, or null. */
    public Entry entry(String path) {
        return files.stream().filter(e -> e.path.equals(path)).findFirst().orElse(null);
    }

    /** Reads the manifest of {@code dir}; null when there is none. */
    public static DownloadManifest read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            List<Entry> entries = new ArrayList<>();
            for (JsonNode e : n.path("files")) {
                entries.add(new Entry(text(e, "path", file), e.path("size").asLong(-1), text(e, "sha256", file),
                        e.path("gitSha1").isTextual() ? e.get("gitSha1").asText() : null, e.path("lfs").asBoolean(),
                        e.path("modified").asLong(-1)));
            }
            return new DownloadManifest(text(n, "repo", file), text(n, "revision", file), text(n, "commit", file),
                    n.path("endpoint").asText(""), n.path("complete").asBoolean(false),
                    n.hasNonNull("updated") ? Instant.parse(n.get("updated").asText()) : Instant.EPOCH, entries);
        } catch (IOException | RuntimeException e) {
            throw new HubException(HubException.Reason.INVALID, file + ": damaged download manifest: "
                    + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field, Path file) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' is missing or not a string");
        }
        return v.asText();
    }

    /** Writes the manifest into {@code dir} atomically (temporary file, then a rename). */
    public void write(Path dir) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("format", 1);
        n.put("repo", repo);
        n.put("revision", revision);
        n.put("commit", commit);
        n.put("endpoint", endpoint);
        n.put("complete", complete);
        n.put("updated", updated.toString());
        ArrayNode arr = n.putArray("files");
        for (Entry e : files) {
            ObjectNode o = arr.addObject();
            o.put("path", e.path);
            o.put("size", e.size);
            o.put("sha256", e.sha256);
            if (e.gitSha1 != null) {
                o.put("gitSha1", e.gitSha1);
            }
            o.put("lfs", e.lfs);
            o.put("modified", e.modified);
        }
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.writeString(tmp, n.toPrettyString() + "\n", StandardCharsets.UTF_8);
        try {
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
