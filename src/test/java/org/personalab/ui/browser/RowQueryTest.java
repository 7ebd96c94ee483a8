package org.personalab.ui.browser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assertions;
import org.personalab.data.AgeGroup;
import org.personalab.data.Sex;
import org.personalab.inventory.Level;
import org.personalab.inventory.Scale;
import org.personalab.profile.ScoredDataset;
import org.personalab.task.TaskContext;
import org.personalab.ui.UiTestData;

class RowQueryTest {

    private final ScoredDataset data = UiTestData.small(3000, 7, 37);
    private final RowQuery q = new RowQuery(data);
    private final TaskContext none = TaskContext.none();

    @Test
    void emptyFilterKeepsEveryRowInFileOrder() {
        assertArrayEquals(IntStream.range(0, data.size()).toArray(), q.filter(RowFilter.NONE, none));
    }

    @Test
    void filterMatchesAnIndependentScan() {
        RowFilter f = new RowFilter(Sex.FEMALE, AgeGroup.ADULT, "USA", Scale.E, Level.MEDIUM);
        int[] expected = IntStream.range(0, data.size()).filter(r -> data.responses().sex(r) == Sex.FEMALE
                && AgeGroup.of(data.responses().age(r)) == AgeGroup.ADULT
                && data.responses().country(r).equals("USA") && data.level(r, Scale.E) == Level.MEDIUM).toArray();
        assertTrue(expected.length > 5, "fixture should have a few matches");
        assertArrayEquals(expected, q.filter(f, none));
    }

    @Test
    void unknownCountryAndUnknownAgeAreFilterable() {
        int[] unknownCountry = q.filter(new RowFilter(null, null, "", null, null), none);
        assertEquals(Arrays.stream(data.responses().countryColumn()).filter(String::isEmpty).count(),
                unknownCountry.length);
        int[] unknownAge = q.filter(new RowFilter(null, AgeGroup.UNKNOWN, null, null, null), none);
        assertEquals(IntStream.range(0, data.size()).filter(r -> data.responses().age(r) == 0).count(),
                unknownAge.length);
    }

    @Test
    void sortsByScoreAscendingAndDescendingWithMissingLast() {
        int[] rows = q.filter(RowFilter.NONE, none);
        q.sort(rows, List.of(new SortKey(RespondentColumn.score(Scale.N), true)), none);
        assertPermutation(rows);
        int firstNaN = firstNaN(rows, Scale.N);
        assertTrue(firstNaN > 0 && firstNaN < rows.length, "people without answers exist and sort last");
        for (int i = 1; i < firstNaN; i++) {
            float a = data.score(rows[i - 1], Scale.N);
            float b = data.score(rows[i], Scale.N);
            assertTrue(a < b || (a == b && rows[i - 1] < rows[i]), "ascending and stable at " + i);
        }
        q.sort(rows, List.of(new SortKey(RespondentColumn.score(Scale.N), false)), none);
        int firstNaNDesc = firstNaN(rows, Scale.N);
        assertEquals(firstNaN, firstNaNDesc, "missing scores also sort last when descending");
        for (int i = 1; i < firstNaNDesc; i++) {
            assertTrue(data.score(rows[i - 1], Scale.N) >= data.score(rows[i], Scale.N), "descending at " + i);
        }
    }

    @Test
    void multiColumnSortIsLexicographic() {
        int[] rows = q.filter(RowFilter.NONE, none);
        q.sort(rows, List.of(new SortKey(RespondentColumn.SEX, true), new SortKey(RespondentColumn.level(Scale.C),
                false), new SortKey(RespondentColumn.AGE, true)), none);
        assertPermutation(rows);
        for (int i = 1; i < rows.length; i++) {
            int a = rows[i - 1];
            int b = rows[i];
            int c = Integer.compare(q.orderValue(RespondentColumn.SEX, a), q.orderValue(RespondentColumn.SEX, b));
            assertTrue(c <= 0, "sex order at " + i);
            if (c == 0) {
                byte la = data.levelCode(a, Scale.C);
                byte lb = data.levelCode(b, Scale.C);
                if (la >= 0 && lb >= 0) {
                    assertTrue(la >= lb, "level descending within sex at " + i);
                }
                if (la < 0) {
                    assertTrue(lb < 0, "missing levels last at " + i);
                }
                if (la == lb) {
                    int ageA = data.responses().age(a) == 0 ? Integer.MAX_VALUE : data.responses().age(a);
                    int ageB = data.responses().age(b) == 0 ? Integer.MAX_VALUE : data.responses().age(b);
                    assertTrue(ageA <= ageB, "age ascending within sex and level at " + i);
                }
            }
        }
        // unknown sex sorts last
        assertEquals(Sex.UNKNOWN, data.responses().sex(rows[rows.length - 1]));
    }

    @Test
    void idsSortNumericallyNotAsText() {
        int[] rows = q.filter(RowFilter.NONE, none);
        q.sort(rows, List.of(new SortKey(RespondentColumn.ID, true)), none);
        for (int i = 0; i < rows.length; i++) {
            assertEquals(Integer.toString(i + 1), data.responses().id(rows[i]), "numeric id order at " + i);
        }
        assertTrue(RowQuery.compareIds("9", "10") < 0);
        assertTrue(RowQuery.compareIds("007", "8") < 0);
        assertTrue(RowQuery.compareIds("12", "A1") < 0, "numbers before other ids");
        assertTrue(RowQuery.compareIds("S000002", "S000010") < 0);
    }

    @Test
    void countriesAreOrderedByCount() {
        List<CountryCount> cs = q.countries();
        assertEquals(data.size(), cs.stream().mapToInt(CountryCount::count).sum());
        for (int i = 1; i < cs.size(); i++) {
            assertTrue(cs.get(i - 1).count() >= cs.get(i).count());
        }
        assertTrue(cs.stream().anyMatch(c -> c.country().isEmpty() && c.label().startsWith("(unknown)")));
    }

    @Test
    void sortableFloatPreservesOrder() {
        float[] v = {-3.5f, -0f, 0f, 1f, 1.25f, 4.999f, 5f, Float.POSITIVE_INFINITY};
        for (int i = 1; i < v.length; i++) {
            assertTrue(RowQuery.sortableFloat(v[i - 1]) <= RowQuery.sortableFloat(v[i]), "at " + i);
        }
        assertEquals(Integer.MAX_VALUE, RowQuery.sortableFloat(Float.NaN));
    }

    @Test
    void cancelledFilterStops() {
        TaskContext cancelled = new TaskContext() {
            @Override
            public void progress(double done, double total) {
            }

            @Override
            public void message(String message) {
            }

            @Override
            public boolean isCancelled() {
                return true;
            }
        };
        Assertions.assertThrows(CancellationException.class,
                () -> q.filter(new RowFilter(Sex.MALE, null, null, null, null), cancelled));
    }

    private int firstNaN(int[] rows, Scale s) {
        for (int i = 0; i < rows.length; i++) {
            if (Float.isNaN(data.score(rows[i], s))) {
                for (int j = i; j < rows.length; j++) {
                    assertTrue(Float.isNaN(data.score(rows[j], s)), "all missing at the end");
                }
                return i;
            }
        }
        return rows.length;
    }

    private void assertPermutation(int[] rows) {
        int[] sorted = rows.clone();
        Arrays.sort(sorted);
        assertArrayEquals(IntStream.range(0, data.size()).toArray(), sorted);
    }
}
