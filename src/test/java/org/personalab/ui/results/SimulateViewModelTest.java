package org.personalab.ui.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.llm.ModelPrice;
import org.personalab.llm.Provider;
import org.personalab.llm.ProviderRegistry;
import org.personalab.service.DemoWorkspace;
import org.personalab.service.SimulationService;
import org.personalab.service.UserSettings;
import org.personalab.sim.OptionOrder;
import org.personalab.sim.PersonaRenderer;
import org.personalab.store.SimAnswerRepository;
import org.personalab.store.Workspace;
import org.personalab.task.CurrentThreadTaskExecutor;
import org.personalab.task.RunRecord;
import org.personalab.task.ThreadPoolTaskExecutor;
import org.personalab.ui.UiTestData;
import org.personalab.ui.WorkbenchContext;

/** Starting a simulation from the results panel, without a window, over a copy of the demo workspace. */
class SimulateViewModelTest {

    private static final String TEST_PART = DemoWorkspace.SPLIT_SET + ":test";

    private Workspace ws;
    private CurrentThreadTaskExecutor executor;
    private ResultsViewModel results;
    private SimulateViewModel vm;

    @BeforeEach
    void open(@TempDir Path settings) {
        // a local model server, priced, so that a model engine can be estimated (nothing listens: nothing is sent)
        ProviderRegistry.save(settings, List.of(Provider.of("fakesim", "http://127.0.0.1:9/v1", null)
                .withModel(new ModelPrice("m", 1000, 2000))));
        ws = Workspace.open(UiTestData.demoWorkspaceCopy());
        executor = new CurrentThreadTaskExecutor();
        WorkbenchContext ctx = new WorkbenchContext(executor, WorkbenchContext.DIRECT, new UserSettings(settings));
        results = new ResultsViewModel(ctx);
        ctx.workspaceProperty().set(ws);
        results.activate();
        vm = results.simulate();
        vm.refresh();
    }

    @AfterEach
    void close() {
        ws.close();
    }

    /** The demo's newest spec run: the test part's template specs, which its experiment simulated. */
    private RunRecord specRun() {
        return ws.read(tx -> tx.runs().list()).stream().filter(r -> r.kind().equals("spec_generation")).findFirst()
                .orElseThrow();
    }

    private List<RunRecord> simulations() {
        return ws.read(tx -> tx.runs().list()).stream().filter(r -> r.kind().equals(SimulationService.RUN_KIND))
                .toList();
    }

    @Test
    void theChoicesListTheSpecRunWithItsPeopleTheSplitPartsAndTheEngines() {
        long specRuns = ws.read(tx -> tx.runs().list()).stream().filter(r -> r.kind().equals("spec_generation"))
                .count();
        assertEquals(specRuns, vm.specRuns().size());
        SimulateViewModel.SpecRunChoice c = vm.specRuns().get(0);
        assertEquals(specRun().id(), c.runId());
        assertEquals(DemoWorkspace.SPEC_PEOPLE, c.people());
        assertTrue(c.toString().contains("(" + DemoWorkspace.SPEC_PEOPLE + " people)"), c.toString());
        assertEquals(c, vm.specRunProperty().get(), "the newest spec run is chosen");
        assertEquals(SimulateViewModel.ALL_AGENTS, vm.splits().get(0));
        assertTrue(vm.splits().contains(TEST_PART), vm.splits().toString());
        assertEquals(SimulateViewModel.PSYCHOMETRIC, vm.engines().get(0));
        assertTrue(vm.engines().contains("fakesim:m"), vm.engines().toString());
        assertEquals("", vm.problemProperty().get());
    }

