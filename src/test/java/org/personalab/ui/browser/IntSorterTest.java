package org.personalab.ui.browser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IntSorterTest {

    @Test
    void sortsStablyLikeTheJdkOnBoxedValues() {
        Random rnd = new Random(3);
        for (int n : new int[] {0, 1, 2, 23, 24, 25, 1000, 50_000}) {
            int[] keys = new int[n];
            for (int i = 0; i < n; i++) {
                keys[i] = rnd.nextInt(50);
            }
            int[] idx = new int[n];
            Arrays.setAll(idx, i -> i);
            IntSorter.sort(idx, (a, b) -> Integer.compare(keys[a], keys[b]));
            Integer[] boxed = new Integer[n];
            Arrays.setAll(boxed, i -> i);
            Arrays.sort(boxed, Comparator.comparingInt(i -> keys[i])); // stable by contract
            assertArrayEquals(Arrays.stream(boxed).mapToInt(Integer::intValue).toArray(), idx, "n=" + n);
        }
    }
}
