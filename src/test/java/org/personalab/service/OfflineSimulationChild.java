package org.personalab.service;

import java.nio.file.Path;
import org.personalab.sim.SimSettings;
import org.personalab.store.Workspace;
import org.personalab.task.TaskContext;

/**
 * A child JVM for the offline kill-and-resume test: the psychometric respondent answers for every agent of the latest
 * spec run, then prints "DONE status asked reused". With a pause (ms, first argument after the workspace) it waits
 * after each stored agent, so that the test can kill it between and during agents.
 */
public final class OfflineSimulationChild {

    private OfflineSimulationChild() {
    }

    public static void main(String[] args) {
        Workspace ws = Workspace.open(Path.of(args[0]));
        long pauseMs = Long.parseLong(args[1]);
        TaskContext slow = new TaskContext() {
            @Override
            public void progress(double done, double total) {
                try {
                    Thread.sleep(pauseMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void message(String message) {
            }

            @Override
            public boolean isCancelled() {
                return false;
            }
        };
        SimulationService.Outcome o = new SimulationService(ws, null).simulate(
                SimulationService.Request.psychometric(SimSettings.standard()), null, slow);
        System.out.println("DONE " + o.status() + " " + o.asked() + " " + o.reused());
    }
}
