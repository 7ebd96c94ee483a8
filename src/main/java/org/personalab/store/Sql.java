package org.personalab.store;

import java.sql.SQLException;
import java.time.Instant;

final class Sql {

    private Sql() {
    }

    static StoreException fail(String what, SQLException e) {
        return new StoreException(what + ": " + e.getMessage(), e);
    }

    static String now() {
        return Instant.now().toString();
    }

    static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }
}
