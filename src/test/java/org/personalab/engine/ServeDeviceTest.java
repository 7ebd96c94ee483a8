package org.personalab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code personalab serve --device / --dtype}: float16 on the CPU serves and answers what float32 answers (greedy),
 * the device and dtype are logged, and CUDA without a GPU or a bad value is a clear message.
 */
class ServeDeviceTest {

    @TempDir
    Path tmp;

    @Test
    void float16ServesAndSaysSo() throws Exception {
        Path dir = TinyChatModel.write(tmp.resolve("tiny-chat"), 52);
        String half = serveAndAsk(dir, "float16");
        String full = serveAndAsk(dir, "float32");
        assertEquals(full, half, "greedy reply in float16 equals float32's on the tiny model");
    }

    private String serveAndAsk(Path dir, String dtype) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AtomicInteger code = new AtomicInteger(-1);
        Thread t = new Thread(() -> code.set(ServeCommandTest.commandLine(out, err).execute("--model", dir.toString(),
                "--port", "0", "--device", "cpu", "--dtype", dtype)));
        t.start();
        try {
            Pattern url = Pattern.compile("at (http://\\S+/v1)");
            Matcher m = url.matcher("");
            for (int i = 0; i < 600 && !m.find(); i++) {
                Thread.sleep(100);
                m = url.matcher(out.toString());
            }
            assertTrue(m.find(0), "no 'Serving … at URL' line: " + out + err);
            assertTrue(out.toString().contains("on cpu in " + dtype) && out.toString().contains("(cpu, " + dtype + "; Ctrl-C stops)"),
                    out.toString());
            String body = "{\"model\": \"tiny-chat\", \"max_tokens\": 8, \"temperature\": 0, \"messages\": "
                    + "[{\"role\": \"user\", \"content\": \"hello\"}]}";
            try (Response r = new OkHttpClient().newCall(new Request.Builder().url(m.group(1) + "/chat/completions")
                    .post(RequestBody.create(body, MediaType.get("application/json"))).build()).execute()) {
                assertEquals(200, r.code());
                return new ObjectMapper().readTree(r.body().string()).at("/choices/0/message/content").asText();
            }
        } finally {
            t.interrupt();
            t.join(10_000);
            assertEquals(0, code.get());
        }
    }

    @Test
    void badValuesAndMissingCudaAreReported() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ServeCommandTest.commandLine(out, err).execute("--model", tmp.toString(), "--dtype", "half-ish");
        assertEquals(2, code);
        assertTrue(err.toString().contains("'half-ish'") && err.toString().contains("auto, float32, float16"),
                err.toString());
        assumeTrue(Compute.gpuCount() == 0, "this machine's libtorch has CUDA");
        StringWriter err2 = new StringWriter();
        code = ServeCommandTest.commandLine(new StringWriter(), err2).execute("--model", tmp.toString(), "--device",
                "cuda");
        assertEquals(1, code);
        assertTrue(err2.toString().contains("sees no CUDA GPU") && err2.toString().contains("--device cpu"),
                err2.toString());
    }
}
