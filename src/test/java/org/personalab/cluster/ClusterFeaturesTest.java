package org.personalab.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.data.Responses;
import org.personalab.data.Sex;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;
import org.personalab.inventory.Scale;
import org.personalab.task.TaskContext;

class ClusterFeaturesTest {

    @TempDir
    Path dir;

    /** Index of the first reverse-keyed item of IPIP-NEO-120. */
    private static int reversedItem() {
        for (int i = 0; i < Inventory.IPIP_NEO_120.size(); i++) {
            if (Inventory.IPIP_NEO_120.items().get(i).reversed()) {
                return i;
            }
        }
        throw new IllegalStateException();
    }

    private static Responses people() {
        Inventory inv = Inventory.IPIP_NEO_120;
        Responses.Builder b = new Responses.Builder(inv, AnswerEncoding.RAW, 5);
        String[] countries = {"USA", "USA", "Canada", "", "UK"};
        Sex[] sex = {Sex.MALE, Sex.FEMALE, Sex.FEMALE, Sex.UNKNOWN, Sex.MALE};
        int[] age = {20, 30, 0, 40, 50};
        for (int p = 0; p < 5; p++) {
            byte[] a = new byte[inv.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = (byte) (1 + (p + i) % 5);
            }
            if (p == 4) {
                a[0] = 0; // missing
            }
            b.add("P" + p, sex[p], age[p], countries[p], a);
        }
        return b.build();
    }

    @Test
    void columnsFollowTheSpecAndMissingValuesGetTheColumnMean() {
        Responses r = people();
        FeatureSpec spec = new FeatureSpec(FeatureSpec.Items.RAW, true, true, true, 1, FeatureSpec.Scores.NONE,
                false);
        FeatureMatrix f = FeatureBuilder.build(r, null, spec, TaskContext.none());
        assertEquals(120 + 1 + 1 + 2, f.cols());
        assertEquals("i1", f.columns().get(0));
        assertEquals(List.of("female", "age", "country=USA", "country=other"), f.columns().subList(120, 124));
        assertEquals(List.of("USA"), f.countries());
        // raw answers as stored; item 1 of person 4 missing -> mean of the others (1,2,3,4 -> 2.5)
        assertEquals(1f, f.get(0, 0));
        assertEquals(2.5f, f.get(4, 0));
        // sex: 0 male, 1 female, unknown -> share of women among the known (2 of 4)
        assertEquals(0f, f.get(0, 120));
        assertEquals(1f, f.get(1, 120));
        assertEquals(0.5f, f.get(3, 120));
        // age: unknown -> mean known age (20, 30, 40, 50 -> 35)
        assertEquals(35f, f.get(2, 121));
        // one-hot: USA own column; Canada, blank and UK share "other"
        assertEquals(1f, f.get(0, 122));
        assertEquals(0f, f.get(0, 123));
        assertEquals(1f, f.get(2, 123));
        assertEquals(1f, f.get(3, 123));
        for (int p = 0; p < 5; p++) {
            assertEquals(1f, f.get(p, 122) + f.get(p, 123));
        }
    }

