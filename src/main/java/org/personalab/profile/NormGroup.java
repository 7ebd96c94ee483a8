package org.personalab.profile;

import org.personalab.data.AgeGroup;
import org.personalab.data.Sex;

/**
 * A group of people whose score distribution serves as norm: a cohort (sex × age group) or one of the wider groups
 * a too-small cohort falls back to. A null sex or age group means "any".
 */
public record NormGroup(Sex sex, AgeGroup ageGroup) {

    public static final NormGroup EVERYONE = new NormGroup(null, null);

    public static NormGroup cohort(Sex sex, AgeGroup age) {
        return new NormGroup(sex, age);
    }

    public boolean isCohort() {
        return sex != null && ageGroup != null;
    }

    /** Stable key for storage, e.g. "FEMALE|ADULT", "FEMALE|*", "*|*". */
    public String key() {
        return (sex == null ? "*" : sex.name()) + "|" + (ageGroup == null ? "*" : ageGroup.name());
    }

    public static NormGroup ofKey(String key) {
        String[] p = key.split("\\|");
        return new NormGroup(p[0].equals("*") ? null : Sex.valueOf(p[0]),
                p[1].equals("*") ? null : AgeGroup.valueOf(p[1]));
    }

    public boolean contains(Sex s, AgeGroup a) {
        return (sex == null || sex == s) && (ageGroup == null || ageGroup == a);
    }

    public String label() {
        if (sex == null && ageGroup == null) {
            return "Everyone";
        }
        if (sex == null) {
            return ageGroup.label() + ", both sexes";
        }
        if (ageGroup == null) {
            return sex.label() + ", all ages";
        }
        return sex.label() + ", " + ageGroup.label();
    }

    @Override
    public String toString() {
        return label();
    }
}
