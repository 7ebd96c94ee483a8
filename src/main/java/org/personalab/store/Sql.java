package org.personalab.store;

import java.sql.SQLException;
import java.time.Instant;

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
}
