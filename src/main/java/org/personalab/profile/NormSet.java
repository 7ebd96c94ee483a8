package org.personalab.profile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.personalab.data.AgeGroup;
import org.personalab.data.Sex;

/**
 * Cohort norms computed from one reference dataset: per norm group, the distribution of every scale, plus the rule
 * ({@link NormSpec}) saying which group each person is placed with.
 *
 * @param id                 workspace id (0 before it is stored)
 * @param name               display name
 * @param referenceDatasetId the dataset the norms were computed from
 * @param spec               cut points and fallback size
 * @param groups             every cohort and wider group, in a stable order
 */
public record NormSet(long id, String name, long referenceDatasetId, NormSpec spec, Map<NormGroup, GroupNorms> groups) {

    public NormSet {
        groups = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    }

    public NormSet withId(long newId, long datasetId) {
        return new NormSet(newId, name, datasetId, spec, groups);
    }

    /** The groups tried for a person, narrowest first. */
    public static List<NormGroup> candidates(Sex sex, AgeGroup age) {
        List<NormGroup> out = new ArrayList<>(3);
        boolean knownSex = sex != Sex.UNKNOWN;
        boolean knownAge = age != AgeGroup.UNKNOWN;
        if (knownSex && knownAge) {
            out.add(NormGroup.cohort(sex, age));
            out.add(new NormGroup(sex, null));
        } else if (knownSex) {
            out.add(new NormGroup(sex, null));
        } else if (knownAge) {
            out.add(new NormGroup(null, age));
        }
        out.add(NormGroup.EVERYONE);
        return out;
    }

    /** The group a person of this sex and age group is placed with: the narrowest one with enough people. */
    public NormGroup groupFor(Sex sex, AgeGroup age) {
        for (NormGroup g : candidates(sex, age)) {
            GroupNorms n = groups.get(g);
            if (n != null && (n.people() >= spec.minCohortSize() || g.equals(NormGroup.EVERYONE))) {
                return g;
            }
        }
        return NormGroup.EVERYONE;
    }

    public GroupNorms norms(NormGroup g) {
        return groups.get(g);
    }
}
