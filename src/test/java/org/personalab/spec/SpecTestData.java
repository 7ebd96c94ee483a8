package org.personalab.spec;

import java.time.Instant;
import java.util.Random;
import org.personalab.data.DatasetInfo;
import org.personalab.data.Responses;
import org.personalab.data.Sex;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;
import org.personalab.inventory.Scorer;
import org.personalab.inventory.ScoringRule;
import org.personalab.profile.NormSet;
import org.personalab.profile.NormSpec;
import org.personalab.profile.Norms;
import org.personalab.profile.Profile;
import org.personalab.profile.ScoredDataset;

/** Test data for the spec and profile tests: a small scored dataset in memory and hand-made profiles. */
public final class SpecTestData {

    private SpecTestData() {
    }

    /**
     * {@code n} people with random raw answers, scored and placed with cohort norms built from themselves. Row 0 has
     * no answers at all (so no levels), a blank country and unknown age; every other row is complete.
     */
    public static ScoredDataset dataset(int n, long seed) {
        Inventory inv = Inventory.IPIP_NEO_120;
        Random rnd = new Random(seed);
        Responses.Builder b = new Responses.Builder(inv, AnswerEncoding.RAW, n);
        String[] countries = {"USA", "UK", "Canada", "Australia", "Singapore", "Finland"};
        byte[] answers = new byte[inv.size()];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < answers.length; i++) {
                answers[i] = r == 0 ? 0 : (byte) (1 + rnd.nextInt(5));
            }
            Sex sex = r == 0 ? Sex.UNKNOWN : rnd.nextBoolean() ? Sex.MALE : Sex.FEMALE;
            int age = r == 0 ? 0 : 16 + rnd.nextInt(60);
            b.add("P" + r, sex, age, r == 0 ? "" : countries[rnd.nextInt(countries.length)], answers);
        }
        Responses resp = b.build();
        float[] scores = new Scorer(inv, AnswerEncoding.RAW, ScoringRule.DEFAULT).scoreAll(resp.answerMatrix(), n);
        NormSet norms = Norms.build("spec test norms", resp, scores, NormSpec.DEFAULT);
        DatasetInfo info = new DatasetInfo(1, "spec-test", "csv", inv, AnswerEncoding.RAW, n, 0.75, null, 0, null,
                "built in memory by a test", 1, 1, Instant.now());
        return new ScoredDataset(info, resp, scores, Norms.place(norms, resp, scores), norms);
    }

    /** A complete profile whose level on scale k is {@code Level.values()[(k + shift) % 5]}. */
    public static Profile profile(String id, Sex sex, int age, String country, int shift) {
        Level[] levels = new Level[Scale.COUNT];
        for (int k = 0; k < Scale.COUNT; k++) {
            levels[k] = Level.values()[(k + shift) % 5];
        }
        return Profile.ofLevels(id, sex, age, country, levels);
    }
}
