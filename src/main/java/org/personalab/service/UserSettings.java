package org.personalab.service;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * User-level settings in {@code ~/.personalab/settings.json} (folder overridable with the system property
 * {@code personalab.home} or the environment variable {@code PERSONALAB_HOME}): recent workspaces and theme. The file
 * is readable only by its owner and written atomically. The same folder holds the LLM providers
 * ({@code providers.json}, see {@code ProviderRegistry}) and API keys ({@code keys.json}, see {@code ApiKeys}). Never
 * stored in a workspace.
 */
public final class UserSettings {

    /** The persisted fields. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class Data {
        public List<String> recentWorkspaces = new ArrayList<>();
        public String theme = "light";
    }

    private static final int MAX_RECENT = 10;
    private final Path file;
    private Data data;

    public UserSettings(Path home) {
        this.file = home.resolve("settings.json");
        this.data = load(file);
    }

    public static UserSettings load() {
        return new UserSettings(home());
    }

    public static Path home() {
        String p = System.getProperty("personalab.home");
        if (p == null || p.isBlank()) {
            p = System.getenv("PERSONALAB_HOME");
        }
        if (p == null || p.isBlank()) {
            return Path.of(System.getProperty("user.home"), ".personalab");
        }
        return Path.of(p);
    }

    private static Data load(Path file) {
        if (!Files.isRegularFile(file)) {
            return new Data();
        }
        try {
            return Json.MAPPER.readValue(file.toFile(), Data.class);
        } catch (IOException e) {
            // a damaged settings file must not stop the application; start fresh and keep the old one aside
            try {
                Files.move(file, file.resolveSibling("settings.json.damaged"), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ignored) {
                // nothing more to do
            }
            return new Data();
        }
    }

    public synchronized List<Path> recentWorkspaces() {
        return data.recentWorkspaces.stream().map(Path::of).toList();
    }

    public synchronized void addRecent(Path workspace) {
        String p = workspace.toAbsolutePath().normalize().toString();
        data.recentWorkspaces.remove(p);
        data.recentWorkspaces.add(0, p);
        while (data.recentWorkspaces.size() > MAX_RECENT) {
            data.recentWorkspaces.remove(data.recentWorkspaces.size() - 1);
        }
        save();
    }

    public synchronized String theme() {
        return data.theme;
    }

    public synchronized void setTheme(String theme) {
        data.theme = theme;
        save();
    }

    public Path file() {
        return file;
    }

    /** The settings folder: also home of {@code providers.json} (LLM providers) and {@code keys.json} (API keys). */
    public Path folder() {
        return file.getParent();
    }

    private void save() {
        try {
            writePrivately(file, Json.MAPPER.writeValueAsString(data));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot save settings to " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces {@code file} with {@code text} atomically (a temporary file moved over it), the new file readable and
     * writable only by its owner from the moment it exists.
     */
    public static void writePrivately(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
