package org.personalab.engine.hub;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a download did.
 *
 * @param downloaded  files fetched over the network this time
 * @param skipped     files already in place and verified (by the manifest, or by hashing them)
 * @param bytes       bytes transferred this time
 * @param check       the folder check, or null when the selection has no config.json (nothing to load)
 */
public record DownloadResult(RepoSnapshot snapshot, Path folder, List<String> downloaded, List<String> skipped,
        long bytes, Duration elapsed, ModelFolderCheck.Report check) {

    public DownloadResult {
        downloaded = List.copyOf(downloaded);
        skipped = List.copyOf(skipped);
    }

    /** One line for the status bar and the command line. */
    public String summary() {
        double secs = elapsed.toMillis() / 1000.0;
        String rate = secs > 0 && bytes > 0 ? " at " + DownloadProgress.rate(bytes / secs) : "";
        return snapshot.repo() + "@" + snapshot.revision() + " (commit " + snapshot.commit().substring(0, 12) + ") in "
                + folder + ": " + downloaded.size() + " file(s) downloaded (" + DownloadProgress.bytes(bytes) + rate
                + "), " + skipped.size() + " already verified";
    }
}
