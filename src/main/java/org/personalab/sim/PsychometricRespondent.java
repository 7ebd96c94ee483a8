package org.personalab.sim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.personalab.inventory.Inventory;
import org.personalab.inventory.Item;
import org.personalab.inventory.Level;
import org.personalab.llm.ChatMessage;
import org.personalab.profile.ItemLevelModel;
import org.personalab.spec.AgentSpec;
import org.personalab.task.TaskContext;

/**
 * The offline "psychometric respondent": answers each item from the facet levels the spec states, through an ordinal
 * model of real answers ({@link ItemLevelModel}: the distribution of raw answers to the item among people at that
 * level). By default it answers the median, the single answer with the smallest expected absolute difference, which
 * makes it the strongest profile-only baseline for mean-absolute-difference metrics; it can instead draw from the
 * distribution with a seed (reproducible per agent, item and sample).
 *
 * <p>It is a real baseline, not a stand-in: an LLM agent that reads the same spec should beat it to show it uses more
 * than the stated levels. It is the demo's default engine because it needs no network, key or GPU. A facet the spec
 * gives no level for uses its domain's level, and that is recorded ({@link StatedLevels}). Memory and prompts do not
 * affect it.
 */
public final class PsychometricRespondent implements Respondent {

    public static final String ENGINE = "psychometric";

    /** Median answer, or a seeded draw from the distribution. */
    public enum Mode {
        MEDIAN, SAMPLE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final ItemLevelModel model;
    private final Mode mode;
    private final long seed;

    /** @param model the ordinal model for the inventory the run administers (see {@link ItemLevelModel#forInventory}) */
    public PsychometricRespondent(ItemLevelModel model, Mode mode, long seed) {
        this.model = model;
        this.mode = mode;
        this.seed = seed;
    }

    public Inventory inventory() {
        return model.inventory();
    }

    public Mode mode() {
        return mode;
    }

    @Override
    public String engine() {
        return ENGINE;
    }

    @Override
    public boolean usesModel() {
        return false;
    }

    @Override
    public Agent agent(long specId, AgentSpec spec) {
        StatedLevels levels = StatedLevels.of(spec);
        return new Agent() {
            @Override
            public Reply answer(Question q, String systemPrompt, List<ChatMessage> memory, TaskContext task) {
                return PsychometricRespondent.this.answer(specId, levels, q);
            }

            @Override
            public List<String> notes() {
                return levels.notes();
            }
        };
    }

    /** The answer of an agent with {@code levels} to {@code q}. */
    Reply answer(long specId, StatedLevels levels, Question q) {
        Item item = q.item();
        if (model.item(q.itemIndex()).ipip300() != item.ipip300()) {
            throw new IllegalArgumentException("the psychometric model is for " + model.inventory()
                    + ", not for the inventory of item " + item.number());
        }
        Level l = levels.level(item.facet());
        int v;
        if (mode == Mode.MEDIAN) {
            v = model.median(q.itemIndex(), l);
        } else {
            SplittableRandom r = new SplittableRandom(seed ^ (specId * 0x9E3779B97F4A7C15L)
                    ^ ((long) item.ipip300() << 32) ^ (q.sample() * 0xBF58476D1CE4E5B9L));
            v = model.sample(q.itemIndex(), l, r.nextDouble());
        }
        String text = "{\"answer\": \"" + q.order().letterOf(v) + "\"}";
        String basis = "psychometric:v1|" + mode.id() + "|" + (mode == Mode.SAMPLE ? seed + "|" + specId + "|" : "")
                + item.ipip300() + "|" + item.facet() + "=" + l.name() + "|sample=" + q.sample();
        return new Reply(AnswerStatus.ANSWERED, v, text, sha256(basis), 0, 0, false, false, 0);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
