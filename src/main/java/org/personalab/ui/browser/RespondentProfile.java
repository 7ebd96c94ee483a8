package org.personalab.ui.browser;

import java.util.ArrayList;
import java.util.List;
import org.personalab.data.Responses;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Item;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;
import org.personalab.profile.ScoredDataset;

/**
 * Everything the respondent detail shows about one person, copied out of the dataset: demographics, the 35 scores,
 * levels and cohort percentiles, the norm group, and every answer.
 */
public record RespondentProfile(int row, String id, String sex, int age, String country, String normGroup,
        String datasetName, String encoding, float[] scores, Level[] levels, double[] percentiles,
        List<AnswerRow> answers) {

    public static RespondentProfile of(ScoredDataset d, int row) {
        Responses r = d.responses();
        float[] scores = new float[Scale.COUNT];
        Level[] levels = new Level[Scale.COUNT];
        double[] pct = new double[Scale.COUNT];
        for (Scale s : Scale.values()) {
            scores[s.ordinal()] = d.score(row, s);
            levels[s.ordinal()] = d.level(row, s);
            pct[s.ordinal()] = d.percentile(row, s);
        }
        AnswerEncoding enc = r.encoding();
        List<AnswerRow> answers = new ArrayList<>(r.items());
        for (Item it : r.inventory().items()) {
            int stored = r.answer(row, it.number());
            answers.add(new AnswerRow(it.number(), it.text(), it.facet().name() + " " + it.facet().displayName(),
                    it.keying(), stored, AnswerEncoding.keyed(enc, it.keying(), stored)));
        }
        return new RespondentProfile(row, r.id(row), r.sex(row).label(), r.age(row), r.country(row),
                d.normGroup(row).label(), d.info().name(), enc.name().toLowerCase(), scores, levels, pct,
                List.copyOf(answers));
    }

    public float score(Scale s) {
        return scores[s.ordinal()];
    }

    public Level level(Scale s) {
        return levels[s.ordinal()];
    }

    public double percentile(Scale s) {
        return percentiles[s.ordinal()];
    }

    /** "Female · 34 · USA" style line. */
    public String demographics() {
        return sex + " · " + (age > 0 ? age + " years" : "age unknown") + " · "
                + (country.isBlank() ? "country unknown" : country);
    }
}
