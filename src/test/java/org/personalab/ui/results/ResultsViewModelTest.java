package org.personalab.ui.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.eval.Estimate;
import org.personalab.eval.ScaleMatrix;
import org.personalab.eval.ScaleMetric;
import org.personalab.inventory.Scale;
import org.personalab.service.DemoWorkspace;
import org.personalab.service.SimulationService;
import org.personalab.service.UserSettings;
import org.personalab.sim.PsychometricRespondent;
import org.personalab.sim.SimSettings;
import org.personalab.store.Workspace;
import org.personalab.task.CurrentThreadTaskExecutor;
import org.personalab.task.RunRecord;
import org.personalab.task.TaskContext;
import org.personalab.ui.UiTestData;
import org.personalab.ui.WorkbenchContext;

/** The results panel's ViewModel over a copy of the demo workspace (its offline experiment), without a window. */
class ResultsViewModelTest {

    private Workspace ws;
    private ResultsViewModel vm;

    @BeforeEach
    void open(@TempDir Path settings) {
        ws = Workspace.open(UiTestData.demoWorkspaceCopy());
        WorkbenchContext ctx = new WorkbenchContext(new CurrentThreadTaskExecutor(), WorkbenchContext.DIRECT,
                new UserSettings(settings));
        vm = new ResultsViewModel(ctx);
        ctx.workspaceProperty().set(ws);
        assertTrue(vm.evaluations().isEmpty(), "nothing is read before the panel is shown");
        vm.activate();
    }

    @AfterEach
    void close() {
        ws.close();
    }

    private List<String> visibleKeys() {
        ScaleMatrix m = vm.matrixProperty().get();
        return vm.rowOrder().stream().map(r -> m.keys().get(r)).toList();
    }

    @Test
    void theDemoEvaluationShowsTheRunAndItsBaselinesAndOpensItsAgents() {
        assertEquals(1, vm.evaluations().size());
        ScaleMatrix m = vm.matrixProperty().get();
        assertNotNull(m);
        assertEquals(ScaleMetric.LEVEL_AGREEMENT, m.metric());
        assertEquals(Scale.COUNT, m.columns().size());
        assertTrue(m.keys().get(0).startsWith("run:"), m.keys().toString());
        assertTrue(m.keys().contains("baseline:uniform_random"));
        assertEquals(m.rows(), vm.rowOrder().size());
        assertEquals(m.rows(), vm.summary().size());

        // the run's row is opened: its 200 agents, then one agent item by item
        assertEquals(0, vm.selectedRowProperty().get());
        assertEquals(DemoWorkspace.SPEC_PEOPLE, vm.agents().size());
        var agent = vm.agents().get(3);
        vm.selectedAgentProperty().set(agent);
        var d = vm.detailProperty().get();
        assertNotNull(d);
        assertEquals(120, d.items().size());
        long same = d.items().stream().filter(i -> i.same()).count();
        long answered = d.items().stream().filter(i -> i.person() > 0 && i.agent() > 0).count();
        assertEquals(agent.exact(), (double) same / answered, 1e-9, "the drill-down agrees with the metric");
        assertTrue(d.specDocument().contains("\"persona\""));
        for (int i = 0; i < 5; i++) {
            assertFalse(Float.isNaN(d.agentDomains()[i]));
        }

        // a baseline row has no agents to open
        vm.selectedRowProperty().set(m.keys().indexOf("baseline:uniform_random"));
        assertTrue(vm.agents().isEmpty());
    }

    @Test
    void filterBaselinesAndSortChangeOnlyTheRowOrder() {
        ScaleMatrix m = vm.matrixProperty().get();
        vm.filterProperty().set("UNIFORM");
        assertEquals(List.of("baseline:uniform_random"), visibleKeys());
        vm.filterProperty().set("");
        vm.showBaselinesProperty().set(false);
        assertTrue(visibleKeys().stream().allMatch(k -> k.startsWith("run:")), visibleKeys().toString());
        vm.showBaselinesProperty().set(true);

        vm.sortColumnProperty().set(Scale.N);
        vm.sortProperty().set(ResultsViewModel.Sort.COLUMN);
        int col = m.columns().indexOf(Scale.N);
        double prev = Double.POSITIVE_INFINITY;
        for (int r : vm.rowOrder()) {
            Estimate e = m.cells()[r][col];
            if (!Double.isNaN(e.mean())) {
                assertTrue(e.mean() <= prev + 1e-12, "descending by N");
                prev = e.mean();
            }
        }
        vm.metricProperty().set(ScaleMetric.SCORE_ABS_DIFF);
        assertEquals(ScaleMetric.SCORE_ABS_DIFF, vm.matrixProperty().get().metric());
        assertSame(m.rows(), vm.rowOrder().size());
    }

    private static void assertSame(int a, int b) {
        assertEquals(a, b);
    }

    @Test
    void exportsWriteTheVisibleHeatmapAndTheReportTracesItsLineage(@TempDir Path out) throws Exception {
        vm.showBaselinesProperty().set(false);
        Path csv = out.resolve("h.csv");
        vm.exportCsv(csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(1 + vm.rowOrder().size() * Scale.COUNT, lines.size());
        assertTrue(lines.get(0).startsWith("source,label,metric,scale,mean,ci_low,ci_high,n"));

        Path svg = out.resolve("h.svg");
        vm.exportSvg(svg);
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(Files.readAllBytes(svg)));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        assertEquals(vm.rowOrder().size() * Scale.COUNT, doc.getElementsByTagName("rect").getLength());

        Path html = out.resolve("report.html");
        vm.exportReport(html);
        String text = Files.readString(html, StandardCharsets.UTF_8);
        for (String part : new String[] {"Lineage", "Evaluation: run", "Simulation: run", "Spec generation: run",
            DemoWorkspace.DATASET, "Uniform random", "<svg"}) {
            assertTrue(text.contains(part), "the report shows " + part);
        }
    }

    @Test
    void evaluatingARunAgainstAnotherAddsAPairedComparison() {
        RunRecord first = vm.simulations().get(0);
        // a second run on the same agents: the psychometric respondent sampling instead of taking the median
        new SimulationService(ws, null).simulate(SimulationService.Request.psychometric(SimSettings.standard())
                .withSpecRun("latest").withPsychometric(PsychometricRespondent.Mode.SAMPLE, 7), null,
                TaskContext.none());
        vm.refresh();
        RunRecord second = vm.simulations().stream().filter(r -> r.id() != first.id()).findFirst().orElseThrow();
        vm.evaluate(first, second);
        assertEquals(2, vm.evaluations().size());
        assertEquals(vm.evaluations().get(0), vm.selectedEvaluationProperty().get(), "the new evaluation is shown");
        assertFalse(vm.comparisons().isEmpty());
        var exact = vm.comparisons().stream().filter(c -> c.a().equals("run:" + first.id())
                && c.b().equals("run:" + second.id()) && c.metric().column().equals("exact_accuracy"))
                .findFirst().orElseThrow();
        assertEquals(DemoWorkspace.SPEC_PEOPLE, exact.result().n());
        assertTrue(exact.result().meanDifference() > 0, "the median beats sampling on exact accuracy");
        assertTrue(visibleKeys().contains("run:" + second.id()));
    }
}
