package org.personalab.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Writes tensors as one {@code .safetensors} file in Hugging Face's layout (8-byte header length, JSON header padded
 * with spaces to a multiple of 8, data in header order), so PyTorch, PEFT and vLLM read what we write. The file
 * appears atomically: it is written beside the target and moved into place.
 */
public final class SafeTensorsWriter {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SafeTensorsWriter() {
    }

    /** Writes {@code tensors} (in map order) encoded as {@code dtype}, with optional string metadata. */
    public static void write(Path file, Map<String, HostTensor> tensors, DType dtype, Map<String, String> metadata) {
        ObjectNode header = MAPPER.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, HostTensor> e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                throw new IllegalArgumentException("'__metadata__' is not a tensor name");
            }
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", dtype.name());
            ArrayNode shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            long bytes = (long) e.getValue().data().length * dtype.bytes();
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json;
        try {
            json = MAPPER.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int padded = (json.length + 7) / 8 * 8;
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try (OutputStream os = Files.newOutputStream(tmp)) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
                os.write(len.array());
                os.write(json);
                os.write(" ".repeat(padded - json.length).getBytes(StandardCharsets.US_ASCII));
                ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
                for (HostTensor t : tensors.values()) {
                    for (float v : t.data()) {
                        if (buf.remaining() < 4) {
                            os.write(buf.array(), 0, buf.position());
                            buf.clear();
                        }
                        switch (dtype) {
                            case F32 -> buf.putFloat(v);
                            case F16 -> buf.putShort(Float.floatToFloat16(v));
                            case BF16 -> buf.putShort(DType.floatToBf16(v));
                        }
                    }
                }
                os.write(buf.array(), 0, buf.position());
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException e) {
            throw new EngineException(file + ": cannot write safetensors: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original error is the one to report
                }
            }
        }
    }

    public static void write(Path file, Map<String, HostTensor> tensors, DType dtype) {
        write(file, tensors, dtype, Map.of());
    }
}
