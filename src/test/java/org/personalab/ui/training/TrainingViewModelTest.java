package org.personalab.ui.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.service.UserSettings;
import org.personalab.task.CurrentThreadTaskExecutor;
import org.personalab.task.TaskState;
import org.personalab.task.ThreadPoolTaskExecutor;
import org.personalab.ui.WorkbenchContext;
import org.personalab.ui.training.TrainMonitor.LossPoint;

/** The training panel's logic without a window: event-log parsing, smoothing, progress, form validation. */
class TrainingViewModelTest {

    @TempDir
    Path tmp;

    private static String log(long time, int step, double loss) {
        return "{\"event\":\"log\",\"time\":" + time + ",\"step\":" + step + ",\"epoch\":0.5,\"loss\":" + loss
                + ",\"lr\":0.001,\"grad_norm\":0.5,\"tokens/s\":100,\"memory_mb\":10}";
    }

    @Test
    void handWrittenEventLogBecomesCurveProgressAndTimeLeft() {
        TrainMonitor m = new TrainMonitor();
        m.accept("{\"event\":\"start\",\"time\":1000,\"kind\":\"sft\",\"step\":0,\"total_steps\":10,\"examples\":4}");
        assertEquals(10, m.totalSteps());
        assertNull(m.remaining(), "no step yet, so no estimate");
        m.accept(log(3000, 1, 2.5));
        m.accept(log(5000, 2, 1.5));
        m.accept("{\"event\":\"checkpoint\",\"time\":5100,\"step\":2,\"path\":\"/r/checkpoint-2\"}");
        m.accept("WARNING: something printed by a library");
        assertEquals(List.of(new LossPoint(1, 2.5, Double.NaN), new LossPoint(2, 1.5, Double.NaN)), m.points());
        assertEquals(2, m.stepsDone());
        // 2 steps in 4 s since the start event: 2 s a step, 8 steps left
        assertEquals(Duration.ofSeconds(16), m.remaining());
        assertEquals(Duration.ofSeconds(6), m.elapsed(7000));
        assertEquals("2 / 10 steps · 0:06 elapsed · 0:16 left", TrainingViewModel.progressText(m, 7000));
        List<String> tail = m.tail();
        assertEquals(5, tail.size());
        assertTrue(tail.get(1).startsWith("step 1  epoch 0.50  loss 2.5000"), tail.get(1));
        assertEquals("checkpoint at step 2: /r/checkpoint-2", tail.get(3));
        assertEquals("WARNING: something printed by a library", tail.get(4));

        // a resume from step 1 drops step 2 (trained again) and times only its own steps
        m.accept("{\"event\":\"resume\",\"time\":20000,\"step\":1,\"total_steps\":10,\"examples\":4}");
        assertEquals(List.of(new LossPoint(1, 2.5, Double.NaN)), m.points());
        assertEquals(1, m.stepsDone());
        m.accept(log(21000, 2, 1.4));
        assertEquals(Duration.ofSeconds(8), m.remaining());
        assertEquals(1.4, m.points().get(1).loss());
        m.accept("{\"event\":\"end\",\"time\":22000,\"step\":10}");
        assertTrue(m.ended());
        assertEquals(10, m.stepsDone());
        assertEquals(Duration.ZERO, m.remaining());
        assertEquals(Duration.ofSeconds(21), m.elapsed(99_000), "elapsed stops at the end event");

        // a new start begins a new curve
        m.accept("{\"event\":\"start\",\"time\":30000,\"step\":0,\"total_steps\":3}");
        assertTrue(m.points().isEmpty());
        assertFalse(m.ended());
    }

    @Test
    void dpoMarginsAreKeptAndTheTailIsBounded() {
        TrainMonitor m = new TrainMonitor();
        m.accept("{\"event\":\"start\",\"time\":0,\"step\":0,\"total_steps\":100}");
        for (int s = 1; s <= 60; s++) {
            m.accept("{\"event\":\"log\",\"time\":" + s * 10 + ",\"step\":" + s + ",\"loss\":0.69,"
                    + "\"rewards/margins\":" + s * 0.01 + ",\"rewards/accuracies\":0.5}");
        }
        assertEquals(60, m.points().size());
        assertEquals(0.6, m.points().get(59).margin(), 1e-12);
        assertEquals(TrainMonitor.TAIL, m.tail().size());
        assertTrue(m.tail().get(TrainMonitor.TAIL - 1).startsWith("step 60 "), m.tail().get(49));
        assertTrue(m.tail().get(TrainMonitor.TAIL - 1).contains("margin 0.6000"), m.tail().get(49));
    }

