package org.personalab.engine.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a training run in a child JVM (this Java, this class path, {@code -Xmx} from the config's {@code heap},
 * this JVM's engine settings ({@link #INHERITED}), {@link TrainMain} as main class), so a native crash or an out-of-memory error ends only the child; and says what
 * the child's exit code means. Shared by {@code personalab train} and the workbench's training panel.
 */
public final class TrainProcess {

    /**
     * Engine settings the child takes over from this JVM when they are set here as system properties: offline mode,
     * the engine cache folder, PyTorch's thread counts (so a workbench or test run limited to one thread trains with
     * one too) and the libtorch DJL loads (a CUDA build, STACK.md). Environment variables reach the child anyway.
     */
    static final List<String> INHERITED = List.of("ai.djl.offline", "ENGINE_CACHE_DIR", "ai.djl.pytorch.num_threads",
            "ai.djl.pytorch.num_interop_threads", "PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR");

    private TrainProcess() {
    }

    /**
     * The child's command line.
     *
     * @param resume a checkpoint folder, {@code "latest"}, or null for a fresh run
     */
    public static List<String> command(TrainConfig.Kind kind, Path config, String resume, String xmx) {
        return command(kind, config, resume, xmx, null, null);
    }

    /**
     * The child's command line with the config's {@code device} and {@code torch_dtype} overridden (null keeps the
     * config's value).
     */
    public static List<String> command(TrainConfig.Kind kind, Path config, String resume, String xmx, String device,
            String torchDtype) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + xmx);
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        cmd.add("-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error");
        for (String p : INHERITED) {
            String v = System.getProperty(p);
            if (v != null) {
                cmd.add("-D" + p + "=" + v);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(TrainMain.class.getName());
        cmd.add(kind.code());
        cmd.add(config.toAbsolutePath().toString());
        if (resume != null) {
            cmd.add(resume);
        }
        if (device != null) {
            cmd.add("--device");
            cmd.add(device);
        }
        if (torchDtype != null) {
            cmd.add("--torch-dtype");
            cmd.add(torchDtype);
        }
        return cmd;
    }

    /** A process builder for the child's command line (callers choose where its output goes). */
    public static ProcessBuilder builder(TrainConfig.Kind kind, Path config, String resume, String xmx) {
        return new ProcessBuilder(command(kind, config, resume, xmx));
    }

    /** Starts the child; its standard output carries the event-log lines, standard error its {@code error:} line. */
    public static Process start(TrainConfig.Kind kind, Path config, String resume, String xmx) throws IOException {
        return builder(kind, config, resume, xmx).start();
    }

    /** Starts the child with the config's device and dtype overridden (null keeps the config's value). */
    public static Process start(TrainConfig.Kind kind, Path config, String resume, String xmx, String device,
            String torchDtype) throws IOException {
        return new ProcessBuilder(command(kind, config, resume, xmx, device, torchDtype)).start();
    }

    /** Ends the child and everything it started (descendants first), forcibly. */
    public static void destroyTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** What the child's exit code means, e.g. "ran out of Java heap (exit code 3, -Xmx4g); raise 'heap' ...". */
    public static String describeExit(int code, String xmx) {
        return switch (code) {
            case 1 -> "failed (exit code 1)";
            case 2 -> "child was started wrongly (exit code 2)";
            case 3 -> "ran out of Java heap (exit code 3, -Xmx" + xmx + "); raise 'heap' in the config or --heap";
            case 134 -> "crashed in native code (SIGABRT, exit code 134; e.g. libtorch aborted or CUDA out of memory)";
            case 137 -> "was killed (SIGKILL, exit code 137; usually the system ran out of memory)";
            case 139 -> "crashed in native code (SIGSEGV, exit code 139)";
            default -> code > 128 ? "was ended by signal " + (code - 128) + " (exit code " + code + ")"
                    : "failed (exit code " + code + ")";
        };
    }
}
