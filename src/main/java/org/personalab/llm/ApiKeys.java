package org.personalab.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.personalab.service.UserSettings;

/**
 * Where API keys come from, read at call time: the provider's environment variable, else {@code keys.json} in the
 * user settings folder ({@code {"openai": "sk-..."}}, by provider name or by variable name). That file must be
 * readable only by its owner; one readable by others is refused, not used.
 *
 * <p>Keys never enter a workspace, a provider definition, a log or a message; {@link #redact(String, String)} removes
 * one from any text that came back from a server.
 *
 * <p>Why not {@code settings.json}: {@link UserSettings} rewrites that file with only the fields it knows, which would
 * silently drop keys stored there.
 */
public final class ApiKeys {

    public static final String FILE = "keys.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private final Path file;
    private final UnaryOperator<String> env;

    public ApiKeys(Path keysFile, UnaryOperator<String> env) {
        this.file = keysFile;
        this.env = env;
    }

    /** Environment variables, then {@code keys.json} in {@link UserSettings#home()}. */
    public static ApiKeys standard() {
        return new ApiKeys(UserSettings.home().resolve(FILE), System::getenv);
    }

    /** Environment variables, then {@code keys.json} in {@code settingsHome}. */
    public static ApiKeys in(Path settingsHome) {
        return new ApiKeys(settingsHome.resolve(FILE), System::getenv);
    }

    public Path file() {
        return file;
    }

    /** The provider's key, or empty when it needs none or none is configured. */
    public Optional<String> keyFor(Provider p) {
        if (p.apiKeyEnv() != null) {
            String v = env.apply(p.apiKeyEnv());
            if (v != null && !v.isBlank()) {
                return Optional.of(v.strip());
            }
        }
        JsonNode keys = readFile();
        for (String k : new String[] {p.name(), p.apiKeyEnv()}) {
            JsonNode v = k == null ? null : keys.get(k);
            if (v != null && v.isTextual() && !v.asText().isBlank()) {
                return Optional.of(v.asText().strip());
            }
        }
        return Optional.empty();
    }

    /** Where a provider's key would come from now; says nothing about the key itself. */
    public enum Source { ENVIRONMENT, FILE, NONE }

    /** Where {@link #keyFor} finds the provider's key (a keys.json readable by others counts as none). */
    public Source source(Provider p) {
        if (p.apiKeyEnv() != null) {
            String v = env.apply(p.apiKeyEnv());
            if (v != null && !v.isBlank()) {
                return Source.ENVIRONMENT;
            }
        }
        try {
            JsonNode keys = readFile();
            for (String k : new String[] {p.name(), p.apiKeyEnv()}) {
                JsonNode v = k == null ? null : keys.get(k);
                if (v != null && v.isTextual() && !v.asText().isBlank()) {
                    return Source.FILE;
                }
            }
        } catch (LlmException e) {
            return Source.NONE;
        }
        return Source.NONE;
    }

    /** Whether a provider that names a key variable has a key (for messages before a run). */
    public boolean hasKey(Provider p) {
        return keyFor(p).isPresent();
    }

    private synchronized JsonNode readFile() {
        if (!Files.isRegularFile(file)) {
            return JSON.createObjectNode();
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                if (perms.stream().anyMatch(OTHERS::contains)) {
                    throw new LlmException(file + " can be read by other users (" + PosixFilePermissions.toString(perms)
                            + "); its keys are not used until you run: chmod 600 " + file);
                }
            } catch (IOException e) {
                throw new LlmException("cannot check permissions of " + file + ": " + e.getMessage(), e);
            }
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            if (n == null || !n.isObject()) {
                throw new LlmException(file + ": expected {\"provider name\": \"key\", ...}");
            }
            return n;
        } catch (IOException e) {
            // never echo the file's content: Jackson's message may quote it
            throw new LlmException(file + ": not valid JSON (expected {\"provider name\": \"key\", ...})");
        }
    }

    /** Stores a provider's key in {@code keys.json}, atomically and readable only by its owner. */
    public synchronized void store(String provider, String key) {
        try {
            ObjectNode n = Files.isRegularFile(file) ? (ObjectNode) readFile() : JSON.createObjectNode();
            n.put(provider, key);
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FILE + ".tmp");
            Files.deleteIfExists(tmp);
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            if (posix) {
                Files.createFile(tmp,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LlmException("cannot save the key of " + provider + " to " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code text} with every occurrence of {@code key} replaced; null and blank keys change nothing. */
    public static String redact(String text, String key) {
        if (text == null || key == null || key.isBlank()) {
            return text;
        }
        return text.replace(key, "[key redacted]");
    }
}