    @Test
    void movingAverageIsDebiasedAndSkipsGaps() {
        double[] s = TrainMonitor.ema(new double[] {2, 1, Double.NaN, 4}, 0.5);
        assertEquals(2.0, s[0], 1e-12);
        assertEquals((0.5 * 1 + 0.5 * 1) / 0.75, s[1], 1e-12);
        assertEquals(s[1], s[2], 1e-12);
        assertEquals((0.5 * 1 + 0.5 * 4) / 0.875, s[3], 1e-12);
        assertEquals(List.of(3.0, 5.0), java.util.Arrays.stream(TrainMonitor.ema(new double[] {3, 5}, 0)).boxed()
                .toList(), "weight 0 is the raw curve");
        assertTrue(Double.isNaN(TrainMonitor.ema(new double[] {Double.NaN}, 0.6)[0]));
    }

    @Test
    void tailReadsOnlyCompleteNewLines() throws Exception {
        Path f = tmp.resolve("events.jsonl");
        Files.writeString(f, "old\n");
        EventTail t = new EventTail(f, EventTail.size(f));
        assertEquals(List.of(), t.poll());
        Files.writeString(f, "{\"a\":1}\n{\"b\":", StandardOpenOption.APPEND);
        assertEquals(List.of("{\"a\":1}"), t.poll());
        Files.writeString(f, "2}\n", StandardOpenOption.APPEND);
        assertEquals(List.of("{\"b\":2}"), t.poll());
        assertEquals(List.of(), new EventTail(tmp.resolve("missing.jsonl"), 0).poll());
    }

    private TrainingViewModel vm() {
        return new TrainingViewModel(new WorkbenchContext(new CurrentThreadTaskExecutor(), WorkbenchContext.DIRECT,
                new UserSettings(tmp.resolve("settings"))));
    }

    private TrainingViewModel filled() throws Exception {
        TrainingViewModel vm = vm();
        Files.createDirectories(tmp.resolve("model"));
        Files.writeString(tmp.resolve("sft.jsonl"), "{}\n");
        vm.field("model").set(tmp.resolve("model").toString());
        vm.field("train_dataset").set(tmp.resolve("sft.jsonl").toString());
        vm.field("output_dir").set(tmp.resolve("run").toString());
        return vm;
    }

    @Test
    void formStartsWithTrainConfigDefaultsAndFollowsTheKind() {
        TrainingViewModel vm = vm();
        assertEquals("0.00002", vm.field("learning_rate").get());
        assertEquals("8", vm.field("per_device_train_batch_size").get());
        assertEquals("3", vm.field("num_train_epochs").get());
        assertEquals("4096", vm.field("max_length").get());
        assertEquals("0.1", vm.field("beta").get());
        assertEquals("8", vm.field("r").get());
        assertEquals("q_proj,v_proj", vm.field("target_modules").get());
        assertEquals("500", vm.field("save_steps").get());
        vm.kindProperty().set(org.personalab.engine.train.TrainConfig.Kind.DPO);
        assertEquals("0.000001", vm.field("learning_rate").get(), "DPO's default learning rate");
        vm.field("learning_rate").set("0.0005");
        vm.kindProperty().set(org.personalab.engine.train.TrainConfig.Kind.SFT);
        assertEquals("0.0005", vm.field("learning_rate").get(), "a rate the user typed stays");
    }

