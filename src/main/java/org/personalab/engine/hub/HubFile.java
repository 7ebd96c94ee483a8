package org.personalab.engine.hub;

/**
 * One file of a hub repository as the model-info API lists it ({@code siblings[]} with {@code ?blobs=true}).
 *
 * @param path      {@code rfilename}: the path inside the repository, always with forward slashes
 * @param size      bytes; -1 when the hub did not say
 * @param blobId    the git blob id (sha1 of {@code "blob <size>\0" + content}); for LFS files it names the pointer,
 *                  not the content
 * @param lfsSha256 for files stored in LFS, the sha256 of the content; null otherwise
 */
public record HubFile(String path, long size, String blobId, String lfsSha256) {

    /** Whether the content lives in LFS (large weights): verified by sha256 instead of the git blob id. */
    public boolean lfs() {
        return lfsSha256 != null;
    }

    /** The hash the content is verified against: {@code sha256:…} or {@code git-sha1:…}; null when none is listed. */
    public String expectedHash() {
        if (lfsSha256 != null) {
            return "sha256:" + lfsSha256;
        }
        return blobId == null ? null : "git-sha1:" + blobId;
    }
}
