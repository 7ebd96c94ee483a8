package org.personalab.profile;

import java.util.Arrays;
import java.util.Objects;
import org.personalab.data.AgeGroup;
import org.personalab.data.Responses;
import org.personalab.data.Sex;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Facet;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;

/**
 * One person's profile, copied out of a scored dataset: demographics and the 35 scores and levels (laid out in
 * {@link Scale} order). A level is null and a score NaN where the person could not be scored.
 *
 * @param id      external respondent id
 * @param sex     sex (UNKNOWN when not given)
 * @param age     age in years, 0 when unknown
 * @param country country as given in the data, "" when unknown
 * @param group   label of the norm group the levels come from ("" when not known)
 * @param scores  {@link Scale#COUNT} scores
 * @param levels  {@link Scale#COUNT} levels
 */
public record Profile(String id, Sex sex, int age, String country, String group, float[] scores, Level[] levels) {

    public Profile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sex, "sex");
        country = country == null ? "" : country.strip();
        group = group == null ? "" : group;
        if (scores.length != Scale.COUNT || levels.length != Scale.COUNT) {
            throw new IllegalArgumentException("a profile needs " + Scale.COUNT + " scores and levels, got "
                    + scores.length + " and " + levels.length);
        }
        scores = scores.clone();
        levels = levels.clone();
    }

    /** The profile of row {@code row} of a scored dataset. */
    public static Profile of(ScoredDataset d, int row) {
        if (row < 0 || row >= d.size()) {
            throw new IndexOutOfBoundsException("row " + row + " is outside the dataset (" + d.size() + " rows)");
        }
        Responses r = d.responses();
        float[] scores = new float[Scale.COUNT];
        Level[] levels = new Level[Scale.COUNT];
        for (Scale s : Scale.values()) {
            scores[s.ordinal()] = d.score(row, s);
            levels[s.ordinal()] = d.level(row, s);
        }
        NormGroup g = d.normGroup(row);
        return new Profile(r.id(row), r.sex(row), r.age(row), r.country(row), g == null ? "" : g.label(), scores,
                levels);
    }

    /** A profile with given levels and no scores (NaN), e.g. for a hand-made target. */
    public static Profile ofLevels(String id, Sex sex, int age, String country, Level[] levels) {
        float[] scores = new float[Scale.COUNT];
        Arrays.fill(scores, Float.NaN);
        return new Profile(id, sex, age, country, "", scores, levels);
    }

    @Override
    public float[] scores() {
        return scores.clone();
    }

    @Override
    public Level[] levels() {
        return levels.clone();
    }

    public Level level(Scale s) {
        return levels[s.ordinal()];
    }

    public Level level(Facet f) {
        return levels[f.ordinal()];
    }

    public Level level(Domain d) {
        return levels[Scale.of(d).ordinal()];
    }

    public float score(Scale s) {
        return scores[s.ordinal()];
    }

    public AgeGroup ageGroup() {
        return AgeGroup.of(age);
    }

    /** Whether sex, age, country and all 35 levels are known: everything a spec prompt needs. */
    public boolean isComplete() {
        if (sex == Sex.UNKNOWN || age <= 0 || country.isBlank()) {
            return false;
        }
        for (Level l : levels) {
            if (l == null) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Profile p && id.equals(p.id) && sex == p.sex && age == p.age
                && country.equals(p.country) && group.equals(p.group) && Arrays.equals(scores, p.scores)
                && Arrays.equals(levels, p.levels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, sex, age, country, group, Arrays.hashCode(scores), Arrays.hashCode(levels));
    }

    @Override
    public String toString() {
        return "Profile[" + id + ", " + sex.label() + ", " + age + ", " + country + "]";
    }
}
