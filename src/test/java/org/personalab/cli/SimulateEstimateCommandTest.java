package org.personalab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.data.DatasetInfo;
import org.personalab.data.Responses;
import org.personalab.data.SyntheticParameters;
import org.personalab.data.SyntheticPopulation;
import org.personalab.service.ImportService;
import org.personalab.service.SimulationService;
import org.personalab.service.SpecService;
import org.personalab.store.Workspace;
import org.personalab.task.TaskContext;

/** {@code personalab simulate --estimate}: what a run would ask and cost, with nothing sent or stored. */
class SimulateEstimateCommandTest {

    @TempDir
    Path dir;

    @Test
    void theEstimateCountsAnswersAndPricesModelCallsWithoutStartingARun() {
        Path wsDir = dir.resolve("ws");
        Workspace ws = Workspace.openOrCreate(wsDir);
        Responses r = SyntheticPopulation.generate(SyntheticParameters.bundled(), 1200, 3, TaskContext.none());
        new ImportService().importResponses(ws, r, "people", "synthetic", "test", Map.of(), 0, TaskContext.none());
        DatasetInfo d = ws.read(tx -> tx.datasets().find("people")).orElseThrow();
        long specRun = SpecService.generateTemplate(ws, d, 3, TaskContext.none()).runId();

        SimulateCommandTest.Result offline = SimulateCommandTest.run("--workspace", wsDir.toString(), "--samples",
                "2", "--estimate");
        assertEquals(0, offline.code(), offline.err());
        assertTrue(offline.out().contains("3 agents of spec run " + specRun + " × 120 items × 2 samples = 720 "
                + "answers; offline rule-based respondent, no cost."), offline.out());

        // a local server on a closed port: nothing may be sent
        SimulateCommandTest.Result model = SimulateCommandTest.run("--workspace", wsDir.toString(), "--engine",
                "vllm:tiny", "--base-url", "http://127.0.0.1:9/v1", "--memory", "last:2", "--estimate");
        assertEquals(0, model.code(), model.err());
        assertTrue(model.out().contains("= 360 answers. 360 requests to send (0 already answered)"), model.out());
        assertTrue(model.out().contains("(memory replies assumed one letter long)"), model.out());
        assertTrue(ws.read(tx -> tx.runs().list()).stream().noneMatch(x -> x.kind().equals(
                SimulationService.RUN_KIND)), "no run was started");
        assertEquals(0, ws.read(tx -> tx.llmCalls().countByStatus()).values().stream().mapToInt(i -> i).sum());
    }
}