    @Test
    void validationNamesTheField() throws Exception {
        TrainingViewModel empty = vm();
        assertNull(empty.validate());
        assertEquals("required", empty.errors().get("model"));
        assertEquals("required", empty.errors().get("train_dataset"));
        assertFalse(empty.errors().containsKey("adapter_init"), "SFT needs no initial adapter");

        TrainingViewModel vm = filled();
        ObjectNode ok = vm.validate();
        assertNotNull(ok, vm.errors() + " " + vm.formErrorProperty().get());
        assertEquals(2e-5, ok.get("learning_rate").asDouble());
        assertEquals("q_proj", ok.get("lora").get("target_modules").get(0).asText());

        vm.field("learning_rate").set("fast");
        assertNull(vm.validate());
        assertEquals("must be a number, not 'fast'", vm.errors().get("learning_rate"));
        vm.field("learning_rate").set("2");
        assertNull(vm.validate());
        assertTrue(vm.errors().get("learning_rate").contains("[0.0, 1.0]"), vm.errors().toString());
        vm.field("learning_rate").set("0.001");
        vm.field("r").set("0");
        assertNull(vm.validate());
        assertTrue(vm.errors().get("r").contains("≥ 1"), vm.errors().toString());
        vm.field("r").set("4");
        vm.field("target_modules").set("q_proj, nonsense");
        assertNull(vm.validate());
        assertTrue(vm.errors().get("target_modules").contains("'nonsense'"), vm.errors().toString());
        vm.field("target_modules").set("all-linear");
        vm.field("model").set(tmp.resolve("nope").toString());
        assertNull(vm.validate());
        assertTrue(vm.errors().get("model").startsWith("no such folder"), vm.errors().toString());
        vm.field("model").set(tmp.resolve("model").toString());
        vm.kindProperty().set(org.personalab.engine.train.TrainConfig.Kind.DPO);
        assertNull(vm.validate());
        assertEquals("required", vm.errors().get("adapter_init"));
        assertEquals(1, vm.errors().size());
        assertFalse(vm.start(), "an invalid form starts nothing");
        assertFalse(vm.runningProperty().get());
    }

