package org.personalab.service;

import java.nio.file.Path;
import org.personalab.llm.LlmGateway;
import org.personalab.sim.MemoryPolicy;
import org.personalab.sim.SimSettings;
import org.personalab.store.Workspace;
import org.personalab.task.TaskContext;

/**
 * A child JVM for the kill-and-resume test: simulates the first 3 agents of the workspace's latest spec run with the
 * fake model at {@code baseUrl} (memory last:2, free-text answers, 3 agents at a time), then prints "DONE status asked reused".
 */
public final class SimulationChild {

    private SimulationChild() {
    }

    static SimulationService.Request request() {
        return SimulationService.Request.model("fake:m", SimSettings.standard().withMemory(MemoryPolicy.parse(
                "last:2"))).withLimit(3).withConcurrency(3).withStructured(false);
    }

    public static void main(String[] args) {
        Workspace ws = Workspace.open(Path.of(args[0]));
        try (LlmGateway gw = SimulationFixture.gateway(ws, args[1], Path.of(args[2]))) {
            SimulationService.Outcome o = new SimulationService(ws, gw).simulate(request(), null, TaskContext.none());
            System.out.println("DONE " + o.status() + " " + o.asked() + " " + o.reused());
        }
    }
}
