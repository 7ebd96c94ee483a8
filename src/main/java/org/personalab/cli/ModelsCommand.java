package org.personalab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.personalab.engine.hub.DownloadProgress;
import org.personalab.engine.hub.DownloadResult;
import org.personalab.engine.hub.FileSelection;
import org.personalab.engine.hub.HubClient;
import org.personalab.engine.hub.ModelDownloader;
import org.personalab.engine.hub.ModelFolderCheck;
import org.personalab.service.UserSettings;
import org.personalab.task.TaskContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code personalab models}: get a model folder for the local engine. {@code download} fetches one from the Hugging
 * Face hub (resumable, verified, with a manifest); {@code check} tells whether any local folder (downloaded, or
 * copied in by hand on an offline machine) will load.
 *
 * <p>Downloads go by default to {@code <PersonaLab home>/models/<owner>__<name>} ({@code ~/.personalab/models/…}, or
 * under {@code PERSONALAB_HOME}), not under the working folder: models are gigabytes, every workspace and every
 * checkout uses the same ones, and a {@code models/} folder inside a git checkout would be one {@code git add .} away
 * from being committed. The user-level folder already holds PersonaLab's settings and providers.
 */
@Command(name = "models", description = "Model folders for the local engine: download from the Hugging Face hub, "
        + "check a local folder.", subcommands = {ModelsCommand.Download.class, ModelsCommand.Check.class})
public final class ModelsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where {@code models download} puts {@code repo} when no {@code --out} is given. */
    static Path defaultFolder(String repo) {
        return UserSettings.home().resolve("models").resolve(ModelDownloader.folderName(repo));
    }

    @Command(name = "download", description = "Download a model folder from the Hugging Face hub: the files the "
            + "engine needs (config, safetensors weights and index, tokenizer, licence), verified against the hub's "
            + "sha256 and git hashes. An interrupted download resumes where it stopped; a second run skips verified "
            + "files. Token: HF_TOKEN (or the file huggingface-cli login writes); never stored.")
    static final class Download implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "REPO", description = "Repository id, e.g. Qwen/Qwen2.5-0.5B-Instruct.")
        String repo;

        @Option(names = "--revision", defaultValue = "main", description = "Branch, tag or commit (default "
                + "${DEFAULT-VALUE}); resolved to one commit for every file.")
        String revision;

        @Option(names = "--out", paramLabel = "DIR", description = "Target folder (default: "
                + "~/.personalab/models/OWNER__NAME, under PERSONALAB_HOME when set).")
        Path out;

        @Option(names = "--include", paramLabel = "GLOB", description = "Download only files matching GLOB "
                + "(repeatable; * stays in one folder, ** crosses folders). Default: the files the engine needs.")
        List<String> include;

        @Option(names = "--endpoint", paramLabel = "URL", description = "Hub URL (default: HF_ENDPOINT, else "
                + HubClient.DEFAULT_ENDPOINT + ").")
        String endpoint;

        @Override
        public Integer call() {
            PrintWriter o = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            HubClient client = HubClient.builder()
                    .fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")))
                    .endpoint(endpoint).build();
            Path dir = (out != null ? out : defaultFolder(repo)).toAbsolutePath().normalize();
            err.println("Downloading " + repo + "@" + revision + " from " + client.endpoint() + " into " + dir
                    + (client.hasToken() ? " (with an access token)" : ""));
            DownloadResult r = new ModelDownloader(client).download(
                    new ModelDownloader.Request(repo, revision, dir, FileSelection.of(include)), new Console(err),
                    new Printer(err));
            o.println(r.summary());
            ModelFolderCheck.Report check = r.check();
            if (check == null) {
                o.println("Not checked: the selection has no config.json.");
                return 0;
            }
            return report(o, check);
        }
    }

    @Command(name = "check", description = "Check that a local model folder will load, without loading the weights: "
            + "config.json, safetensors headers and shards named by the index, expected tensors, tokenizer, chat "
            + "template, and the sizes recorded by a download.")
    static final class Check implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "The model folder.")
        Path dir;

        @Option(names = "--hashes", description = "Also recompute the sha256 of every file the download manifest "
                + "lists (reads every byte).")
        boolean hashes;

        @Override
        public Integer call() {
            return report(spec.commandLine().getOut(),
                    ModelFolderCheck.check(dir, hashes, new Console(spec.commandLine().getErr())));
        }
    }

    private static int report(PrintWriter o, ModelFolderCheck.Report check) {
        o.println(check.summary());
        check.problems().forEach(p -> o.println("  problem: " + p));
        check.notes().forEach(n -> o.println("  note: " + n));
        o.flush();
        return check.ok() ? 0 : 1;
    }

    /** Prints the download's messages (one per file, retries) on stderr. */
    private record Console(PrintWriter err) implements TaskContext {
        @Override
        public void progress(double done, double total) {
        }

        @Override
        public void message(String message) {
            err.println(message);
            err.flush();
        }

        @Override
        public boolean isCancelled() {
            return Thread.currentThread().isInterrupted();
        }
    }

    /** A progress line with the rate at most every two seconds, so logs stay readable. */
    private static final class Printer implements java.util.function.Consumer<DownloadProgress> {
        private static final long EVERY_NANOS = 2_000_000_000L;
        private final PrintWriter err;
        private long last = System.nanoTime();

        Printer(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void accept(DownloadProgress p) {
            long now = System.nanoTime();
            if (now - last >= EVERY_NANOS && p.fileDone() < p.fileTotal()) {
                last = now;
                err.println("  " + p.describe());
                err.flush();
            }
        }
    }
}
