package org.personalab.ui.browser;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.personalab.data.AgeGroup;
import org.personalab.data.Responses;
import org.personalab.inventory.Scale;
import org.personalab.profile.ScoredDataset;
import org.personalab.task.TaskContext;

/**
 * Filtering and sorting of one scored dataset's rows, on primitive arrays only (no boxed rows, no per-row objects),
 * so that 620,000 respondents filter and sort in well under a second. Runs in background tasks; thread-safe.
 *
 * <p>Sorting builds, per criterion, a {@code long} key (an order-preserving int of the value in the high half, the
 * current position in the low half) and sorts those with {@link Arrays#sort(long[])}; applying the criteria from
 * the last to the first gives a stable multi-column sort. Missing values (unknown sex, age or country, NaN scores,
 * no level) sort last in both directions.
 */
public final class RowQuery {

    private static final int MISSING = Integer.MAX_VALUE;
    private final ScoredDataset data;
    private int[] idRank;
    private int[] countryRank;

    public RowQuery(ScoredDataset data) {
        this.data = data;
    }

    public ScoredDataset data() {
        return data;
    }

    /** Rows (ascending) that pass the filter. */
    public int[] filter(RowFilter f, TaskContext ctx) {
        Responses r = data.responses();
        int n = data.size();
        if (f.isEmpty()) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        byte[] sex = r.sexColumn();
        short[] age = r.ageColumn();
        String[] country = r.countryColumn();
        byte[] levels = data.placement().levels();
        int sexCode = f.sex() == null ? -1 : f.sex().code();
        AgeGroup ageGroup = f.ageGroup();
        String wantedCountry = f.country();
        boolean byLevel = f.level() != null && f.levelScale() != null;
        int scale = byLevel ? f.levelScale().ordinal() : 0;
        byte levelCode = byLevel ? (byte) f.level().ordinal() : 0;
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if ((i & 0xFFFF) == 0) {
                ctx.checkCancelled();
            }
            if (sexCode >= 0 && sex[i] != sexCode) {
                continue;
            }
            if (ageGroup != null && AgeGroup.of(age[i]) != ageGroup) {
                continue;
            }
            if (wantedCountry != null && !wantedCountry.equals(country[i])) {
                continue;
            }
            if (byLevel && levels[i * Scale.COUNT + scale] != levelCode) {
                continue;
            }
            out[k++] = i;
        }
        return Arrays.copyOf(out, k);
    }

    /** Sorts {@code rows} in place by the keys, first key most significant; stable. */
    public void sort(int[] rows, List<SortKey> keys, TaskContext ctx) {
        long[] packed = new long[rows.length];
        int[] tmp = new int[rows.length];
        for (int k = keys.size() - 1; k >= 0; k--) {
            ctx.checkCancelled();
            SortKey key = keys.get(k);
            for (int i = 0; i < rows.length; i++) {
                int v = orderValue(key.column(), rows[i]);
                if (!key.ascending() && v != MISSING) {
                    v = ~v;
                    if (v == MISSING) {
                        v--;
                    }
                }
                packed[i] = ((long) v << 32) | i;
            }
            if (packed.length > 100_000) {
                Arrays.parallelSort(packed);
            } else {
                Arrays.sort(packed);
            }
            ctx.checkCancelled();
            for (int i = 0; i < rows.length; i++) {
                tmp[i] = rows[(int) packed[i]];
            }
            System.arraycopy(tmp, 0, rows, 0, rows.length);
        }
    }

    /** An int whose natural order is the column's order for this row; {@link #MISSING} when unknown. */
    int orderValue(RespondentColumn c, int row) {
        Responses r = data.responses();
        return switch (c.kind()) {
            case ID -> idRank()[row];
            case SEX -> r.sexCode(row) == 0 ? MISSING : r.sexCode(row);
            case AGE -> r.age(row) <= 0 ? MISSING : r.age(row);
            case COUNTRY -> countryRank()[row];
            case SCORE -> sortableFloat(data.score(row, c.scale()));
            case LEVEL -> {
                byte l = data.levelCode(row, c.scale());
                yield l < 0 ? MISSING : l;
            }
        };
    }

    /** An int ordered like the float; NaN maps to {@link #MISSING}. */
    static int sortableFloat(float f) {
        if (f != f) {
            return MISSING;
        }
        int bits = Float.floatToIntBits(f == 0f ? 0f : f);
        return bits ^ ((bits >> 31) & 0x7FFFFFFF);
    }

    private synchronized int[] idRank() {
        if (idRank == null) {
            String[] ids = data.responses().idColumn();
            int[] order = new int[ids.length];
            Arrays.setAll(order, i -> i);
            IntSorter.sort(order, (a, b) -> compareIds(ids[a], ids[b]));
            int[] rank = new int[ids.length];
            for (int i = 0; i < order.length; i++) {
                rank[order[i]] = i;
            }
            idRank = rank;
        }
        return idRank;
    }

    private synchronized int[] countryRank() {
        if (countryRank == null) {
            String[] c = data.responses().countryColumn();
            TreeMap<String, Integer> names = new TreeMap<>(String.CASE_INSENSITIVE_ORDER.thenComparing(s -> s));
            for (String s : c) {
                names.putIfAbsent(s, 0);
            }
            int i = 0;
            for (Map.Entry<String, Integer> e : names.entrySet()) {
                e.setValue(e.getKey().isBlank() ? MISSING : i++);
            }
            int[] rank = new int[c.length];
            for (int r = 0; r < c.length; r++) {
                rank[r] = names.get(c[r]);
            }
            countryRank = rank;
        }
        return countryRank;
    }

    /** Numbers in numeric order before other ids, which compare as text. */
    static int compareIds(String a, String b) {
        boolean na = isDigits(a);
        boolean nb = isDigits(b);
        if (na && nb) {
            String sa = stripZeros(a);
            String sb = stripZeros(b);
            int c = Integer.compare(sa.length(), sb.length());
            return c != 0 ? c : sa.compareTo(sb);
        }
        if (na != nb) {
            return na ? -1 : 1;
        }
        return a.compareTo(b);
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return false;
            }
        }
        return true;
    }

    private static String stripZeros(String s) {
        int i = 0;
        while (i < s.length() - 1 && s.charAt(i) == '0') {
            i++;
        }
        return s.substring(i);
    }

    /** Countries present, most respondents first (ties by name). */
    public List<CountryCount> countries() {
        Map<String, int[]> counts = new HashMap<>();
        for (String c : data.responses().countryColumn()) {
            counts.computeIfAbsent(c, k -> new int[1])[0]++;
        }
        List<CountryCount> out = new ArrayList<>(counts.size());
        counts.forEach((k, v) -> out.add(new CountryCount(k, v[0])));
        out.sort((x, y) -> x.count() != y.count() ? Integer.compare(y.count(), x.count())
                : x.country().compareTo(y.country()));
        return out;
    }

    /** Position of {@code row} in {@code rows}, or -1. */
    public static int positionOf(int[] rows, int row) {
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == row) {
                return i;
            }
        }
        return -1;
    }
}
