package org.personalab.data;

import java.util.Arrays;
import java.util.Objects;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;

/**
 * A set of respondents held column-wise, compact enough for Johnson's 619,150-person file: one byte per answer
 * ({@code answers[row * items + item]}, 0 = missing, 1..5), in the dataset's {@link AnswerEncoding}.
 * Instances are immutable once built; use {@link Builder}.
 */
public final class Responses {

    private final Inventory inventory;
    private final AnswerEncoding encoding;
    private final int size;
    private final String[] ids;
    private final byte[] sex;
    private final short[] age;
    private final String[] country;
    private final byte[] answers;

    private Responses(Inventory inventory, AnswerEncoding encoding, int size, String[] ids, byte[] sex, short[] age,
            String[] country, byte[] answers) {
        this.inventory = inventory;
        this.encoding = encoding;
        this.size = size;
        this.ids = ids;
        this.sex = sex;
        this.age = age;
        this.country = country;
        this.answers = answers;
    }

    /** Wraps already-filled arrays (not copied; the caller hands them over). */
    public static Responses of(Inventory inventory, AnswerEncoding encoding, String[] ids, byte[] sex, short[] age,
            String[] country, byte[] answers) {
        int n = ids.length;
        if (sex.length != n || age.length != n || country.length != n || answers.length != (long) n * inventory.size()) {
            throw new IllegalArgumentException("column lengths differ");
        }
        return new Responses(inventory, encoding, n, ids, sex, age, country, answers);
    }

    public Inventory inventory() {
        return inventory;
    }

    public AnswerEncoding encoding() {
        return encoding;
    }

    public int size() {
        return size;
    }

    public int items() {
        return inventory.size();
    }

    public String id(int row) {
        return ids[row];
    }

    public Sex sex(int row) {
        return Sex.ofCode(sex[row]);
    }

    public int sexCode(int row) {
        return sex[row];
    }

    /** Age in years, 0 when unknown. */
    public int age(int row) {
        return age[row];
    }

    public String country(int row) {
        return country[row];
    }

    /** Stored answer (in this dataset's encoding) to the 1-based item {@code item}; 0 = missing. */
    public int answer(int row, int item) {
        return answers[row * inventory.size() + item - 1];
    }

    /** Copy of one respondent's stored answers, index 0 = item 1. */
    public byte[] answersOf(int row) {
        int k = inventory.size();
        return Arrays.copyOfRange(answers, row * k, row * k + k);
    }

    /** The backing answer matrix (row-major, not a copy: do not modify). */
    public byte[] answerMatrix() {
        return answers;
    }

    public String[] idColumn() {
        return ids;
    }

    public byte[] sexColumn() {
        return sex;
    }

    public short[] ageColumn() {
        return age;
    }

    public String[] countryColumn() {
        return country;
    }

    /** This data in another encoding (a copy; the same object when already in it). */
    public Responses withEncoding(AnswerEncoding target) {
        if (target == encoding) {
            return this;
        }
        int k = inventory.size();
        byte[] out = answers.clone();
        boolean[] reversed = new boolean[k];
        for (int i = 0; i < k; i++) {
            reversed[i] = inventory.items().get(i).reversed();
        }
        for (int r = 0; r < size; r++) {
            int base = r * k;
            for (int i = 0; i < k; i++) {
                byte v = out[base + i];
                if (reversed[i] && v != 0) {
                    out[base + i] = (byte) (6 - v);
                }
            }
        }
        return new Responses(inventory, target, size, ids, sex, age, country, out);
    }

    /** Row-by-row builder with amortised growth. */
    public static final class Builder {
        private final Inventory inventory;
        private final AnswerEncoding encoding;
        private int size;
        private String[] ids;
        private byte[] sex;
        private short[] age;
        private String[] country;
        private byte[] answers;

        public Builder(Inventory inventory, AnswerEncoding encoding, int expectedSize) {
            this.inventory = Objects.requireNonNull(inventory);
            this.encoding = Objects.requireNonNull(encoding);
            int cap = Math.max(16, expectedSize);
            ids = new String[cap];
            sex = new byte[cap];
            age = new short[cap];
            country = new String[cap];
            answers = new byte[cap * inventory.size()];
        }

        public int size() {
            return size;
        }

        /** Appends a respondent; {@code answers} must hold exactly one value 0..5 per item (copied). */
        public Builder add(String id, Sex s, int ageYears, String countryName, byte[] itemAnswers) {
            return add(id, s, ageYears, countryName, itemAnswers, 0);
        }

        /** Appends a respondent whose answers are {@code items} bytes of {@code src} from {@code offset}. */
        public Builder add(String id, Sex s, int ageYears, String countryName, byte[] src, int offset) {
            int k = inventory.size();
            if (src.length - offset < k) {
                throw new IllegalArgumentException("expected " + k + " answers");
            }
            if (size == ids.length) {
                int cap = ids.length + (ids.length >> 1) + 16;
                ids = Arrays.copyOf(ids, cap);
                sex = Arrays.copyOf(sex, cap);
                age = Arrays.copyOf(age, cap);
                country = Arrays.copyOf(country, cap);
                answers = Arrays.copyOf(answers, cap * k);
            }
            ids[size] = id;
            sex[size] = s.code();
            age[size] = (short) Math.max(0, Math.min(Short.MAX_VALUE, ageYears));
            country[size] = countryName == null ? "" : countryName;
            System.arraycopy(src, offset, answers, size * k, k);
            size++;
            return this;
        }

        /** The built respondents; when the builder is exactly full its arrays are handed over, not copied. */
        public Responses build() {
            int k = inventory.size();
            if (size == ids.length) {
                Responses r = new Responses(inventory, encoding, size, ids, sex, age, country, answers);
                ids = new String[0];
                sex = new byte[0];
                age = new short[0];
                country = new String[0];
                answers = new byte[0];
                size = 0;
                return r;
            }
            return new Responses(inventory, encoding, size, Arrays.copyOf(ids, size), Arrays.copyOf(sex, size),
                    Arrays.copyOf(age, size), Arrays.copyOf(country, size), Arrays.copyOf(answers, size * k));
        }
    }
}
