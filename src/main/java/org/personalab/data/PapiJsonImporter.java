package org.personalab.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;
import org.personalab.task.TaskContext;

/**
 * Reads PAlign's PAPI Test-set.json: an array of objects with {@code case}, {@code sex}, {@code age},
 * {@code country}, the time fields and {@code i1..i300} (IPIP-NEO-300 item numbers, keyed, 0 = missing). Streams
 * with Jackson so that every problem carries the line and column of its token. Unknown keys are ignored; a missing
 * {@code case} or {@code iK} is a problem; missing sex, age or country mean unknown.
 */
final class PapiJsonImporter implements Importer {

    private static final Inventory INVENTORY = Inventory.IPIP_NEO_300;
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final Set<String> TIME_KEYS = Set.of("sec", "min", "hour", "date", "day", "month", "year");
    private static final int MAX_AGE = 150;
    private static final int CHECK_EVERY = 64;

    @Override
    public ParsedFile read(Path file, ImportOptions options, TaskContext context) throws ImportException, IOException {
        ImportProblems problems = new ImportProblems(file.getFileName().toString(), options);
        AnswerEncoding encoding = options.encoding() != null ? options.encoding() : ImportFormat.PAPI.defaultEncoding();
        long size = Files.size(file);
        if (size == 0) {
            throw problems.fatal(1, 1, "", "", "file is empty");
        }
        try (CountingStream in = new CountingStream(Files.newInputStream(file)); JsonParser p = JSON.createParser(in)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw problems.fatal(1, 1, "", "", "file is empty");
            }
            if (t != JsonToken.START_ARRAY) {
                JsonLocation at = p.currentTokenLocation();
                throw problems.fatal(at.getLineNr(), at.getColumnNr(), "", p.getText(),
                        "expected a JSON array of respondents");
            }
            Record r = new Record(p, problems,
                    new Responses.Builder(INVENTORY, encoding, ImportProblems.presize(size / 4000 + 16, INVENTORY)));
            long records = 0;
            context.progress(0, size);
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    JsonLocation at = p.currentLocation();
                    throw problems.fatal(at.getLineNr(), at.getColumnNr(), "", "",
                            "unexpected end of file: ']' missing");
                }
                records++;
                if (records % CHECK_EVERY == 0) {
                    context.checkCancelled();
                    context.progress(in.count, size);
                }
                r.read(t);
            }
            if (p.nextToken() != null) {
                JsonLocation at = p.currentTokenLocation();
                throw problems.fatal(at.getLineNr(), at.getColumnNr(), "", p.getText(),
                        "unexpected content after the array");
            }
            context.progress(size, size);
            return problems.finish(r.builder, records);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw problems.fatal(at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(), "", "",
                    "invalid JSON: " + e.getOriginalMessage());
        }
    }

    /** Reads one respondent object and adds it when it has no problem. */
    private static final class Record {
        private final JsonParser p;
        private final ImportProblems problems;
        private final Responses.Builder builder;
        private final ImportInterner countries = new ImportInterner();
        private final Map<String, Long> firstLine = new HashMap<>();
        private final byte[] answers = new byte[INVENTORY.size()];
        private final boolean[] seen = new boolean[INVENTORY.size()];

        Record(JsonParser p, ImportProblems problems, Responses.Builder builder) {
            this.p = p;
            this.problems = problems;
            this.builder = builder;
        }

        void read(JsonToken first) throws IOException {
            problems.startRecord();
            JsonLocation start = p.currentTokenLocation();
            if (first != JsonToken.START_OBJECT) {
                problems.add(start.getLineNr(), start.getColumnNr(), "", text(first),
                        "expected an object (one respondent)");
                p.skipChildren();
                problems.endRecord();
                return;
            }
            String id = null;
            Sex sex = Sex.UNKNOWN;
            int age = 0;
            String country = "";
            Arrays.fill(seen, false);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken t = p.nextToken();
                JsonLocation at = p.currentTokenLocation();
                int item = itemNumber(key);
                if (item > 0) {
                    answer(key, item, t, at);
                } else if (key.equals("case")) {
                    id = id(key, t, at);
                } else if (key.equals("sex")) {
                    sex = sex(key, t, at);
                } else if (key.equals("age")) {
                    Integer v = wholeNumber(t);
                    if (v != null && v >= 0 && v <= MAX_AGE) {
                        age = v;
                    } else if (t != JsonToken.VALUE_NULL) {
                        problem(at, key, t, "must be a whole number 0.." + MAX_AGE + " (0 or null = unknown)");
                    }
                } else if (key.equals("country")) {
                    if (t == JsonToken.VALUE_STRING) {
                        country = countries.intern(p.getText().trim());
                    } else if (t != JsonToken.VALUE_NULL) {
                        problem(at, key, t, "must be a string");
                    }
                } else if (TIME_KEYS.contains(key)) {
                    if (t != JsonToken.VALUE_NULL && wholeNumber(t) == null) {
                        problem(at, key, t, "must be a whole number");
                    }
                } else {
                    p.skipChildren();
                }
            }
            long line = start.getLineNr();
            int column = start.getColumnNr();
            if (id == null) {
                problems.add(line, column, "case", "", "missing key 'case' (the respondent id)");
            }
            for (int k = 0; k < seen.length; k++) {
                if (!seen[k]) {
                    problems.add(line, column, "i" + (k + 1), "", "missing key 'i" + (k + 1) + "'");
                }
            }
            if (problems.endRecord()) {
                builder.add(id, sex, age, country, answers, 0);
            }
        }

        private void answer(String key, int item, JsonToken t, JsonLocation at) throws IOException {
            if (seen[item - 1]) {
                problem(at, key, t, "appears twice in this object");
                return;
            }
            seen[item - 1] = true;
            Integer v = t == JsonToken.VALUE_NULL ? Integer.valueOf(0) : wholeNumber(t);
            if (v == null) {
                problem(at, key, t, "must be a whole number 0..5 (0 = missing)");
            } else if (v < 0 || v > 5) {
                problem(at, key, t, "answer out of range 0..5");
            } else {
                answers[item - 1] = (byte) (int) v;
            }
        }

        /** The id, or null after reporting a problem (or a duplicate). */
        private String id(String key, JsonToken t, JsonLocation at) throws IOException {
            String id = null;
            if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                id = Long.toString(p.getLongValue());
            } else if (t == JsonToken.VALUE_STRING && !p.getText().isBlank()) {
                id = p.getText().trim();
            }
            if (id == null) {
                problem(at, key, t, "must be a whole number or a non-blank string");
                return "";
            }
            Long first = firstLine.putIfAbsent(id, (long) at.getLineNr());
            if (first != null) {
                problems.add(at.getLineNr(), at.getColumnNr(), key, id,
                        "duplicate id " + id + " (first on line " + first + ")");
            }
            return id;
        }

        private Sex sex(String key, JsonToken t, JsonLocation at) throws IOException {
            Integer v = wholeNumber(t);
            if (v != null && v >= 0 && v <= 2) {
                return Sex.ofCode(v);
            }
            if (t == JsonToken.VALUE_NULL) {
                return Sex.UNKNOWN;
            }
            if (t == JsonToken.VALUE_STRING) {
                try {
                    return Sex.parse(p.getText());
                } catch (IllegalArgumentException e) {
                    // reported below
                }
            }
            problem(at, key, t, "must be 1 (male), 2 (female) or 0 (unknown)");
            return Sex.UNKNOWN;
        }

        /** The value of an int token, or null when the token is not a whole number that fits an int. */
        private Integer wholeNumber(JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
                return p.getIntValue();
            }
            return null;
        }

        private void problem(JsonLocation at, String key, JsonToken t, String message) throws IOException {
            problems.add(at.getLineNr(), at.getColumnNr(), key, text(t), message);
            p.skipChildren();
        }

        private String text(JsonToken t) throws IOException {
            return t == JsonToken.VALUE_STRING ? '"' + p.getText() + '"' : p.getText();
        }
    }

    /** 1..300 for the keys i1..i300 (no leading zeros), 0 for any other key. */
    static int itemNumber(String key) {
        int n = key.length();
        if (n < 2 || n > 4 || key.charAt(0) != 'i' || key.charAt(1) == '0') {
            return 0;
        }
        int v = 0;
        for (int i = 1; i < n; i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            v = v * 10 + (c - '0');
        }
        return v <= INVENTORY.size() ? v : 0;
    }

    /** Counts the bytes read, for progress. */
    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
