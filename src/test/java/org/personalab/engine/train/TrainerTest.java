package org.personalab.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.engine.ChatTemplate;
import org.personalab.engine.DecoderModel;
import org.personalab.engine.EngineException;
import org.personalab.engine.LoraAdapter;
import org.personalab.engine.SafeTensorsFile;
import org.personalab.engine.Tokenizer;

/** SFT and DPO on a tiny random chat model: learning, masking, accumulation, resume, logs, PEFT files. */
class TrainerTest {

    @TempDir
    static Path shared;
    static Path model;
    static Path sft;
    static Path dpo;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() {
        model = TrainFixtures.chatModel(shared.resolve("model"), 11);
        sft = TrainFixtures.sftFile(shared.resolve("sft.jsonl"));
        dpo = TrainFixtures.dpoFile(shared.resolve("dpo.jsonl"));
    }

    private TrainConfig config(TrainConfig.Kind kind, Path data, String name, Map<String, Object> fields) {
        Path out = tmp.resolve(name);
        return TrainConfig.load(TrainFixtures.config(tmp.resolve(name + ".json"), model, data, out, fields), kind);
    }

    @Test
    void sftDrivesTheLossDownAndLogsEveryStep() throws Exception {
        TrainConfig c = config(TrainConfig.Kind.SFT, sft, "sft", Map.of("max_steps", 30, "warmup_steps", 3));
        Trainer.Result r;
        try (SftTrainer t = SftTrainer.create(c, null)) {
            r = t.train();
        }
        List<ObjectNode> logs = TrainFixtures.logs(c.outputDir());
        assertEquals(30, logs.size());
        for (int i = 0; i < logs.size(); i++) {
            ObjectNode l = logs.get(i);
            assertEquals(i + 1, l.get("step").asInt());
            for (String f : List.of("epoch", "loss", "lr", "grad_norm", "tokens/s", "memory_mb", "heap_mb")) {
                assertTrue(l.get(f).isNumber(), f + " in " + l);
            }
            assertTrue(l.get("tokens/s").asDouble() > 0 && l.get("memory_mb").asDouble() > 0);
        }
        assertEquals(0.0, logs.get(0).get("lr").asDouble(), "warm-up starts at 0");
        assertEquals(1e-2, logs.get(3).get("lr").asDouble(), 1e-12, "peak after 3 warm-up steps");
        double first = logs.get(0).get("loss").asDouble();
        double last = logs.get(29).get("loss").asDouble();
        assertTrue(last < 0.5 * first, "loss " + first + " → " + last);
        assertEquals(first, r.firstLoss(), 1e-9);
        assertTrue(Files.isRegularFile(c.outputDir().resolve(LoraAdapter.WEIGHTS_FILE)));
    }

    @Test
    void savedAdapterRoundTripsInPeftFormat() throws Exception {
        TrainConfig c = config(TrainConfig.Kind.SFT, sft, "rt", Map.of("max_steps", 5));
        double trained;
        try (SftTrainer t = SftTrainer.create(c, null)) {
            t.train();
            trained = t.loss(t.data());
        }
        SafeTensorsFile f = SafeTensorsFile.open(c.outputDir().resolve(LoraAdapter.WEIGHTS_FILE));
        assertTrue(f.names().contains("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight"), f.names()
                .toString());
        TrainConfig again = config(TrainConfig.Kind.SFT, sft, "rt2",
                Map.of("max_steps", 5, "adapter_init", c.outputDir().toString()));
        try (SftTrainer t = SftTrainer.create(again, null)) {
            assertEquals(trained, t.loss(t.data()), 1e-6);
        }
        TrainConfig fresh = config(TrainConfig.Kind.SFT, sft, "fresh", Map.of("max_steps", 5));
        try (SftTrainer t = SftTrainer.create(fresh, null)) {
            assertTrue(t.loss(t.data()) > trained + 0.01, "training changed the loss");
        }
    }

