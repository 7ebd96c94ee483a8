package org.personalab.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Versioned schema migrations: {@code migrations/V001__name.sql}, {@code V002__...} applied in order, each in its own
 * transaction, with the version kept in SQLite's {@code PRAGMA user_version}. A workspace newer than this build is
 * refused rather than damaged.
 *
 * <p>Why not Flyway: for one embedded SQLite file a 60-line runner starts in microseconds, has no extra 2 MB of
 * dependencies, and keeps the version where SQLite tools show it; Flyway's history table and multi-database support
 * buy nothing here.
 */
final class Migrations {

    /** Migration file names in order; index + 1 = schema version. */
    static final List<String> SCRIPTS = List.of("V001__workspace.sql", "V002__clusters.sql",
            "V003__spec_generation.sql", "V004__simulation.sql", "V005__judging.sql", "V006__training.sql");

    private Migrations() {
    }

    static int latest() {
        return SCRIPTS.size();
    }

    static void migrate(Connection c, String where) throws SQLException {
        int current;
        try (Statement s = c.createStatement(); var rs = s.executeQuery("PRAGMA user_version")) {
            current = rs.next() ? rs.getInt(1) : 0;
        }
        if (current > latest()) {
            throw new StoreException(where + ": workspace schema version " + current
                    + " is newer than this PersonaLab (knows up to " + latest() + "); update PersonaLab");
        }
        for (int v = current + 1; v <= latest(); v++) {
            String script = read(SCRIPTS.get(v - 1));
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String stmt : split(script)) {
                    s.execute(stmt);
                }
                s.execute("PRAGMA user_version = " + v);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw new StoreException(where + ": migration " + SCRIPTS.get(v - 1) + " failed: " + e.getMessage(), e);
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    private static String read(String name) {
        try (InputStream in = Migrations.class.getResourceAsStream("migrations/" + name)) {
            if (in == null) {
                throw new StoreException("migration " + name + " missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("cannot read migration " + name, e);
        }
    }

    /** Splits a script at semicolons that end a line, dropping "--" comment lines. */
    static List<String> split(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : script.split("\n")) {
            String t = line.strip();
            if (t.startsWith("--") || t.isEmpty()) {
                continue;
            }
            cur.append(line).append('\n');
            if (t.endsWith(";")) {
                out.add(cur.toString().strip());
                cur.setLength(0);
            }
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().strip());
        }
        return out;
    }
}
