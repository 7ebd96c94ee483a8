package org.personalab.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.personalab.inventory.Item;
import org.personalab.llm.ChatMessage;
import org.personalab.spec.AgentSpec;
import org.personalab.task.TaskContext;

/**
 * The questionnaire loop for one agent: renders its persona once, puts every item (in the agent's order, each sample
 * as its own pass with its own memory) and hands each new answer to a sink as soon as it arrives. Answers stored
 * before (a resumed run) are not asked again: they are replayed into the memory exactly as the agent gave them, so a
 * resumed questionnaire continues as if it had never stopped. Failed answers are asked again.
 */
public final class Administration {

    /** Receives each new answer; the caller stores it. */
    @FunctionalInterface
    public interface Sink {
        void accept(ItemAnswer answer, Reply reply);
    }

    /** What one agent's administration did: answers asked now, answers reused from storage, engine notes. */
    public record AgentResult(long specId, int asked, int reused, List<String> notes) {
    }

    private final SimSettings settings;
    private final Respondent respondent;
    private final PersonaRenderer renderer;
    /** The prompt of each item (inventory order): it depends only on the item and the option order. */
    private final String[] prompts;

    public Administration(SimSettings settings, Respondent respondent) {
        this.settings = settings;
        this.respondent = respondent;
        this.renderer = new PersonaRenderer(settings.persona());
        List<Item> items = settings.inventory().items();
        this.prompts = new String[items.size()];
        for (int i = 0; i < prompts.length; i++) {
            prompts[i] = settings.prompt().render(items.get(i), settings.optionOrder());
        }
        if (respondent instanceof PsychometricRespondent p && p.inventory() != settings.inventory()) {
            throw new IllegalArgumentException("the psychometric model is for " + p.inventory() + " but the run "
                    + "administers " + settings.inventory());
        }
    }

    public SimSettings settings() {
        return settings;
    }

    /**
     * Administers the inventory to the agent of {@code spec}.
     *
     * @param stored answers of this agent already stored in the run (any order); failed ones are asked again
     * @throws java.util.concurrent.CancellationException when {@code ctx} is cancelled (answers given so far are in
     *         the sink)
     */
    public AgentResult administer(long specId, AgentSpec spec, List<ItemAnswer> stored, Sink sink, TokenTally tally,
            TaskContext ctx) {
        Respondent.Agent agent = respondent.agent(specId, spec);
        String system = renderer.render(spec);
        List<Item> items = settings.inventory().items();
        int[] order = settings.itemOrder().order(items.size(), specId);
        Map<Long, ItemAnswer> done = new HashMap<>();
        for (ItemAnswer a : stored) {
            if (a.status() != AnswerStatus.FAILED) {
                done.put(key(a.sample(), a.item()), a);
            }
        }
        int asked = 0;
        int reused = 0;
        List<ChatMessage> previous = null;
        for (int s = 0; s < settings.samples(); s++) {
            List<MemoryPolicy.Exchange> history = new ArrayList<>();
            for (int pos = 0; pos < order.length; pos++) {
                ctx.checkCancelled();
                Item item = items.get(order[pos]);
                String prompt = prompts[order[pos]];
                List<ChatMessage> memory = settings.memory().replay(history);
                Question q = new Question(item, order[pos], pos, s, settings.optionOrder(), prompt);
                ItemAnswer a = done.get(key(s, item.number()));
                if (a == null) {
                    Reply r = agent.answer(q, system, memory, ctx);
                    a = ItemAnswer.of(q, r);
                    sink.accept(a, r);
                    asked++;
                } else {
                    reused++;
                }
                List<ChatMessage> messages = new ArrayList<>(memory.size() + 2);
                messages.add(ChatMessage.system(system));
                messages.addAll(memory);
                messages.add(ChatMessage.user(prompt));
                tally.add(specId, s, messages, previous, a, respondent.usesModel());
                previous = messages;
                if (a.status() != AnswerStatus.FAILED && a.rawText() != null) {
                    history.add(new MemoryPolicy.Exchange(prompt, a.rawText()));
                }
            }
        }
        return new AgentResult(specId, asked, reused, agent.notes());
    }

    private static long key(int sample, int item) {
        return ((long) sample << 32) | item;
    }
}