    @Test
    void onlyAssistantTokensCarryLabelsAndLoss() {
        TrainConfig c = config(TrainConfig.Kind.SFT, sft, "mask", Map.of("max_steps", 1));
        try (SftTrainer t = SftTrainer.create(c, null); Tokenizer tok = Tokenizer.load(model)) {
            Sequence s = t.data().get(0);
            String text = ChatTemplate.load(model).render(List.of(new org.personalab.engine.ChatTurn("system",
                    "Make a spec."), new org.personalab.engine.ChatTurn("user", "O=high"),
                    new org.personalab.engine.ChatTurn("assistant", "{\"o\":5}")), false);
            assertArrayEquals(tok.encode(text), s.ids());
            int[] answer = tok.encode("{\"o\":5}<|im_end|>\n");
            int start = s.ids().length - answer.length;
            for (int i = 0; i < s.ids().length; i++) {
                assertEquals(i >= start ? s.ids()[i] : Sequence.IGNORE, s.labels()[i], "position " + i);
            }
            // the loss is the mean NLL over assistant positions, computed independently from the plain logits
            double expected = referenceNll(t, s, start);
            double loss = t.loss(List.of(s));
            assertEquals(expected, loss, 1e-4);
            // changing labels at masked positions changes nothing; changing an assistant label does
            int[] other = s.labels().clone();
            for (int i = 1; i < start; i++) {
                other[i] = Sequence.IGNORE;
            }
            int[] relabelled = s.labels().clone();
            relabelled[start + 1] = (relabelled[start + 1] + 7) % 250;
            assertEquals(loss, t.loss(List.of(new Sequence(s.ids(), other))), 1e-9);
            assertNotEquals(loss, t.loss(List.of(new Sequence(s.ids(), relabelled))), 1e-4);
        }
    }

