package org.personalab.engine.hub;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Which files of a repository to download, as globs over their paths (Java glob syntax: {@code *} stays inside one
 * folder, {@code **} crosses folders). The default is what the engine reads — config, safetensors weights and their
 * index, the tokenizer files — plus the licence and model card, and nothing else: repositories often hold the same
 * weights again as PyTorch {@code .bin}, ONNX or GGUF files many times the size.
 */
public final class FileSelection {

    /** The files the engine needs (and the licence and card, which travel with the weights). */
    public static final List<String> ENGINE_FILES = List.of("config.json", "generation_config.json",
            "*.safetensors", "model.safetensors.index.json", "tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "added_tokens.json", "vocab.json", "merges.txt", "chat_template.jinja",
            "LICENSE*", "README.md", "USE_POLICY.md", "NOTICE*");

    private final List<String> globs;
    private final List<PathMatcher> matchers;
    private final boolean engineDefault;

    private FileSelection(List<String> globs, boolean engineDefault) {
        this.globs = List.copyOf(globs);
        this.engineDefault = engineDefault;
        List<PathMatcher> m = new ArrayList<>();
        for (String g : globs) {
            if (g == null || g.isBlank()) {
                throw new HubException(HubException.Reason.INVALID, "an --include glob is empty");
            }
            try {
                m.add(FileSystems.getDefault().getPathMatcher("glob:" + g.strip()));
            } catch (IllegalArgumentException e) {
                throw new HubException(HubException.Reason.INVALID, "--include '" + g + "' is not a valid glob: "
                        + e.getMessage());
            }
        }
        this.matchers = List.copyOf(m);
    }

    /** What the engine needs ({@link #ENGINE_FILES}). */
    public static FileSelection engineDefault() {
        return new FileSelection(ENGINE_FILES, true);
    }

    /** Exactly the files matching any of {@code globs}; the engine default when the list is empty. */
    public static FileSelection of(List<String> globs) {
        return globs == null || globs.isEmpty() ? engineDefault() : new FileSelection(globs, false);
    }

    public List<String> globs() {
        return globs;
    }

    /** Whether this is the engine's default selection (then a repository without safetensors is refused). */
    public boolean isEngineDefault() {
        return engineDefault;
    }

    public boolean matches(String repoPath) {
        Path p = Path.of(repoPath);
        for (PathMatcher m : matchers) {
            if (m.matches(p)) {
                return true;
            }
        }
        return false;
    }

    /** The selected files, in the repository's order. */
    public List<HubFile> select(List<HubFile> files) {
        return files.stream().filter(f -> matches(f.path())).toList();
    }

    @Override
    public String toString() {
        return String.join(" ", globs);
    }
}
