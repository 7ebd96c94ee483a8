package org.personalab.ui.clusters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.data.DatasetInfo;
import org.personalab.data.Responses;
import org.personalab.data.Sex;
import org.personalab.data.SyntheticParameters;
import org.personalab.data.SyntheticPopulation;
import org.personalab.service.ImportService;
import org.personalab.service.UserSettings;
import org.personalab.store.Workspace;
import org.personalab.task.CurrentThreadTaskExecutor;
import org.personalab.task.TaskContext;
import org.personalab.ui.WorkbenchContext;
import org.personalab.ui.browser.DatasetBrowserViewModel;

/**
 * What a click in the cluster scatter asks of the dataset browser ({@code showRespondent}): select the person even
 * when another dataset is shown or the filters hide them.
 */
class OpenPersonInBrowserTest {

    private Workspace ws;
    private DatasetBrowserViewModel browser;
    private DatasetInfo first;
    private DatasetInfo second;

    @BeforeEach
    void open(@TempDir Path dir) {
        ws = Workspace.openOrCreate(dir.resolve("ws"));
        for (String name : new String[] {"alpha", "beta"}) {
            Responses r = SyntheticPopulation.generate(SyntheticParameters.bundled(), 300, name.length(),
                    TaskContext.none());
            new ImportService().importResponses(ws, r, name, "synthetic", "test people", Map.of(), 0,
                    TaskContext.none());
        }
        first = ws.read(tx -> tx.datasets().find("alpha")).orElseThrow();
        second = ws.read(tx -> tx.datasets().find("beta")).orElseThrow();
        WorkbenchContext ctx = new WorkbenchContext(new CurrentThreadTaskExecutor(), WorkbenchContext.DIRECT,
                new UserSettings(dir.resolve("settings")));
        browser = new DatasetBrowserViewModel(ctx);
        ctx.workspaceProperty().set(ws);
        assertEquals("alpha", browser.selectedDatasetProperty().get().name());
    }

    @AfterEach
    void close() {
        ws.close();
    }

    @Test
    void aPersonOfTheShownDatasetIsSelectedAndScrolledTo() {
        browser.showRespondent(first.id(), 123);
        assertEquals(123, browser.selectedRowProperty().get());
        assertEquals(123, browser.focusProperty().get().row());
        assertEquals(123, browser.focusProperty().get().position(), "no filter: position = row");
        assertTrue(browser.focusProperty().get().takeFocus());
    }

    @Test
    void aPersonOfAnotherDatasetLoadsItFirst() {
        browser.sexProperty().set(Sex.MALE);
        Responses beta = new org.personalab.service.DatasetService(ws).load(second, TaskContext.none()).responses();
        int woman = 0;
        while (beta.sex(woman) != Sex.FEMALE) {
            woman++;
        }
        browser.showRespondent(second.id(), woman);
        assertEquals("beta", browser.selectedDatasetProperty().get().name());
        assertEquals(woman, browser.selectedRowProperty().get());
        assertNull(browser.sexProperty().get(), "the filters that would hide the person are cleared");
        assertEquals(woman, browser.rows().rowAt(browser.focusProperty().get().position()));
    }

    @Test
    void aPersonHiddenByTheFiltersClearsThem() {
        browser.sexProperty().set(Sex.MALE);
        int woman = firstWithSex(browser, Sex.FEMALE);
        browser.showRespondent(first.id(), woman);
        assertNull(browser.sexProperty().get());
        assertEquals(300, browser.rows().size());
        assertEquals(woman, browser.selectedRowProperty().get());
        assertEquals(woman, browser.focusProperty().get().position());
    }

    @Test
    void aDatasetNotInTheWorkspaceSaysSo() {
        browser.showRespondent(9_999, 1);
        assertEquals("alpha", browser.selectedDatasetProperty().get().name());
        assertEquals("That person's dataset is not in this workspace.", browser.messageProperty().get());
    }

    private static int firstWithSex(DatasetBrowserViewModel b, Sex sex) {
        for (int r = 0; r < b.data().size(); r++) {
            if (b.data().responses().sex(r) == sex) {
                return r;
            }
        }
        throw new AssertionError("no " + sex);
    }
}