    @Test
    void keyedItemsReverseTheReversedOnesAndStandardizingCentresAndScales() {
        Responses r = people();
        int rev = reversedItem();
        FeatureMatrix raw = FeatureBuilder.build(r, null, new FeatureSpec(FeatureSpec.Items.RAW, false, false, false,
                0, FeatureSpec.Scores.NONE, false), TaskContext.none());
        FeatureMatrix keyed = FeatureBuilder.build(r, null, new FeatureSpec(FeatureSpec.Items.KEYED, false, false,
                false, 0, FeatureSpec.Scores.NONE, false), TaskContext.none());
        assertEquals(6 - raw.get(1, rev), keyed.get(1, rev));
        assertEquals(raw.get(1, 0), keyed.get(1, 0));
        // the same people stored keyed give the same keyed features
        FeatureMatrix fromKeyed = FeatureBuilder.build(r.withEncoding(AnswerEncoding.KEYED), null, keyed.spec(),
                TaskContext.none());
        assertEquals(keyed.get(3, rev), fromKeyed.get(3, rev));

        FeatureMatrix z = FeatureBuilder.build(r, null, FeatureSpec.DEFAULT, TaskContext.none());
        assertEquals(127 - 4 + Math.min(4, 3), z.cols(), "three named countries exist");
        for (int j = 0; j < z.cols(); j++) {
            double m = 0;
            double q = 0;
            for (int p = 0; p < 5; p++) {
                m += z.get(p, j);
                q += z.get(p, j) * z.get(p, j);
            }
            m /= 5;
            assertEquals(0, m, 1e-5, "column " + z.columns().get(j) + " centred");
            double var = q / 5 - m * m;
            assertTrue(Math.abs(var - 1) < 1e-4 || var < 1e-9, "column " + z.columns().get(j) + " scaled: " + var);
            assertTrue(z.scale()[j] > 0);
        }
    }

    @Test
    void scoresBecomeColumnsWhenAskedFor() {
        Responses r = people();
        float[] scores = new float[5 * Scale.COUNT];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = i % Scale.COUNT == Scale.N.ordinal() && i / Scale.COUNT == 2 ? Float.NaN : i;
        }
        FeatureMatrix f = FeatureBuilder.build(r, scores, new FeatureSpec(FeatureSpec.Items.NONE, false, false,
                false, 0, FeatureSpec.Scores.DOMAINS, false), TaskContext.none());
        assertEquals(List.of("score:N", "score:E", "score:O", "score:A", "score:C"), f.columns());
        assertEquals(Scale.COUNT + Scale.N.ordinal(), f.get(1, 0));
        assertEquals((Scale.N.ordinal() + (Scale.COUNT + Scale.N.ordinal()) + (3 * Scale.COUNT + Scale.N.ordinal())
                + (4 * Scale.COUNT + Scale.N.ordinal())) / 4f, f.get(2, 0), 1e-4);
        assertThrows(IllegalArgumentException.class, () -> FeatureBuilder.build(r, null, f.spec(),
                TaskContext.none()));
    }

    @Test
    void specRoundTripsAndRefusesNothingToClusterOn() {
        FeatureSpec s = new FeatureSpec(FeatureSpec.Items.RAW, false, true, true, 7, FeatureSpec.Scores.FACETS,
                false);
        assertEquals(s, FeatureSpec.fromMap(s.toMap()));
        assertThrows(IllegalArgumentException.class, () -> new FeatureSpec(FeatureSpec.Items.NONE, false, false,
                false, 3, FeatureSpec.Scores.NONE, true));
        assertTrue(FeatureSpec.DEFAULT.describe().contains("country (top 4 + other)"));
    }

    @Test
    void npyFilesHaveNumpysHeaderAndLittleEndianFloats() throws Exception {
        Path p = dir.resolve("m.npy");
        Npy.writeFloat32(p, new float[] {1, 2, 3, 4.5f, 5, 6}, 2, 3);
        byte[] b = Files.readAllBytes(p);
        assertEquals((byte) 0x93, b[0]);
        assertEquals("NUMPY", new String(b, 1, 5, StandardCharsets.US_ASCII));
        int headerLen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLen) % 64, "data aligned to 64 bytes");
        String header = new String(b, 10, headerLen, StandardCharsets.US_ASCII);
        assertTrue(header.contains("'descr': '<f4'") && header.contains("'shape': (2, 3)"), header);
        ByteBuffer data = ByteBuffer.wrap(b, 10 + headerLen, 24).order(ByteOrder.LITTLE_ENDIAN);
        data.position(10 + headerLen + 12);
        assertEquals(4.5f, data.getFloat());
        assertEquals(10 + headerLen + 24, b.length);
    }
}
