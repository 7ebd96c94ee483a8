package org.personalab.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.store.Workspace;
import org.personalab.task.Failures;

/**
 * API keys never reach the workspace, the settings folder (other than the key file), logs, console output or error
 * messages, even when a server echoes the key back. Checked by searching every byte the app wrote for the key.
 */
class KeySecrecyTest {

    @TempDir
    Path dir;

    /** A server that echoes the Authorization header into errors and, once, into an answer. */
    static FakeLlm echoingServer() {
        FakeLlm fake = new FakeLlm();
        fake.script = ex -> {
            String auth = String.valueOf(ex.authorization());
            int i = Integer.parseInt(ex.prompt().replaceAll("\\D", ""));
            return switch (i % 5) {
                case 1 -> FakeLlm.error(401, "Incorrect API key provided: " + auth.substring(7));
                case 2 -> FakeLlm.error(503, "overloaded; you sent " + auth);
                case 3 -> new MockResponse.Builder().code(200).body("not json, header was " + auth).build();
                case 4 -> FakeLlm.ok("your header: " + auth);
                default -> FakeLlm.ok("fine");
            };
        };
        return fake;
    }

    @Test
    void aKeyFromTheOwnerOnlyKeyFileAppearsNowhereTheAppWrote() throws Exception {
        String key = "sk-secret-FROM-FILE-0a1b2c3d4e5f";
        Path home = dir.resolve("settings");
        Path wsDir = dir.resolve("ws");
        FakeLlm fake = echoingServer();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        List<String> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                synchronized (logged) {
                    logged.add(r.getLevel() + " " + r.getLoggerName() + " " + r.getMessage() + " "
                            + (r.getThrown() == null ? "" : stackTrace(r.getThrown())));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        Level oldLevel = root.getLevel();
        root.addHandler(capture);
        root.setLevel(Level.ALL);
        PrintStream out = System.out;
        PrintStream err = System.err;
        List<String> errors = new ArrayList<>();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(fake);
            server.start();
            Files.createDirectories(home);
            Files.writeString(home.resolve(ProviderRegistry.FILE), """
                    {"providers": [{"name": "echo", "baseUrl": "%s", "apiKeyEnv": "PL_NEVER_SET_VARIABLE",
                      "models": [{"model": "m", "inputPerMillion": 1, "outputPerMillion": 1}]}]}
                    """.formatted(server.url("/v1")));
            ApiKeys keys = ApiKeys.in(home);
            keys.store("echo", key);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.file())));
            PrintStream tee = new PrintStream(console, true, StandardCharsets.UTF_8);
            System.setOut(tee);
            System.setErr(tee);
            Workspace ws = Workspace.openOrCreate(wsDir);
            try (LlmGateway gw = LlmGateway.builder(ws).registry(ProviderRegistry.load(home)).keys(keys)
                    .retryPolicy(new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofSeconds(1),
                            1))
                    .build()) {
                for (int i = 0; i < 10; i++) {
                    ChatRequest r = ChatRequest.of("echo", "m", List.of(ChatMessage.user("q" + i)));
                    if (i == 7) {
                        r = r.withFormat(ResponseFormat.jsonObject());
                    }
                    try {
                        ChatResponse resp = gw.call(r, CallContext.of(null));
                        errors.add(resp.text());
                        errors.addAll(resp.problems());
                    } catch (LlmException e) {
                        errors.add(e.getMessage());
                        errors.add(Failures.describe(e));
                        errors.add(stackTrace(e));
                        System.err.println("call failed: " + Failures.describe(e));
                    }
                }
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
            root.removeHandler(capture);
            root.setLevel(oldLevel);
        }
        assertTrue(fake.exchanges.stream().allMatch(ex -> ("Bearer " + key).equals(ex.authorization())),
                "the key was sent to the server");
        assertTrue(errors.stream().anyMatch(m -> m.contains("HTTP 401") && m.contains("[key redacted]")),
                errors::toString);
        assertTrue(errors.stream().anyMatch(m -> m.contains("HTTP 503")), errors::toString);
        for (String e : errors) {
            assertFalse(e.contains(key), "message leaks the key: " + e);
        }
        assertFalse(console.toString(StandardCharsets.UTF_8).contains(key), "console output leaks the key");
        assertFalse(String.join("\n", logged).contains(key), "a log record leaks the key");
        assertNoFileContains(wsDir, key, null);
        assertNoFileContains(home, key, home.resolve(ApiKeys.FILE));
        assertTrue(Files.size(wsDir.resolve(Workspace.DB_FILE)) > 0);
    }

    @Test
    void aKeyFromTheEnvironmentOfAChildJvmAppearsNowhereTheAppWrote() throws Exception {
        String key = "sk-secret-FROM-ENV-9z8y7x6w5v4u";
        FakeLlm fake = echoingServer();
        Path home = dir.resolve("home");
        Path wsDir = dir.resolve("ws");
        Files.createDirectories(home);
        Files.writeString(home.resolve(ProviderRegistry.FILE), "{\"providers\": [{\"name\": \"openai\", "
                + "\"models\": [{\"model\": \"gpt-4o-mini\", \"inputPerMillion\": 0.15, "
                + "\"outputPerMillion\": 0.6}]}]}");
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(fake);
            server.start();
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-Dpersonalab.home=" + home, "-cp", System.getProperty("java.class.path"),
                    GatewayChild.class.getName(), wsDir.toString(), server.url("/v1").toString(), "10", "2");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put(GatewayChild.KEY_ENV, key);
            Process p = pb.start();
            org.personalab.support.ProcessOutput out = org.personalab.support.ProcessOutput.of(p);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            out.join();
            String text = out.text();
            assertEquals(0, p.exitValue(), text);
            assertTrue(text.contains("DONE paid=4 cached=0 failed=6"), text);
            assertTrue(text.contains("HTTP 401") && text.contains("[key redacted]"), text);
            assertFalse(text.contains(key), "console output of the child leaks the key:\n" + text);
        }
        assertTrue(fake.exchanges.stream().allMatch(ex -> ("Bearer " + key).equals(ex.authorization())));
        assertNoFileContains(wsDir, key, null);
        assertNoFileContains(home, key, null);
    }

    private static void assertNoFileContains(Path root, String key, Path except) throws IOException {
        byte[] needle = key.getBytes(StandardCharsets.UTF_8);
        int files = 0;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                if (f.equals(except)) {
                    continue;
                }
                files++;
                assertFalse(indexOf(Files.readAllBytes(f), needle) >= 0, f + " contains the key");
            }
        }
        assertTrue(files > 0, "searched " + root);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
