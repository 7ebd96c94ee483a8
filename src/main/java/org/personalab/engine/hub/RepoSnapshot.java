package org.personalab.engine.hub;

import java.util.List;

/**
 * A repository at one commit: what {@code GET /api/models/{repo}/revision/{rev}?blobs=true} says.
 *
 * @param revision what the user asked for (a branch, tag or commit)
 * @param commit   the commit sha it resolved to; every file is downloaded from this commit
 * @param gated    the hub's {@code gated} field: {@code false}, {@code auto} or {@code manual}
 */
public record RepoSnapshot(String repo, String revision, String commit, String gated, List<HubFile> files) {

    public RepoSnapshot {
        files = List.copyOf(files);
    }

    public boolean isGated() {
        return gated != null && !gated.equals("false");
    }
}
