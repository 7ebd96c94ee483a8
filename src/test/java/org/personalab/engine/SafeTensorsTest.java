package org.personalab.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** safetensors reading and writing, bf16/f16 decoding, sharded checkpoints and located errors. */
class SafeTensorsTest {

    @TempDir
    Path tmp;

    @Test
    void readsAFileWrittenByHandInTheSpecLayout() throws IOException {
        // header written by hand as the format defines it, data: F32 [2] = {1.5, -2}, BF16 [3] = {1, -0.5, 3.140625}
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1,3],\"data_offsets\":[8,14]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + 14).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h).putFloat(1.5f).putFloat(-2f);
        buf.putShort((short) 0x3F80).putShort((short) 0xBF00).putShort((short) 0x4049);
        Path f = tmp.resolve("hand.safetensors");
        Files.write(f, buf.array());

        SafeTensorsFile st = SafeTensorsFile.open(f);
        assertEquals(Map.of("format", "pt"), st.metadata());
        assertEquals(java.util.List.of("a", "b"), java.util.List.copyOf(st.names()));
        assertArrayEquals(new float[] {1.5f, -2f}, st.read("a").data());
        assertArrayEquals(new long[] {1, 3}, st.read("b").shape());
        assertArrayEquals(new float[] {1f, -0.5f, 3.140625f}, st.read("b").data());
    }

    @Test
    void bf16DecodingIsExactForEveryBitPattern() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = DType.bf16ToFloat((short) bits);
            // the float's upper half is the pattern and its lower half is zero
            assertEquals(bits << 16, Float.floatToRawIntBits(f));
            if (!Float.isNaN(f)) {
                assertEquals((short) bits, DType.floatToBf16(f), "round trip of 0x" + Integer.toHexString(bits));
            }
        }
    }

    @Test
    void bf16EncodingRoundsToNearestEven() {
        float one = 1f;
        float ulp = 0x1p-7f; // bf16 spacing at 1
        assertEquals((short) 0x3F80, DType.floatToBf16(one + ulp / 2)); // tie → even (1.0)
        assertEquals((short) 0x3F82, DType.floatToBf16(one + 3 * ulp / 2)); // tie → even (1 + 2 ulp)
        assertEquals((short) 0x3F81, DType.floatToBf16(one + ulp * 0.75f)); // above half → up
        assertEquals((short) 0x3F80, DType.floatToBf16(one + ulp * 0.25f)); // below half → down
        assertTrue(Float.isNaN(DType.bf16ToFloat(DType.floatToBf16(Float.NaN))));
    }

    @Test
    void writeReadRoundTripForEachDtype() {
        Random r = new Random(3);
        float[] values = new float[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (r.nextGaussian() * 10);
        }
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        tensors.put("w", HostTensor.of(values, 10, 100));
        tensors.put("scalar", HostTensor.of(new float[] {7f}));
        for (DType d : DType.values()) {
            Path f = tmp.resolve(d + ".safetensors");
            SafeTensorsWriter.write(f, tensors, d, Map.of("k", "v"));
            SafeTensorsFile st = SafeTensorsFile.open(f);
            assertEquals(d, st.entry("w").dtype());
            assertEquals("v", st.metadata().get("k"));
            assertArrayEquals(new long[0], st.read("scalar").shape());
            float[] back = st.read("w").data();
            for (int i = 0; i < values.length; i++) {
                float expected = switch (d) {
                    case F32 -> values[i];
                    case F16 -> Float.float16ToFloat(Float.floatToFloat16(values[i]));
                    case BF16 -> DType.bf16ToFloat(DType.floatToBf16(values[i]));
                };
                assertEquals(expected, back[i], 0f, d + " element " + i);
                assertEquals(values[i], back[i], Math.abs(values[i]) * (d == DType.F32 ? 0 : d == DType.F16 ? 1e-3 : 8e-3));
            }
            // header length is a multiple of 8 (alignment the format recommends)
            long headerLen = ByteBuffer.wrap(read(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(0, headerLen % 8);
        }
    }

    @Test
    void shardedCheckpointRoundTripAndIndex() throws IOException {
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            tensors.put("t" + i, HostTensor.of(new float[] {i, i + 0.5f, -i}, 3));
        }
        Checkpoint.write(tmp, tensors, DType.F32, 24); // 12 bytes each → 2 per shard → 3 shards
        assertTrue(Files.exists(tmp.resolve("model-00003-of-00003.safetensors")));
        String index = Files.readString(tmp.resolve(Checkpoint.INDEX));
        assertTrue(index.contains("\"total_size\" : 60"), index);
        Checkpoint c = Checkpoint.open(tmp);
        assertEquals(tensors.keySet(), c.names());
        for (var e : tensors.entrySet()) {
            assertEquals(e.getValue(), c.read(e.getKey(), 3));
        }
        EngineException wrongShape = assertThrows(EngineException.class, () -> c.read("t1", 4));
        assertTrue(wrongShape.getMessage().contains("'t1'") && wrongShape.getMessage().contains("[3]"));
    }

    @Test
    void indexNamingAMissingShardIsReported() throws IOException {
        Files.writeString(tmp.resolve(Checkpoint.INDEX), "{\"weight_map\": {\"x\": \"model-00001-of-00002.safetensors\"}}");
        EngineException e = assertThrows(EngineException.class, () -> Checkpoint.open(tmp));
        assertTrue(e.getMessage().contains(Checkpoint.INDEX) && e.getMessage().contains("model-00001-of-00002"),
                e.getMessage());
    }

    @Test
    void folderWithoutWeightsIsReported() {
        EngineException e = assertThrows(EngineException.class, () -> Checkpoint.open(tmp));
        assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
    }

    @Test
    void badFilesAreReportedWithFileAndTensor() throws IOException {
        Path f = tmp.resolve("bad.safetensors");
        Files.write(f, new byte[] {1, 2, 3});
        assertMessage(f, "no header length");

        writeRaw(f, "{\"x\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8);
        assertMessage(f, "tensor 'x' has dtype 'I64'");

        writeRaw(f, "{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8);
        assertMessage(f, "tensor 'x' has 8 bytes but shape [3] of F32 needs 12");

        writeRaw(f, "{\"x\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8);
        assertMessage(f, "outside the data section");

        writeRaw(f, "{\"x\": [", 0);
        assertMessage(f, "not valid JSON");

        ByteBuffer huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).putLong(0);
        Files.write(f, huge.array());
        assertMessage(f, "bad safetensors header length");
    }

    private static void assertMessage(Path f, String expected) {
        EngineException e = assertThrows(EngineException.class, () -> SafeTensorsFile.open(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static void writeRaw(Path f, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h);
        Files.write(f, buf.array());
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
