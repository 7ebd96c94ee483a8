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
 * is readable only by its owner (it will also hold provider settings) and written atomically. Never stored in a
 * workspace.
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

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("settings.json.tmp");
            Files.writeString(tmp, Json.MAPPER.writeValueAsString(data));
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot save settings to " + file + ": " + e.getMessage(), e);
        }
    }
}