    @Test
    void aFailingChildIsReportedWithItsExitReason() throws Exception {
        TrainingViewModel vm;
        try (ThreadPoolTaskExecutor ex = new ThreadPoolTaskExecutor(1)) {
            vm = new TrainingViewModel(new WorkbenchContext(ex, WorkbenchContext.DIRECT,
                    new UserSettings(tmp.resolve("settings"))));
            Files.createDirectories(tmp.resolve("model")); // a folder, but no model in it
            Files.writeString(tmp.resolve("sft.jsonl"), "{}\n");
            vm.field("model").set(tmp.resolve("model").toString());
            vm.field("train_dataset").set(tmp.resolve("sft.jsonl").toString());
            vm.field("output_dir").set(tmp.resolve("run").toString());
            vm.field("heap").set("256m");
            assertTrue(vm.start());
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (vm.stateProperty().get() == TaskState.RUNNING && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        }
        assertEquals(TaskState.FAILED, vm.stateProperty().get());
        assertTrue(vm.outcomeProperty().get().startsWith("training failed (exit code 1): "),
                vm.outcomeProperty().get());
        assertTrue(vm.outcomeProperty().get().contains("model"), vm.outcomeProperty().get());
        assertFalse(vm.runningProperty().get());
        assertTrue(Files.isRegularFile(tmp.resolve("run").resolve(TrainingViewModel.CONFIG_FILE)),
                "the config the child was given is kept beside its output");
    }

    /** The engine tests' tiny chat model (package-private there, so reached by reflection). */
    private static Path tinyModel(Path dir) throws Exception {
        java.lang.reflect.Method write = Class.forName("org.personalab.engine.TinyChatModel")
                .getDeclaredMethod("write", Path.class, long.class);
        write.setAccessible(true);
        return (Path) write.invoke(null, dir, 5L);
    }

    private static void waitWhileRunning(TrainingViewModel vm) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while ((vm.stateProperty().get() == TaskState.RUNNING || vm.runningProperty().get())
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    @Test
    void runsAreRecordedInTheOpenWorkspaceAndAServedAdapterBecomesAProvider() throws Exception {
        Path model = tinyModel(tmp.resolve("tiny-chat"));
        Path data = tmp.resolve("sft.jsonl");
        Files.write(data, List.of(
                "{\"messages\":[{\"role\":\"user\",\"content\":\"O=high\"},{\"role\":\"assistant\",\"content\":\"o5\"}]}",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"O=low\"},{\"role\":\"assistant\",\"content\":\"o1\"}]}"));
        Path settings = tmp.resolve("settings");
        try (ThreadPoolTaskExecutor ex = new ThreadPoolTaskExecutor(2);
                org.personalab.store.Workspace ws = org.personalab.store.Workspace.openOrCreate(tmp.resolve("ws"))) {
            WorkbenchContext ctx = new WorkbenchContext(ex, WorkbenchContext.DIRECT, new UserSettings(settings));
            ctx.workspaceProperty().set(ws);
            TrainingViewModel vm = new TrainingViewModel(ctx);
            vm.field("model").set(model.toString());
            vm.field("train_dataset").set(data.toString());
            vm.field("output_dir").set(tmp.resolve("my-run").toString());
            vm.field("learning_rate").set("0.01");
            vm.field("max_steps").set("2");
            vm.field("per_device_train_batch_size").set("2");
            vm.field("logging_steps").set("1");
            vm.field("max_length").set("128");
            vm.field("r").set("4");
            vm.field("heap").set("512m");
            assertTrue(vm.start());
            waitWhileRunning(vm);
            assertEquals(TaskState.SUCCEEDED, vm.stateProperty().get(), vm.outcomeProperty().get());

            long runId = vm.recordedRunProperty().get();
            var run = ws.read(tx -> tx.runs().get(runId)).orElseThrow();
            assertEquals(org.personalab.service.TrainingRuns.RUN_KIND, run.kind());
            assertEquals(org.personalab.task.RunRecord.SUCCEEDED, run.status());
            var params = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.params());
            assertEquals(0.01, params.at("/config/learning_rate").asDouble());
            assertEquals(128, params.at("/config/max_length").asInt());
            var inputs = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.inputs());
            assertEquals(64, inputs.at("/trainDataset/sha256").asText().length());
            assertTrue(inputs.get("exportRunIds").isEmpty(), "a hand-written file is no export: " + inputs);
            var outputs = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.outputs());
            assertEquals(tmp.resolve("my-run").toString(), outputs.get("adapter").asText());
            assertEquals(2, outputs.get("steps").asInt());
            assertTrue(outputs.get("finalLoss").asDouble() > 0, outputs.toString());
            waitUntil(() -> vm.recordProperty().get().startsWith("Run " + runId + " recorded: succeeded at step 2"),
                    vm.recordProperty()::get);

            // serve the final adapter, then add it as a provider: saved in providers.json, usable by the gateway
            assertFalse(vm.addAsProvider(), "nothing is served yet");
            waitUntil(() -> !vm.serveCommandProperty().get().isEmpty(), vm.serveCommandProperty()::get);
            assertTrue(vm.serve());
            waitUntil(() -> vm.serveUrlProperty().get().startsWith("http://127.0.0.1:"), vm.serveUrlProperty()::get);
            assertTrue(vm.addAsProvider(), vm.providerMessageProperty().get());
            assertEquals("local-my-run", vm.addedProviderProperty().get());
            var registry = org.personalab.llm.ProviderRegistry.load(settings);
            var provider = registry.get("local-my-run");
            assertEquals(vm.serveUrlProperty().get(), provider.baseUrl());
            assertEquals(0.0, provider.price("tiny-chat").orElseThrow().outputPerMillion());
            try (var gw = org.personalab.llm.LlmGateway.builder(ws).registry(registry)
                    .keys(new org.personalab.llm.ApiKeys(tmp.resolve("keys.json"), v -> null)).build()) {
                var r = gw.call(org.personalab.llm.ChatRequest.of("local-my-run", "tiny-chat", List.of(
                        org.personalab.llm.ChatMessage.user("O=high"))).withMaxTokens(4).withTemperature(0.0),
                        org.personalab.llm.CallContext.of(null));
                assertTrue(r.isOk(), r.toString());
            }
            vm.stopServing();
            waitUntil(() -> vm.serveUrlProperty().get().isEmpty(), vm.serveUrlProperty()::get);

            // a run whose child fails is recorded as failed, with the reason
            vm.field("model").set(tmp.resolve("settings").toString());
            assertTrue(vm.start());
            waitWhileRunning(vm);
            assertEquals(TaskState.FAILED, vm.stateProperty().get());
            long failedId = vm.recordedRunProperty().get();
            assertTrue(failedId > runId);
            var failed = ws.read(tx -> tx.runs().get(failedId)).orElseThrow();
            assertEquals(org.personalab.task.RunRecord.FAILED, failed.status());
            assertTrue(failed.error().startsWith("training failed (exit code 1)"), failed.error());
        }
    }

    @Test
    void providerNamesComeFromTheAdapterFolder() {
        assertEquals("local-sft-out", TrainingViewModel.providerName(Path.of("/r/sft-out")));
        assertEquals("local-dpo-checkpoint-20", TrainingViewModel.providerName(Path.of("/r/dpo/checkpoint-20")));
        assertEquals("local-my-run-1", TrainingViewModel.providerName(Path.of("/r/my run 1")));
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition,
            java.util.function.Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out; state: " + state.get());
            }
            Thread.sleep(50);
        }
    }
}