    @Test
    void everyFieldIsCheckedAsItChangesAndAProblemNamesItsField() {
        vm.samplesProperty().set("0");
        assertTrue(vm.problemProperty().get().startsWith("Samples '0'"), vm.problemProperty().get());
        vm.samplesProperty().set("two");
        assertTrue(vm.problemProperty().get().startsWith("Samples 'two'"), vm.problemProperty().get());
        vm.samplesProperty().set("2");
        assertEquals("", vm.problemProperty().get());

        vm.memoryProperty().set("last:x");
        assertTrue(vm.problemProperty().get().startsWith("Memory:"), vm.problemProperty().get());
        vm.memoryProperty().set("tinytroupe");
        assertEquals("", vm.problemProperty().get());

        vm.shuffleSeedProperty().set("1.5");
        assertTrue(vm.problemProperty().get().startsWith("Shuffle-items seed '1.5'"), vm.problemProperty().get());
        vm.shuffleSeedProperty().set(" 7 ");
        assertEquals("", vm.problemProperty().get());

        vm.engineProperty().set("gpt-4o");
        assertTrue(vm.problemProperty().get().startsWith("Engine 'gpt-4o' must be psychometric or PROVIDER:MODEL"),
                vm.problemProperty().get());
        vm.engineProperty().set("nowhere:m");
        assertTrue(vm.problemProperty().get().contains("no provider 'nowhere'"), vm.problemProperty().get());
        vm.engineProperty().set("fakesim:m");
        vm.budgetProperty().set("-1");
        assertTrue(vm.problemProperty().get().startsWith("Budget '-1'"), vm.problemProperty().get());
        vm.budgetProperty().set("lots");
        assertTrue(vm.problemProperty().get().startsWith("Budget 'lots'"), vm.problemProperty().get());
        vm.engineProperty().set(SimulateViewModel.PSYCHOMETRIC);
        assertEquals("", vm.problemProperty().get(), "the offline engine has no budget to check");

        // a start with a problem names it and starts nothing
        vm.samplesProperty().set("");
        int tasks = executor.tasks().size();
        vm.start();
        assertTrue(vm.statusProperty().get().startsWith("Samples ''"), vm.statusProperty().get());
        assertEquals(tasks, executor.tasks().size());
        assertTrue(simulations().size() == 1, "only the demo's own run");
    }

    @Test
    void theRequestIsBuiltFromTheChoices() {
        vm.splitProperty().set(TEST_PART);
        vm.memoryProperty().set("last:3");
        vm.personaProperty().set(PersonaRenderer.Mode.PARAGRAPH);
        vm.shuffleSeedProperty().set("7");
        vm.reverseOptionsProperty().set(true);
        vm.samplesProperty().set("2");
        SimulationService.Request r = vm.request();
        assertTrue(r.isPsychometric());
        assertEquals(Long.toString(specRun().id()), r.specRun());
        assertEquals(TEST_PART, r.split());
        assertEquals("last:3", r.settings().memory().id());
        assertEquals(PersonaRenderer.Mode.PARAGRAPH, r.settings().persona());
        assertEquals(7L, r.settings().itemOrder().seed());
        assertEquals(OptionOrder.REVERSED, r.settings().optionOrder());
        assertEquals(2, r.settings().samples());
        assertNull(r.budgetUsd());

        vm.splitProperty().set(SimulateViewModel.ALL_AGENTS);
        vm.engineProperty().set("fakesim:m");
        vm.budgetProperty().set("1.25");
        vm.shuffleSeedProperty().set("");
        r = vm.request();
        assertNull(r.split(), "all agents of the spec run");
        assertEquals("fakesim", r.provider());
        assertEquals("m", r.model());
        assertEquals(1.25, r.budgetUsd());
        assertFalse(r.settings().itemOrder().isShuffled());
    }

    @Test
    void aModelEngineShowsItsCostEstimateBeforeAnythingStarts() {
        vm.splitProperty().set(TEST_PART);
        vm.engineProperty().set("fakesim:m");
        vm.start();
        assertTrue(vm.awaitingConfirmationProperty().get(), vm.statusProperty().get());
        String s = vm.statusProperty().get();
        // 200 agents × 120 items, none answered yet; priced at $1000/$2000 per million tokens
        assertTrue(s.contains("24,000 answers"), s);
        assertTrue(s.contains("24000 requests to send (0 already answered)"), s);
        assertTrue(s.matches("(?s).*~\\$[1-9][0-9,]*\\.[0-9]{4}.*"), s);
        assertTrue(s.endsWith("Press Start again to run it."), s);
        assertFalse(vm.runningProperty().get());
        assertEquals(1, simulations().size(), "nothing started");

        // changing a choice withdraws the confirmation
        vm.memoryProperty().set("last:2");
        assertFalse(vm.awaitingConfirmationProperty().get());
    }

    @Test
    void aSucceededRunIsListedChosenAndEvaluatedByThePanel() {
        vm.splitProperty().set(TEST_PART);
        vm.shuffleSeedProperty().set("5");
        vm.start();
        assertFalse(vm.runningProperty().get());
        RunRecord run = vm.lastRunProperty().get();
        assertNotNull(run, vm.statusProperty().get());
        assertEquals(RunRecord.SUCCEEDED, run.status());
        assertTrue(vm.statusProperty().get().startsWith("Run " + run.id() + " succeeded: "
                + DemoWorkspace.SPEC_PEOPLE + " agents, 24,000 answered"), vm.statusProperty().get());
        assertEquals(1.0, vm.progressProperty().get());
        assertTrue(results.simulations().stream().anyMatch(r -> r.id() == run.id()), "the run list is refreshed");
        assertEquals(run.id(), results.selectedSimulationProperty().get().id(), "and the new run is chosen");
        assertTrue(results.messageProperty().get().startsWith("Run " + run.id() + " is ready"),
                results.messageProperty().get());

        int evaluations = results.evaluations().size();
        results.evaluate(run, null);
        assertEquals(evaluations + 1, results.evaluations().size());
        assertTrue(results.matrixProperty().get().keys().contains("run:" + run.id()),
                results.matrixProperty().get().keys().toString());
    }

