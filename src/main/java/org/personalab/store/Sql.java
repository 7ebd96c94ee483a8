package org.personalab.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class Sql {

    private Sql() {
    }

    static StoreException fail(String what, SQLException e) {
        return new StoreException(what + ": " + e.getMessage(), e);
    }

    /** The rowid of the last row this connection inserted. */
    static long lastId(java.sql.Connection c) throws SQLException {
        try (var st = c.createStatement(); var rs = st.executeQuery("SELECT last_insert_rowid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String now() {
        return Instant.now().toString();
    }

    static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }

    /** Maps the current row of a result set to a value. */
    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /**
     * Runs {@code sql} with {@code args} bound in order and maps every row; a failure names {@code what}.
     */
    static <T> List<T> query(Connection c, String sql, RowReader<T> reader, String what, Object... args) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(reader.read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw fail(what, e);
        }
    }

    /** The first row of {@link #query}, if any. */
    static <T> Optional<T> first(Connection c, String sql, RowReader<T> reader, String what, Object... args) {
        List<T> l = query(c, sql, reader, what, args);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }
}
