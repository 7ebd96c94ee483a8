package org.personalab.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.personalab.data.DatasetInfo;
import org.personalab.data.Responses;
import org.personalab.data.Sex;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;
import org.personalab.store.SimAnswerRepository.Answer;
import org.personalab.store.SimAnswerRepository.RunAnswers;
import org.personalab.store.SimAnswerRepository.SimRun;
import org.personalab.task.TaskContext;

/** The compact read structure of simulation answers, on a real SQLite workspace. */
class SimAnswerRepositoryTest {

    @TempDir
    Path dir;

    @Test
    void answersComeBackPerAgentInInventoryOrderWithMissingAsZeroAndStatusCounts() {
        Workspace ws = Workspace.openOrCreate(dir.resolve("ws"));
        long[] specs = ws.write(tx -> {
            long run = tx.runs().start("import", "people", "{}", "{}");
            DatasetInfo d = tx.datasets().insert(new DatasetInfo(0, "p", "csv", Inventory.IPIP_NEO_120,
                    AnswerEncoding.RAW, 2, 0.75, null, 0, null, "test", 0, run, java.time.Instant.now()));
            Responses.Builder b = new Responses.Builder(Inventory.IPIP_NEO_120, AnswerEncoding.RAW, 2);
            b.add("a", Sex.FEMALE, 30, "UK", new byte[120]);
            b.add("b", Sex.MALE, 40, "UK", new byte[120]);
            tx.datasets().insertRespondents(d.id(), b.build(), TaskContext.none());
            long[] ids = tx.datasets().respondentIds(d.id());
            long s1 = tx.specs().insert(ids[0], "template", 0, "{}", null, null, run);
            long s2 = tx.specs().insert(ids[1], "template", 0, "{}", null, null, run);
            return new long[] {s1, s2, ids[0], ids[1]};
        });
        long sim = ws.write(tx -> {
            long id = tx.runs().start("simulation", "sim", "{}", "{}");
            tx.simAnswers().registerRun(new SimRun(id, 0, Inventory.IPIP_NEO_120, 2, "psychometric", "none"));
            return id;
        });
        ws.write(tx -> {
            tx.simAnswers().insert(sim, List.of(
                    new Answer(specs[0], 1, 0, 5, SimAnswerRepository.ANSWERED, 0, "(A)", "h1", 10, 2, false),
                    new Answer(specs[0], 120, 0, 0, SimAnswerRepository.UNPARSEABLE, 1, "hmm", "h2", 10, 2, false),
                    new Answer(specs[0], 3, 1, 2, SimAnswerRepository.ANSWERED, 0, "(D)", "h3", 10, 2, true),
                    new Answer(specs[1], 2, 0, 0, SimAnswerRepository.FAILED, 0, null, "h4", 0, 0, false)));
            return null;
        });
        // a failed answer asked again replaces the old row
        ws.write(tx -> {
            tx.simAnswers().insert(sim, List.of(new Answer(specs[1], 2, 0, 0, SimAnswerRepository.REFUSED, 0,
                    "I can't", "h5", 9, 3, false)));
            return null;
        });
        RunAnswers ra = ws.read(tx -> tx.simAnswers().answers(sim));
        assertEquals(Inventory.IPIP_NEO_120, ra.inventory());
        assertEquals(2, ra.run().samples());
        assertEquals(2, ra.agents().size());
        var a = ra.agent(specs[0]).orElseThrow();
        assertEquals(specs[2], a.respondentId());
        byte[] want = new byte[120];
        want[0] = 5;
        assertArrayEquals(want, a.answers(), "item 1 = 5, the unparseable item 120 = 0");
        assertEquals(2, a.samples()[1][2]);
        assertEquals(new SimAnswerRepository.StatusCounts(2, 1, 0, 0), a.counts());
        assertEquals(new SimAnswerRepository.StatusCounts(2, 1, 1, 0), ra.counts());
        assertEquals(List.of(specs[0], specs[1]), ws.read(tx -> tx.simAnswers().specIds(sim)));
        List<Answer> rows = ws.read(tx -> tx.simAnswers().rows(sim, specs[1]));
        assertEquals(1, rows.size());
        assertEquals("I can't", rows.get(0).rawText());
        var summary = ws.read(tx -> tx.simAnswers().runs()).get(0);
        assertEquals(2, summary.agents());
        assertEquals(4, summary.counts().total());
        assertThrows(StoreException.class, () -> ws.read(tx -> tx.simAnswers().answers(sim - 1)));
        assertThrows(IllegalArgumentException.class, () -> new Answer(1, 1, 0, 0, SimAnswerRepository.ANSWERED, 0,
                null, null, 0, 0, false), "an answered row needs a value");
        assertTrue(ws.read(tx -> tx.simAnswers().run(sim)).isPresent());
    }
}