    @Test
    void pauseHoldsTheWorkersAndResumeFinishesTheRun(@TempDir Path settings) throws Exception {
        // a real background thread this time: the test thread pauses, checks and resumes while the run waits
        try (ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor(1)) {
            WorkbenchContext ctx = new WorkbenchContext(pool, WorkbenchContext.DIRECT, new UserSettings(settings));
            ResultsViewModel panel = new ResultsViewModel(ctx);
            ctx.workspaceProperty().set(ws);
            SimulateViewModel s = panel.simulate();
            s.specRunProperty().set(new SimulateViewModel.SpecRunChoice(specRun().id(), specRun().title(),
                    DemoWorkspace.SPEC_PEOPLE));
            s.splitProperty().set(TEST_PART);
            s.shuffleSeedProperty().set("11");
            CountDownLatch paused = new CountDownLatch(1);
            s.progressProperty().addListener((o, a, p) -> {
                if (p.doubleValue() >= 0.2 && paused.getCount() > 0) {
                    s.togglePause();
                    paused.countDown();
                }
            });
            s.start();
            assertTrue(paused.await(120, TimeUnit.SECONDS), s.statusProperty().get());
            assertTrue(s.pausedProperty().get());
            // the service says so once its worker waits at the gate; from then on nothing is stored
            waitFor(() -> s.statusProperty().get().startsWith("Paused: "));
            long run = simulations().get(0).id();
            int held = ws.read(tx -> tx.simAnswers().answers(run)).counts().total();
            assertTrue(held > 0 && held < 120 * DemoWorkspace.SPEC_PEOPLE, held + " answers stored when paused");
            Thread.sleep(300);
            assertEquals(held, ws.read(tx -> tx.simAnswers().answers(run)).counts().total(), "nothing while paused");
            assertTrue(s.runningProperty().get());

            s.togglePause();
            assertFalse(s.pausedProperty().get());
            waitFor(() -> !s.runningProperty().get());
            assertNotNull(s.lastRunProperty().get(), s.statusProperty().get());
            assertEquals(run, s.lastRunProperty().get().id());
            assertEquals(120 * DemoWorkspace.SPEC_PEOPLE, ws.read(tx -> tx.simAnswers().answers(run)).counts()
                    .answered());
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!c.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(10);
        }
    }

    @Test
    void aCancelledRunKeepsItsAnswersAndTheSameChoicesResumeIt() {
        vm.splitProperty().set(TEST_PART);
        vm.shuffleSeedProperty().set("9");
        AtomicBoolean cancelled = new AtomicBoolean();
        vm.progressProperty().addListener((o, a, p) -> {
            if (p.doubleValue() >= 0.25 && p.doubleValue() < 1 && cancelled.compareAndSet(false, true)) {
                vm.cancel();
            }
        });
        vm.start();
        assertTrue(cancelled.get());
        assertFalse(vm.runningProperty().get());
        assertNull(vm.lastRunProperty().get());
        String status = vm.statusProperty().get();
        assertTrue(status.matches("Run \\d+ was cancelled\\. .*Start with the same choices resumes it\\."), status);
        long id = Long.parseLong(status.substring(4, status.indexOf(' ', 4)));
        RunRecord stopped = ws.read(tx -> tx.runs().get(id)).orElseThrow();
        assertEquals(RunRecord.CANCELLED, stopped.status());
        SimAnswerRepository.StatusCounts kept = ws.read(tx -> tx.simAnswers().answers(id)).counts();
        assertTrue(kept.total() >= 120 * DemoWorkspace.SPEC_PEOPLE / 4 && kept.total() < 120 * DemoWorkspace.SPEC_PEOPLE,
                kept.toString());

        vm.start();
        RunRecord resumed = vm.lastRunProperty().get();
        assertNotNull(resumed, vm.statusProperty().get());
        assertEquals(id, resumed.id(), "the same run went on");
        assertEquals(RunRecord.SUCCEEDED, resumed.status());
        assertEquals(120 * DemoWorkspace.SPEC_PEOPLE, ws.read(tx -> tx.simAnswers().answers(id)).counts().answered());
        assertTrue(resumed.outputs().contains("\"reusedThisAttempt\":" + kept.total()), resumed.outputs());
    }
}
