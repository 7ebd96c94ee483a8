package org.personalab.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;

/**
 * Regenerates the bundled {@code src/main/resources/org/personalab/data/synthetic-ipip120.json} from the 300 real
 * PAPI subjects in {@code ../shared/data/papi_test300_ipip120_keyed.csv}. Only the derived parameters are written;
 * the CSV itself is never copied into the project.
 * <p>
 * To rerun, from the project root (after {@code mvn -DbuildDir=target-syn test-compile}):
 * <pre>
 * export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
 * mvn -q -o -DbuildDir=target-syn dependency:build-classpath -Dmdep.outputFile=target-syn/cp.txt
 * $JAVA_HOME/bin/java -cp target-syn/classes:target-syn/test-classes:$(cat target-syn/cp.txt) \
 *     org.personalab.data.SyntheticParametersTool [source.csv] [output.json]
 * </pre>
 * Defaults: {@code ../shared/data/papi_test300_ipip120_keyed.csv} and the resource path above.
 * {@code SyntheticPopulationTest} checks that the committed file equals what this tool produces.
 */
public final class SyntheticParametersTool {

    public static final String SOURCE_DESCRIPTION = "PAPI test set, 300 real subjects (Johnson IPIP-NEO via PAlign), "
            + "IPIP-NEO-120 subset";
    static final String HEADER_START = "case,sex,age,sec,min,hour,day,month,year,country,I1,";

    private SyntheticParametersTool() {
    }

    public static void main(String[] args) throws IOException {
        Path csv = Path.of(args.length > 0 ? args[0] : "../shared/data/papi_test300_ipip120_keyed.csv");
        Path out = Path.of(args.length > 1 ? args[1]
                : "src/main/resources/org/personalab/data/" + SyntheticParameters.BUNDLED_RESOURCE);
        SyntheticParameters p = SyntheticParameters.estimate(readPapiCsv(csv), SOURCE_DESCRIPTION);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        Files.writeString(tmp, p.toJson(), StandardCharsets.UTF_8);
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.printf("wrote %s: %d respondents, shrinkage %.2f, %d bytes%n", out, p.respondents(), p.shrinkage(),
                Files.size(out));
    }

    /**
     * Reads the PAPI keyed CSV ({@code case,sex,age,sec,min,hour,day,month,year,country,I1..I120}, 0 = missing) as
     * keyed IPIP-NEO-120 responses with the case number as id. Bad input names the file, line and field.
     */
    public static Responses readPapiCsv(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        int k = Inventory.IPIP_NEO_120.size();
        if (lines.isEmpty() || !lines.get(0).startsWith(HEADER_START) || lines.get(0).split(",").length != 10 + k) {
            throw new IOException(csv + ": line 1: expected the header " + HEADER_START + "...,I120");
        }
        Responses.Builder b = new Responses.Builder(Inventory.IPIP_NEO_120, AnswerEncoding.KEYED, lines.size());
        byte[] answers = new byte[k];
        for (int ln = 1; ln < lines.size(); ln++) {
            String line = lines.get(ln);
            if (line.isBlank()) {
                continue;
            }
            String[] c = line.split(",", -1);
            String where = csv + ": line " + (ln + 1) + ": ";
            if (c.length != 10 + k) {
                throw new IOException(where + "expected " + (10 + k) + " fields, got " + c.length);
            }
            for (int i = 0; i < k; i++) {
                String v = c[10 + i].trim();
                if (v.length() != 1 || v.charAt(0) < '0' || v.charAt(0) > '5') {
                    throw new IOException(where + "field I" + (i + 1) + ": expected 0..5, got '" + v + "'");
                }
                answers[i] = (byte) (v.charAt(0) - '0');
            }
            int age;
            Sex sex;
            try {
                age = Integer.parseInt(c[2].trim());
            } catch (NumberFormatException e) {
                throw new IOException(where + "field age: not a number: '" + c[2] + "'", e);
            }
            try {
                sex = Sex.parse(c[1]);
            } catch (IllegalArgumentException e) {
                throw new IOException(where + "field sex: " + e.getMessage(), e);
            }
            b.add(c[0].trim(), sex, age, c[9].trim(), answers);
        }
        return b.build();
    }
}
