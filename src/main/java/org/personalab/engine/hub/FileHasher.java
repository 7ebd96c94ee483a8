package org.personalab.engine.hub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The two hashes the hub lists, computed in one pass: sha256 of the content (what LFS records) and, for files kept in
 * git itself, the git blob id — sha1 of {@code "blob <size>\0"} followed by the content.
 */
final class FileHasher {

    private final MessageDigest sha256;
    private final MessageDigest gitSha1;
    private long bytes;

    /** @param gitBlobSize the size for the git blob header, or -1 to skip the git hash */
    FileHasher(long gitBlobSize) {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
            if (gitBlobSize >= 0) {
                gitSha1 = MessageDigest.getInstance("SHA-1");
                gitSha1.update(("blob " + gitBlobSize + "\0").getBytes(StandardCharsets.US_ASCII));
            } else {
                gitSha1 = null;
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256 or SHA-1", e);
        }
    }

    void update(byte[] b, int off, int len) {
        sha256.update(b, off, len);
        if (gitSha1 != null) {
            gitSha1.update(b, off, len);
        }
        bytes += len;
    }

    long bytes() {
        return bytes;
    }

    /** Feeds the first {@code length} bytes of {@code file} (the part already downloaded before a resume). */
    void updateFrom(Path file, long length, Runnable eachChunk) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = length;
        try (InputStream in = Files.newInputStream(file)) {
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new IOException(file + ": ended after " + (length - left) + " of " + length + " bytes");
                }
                update(buf, 0, n);
                left -= n;
                eachChunk.run();
            }
        }
    }

    /** The hashes as the manifest writes them. */
    Hashes finish() {
        HexFormat hex = HexFormat.of();
        return new Hashes(bytes, hex.formatHex(sha256.digest()),
                gitSha1 == null ? null : hex.formatHex(gitSha1.digest()));
    }

    /** Hashes a whole file (git blob hash over its actual size). */
    static Hashes of(Path file, boolean git, Runnable eachChunk) throws IOException {
        long size = Files.size(file);
        FileHasher h = new FileHasher(git ? size : -1);
        h.updateFrom(file, size, eachChunk);
        return h.finish();
    }

    /** Size and hashes of some content; {@code gitSha1} null when not computed. */
    record Hashes(long size, String sha256, String gitSha1) {

        /** Null when the content is what {@code f} describes, else a message naming the file and both values. */
        String mismatch(HubFile f) {
            if (f.size() >= 0 && size != f.size()) {
                return f.path() + ": size mismatch: expected " + f.size() + " bytes, got " + size;
            }
            if (f.lfs() && !f.lfsSha256().equals(sha256)) {
                return f.path() + ": sha256 mismatch: expected " + f.lfsSha256() + ", got " + sha256;
            }
            if (!f.lfs() && f.blobId() != null && gitSha1 != null && !f.blobId().equals(gitSha1)) {
                return f.path() + ": git blob sha1 mismatch: expected " + f.blobId() + ", got " + gitSha1;
            }
            return null;
        }
    }
}
