package org.personalab.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/**
 * The one entry to DJL's PyTorch engine. It makes DJL offline by default, because the CPU libtorch comes from the
 * {@code pytorch-native-cpu} jar on our class path and nothing needs downloading; a user who wants DJL to fetch the
 * CUDA libtorch sets {@code -Dai.djl.offline=false} (or {@code DJL_OFFLINE=false}) explicitly.
 */
public final class DjlRuntime {

    private static volatile Engine engine;

    private DjlRuntime() {
    }

    /** The PyTorch engine, started on first use (the first start unpacks libtorch into the DJL cache). */
    public static Engine engine() {
        Engine e = engine;
        if (e == null) {
            synchronized (DjlRuntime.class) {
                if (engine == null) {
                    offlineByDefault();
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

    /** A new root manager on the CPU; close it to free everything created under it. */
    public static NDManager newManager() {
        return engine().newBaseManager(Device.cpu());
    }
}
