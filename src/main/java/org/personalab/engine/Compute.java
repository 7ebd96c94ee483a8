package org.personalab.engine;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the engine computes and in what precision: {@code cpu} or {@code cuda:N}, with float32 or float16 weights and
 * activations. Parsed from the options users give ({@code --device auto|cpu|cuda[:N]}, {@code --dtype
 * auto|float32|float16}; the training config's {@code device} and {@code torch_dtype}): device {@code auto} is the
 * first GPU when DJL's PyTorch engine sees one, else the CPU; dtype {@code auto} is float16 on a GPU and float32 on
 * the CPU.
 *
 * <p>Whatever the dtype, the numerically sensitive parts stay in float32: RMSNorm statistics, attention softmax,
 * logits and log-probabilities, and a LoRA adapter's trained matrices with their optimizer state. bfloat16 is refused:
 * DJL's PyTorch binding aborts the JVM on a BFLOAT16 array (STACK.md), so it never reaches the engine.
 *
 * <p>Asking for CUDA where DJL sees no GPU fails with an {@link EngineException} saying how to get a CUDA libtorch,
 * before anything is allocated; no JVM crash.
 */
public record Compute(String device, DType dtype) {

    /** The value that lets the engine choose. */
    public static final String AUTO = "auto";

    private static final Pattern CUDA = Pattern.compile("cuda(?::(\\d{1,3}))?");

    /** How to get a CUDA build of libtorch for DJL (printed when CUDA is asked for and missing). */
    public static final String CUDA_HELP = "DJL uses the CPU libtorch of the pytorch-native-cpu jar on the class "
            + "path. For CUDA, point DJL at a CUDA libtorch 2.7.1 before starting: PYTORCH_LIBRARY_PATH=<folder with "
            + "libtorch_cuda.so, e.g. Python's site-packages/torch/lib> PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128, "
            + "or run online without that jar (DJL_OFFLINE=false) so DJL downloads pytorch-native-cu128 itself "
            + "(see STACK.md, DJL / PyTorch, CUDA)";

    public Compute {
        if (!device.equals("cpu") && !CUDA.matcher(device).matches()) {
            throw new IllegalArgumentException("device '" + device + "' is not cpu or cuda[:N]");
        }
        if (dtype == DType.BF16) {
            throw new IllegalArgumentException("bfloat16 cannot be a compute dtype: DJL's PyTorch binding aborts the "
                    + "JVM on bfloat16 arrays; use float16 or float32");
        }
    }

    /** float32 on the CPU: what the engine did before devices could be chosen, and what tests run. */
    public static Compute cpu() {
        return new Compute("cpu", DType.F32);
    }

    /**
     * The device and dtype for the user's options ({@code null} means auto).
     *
     * @throws IllegalArgumentException for a malformed option (the message names the allowed values)
     * @throws EngineException          when a GPU is asked for and DJL's PyTorch engine has none (the message says why
     *                                  and how to get CUDA)
     */
    public static Compute resolve(String device, String dtype) {
        String d = normaliseDevice(device);
        DType t = parseDtype(dtype);
        if (d.equals(AUTO)) {
            d = gpuCount() > 0 ? "cuda:0" : "cpu";
        }
        if (!d.equals("cpu")) {
            int index = cudaIndex(d);
            int gpus = gpuCount();
            if (gpus == 0) {
                int visible = visibleGpus();
                throw new EngineException("device '" + d + "' was asked for, but DJL's PyTorch engine sees no CUDA "
                        + "GPU" + (visible > 0 ? " (this machine has " + visible + "; the loaded libtorch is a CPU "
                                + "build)" : " (no CUDA GPU or driver found on this machine)") + ". " + CUDA_HELP
                        + "; or use --device cpu.");
            }
            if (index >= gpus) {
                throw new EngineException("device '" + d + "' was asked for, but DJL's PyTorch engine sees " + gpus
                        + " GPU" + (gpus == 1 ? "" : "s") + " (cuda:0" + (gpus > 1 ? " to cuda:" + (gpus - 1) : "")
                        + ")");
            }
        }
        if (t == null) {
            t = d.equals("cpu") ? DType.F32 : DType.F16;
        }
        return new Compute(d, t);
    }

    /**
     * Checks a device option's form without looking for a GPU ({@code auto}, {@code cpu}, {@code cuda},
     * {@code cuda:N}); returns it normalised ({@code cuda} becomes {@code cuda:0}).
     */
    public static String normaliseDevice(String device) {
        if (device == null || device.isBlank()) {
            return AUTO;
        }
        String d = device.strip().toLowerCase(Locale.ROOT);
        if (d.equals(AUTO) || d.equals("cpu")) {
            return d;
        }
        Matcher m = CUDA.matcher(d);
        if (!m.matches()) {
            throw new IllegalArgumentException("device '" + device + "' is not one of auto, cpu, cuda, cuda:N");
        }
        return "cuda:" + (m.group(1) == null ? 0 : Integer.parseInt(m.group(1)));
    }

    /**
     * The dtype an option names, or null for {@code auto} (and for null or blank). Accepts Hugging Face's
     * {@code torch_dtype} strings {@code float32} and {@code float16} (and {@code fp32}, {@code fp16}).
     */
    public static DType parseDtype(String dtype) {
        if (dtype == null || dtype.isBlank()) {
            return null;
        }
        return switch (dtype.strip().toLowerCase(Locale.ROOT)) {
            case AUTO -> null;
            case "float32", "fp32" -> DType.F32;
            case "float16", "fp16" -> DType.F16;
            case "bfloat16", "bf16" -> throw new IllegalArgumentException("dtype '" + dtype + "' is not supported: "
                    + "DJL's PyTorch binding aborts the JVM on bfloat16 arrays (bf16 checkpoints are decoded in Java; "
                    + "compute in float16 or float32)");
            default -> throw new IllegalArgumentException("dtype '" + dtype + "' is not one of auto, float32, "
                    + "float16");
        };
    }

    /** Hugging Face's name of the dtype ({@code float32}, {@code float16}). */
    public String torchDtype() {
        return torchDtype(dtype);
    }

    /** Hugging Face's name of a compute dtype. */
    public static String torchDtype(DType t) {
        return t == DType.F16 ? "float16" : "float32";
    }

    public boolean isCuda() {
        return !device.equals("cpu");
    }

    /** GPUs DJL's PyTorch engine can use (0 with the CPU libtorch, even on a machine with GPUs). */
    public static int gpuCount() {
        return DjlRuntime.engine().getGpuCount();
    }

    /** GPUs the CUDA driver reports, whatever libtorch was loaded; 0 when there is no driver. */
    private static int visibleGpus() {
        try {
            return ai.djl.util.cuda.CudaUtils.getGpuCount();
        } catch (RuntimeException | LinkageError e) {
            return 0;
        }
    }

    private static int cudaIndex(String d) {
        Matcher m = CUDA.matcher(d);
        if (!m.matches()) {
            throw new IllegalArgumentException("device '" + d + "' is not cpu or cuda[:N]");
        }
        return m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
    }

    /** DJL's device. */
    Device djlDevice() {
        return isCuda() ? Device.gpu(cudaIndex(device)) : Device.cpu();
    }

    /** DJL's data type of weights and activations. */
    DataType dataType() {
        return dtype == DType.F16 ? DataType.FLOAT16 : DataType.FLOAT32;
    }

    /** Whether activations are in reduced precision (and need casting around the float32 parts). */
    boolean reduced() {
        return dtype != DType.F32;
    }

    /** "cpu, float32", "cuda:0, float16". */
    @Override
    public String toString() {
        return device + ", " + torchDtype();
    }
}
