package org.personalab.ui.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.engine.hub.FakeHub;
import org.personalab.engine.hub.HubClient;
import org.personalab.engine.hub.HubTestModel;
import org.personalab.service.UserSettings;
import org.personalab.task.CurrentThreadTaskExecutor;
import org.personalab.task.TaskExecutor;
import org.personalab.task.TaskState;
import org.personalab.ui.DeferredTaskExecutor;
import org.personalab.ui.WorkbenchContext;

/** The download dialog's logic without a window, against a fake hub on a real local server. */
class ModelDownloadViewModelTest {

    static final String REPO = "tiny-org/Tiny-Qwen2";

    @TempDir
    Path tmp;
    FakeHub hub;
    List<String> endpointsAsked = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub(REPO, HubTestModel.write(tmp.resolve("repo"), 5)).start();
    }

    @AfterEach
    void stop() throws IOException {
        hub.close();
    }

    ModelDownloadViewModel vm(TaskExecutor executor) {
        WorkbenchContext ctx = new WorkbenchContext(executor, WorkbenchContext.DIRECT,
                new UserSettings(tmp.resolve("home")));
        return new ModelDownloadViewModel(ctx, endpoint -> {
            endpointsAsked.add(endpoint);
            return HubClient.builder().endpoint(endpoint.isEmpty() ? hub.endpoint() : endpoint)
                    .retry(new HubClient.Retry(2, Duration.ofMillis(1), Duration.ofMillis(2))).build();
        }, tmp.resolve("models"));
    }

    @Test
    void theFolderFollowsTheRepositoryUntilEdited() {
        ModelDownloadViewModel vm = vm(new CurrentThreadTaskExecutor());
        vm.repoProperty().set("Qwen/Qwen2.5-0.5B-Instruct");
        assertEquals(tmp.resolve("models/Qwen__Qwen2.5-0.5B-Instruct").toString(), vm.folderProperty().get());
        vm.repoProperty().set("Qwen/Qwen2.5-1.5B-Instruct");
        assertEquals(tmp.resolve("models/Qwen__Qwen2.5-1.5B-Instruct").toString(), vm.folderProperty().get());
        vm.repoProperty().set("half typed /");
        assertEquals("", vm.folderProperty().get(), "no folder for something that is not an id yet");
        vm.folderProperty().set("/data/my-model");
        vm.repoProperty().set("Qwen/Qwen2.5-3B-Instruct");
        assertEquals("/data/my-model", vm.folderProperty().get(), "an edited folder is kept");
    }

    @Test
    void aBadRepositoryIdIsAFormErrorAndStartsNothing() {
        CurrentThreadTaskExecutor ex = new CurrentThreadTaskExecutor();
        ModelDownloadViewModel vm = vm(ex);
        vm.repoProperty().set("not an id");
        vm.folderProperty().set(tmp.resolve("x").toString());
        vm.download();
        assertTrue(vm.errorProperty().get().contains("'not an id' is not a hub repository id"),
                vm.errorProperty().get());
        assertTrue(ex.tasks().isEmpty());
        assertFalse(vm.runningProperty().get());
        assertTrue(hub.requests.isEmpty());
    }

    @Test
    void downloadShowsProgressAndOffersTheVerifiedFolder() throws IOException {
        ModelDownloadViewModel vm = vm(new CurrentThreadTaskExecutor());
        List<Double> fractions = new ArrayList<>();
        vm.progressProperty().addListener((o, a, v) -> fractions.add(v.doubleValue()));
        vm.repoProperty().set(REPO);
        vm.download();
        Path folder = tmp.resolve("models/tiny-org__Tiny-Qwen2");
        assertEquals("", vm.errorProperty().get());
        assertEquals(folder, vm.resultProperty().get());
        assertFalse(vm.runningProperty().get());
        assertEquals(1.0, vm.progressProperty().get());
        assertEquals(List.of(""), endpointsAsked, "the default endpoint");
        assertTrue(fractions.stream().anyMatch(f -> f > 0 && f < 1), "progress was shown in between: " + fractions);
        assertTrue(vm.progressTextProperty().get().contains(HubTestModel.ENGINE_FILES.size() + " file(s) downloaded"),
                vm.progressTextProperty().get());
        assertTrue(vm.statusProperty().get().contains("OK — qwen2"), vm.statusProperty().get());
        for (String f : HubTestModel.ENGINE_FILES) {
            assertArrayEquals(hub.file(f), Files.readAllBytes(folder.resolve(f)), f);
        }
    }

    @Test
    void hubErrorsAreShownAndNoFolderIsOffered() {
        ModelDownloadViewModel vm = vm(new CurrentThreadTaskExecutor());
        vm.repoProperty().set("tiny-org/Missing");
        vm.endpointProperty().set(hub.endpoint() + "/");
        vm.download();
        assertEquals(List.of(hub.endpoint() + "/"), endpointsAsked);
        assertTrue(vm.errorProperty().get().startsWith("no model repository 'tiny-org/Missing'"),
                vm.errorProperty().get());
        assertNull(vm.resultProperty().get());
        assertFalse(vm.runningProperty().get());

        hub.corrupt.add("tokenizer.json");
        vm.repoProperty().set(REPO);
        vm.download();
        assertTrue(vm.errorProperty().get().startsWith("tokenizer.json: sha256 mismatch: expected "
                + hub.sha256("tokenizer.json")), vm.errorProperty().get());
        assertNull(vm.resultProperty().get());
    }

    @Test
    void cancelStopsTheTaskAndSaysThePartIsKept() {
        DeferredTaskExecutor ex = new DeferredTaskExecutor();
        ModelDownloadViewModel vm = vm(ex);
        vm.repoProperty().set(REPO);
        vm.download();
        assertTrue(vm.runningProperty().get());
        vm.download(); // a second press while running starts nothing
        assertEquals(1, ex.pending().size());
        vm.cancel();
        ex.runAll();
        assertEquals(TaskState.CANCELLED, ex.tasks().get(0).state());
        assertFalse(vm.runningProperty().get());
        assertTrue(vm.statusProperty().get().startsWith("Cancelled"), vm.statusProperty().get());
        assertNull(vm.resultProperty().get());
    }
}
