package org.personalab.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one entry to DJL's PyTorch engine. It makes DJL offline by default, because the CPU libtorch comes from the
 * {@code pytorch-native-cpu} jar on our class path and nothing needs downloading; a user who wants DJL to fetch the
 * CUDA libtorch sets {@code -Dai.djl.offline=false} (or {@code DJL_OFFLINE=false}) explicitly.
 *
 * <p>It also bounds OpenMP's spin-waiting before libtorch's libgomp starts ({@code GOMP_SPINCOUNT=1000} unless the
 * user set {@code OMP_WAIT_POLICY} or {@code GOMP_SPINCOUNT}). libgomp's default has each worker spin up to 300,000
 * times at the end of every parallel region; on a machine whose cores are busy with other work the spinning threads
 * take the time slices their own siblings need, and a 0.5B model decoded 3 to 4 times slower with 2 threads on 2
 * loaded cores ({@code personalab bench engine}). A short spin keeps the quick hand-over between the back-to-back
 * matrix products of one layer on an idle machine.
 */
public final class DjlRuntime {

    /** Spins before an idle OpenMP worker sleeps, when the user chose no wait policy. */
    static final String DEFAULT_SPIN_COUNT = "1000";

    private static volatile Engine engine;
    private static volatile Map<String, String> openMp = Map.of();

    private DjlRuntime() {
    }

    /** The PyTorch engine, started on first use (the first start unpacks libtorch into the DJL cache). */
    public static Engine engine() {
        Engine e = engine;
        if (e == null) {
            synchronized (DjlRuntime.class) {
                if (engine == null) {
                    offlineByDefault();
                    openMp = boundOpenMpSpinning();
                    try {
                        engine = Engine.getEngine("PyTorch");
                    } catch (RuntimeException | UnsatisfiedLinkError ex) {
                        throw new EngineException("cannot start DJL's PyTorch engine: " + ex.getMessage(), ex);
                    }
                }
                e = engine;
            }
        }
        return e;
    }

    /** Sets {@code ai.djl.offline=true} unless the user chose either way (property or {@code DJL_OFFLINE}). */
    static void offlineByDefault() {
        if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    /**
     * The OpenMP wait settings libtorch started with: the user's {@code OMP_WAIT_POLICY} / {@code GOMP_SPINCOUNT}, or
     * the spin count set here; empty before the engine starts or where it could not be set. A reference run in
     * another process (the benchmark's PyTorch) gets the same variables.
     */
    public static Map<String, String> openMpEnvironment() {
        engine();
        return openMp;
    }

    /** Sets {@code GOMP_SPINCOUNT} in this process's C environment unless the user set a wait policy. */
    private static Map<String, String> boundOpenMpSpinning() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String k : new String[] {"OMP_WAIT_POLICY", "GOMP_SPINCOUNT"}) {
            if (System.getenv(k) != null) {
                env.put(k, System.getenv(k));
            }
        }
        if (!env.isEmpty()) {
            return Map.copyOf(env);
        }
        if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows")) {
            return Map.of();
        }
        try (Arena arena = Arena.ofConfined()) {
            Linker linker = Linker.nativeLinker();
            MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                            ValueLayout.JAVA_INT));
            int rc = (int) setenv.invokeExact(arena.allocateFrom("GOMP_SPINCOUNT"),
                    arena.allocateFrom(DEFAULT_SPIN_COUNT), 0);
            return rc == 0 ? Map.of("GOMP_SPINCOUNT", DEFAULT_SPIN_COUNT) : Map.of();
        } catch (Throwable t) {
            // best effort: without it libgomp keeps its default spinning, which is only slower on busy machines
            return Map.of();
        }
    }

    /**
     * Sets PyTorch's intra-op thread count (the threads one matrix product or element-wise kernel splits over).
     * With OpenMP the setting belongs to the calling thread, so call it on the thread that runs the model.
     */
    public static void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        engine();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
    }

    /** PyTorch's intra-op thread count as the calling thread sees it. */
    public static int threads() {
        engine();
        return ai.djl.pytorch.jni.JniUtils.getNumThreads();
    }

    /** PyTorch's inter-op thread count (threads that run independent operators at once). */
    public static int interopThreads() {
        engine();
        return ai.djl.pytorch.jni.JniUtils.getNumInteropThreads();
    }

    /** A new root manager on the CPU; close it to free everything created under it. */
    public static NDManager newManager() {
        return engine().newBaseManager(Device.cpu());
    }

    /** A new root manager on {@code compute}'s device (arrays created under it live there). */
    static NDManager newManager(Compute compute) {
        return engine().newBaseManager(compute.djlDevice());
    }
}
