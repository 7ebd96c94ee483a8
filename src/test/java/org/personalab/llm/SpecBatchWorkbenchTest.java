package org.personalab.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.service.DemoWorkspace;
import org.personalab.service.FakeSpecLlm;
import org.personalab.service.Json;
import org.personalab.service.SpecGenFixture;
import org.personalab.service.SpecService;
import org.personalab.service.UserSettings;
import org.personalab.store.Workspace;
import org.personalab.task.CurrentThreadTaskExecutor;
import org.personalab.task.RunRecord;
import org.personalab.ui.UiTestData;
import org.personalab.ui.WorkbenchContext;
import org.personalab.ui.specs.SpecEditorViewModel;
import org.personalab.ui.specs.SpecGenerationViewModel;

/**
 * The Generate tab's "Use Batch API" wired to the same service as the command line: a run started from the workbench
 * with the box ticked goes through the provider's Batch API ({@link FakeBatchServer}; it lives in this package) over
 * a copy of the demo workspace, and stores every spec without a live call.
 */
class SpecBatchWorkbenchTest {

    static final String KEY = "sk-ui-batch-key-77aa66bb55cc";

    MockWebServer server;
    FakeBatchServer fake;
    Workspace ws;
    SpecGenerationViewModel gen;

    @BeforeEach
    void open(@TempDir Path settings) throws Exception {
        fake = new FakeBatchServer();
        fake.pollsUntilDone = 1; // done at the second look (after the first pause of 5 s)
        fake.answer = body -> FakeBatchServer.completion(FakeSpecLlm.persona(SpecBatchGenerationTest.firstUser(body)),
                FakeSpecLlm.PROMPT_TOKENS, FakeSpecLlm.COMPLETION_TOKENS);
        server = new MockWebServer();
        server.setDispatcher(fake);
        server.start();
        Files.writeString(settings.resolve("providers.json"), """
                {"providers": [{"name": "fake", "baseUrl": "%s", "apiKeyEnv": "PL_UI_BATCH_UNSET_VARIABLE",
                  "models": [{"model": "m", "inputPerMillion": 1, "outputPerMillion": 2}]}]}
                """.formatted(server.url("/v1")));
        Path keys = settings.resolve("keys.json");
        Files.createFile(keys, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keys, "{\"fake\": \"" + KEY + "\"}");
        ws = Workspace.open(UiTestData.demoWorkspaceCopy());
        WorkbenchContext ctx = new WorkbenchContext(new CurrentThreadTaskExecutor(), WorkbenchContext.DIRECT,
                new UserSettings(settings));
        SpecEditorViewModel editor = new SpecEditorViewModel(ctx, 0);
        ctx.workspaceProperty().set(ws);
        editor.activate();
        gen = editor.generation();
        gen.refresh();
    }

    @AfterEach
    void close() {
        ws.close();
        server.close();
    }

    @Test
    void aRunStartedWithTheBoxTickedGoesThroughTheBatchApiAndStoresEverySpec() throws Exception {
        gen.selectionProperty().set(DemoWorkspace.SPLIT_SET + ":test");
        gen.engineProperty().set("fake:m");
        assertTrue(gen.batchAvailableProperty().get());
        gen.batchProperty().set(true);

        gen.start();

        String status = gen.statusProperty().get();
        assertFalse(gen.runningProperty().get());
        int n = DemoWorkspace.SPEC_PEOPLE;
        assertTrue(status.contains("succeeded: " + n + " of " + n + " specs stored, " + n + " paid calls"), status);
        assertTrue(status.contains("Batch batch_1 completed."), status);
        assertEquals(0, fake.liveCalls.get(), "no live call");
        assertEquals(1, fake.creations.get());
        assertEquals(n, fake.inputLines(fake.batches.get("batch_1").inputFileId).size());
        RunRecord run = SpecService.resolveRun(ws, SpecService.RUN_KIND, "latest");
        JsonNode params = Json.MAPPER.readTree(run.params());
        assertTrue(params.path("batch").asBoolean(), run.params());
        assertEquals(n, (int) ws.read(tx -> tx.specs().countOriginals(run.id())));
        assertEquals(n * SpecGenFixture.costPerAnswer() * 0.5, ws.read(tx -> tx.llmCalls().totalsForRun(run.id()))
                .costUsd(), 1e-9, "paid at the batch price");
    }
}
