package org.personalab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.personalab.engine.ChatServer;
import org.personalab.engine.Compute;
import org.personalab.engine.LocalModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code personalab serve}: answers OpenAI-compatible chat completions from a local Hugging Face model folder (with
 * an optional PEFT LoRA adapter), so the gateway — or any OpenAI client — uses it like a hosted provider. Runs until
 * the process is stopped (Ctrl-C) or the thread is interrupted.
 */
@Command(name = "serve", description = "Serve a local model (Hugging Face folder, optional LoRA adapter) as an "
        + "OpenAI-compatible API: POST /v1/chat/completions (streaming too), GET /v1/models.")
public final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Model folder: config.json, *.safetensors, "
            + "tokenizer.json, tokenizer_config.json (chat template).")
    Path model;

    @Option(names = "--adapter", description = "PEFT LoRA adapter folder (adapter_config.json, "
            + "adapter_model.safetensors).")
    Path adapter;

    @Option(names = "--port", defaultValue = "8000", description = "Port (default ${DEFAULT-VALUE}; 0 picks a free "
            + "one).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default "
            + "${DEFAULT-VALUE}: this machine only; the server has no authentication).")
    String host;

    @Option(names = "--max-tokens", defaultValue = "1024", description = "Reply length when a request sets no "
            + "max_tokens (default ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--device", defaultValue = "auto", description = "Where to compute: auto (the first GPU DJL's "
            + "PyTorch engine sees, else the CPU), cpu, cuda or cuda:N (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--dtype", defaultValue = "auto", description = "Weights and activations: auto (float16 on a "
            + "GPU, float32 on the CPU), float32 or float16 (default ${DEFAULT-VALUE}); norms' statistics, softmax "
            + "and logits stay float32.")
    String dtype;

    @Override
    public Integer call() throws IOException {
        var out = spec.commandLine().getOut();
        Compute compute;
        try {
            Compute.normaliseDevice(device);
            Compute.parseDtype(dtype);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 2;
        }
        compute = Compute.resolve(device, dtype);
        out.println("Loading " + model + (adapter == null ? "" : " with adapter " + adapter) + " on " + compute.device()
                + " in " + compute.torchDtype() + " …");
        out.flush();
        LocalModel local = LocalModel.load(model, adapter, compute);
        ChatServer server;
        try {
            server = ChatServer.start(local, host, port, maxTokens);
        } catch (IOException | RuntimeException e) {
            local.close();
            throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("Serving model '" + local.name() + "' at " + server.baseUrl() + " (" + local.compute()
                + "; Ctrl-C stops)");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                server.close();
                local.close();
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook closes the server
            }
        }
        return 0;
    }
}