    private static double referenceNll(SftTrainer t, Sequence s, int start) {
        try (DecoderModel m = DecoderModel.load(model)) {
            float[] logits = m.forward(new int[][] {s.ids()}).toFloatArray();
            int v = m.config().vocabSize();
            double sum = 0;
            int n = 0;
            for (int pos = start; pos < s.ids().length; pos++) {
                int row = (pos - 1) * v;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < v; k++) {
                    max = Math.max(max, logits[row + k]);
                }
                double z = 0;
                for (int k = 0; k < v; k++) {
                    z += Math.exp(logits[row + k] - max);
                }
                sum += -(logits[row + s.ids()[pos]] - max - Math.log(z));
                n++;
            }
            return sum / n;
        }
    }

    @Test
    void gradientAccumulationEqualsOneLargerBatch() throws Exception {
        TrainConfig big = config(TrainConfig.Kind.SFT, sft, "big",
                Map.of("max_steps", 2, "per_device_train_batch_size", 4, "gradient_accumulation_steps", 1));
        TrainConfig acc = config(TrainConfig.Kind.SFT, sft, "acc",
                Map.of("max_steps", 2, "per_device_train_batch_size", 2, "gradient_accumulation_steps", 2));
        for (TrainConfig c : List.of(big, acc)) {
            try (SftTrainer t = SftTrainer.create(c, null)) {
                t.train();
            }
        }
        List<ObjectNode> a = TrainFixtures.logs(big.outputDir());
        List<ObjectNode> b = TrainFixtures.logs(acc.outputDir());
        for (int i = 0; i < 2; i++) {
            assertEquals(a.get(i).get("loss").asDouble(), b.get(i).get("loss").asDouble(), 1e-5);
            assertEquals(a.get(i).get("grad_norm").asDouble(), b.get(i).get("grad_norm").asDouble(),
                    1e-4 * a.get(i).get("grad_norm").asDouble());
        }
        float[] wa = SafeTensorsFile.open(big.outputDir().resolve(LoraAdapter.WEIGHTS_FILE))
                .read("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight").data();
        float[] wb = SafeTensorsFile.open(acc.outputDir().resolve(LoraAdapter.WEIGHTS_FILE))
                .read("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight").data();
        assertArrayEquals(wa, wb, 1e-5f);
    }

    @Test
    void resumeContinuesTheSameCurve() throws Exception {
        Map<String, Object> f = Map.of("max_steps", 6, "save_steps", 3, "warmup_steps", 2, "weight_decay", 0.01,
                "lora", Map.of("r", 4, "lora_alpha", 8, "lora_dropout", 0.1, "target_modules", "all-linear"));
        TrainConfig whole = config(TrainConfig.Kind.SFT, sft, "whole", f);
        try (SftTrainer t = SftTrainer.create(whole, null)) {
            t.train();
        }
        Path checkpoint = whole.outputDir().resolve("checkpoint-3");
        assertTrue(Files.isRegularFile(checkpoint.resolve(TrainCheckpoint.STATE)));
        assertEquals(checkpoint, TrainCheckpoint.latest(whole.outputDir()));
        TrainConfig resumed = config(TrainConfig.Kind.SFT, sft, "resumed", f);
        try (SftTrainer t = SftTrainer.create(resumed, checkpoint)) {
            t.train();
        }
        List<ObjectNode> a = TrainFixtures.logs(whole.outputDir());
        List<ObjectNode> b = TrainFixtures.logs(resumed.outputDir());
        assertEquals(3, b.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(a.get(i + 3).get("step").asInt(), b.get(i).get("step").asInt());
            assertEquals(a.get(i + 3).get("loss").asDouble(), b.get(i).get("loss").asDouble(), 1e-5);
            assertEquals(a.get(i + 3).get("lr").asDouble(), b.get(i).get("lr").asDouble(), 1e-12);
        }
        TrainConfig other = config(TrainConfig.Kind.SFT, sft, "other", Map.of("max_steps", 7, "save_steps", 3));
        EngineException e = assertThrows(EngineException.class, () -> SftTrainer.create(other, checkpoint).close());
        assertTrue(e.getMessage().contains("total_steps"), e.getMessage());
    }

    @Test
    void dpoRaisesTheRewardMargin() throws Exception {
        TrainConfig c = config(TrainConfig.Kind.DPO, dpo, "dpo", Map.of("max_steps", 15, "beta", 0.5));
        double before;
        double after;
        try (DpoTrainer t = DpoTrainer.create(c, null)) {
            before = t.meanMargin();
            t.train();
            after = t.meanMargin();
        }
        assertEquals(0.0, before, 1e-6, "policy = reference before training");
        assertTrue(after > 0.5, "margin after training " + after);
        List<ObjectNode> logs = TrainFixtures.logs(c.outputDir());
        assertEquals(15, logs.size());
        for (ObjectNode l : logs) {
            for (String f : List.of("loss", "lr", "grad_norm", "rewards/chosen", "rewards/rejected",
                    "rewards/margins", "rewards/accuracies", "logps/chosen", "logps/rejected", "tokens/s",
                    "memory_mb")) {
                assertTrue(l.get(f).isNumber(), f + " in " + l);
            }
            assertEquals(l.get("rewards/chosen").asDouble() - l.get("rewards/rejected").asDouble(),
                    l.get("rewards/margins").asDouble(), 1e-6);
        }
        assertEquals(Math.log(2), logs.get(0).get("loss").asDouble(), 1e-5, "−log σ(0) at the first step");
        assertTrue(logs.get(14).get("loss").asDouble() < Math.log(2) - 0.1);
        assertEquals(1.0, logs.get(14).get("rewards/accuracies").asDouble(), 1e-9);
    }

    @Test
    void badConfigAndDataAreNamed() throws Exception {
        Path bad = TrainFixtures.write(tmp.resolve("bad.json"), List.of("{\"model\": \"m\", \"output_dir\": \"o\", "
                + "\"train_dataset\": \"d\", \"learning_rat\": 0.1}"));
        EngineException e = assertThrows(EngineException.class, () -> TrainConfig.load(bad, TrainConfig.Kind.SFT));
        assertTrue(e.getMessage().contains("bad.json") && e.getMessage().contains("learning_rat"), e.getMessage());
        Path data = TrainFixtures.write(tmp.resolve("d.jsonl"), List.of("{\"messages\": [{\"role\": \"user\", "
                + "\"content\": \"x\"}, {\"role\": \"assistant\", \"content\": \"y\"}]}", "{\"messages\": [{\"role\": "
                + "\"user\"}]}"));
        try (Tokenizer tok = Tokenizer.load(model)) {
            TrainData d = new TrainData(tok, ChatTemplate.load(model), 100);
            EngineException e2 = assertThrows(EngineException.class, () -> d.sft(data));
            assertTrue(e2.getMessage().contains("d.jsonl:2") && e2.getMessage().contains("content"), e2.getMessage());
            TrainData shortData = new TrainData(tok, ChatTemplate.load(model), 20);
            List<Sequence> cut = shortData.sft(sft);
            assertEquals(4, shortData.truncation().sequencesCut());
            assertTrue(shortData.truncation().labelledTokensLost() > 0);
            assertTrue(cut.stream().allMatch(s -> s.ids().length == 20));
        }
    }
}
