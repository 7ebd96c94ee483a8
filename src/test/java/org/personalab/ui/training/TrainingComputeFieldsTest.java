package org.personalab.ui.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.service.UserSettings;
import org.personalab.task.CurrentThreadTaskExecutor;
import org.personalab.ui.WorkbenchContext;

/** The training form's {@code device} and {@code torch_dtype}: defaults, what the config gets, errors by field. */
class TrainingComputeFieldsTest {

    @TempDir
    Path tmp;

    private TrainingViewModel filled() throws Exception {
        TrainingViewModel vm = new TrainingViewModel(new WorkbenchContext(new CurrentThreadTaskExecutor(),
                WorkbenchContext.DIRECT, new UserSettings(tmp.resolve("settings"))));
        Files.createDirectories(tmp.resolve("model"));
        Files.writeString(tmp.resolve("sft.jsonl"), "{}\n");
        vm.field("model").set(tmp.resolve("model").toString());
        vm.field("train_dataset").set(tmp.resolve("sft.jsonl").toString());
        vm.field("output_dir").set(tmp.resolve("run").toString());
        return vm;
    }

    @Test
    void deviceAndDtypeReachTheConfigAndBadValuesAreNamed() throws Exception {
        TrainingViewModel vm = filled();
        assertEquals("auto", vm.field("device").get());
        assertEquals("auto", vm.field("torch_dtype").get());
        vm.field("device").set("cuda:1");
        vm.field("torch_dtype").set("float16");
        ObjectNode ok = vm.validate();
        assertNotNull(ok, vm.errors() + " " + vm.formErrorProperty().get());
        assertEquals("cuda:1", ok.path("device").asText());
        assertEquals("float16", ok.path("torch_dtype").asText());

        vm.field("device").set("tpu");
        assertNull(vm.validate());
        assertTrue(vm.errors().get("device").contains("'tpu'"), vm.errors().toString());
        vm.field("device").set("cpu");
        vm.field("torch_dtype").set("bfloat16");
        assertNull(vm.validate());
        assertTrue(vm.errors().get("torch_dtype").contains("bfloat16"), vm.errors().toString());
        assertEquals(1, vm.errors().size(), vm.errors().toString());
    }
}
