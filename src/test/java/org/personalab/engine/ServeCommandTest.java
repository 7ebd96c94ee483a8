package org.personalab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.cli.ServeCommand;
import org.personalab.task.Failures;
import picocli.CommandLine;

/** {@code personalab serve} as a user runs it: it serves until stopped, and a bad folder gets a clear message. */
class ServeCommandTest {

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    static CommandLine commandLine(StringWriter out, StringWriter err) {
        CommandLine cl = new CommandLine(new ServeCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            line.getErr().println("error: " + Failures.describe(ex));
            return 1;
        });
        return cl;
    }

    @Test
    void servesTheModelUntilInterrupted() throws Exception {
        Path dir = TinyChatModel.write(tmp.resolve("tiny-chat"), 51);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AtomicInteger code = new AtomicInteger(-1);
        Thread t = new Thread(() -> code.set(commandLine(out, err).execute("--model", dir.toString(), "--port", "0")));
        t.start();
        Pattern url = Pattern.compile("at (http://\\S+/v1)");
        Matcher m = url.matcher("");
        for (int i = 0; i < 600 && !m.find(); i++) {
            Thread.sleep(100);
            m = url.matcher(out.toString());
        }
        assertTrue(m.find(0), "no 'Serving … at URL' line: " + out + err);
        try (Response r = new OkHttpClient().newCall(new Request.Builder().url(m.group(1) + "/models").build())
                .execute()) {
            assertEquals(200, r.code());
            assertEquals("tiny-chat", new ObjectMapper().readTree(r.body().string()).at("/data/0/id").asText());
        }
        t.interrupt();
        t.join(10_000);
        assertEquals(0, code.get());
    }

    @Test
    void aFolderWithoutAModelIsReported() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = commandLine(out, err).execute("--model", tmp.toString(), "--port", "0");
        assertEquals(1, code);
        assertTrue(err.toString().contains(tmp.toString()) && err.toString().contains("chat_template"),
                err.toString());
    }
}
