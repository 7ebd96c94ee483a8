package org.personalab.profile;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.personalab.data.AgeGroup;
import org.personalab.data.Responses;
import org.personalab.data.Sex;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;

/**
 * Builds norm sets from a reference dataset and places people with them. People are first bucketed by
 * (sex, age group) "combo" (3 × 6 = 18 buckets including unknowns); every norm group is a union of buckets.
 */
public final class Norms {

    static final int COMBOS = Sex.values().length * AgeGroup.values().length;

    private Norms() {
    }

    static int combo(Sex s, AgeGroup a) {
        return s.ordinal() * AgeGroup.values().length + a.ordinal();
    }

    static Sex comboSex(int c) {
        return Sex.values()[c / AgeGroup.values().length];
    }

    static AgeGroup comboAge(int c) {
        return AgeGroup.values()[c % AgeGroup.values().length];
    }

    /** Per respondent, its (sex, age group) bucket. */
    public static byte[] combos(Responses r) {
        byte[] out = new byte[r.size()];
        byte[] sex = r.sexColumn();
        short[] age = r.ageColumn();
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) combo(Sex.ofCode(sex[i]), AgeGroup.of(age[i]));
        }
        return out;
    }

    /**
     * Computes norms from {@code scores} ({@link Scale#COUNT} per respondent of {@code reference}).
     * Exact distributions per group; parallel over row blocks.
     */
    public static NormSet build(String name, Responses reference, float[] scores, NormSpec spec) {
        int n = reference.size();
        byte[] combo = combos(reference);
        int parts = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), (n + 65535) / 65536));
        ValueCounter[][][] partial = new ValueCounter[parts][][];
        IntStream.range(0, parts).parallel().forEach(p -> {
            ValueCounter[][] c = new ValueCounter[COMBOS][Scale.COUNT];
            int from = (int) ((long) n * p / parts);
            int to = (int) ((long) n * (p + 1) / parts);
            for (int r = from; r < to; r++) {
                ValueCounter[] row = c[combo[r]];
                if (row[0] == null) {
                    for (int s = 0; s < Scale.COUNT; s++) {
                        row[s] = new ValueCounter();
                    }
                }
                int base = r * Scale.COUNT;
                for (int s = 0; s < Scale.COUNT; s++) {
                    row[s].add(scores[base + s]);
                }
            }
            partial[p] = c;
        });
        int[] people = new int[COMBOS];
        for (byte b : combo) {
            people[b]++;
        }
        Map<NormGroup, GroupNorms> groups = new LinkedHashMap<>();
        for (NormGroup g : allGroups()) {
            int count = 0;
            ValueCounter[] merged = new ValueCounter[Scale.COUNT];
            for (int s = 0; s < Scale.COUNT; s++) {
                merged[s] = new ValueCounter();
            }
            for (int c = 0; c < COMBOS; c++) {
                if (!g.contains(comboSex(c), comboAge(c))) {
                    continue;
                }
                count += people[c];
                for (ValueCounter[][] part : partial) {
                    if (part[c][0] != null) {
                        for (int s = 0; s < Scale.COUNT; s++) {
                            part[c][s].mergeInto(merged[s]);
                        }
                    }
                }
            }
            if (count == 0) {
                continue;
            }
            ScaleDistribution[] d = new ScaleDistribution[Scale.COUNT];
            for (int s = 0; s < Scale.COUNT; s++) {
                d[s] = merged[s].toDistribution();
            }
            groups.put(g, GroupNorms.of(count, d, spec));
        }
        if (!groups.containsKey(NormGroup.EVERYONE)) {
            ScaleDistribution[] d = new ScaleDistribution[Scale.COUNT];
            java.util.Arrays.fill(d, ScaleDistribution.EMPTY);
            groups.put(NormGroup.EVERYONE, GroupNorms.of(0, d, spec));
        }
        return new NormSet(0, name, 0, spec, groups);
    }

    /** Every group a norm set may hold: cohorts, sex-only, age-only, everyone. Unknown sex/age are never a group. */
    static java.util.List<NormGroup> allGroups() {
        java.util.List<NormGroup> out = new java.util.ArrayList<>();
        for (Sex s : new Sex[] {Sex.MALE, Sex.FEMALE}) {
            for (AgeGroup a : AgeGroup.values()) {
                if (a != AgeGroup.UNKNOWN) {
                    out.add(NormGroup.cohort(s, a));
                }
            }
        }
        out.add(new NormGroup(Sex.MALE, null));
        out.add(new NormGroup(Sex.FEMALE, null));
        for (AgeGroup a : AgeGroup.values()) {
            if (a != AgeGroup.UNKNOWN) {
                out.add(new NormGroup(null, a));
            }
        }
        out.add(NormGroup.EVERYONE);
        return out;
    }

    /** The result of placing people with a norm set. */
    public record Placement(byte[] levels, NormGroup[] groupOfCombo, byte[] combo) {
        public NormGroup group(int row) {
            return groupOfCombo[combo[row]];
        }

        public Level level(int row, Scale s) {
            return Level.ofCode(levels[row * Scale.COUNT + s.ordinal()]);
        }
    }

    /** Levels of every respondent of {@code people} (scores laid out as in {@link #build}) against {@code norms}. */
    public static Placement place(NormSet norms, Responses people, float[] scores) {
        byte[] combo = combos(people);
        NormGroup[] groupOf = new NormGroup[COMBOS];
        GroupNorms[] normsOf = new GroupNorms[COMBOS];
        for (int c = 0; c < COMBOS; c++) {
            groupOf[c] = norms.groupFor(comboSex(c), comboAge(c));
            normsOf[c] = norms.norms(groupOf[c]);
        }
        int n = people.size();
        byte[] levels = new byte[n * Scale.COUNT];
        IntStream.range(0, (n + 16383) / 16384).parallel().forEach(b -> {
            int end = Math.min(n, (b + 1) * 16384);
            for (int r = b * 16384; r < end; r++) {
                GroupNorms g = normsOf[combo[r]];
                int base = r * Scale.COUNT;
                for (int s = 0; s < Scale.COUNT; s++) {
                    levels[base + s] = g.levelCode(s, scores[base + s]);
                }
            }
        });
        return new Placement(levels, groupOf, combo);
    }
}
