package org.personalab.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {

    @TempDir
    Path home;

    final Provider openai = Provider.of("openai", "https://api.openai.com/v1", "OPENAI_API_KEY");

    @Test
    void theEnvironmentComesFirstThenTheKeyFileByProviderOrVariableName() {
        Map<String, String> env = new java.util.HashMap<>();
        ApiKeys keys = new ApiKeys(home.resolve(ApiKeys.FILE), env::get);
        assertEquals(Optional.empty(), keys.keyFor(openai));
        keys.store("openai", "sk-file");
        assertEquals(Optional.of("sk-file"), keys.keyFor(openai));
        env.put("OPENAI_API_KEY", " sk-env\n");
        assertEquals(Optional.of("sk-env"), keys.keyFor(openai));
        env.put("OPENAI_API_KEY", "");
        assertEquals(Optional.of("sk-file"), keys.keyFor(openai), "a blank variable does not count");
        keys.store("TOGETHER_API_KEY", "sk-together");
        assertEquals(Optional.of("sk-together"),
                keys.keyFor(Provider.of("together", "https://api.together.xyz/v1", "TOGETHER_API_KEY")));
        assertEquals(Optional.empty(), keys.keyFor(Provider.of("ollama", "http://localhost:11434/v1", null)));
    }

    @Test
    void theKeyFileIsWrittenOwnerOnlyAndRefusedWhenOthersCanReadIt() throws Exception {
        ApiKeys keys = new ApiKeys(home.resolve("sub/" + ApiKeys.FILE), v -> null);
        keys.store("openai", "sk-abc");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.file())));
        Files.setPosixFilePermissions(keys.file(), PosixFilePermissions.fromString("rw-r--r--"));
        LlmException e = assertThrows(LlmException.class, () -> keys.keyFor(openai));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
        assertFalse(e.getMessage().contains("sk-abc"));
        Files.setPosixFilePermissions(keys.file(), PosixFilePermissions.fromString("rw-------"));
        assertEquals(Optional.of("sk-abc"), keys.keyFor(openai));
    }

    @Test
    void aDamagedKeyFileIsReportedWithoutQuotingIt() throws Exception {
        Path f = home.resolve(ApiKeys.FILE);
        Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(f, "{\"openai\": \"sk-broken-secret");
        LlmException e = assertThrows(LlmException.class, () -> new ApiKeys(f, v -> null).keyFor(openai));
        assertFalse(e.getMessage().contains("sk-broken-secret"), e.getMessage());
        assertTrue(e.getMessage().contains("not valid JSON"));
    }

    @Test
    void redactRemovesEveryOccurrence() {
        assertEquals("a [key redacted] b [key redacted]", ApiKeys.redact("a sk-1 b sk-1", "sk-1"));
        assertEquals("text", ApiKeys.redact("text", null));
    }
}
