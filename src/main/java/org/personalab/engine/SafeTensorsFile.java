package org.personalab.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One {@code .safetensors} file, opened for reading: the header (tensor names, dtypes, shapes, byte ranges and the
 * optional {@code __metadata__}) is parsed and checked on open; tensors are read one at a time and decoded to float in
 * Java. The layout is Hugging Face's: an 8-byte little-endian header length, a JSON header, then the raw data.
 */
public final class SafeTensorsFile {

    /** Where one tensor lies in the file. {@code begin}/{@code end} are offsets into the data section. */
    public record Entry(String name, DType dtype, long[] shape, long begin, long end) {
        public Entry {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private final Path file;
    private final long dataStart;
    private final long fileSize;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private SafeTensorsFile(Path file, long dataStart, long fileSize, Map<String, Entry> entries,
            Map<String, String> metadata) {
        this.file = file;
        this.dataStart = dataStart;
        this.fileSize = fileSize;
        this.entries = entries;
        this.metadata = metadata;
    }

    /** Opens and checks {@code file}; every problem is reported with the file name and the tensor concerned. */
    public static SafeTensorsFile open(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new EngineException(file + ": not a safetensors file (" + size + " bytes, no header length)");
            }
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0);
            long headerLen = len.flip().getLong();
            if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
                throw new EngineException(file + ": bad safetensors header length " + headerLen + " in a file of "
                        + size + " bytes");
            }
            ByteBuffer head = ByteBuffer.allocate((int) headerLen);
            readFully(ch, head, 8);
            String json = new String(head.array(), StandardCharsets.UTF_8);
            JsonNode root;
            try {
                root = MAPPER.readTree(json);
            } catch (IOException e) {
                throw new EngineException(file + ": safetensors header is not valid JSON: " + e.getMessage());
            }
            if (root == null || !root.isObject()) {
                throw new EngineException(file + ": safetensors header is not a JSON object");
            }
            long dataStart = 8 + headerLen;
            return new SafeTensorsFile(file, dataStart, size, parseEntries(file, root, size - dataStart),
                    parseMetadata(file, root));
        } catch (IOException e) {
            throw new EngineException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static Map<String, Entry> parseEntries(Path file, JsonNode root, long dataSize) {
        Map<String, Entry> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.properties().iterator(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            if (name.equals("__metadata__")) {
                continue;
            }
            JsonNode t = f.getValue();
            String where = file + ": tensor '" + name + "'";
            String dtypeName = t.path("dtype").asText("");
            DType dtype = DType.fromHeader(dtypeName);
            if (dtype == null) {
                throw new EngineException(where + " has dtype '" + dtypeName + "'; supported: F32, F16, BF16");
            }
            JsonNode shapeNode = t.path("shape");
            JsonNode offsets = t.path("data_offsets");
            if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
                throw new EngineException(where + " needs 'shape' (array) and 'data_offsets' ([begin, end])");
            }
            long[] shape = new long[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) {
                if (!shapeNode.get(i).canConvertToLong() || shapeNode.get(i).asLong() < 0) {
                    throw new EngineException(where + " has a bad shape " + shapeNode);
                }
                shape[i] = shapeNode.get(i).asLong();
            }
            long begin = offsets.get(0).asLong(-1);
            long end = offsets.get(1).asLong(-1);
            long expected = HostTensor.elementCount(shape) * dtype.bytes();
            if (begin < 0 || end < begin || end > dataSize) {
                throw new EngineException(where + " has data_offsets [" + begin + ", " + end
                        + "] outside the data section of " + dataSize + " bytes");
            }
            if (end - begin != expected) {
                throw new EngineException(where + " has " + (end - begin) + " bytes but shape " + shapeNode + " of "
                        + dtypeName + " needs " + expected);
            }
            out.put(name, new Entry(name, dtype, shape, begin, end));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Map<String, String> parseMetadata(Path file, JsonNode root) {
        JsonNode meta = root.get("__metadata__");
        if (meta == null || meta.isNull()) {
            return Map.of();
        }
        if (!meta.isObject()) {
            throw new EngineException(file + ": __metadata__ must be an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        meta.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return Collections.unmodifiableMap(out);
    }

    public Path file() {
        return file;
    }

    /** Tensor names in header order. */
    public Set<String> names() {
        return entries.keySet();
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** The header entry of {@code name}. */
    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new EngineException(file + ": no tensor '" + name + "'");
        }
        return e;
    }

    /** The {@code __metadata__} strings (empty when the file has none). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Reads tensor {@code name} and decodes it to float (F32 as is, F16 and BF16 exactly). */
    public HostTensor read(String name) {
        Entry e = entry(name);
        long bytes = e.end() - e.begin();
        long count = bytes / e.dtype().bytes();
        if (count > Integer.MAX_VALUE - 8) {
            throw new EngineException(file + ": tensor '" + name + "' has " + count
                    + " elements, more than one Java array holds");
        }
        float[] out = new float[(int) count];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (dataStart + e.end() > fileSize) {
                throw new EngineException(file + ": tensor '" + name + "' runs past the end of the file");
            }
            ByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), bytes)
                    .order(ByteOrder.LITTLE_ENDIAN);
            switch (e.dtype()) {
                case F32 -> buf.asFloatBuffer().get(out);
                case F16 -> {
                    var s = buf.asShortBuffer();
                    for (int i = 0; i < out.length; i++) {
                        out[i] = Float.float16ToFloat(s.get(i));
                    }
                }
                case BF16 -> {
                    var s = buf.asShortBuffer();
                    for (int i = 0; i < out.length; i++) {
                        out[i] = DType.bf16ToFloat(s.get(i));
                    }
                }
            }
        } catch (IOException ex) {
            throw new EngineException(file + ": cannot read tensor '" + name + "': " + ex.getMessage(), ex);
        }
        return new HostTensor(e.shape(), out);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
    }
}
