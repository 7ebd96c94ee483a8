package org.personalab.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import org.sqlite.SQLiteConfig;

/**
 * A workspace is a folder: one SQLite database ({@code workspace.db}, WAL, versioned migrations) plus artifact
 * folders ({@code artifacts/} for large files such as adapters, {@code exports/} for files made for others).
 *
 * <p>Each operation takes its own connection, so background tasks and the UI can read while one task writes. All
 * writes go through {@link #write(TxWork)}: one immediate transaction, committed when the work returns and rolled back
 * when it throws (including on cancellation). A killed process therefore leaves the database as it was before the
 * transaction.
 */
public final class Workspace implements AutoCloseable {

    public static final String DB_FILE = "workspace.db";

    private final Path dir;
    private final String url;

    private Workspace(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        this.url = "jdbc:sqlite:" + this.dir.resolve(DB_FILE);
    }

    /** Whether {@code dir} holds a workspace database. */
    public static boolean isWorkspace(Path dir) {
        return Files.isRegularFile(dir.resolve(DB_FILE));
    }

    /** Opens an existing workspace; refuses a folder without one. */
    public static Workspace open(Path dir) {
        if (!isWorkspace(dir)) {
            throw new StoreException(dir + ": not a PersonaLab workspace (no " + DB_FILE + ")");
        }
        return init(dir);
    }

    /** Creates a workspace in {@code dir} (created if missing) or opens the one there. */
    public static Workspace openOrCreate(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException("cannot create workspace folder " + dir + ": " + e.getMessage(), e);
        }
        return init(dir);
    }

    private static Workspace init(Path dir) {
        Workspace ws = new Workspace(dir);
        try {
            Files.createDirectories(ws.artifacts());
            Files.createDirectories(ws.exports());
        } catch (IOException e) {
            throw new StoreException("cannot create folders in " + dir + ": " + e.getMessage(), e);
        }
        try (Connection c = ws.connect()) {
            try (var s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
            }
            Migrations.migrate(c, ws.dir.toString());
            new SqliteRunRepository(c).markInterrupted();
        } catch (SQLException e) {
            throw new StoreException(dir + ": cannot open workspace database: " + e.getMessage(), e);
        }
        return ws;
    }

    Connection connect() throws SQLException {
        return connect(true);
    }

    /** A new connection; writers begin IMMEDIATE transactions (no lock upgrade deadlocks), readers DEFERRED. */
    Connection connect(boolean writer) throws SQLException {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.enforceForeignKeys(true);
        cfg.setBusyTimeout(30_000);
        cfg.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        cfg.setTransactionMode(writer ? SQLiteConfig.TransactionMode.IMMEDIATE : SQLiteConfig.TransactionMode.DEFERRED);
        cfg.setCacheSize(-65536); // 64 MiB page cache
        cfg.setTempStore(SQLiteConfig.TempStore.MEMORY);
        return cfg.createConnection(url);
    }

    public Path dir() {
        return dir;
    }

    public Path database() {
        return dir.resolve(DB_FILE);
    }

    public Path artifacts() {
        return dir.resolve("artifacts");
    }

    public Path exports() {
        return dir.resolve("exports");
    }

    public String name() {
        Path f = dir.getFileName();
        return f == null ? dir.toString() : f.toString();
    }

    public int schemaVersion() {
        return read(tx -> {
            try (var s = tx.connection().createStatement(); var rs = s.executeQuery("PRAGMA user_version")) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        });
    }

    /** Runs {@code work} in one write transaction: all or nothing. */
    public <T> T write(TxWork<T> work) {
        Objects.requireNonNull(work);
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try {
                T out = work.run(new Tx(c));
                c.commit();
                return out;
            } catch (Throwable t) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    t.addSuppressed(suppressed);
                }
                throw rethrow(t);
            }
        } catch (SQLException e) {
            throw new StoreException(dir + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} on a read-only snapshot. */
    public <T> T read(TxWork<T> work) {
        try (Connection c = connect(false)) {
            c.setAutoCommit(false);
            try (var s = c.createStatement()) {
                s.execute("PRAGMA query_only=1");
            }
            try {
                return work.run(new Tx(c));
            } catch (Throwable t) {
                throw rethrow(t);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new StoreException(dir + ": " + e.getMessage(), e);
        }
    }

    private RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new java.util.concurrent.CancellationException("interrupted");
        }
        if (t instanceof SQLException s) {
            return new StoreException(dir + ": " + s.getMessage(), s);
        }
        return new StoreException(dir + ": " + t.getMessage(), t);
    }

    /** Checks the database file with SQLite's integrity check; returns "ok" or the problems found. */
    public String integrityCheck() {
        return read(tx -> {
            StringBuilder sb = new StringBuilder();
            try (var s = tx.connection().createStatement(); var rs = s.executeQuery("PRAGMA integrity_check")) {
                while (rs.next()) {
                    if (sb.length() > 0) {
                        sb.append('\n');
                    }
                    sb.append(rs.getString(1));
                }
            }
            try (var s = tx.connection().createStatement(); var rs = s.executeQuery("PRAGMA foreign_key_check")) {
                while (rs.next()) {
                    sb.append("\nforeign key violation in ").append(rs.getString(1));
                }
            }
            return sb.toString();
        });
    }

    @Override
    public void close() {
        // connections are per operation; nothing held open
    }

    @Override
    public String toString() {
        return dir.toString();
    }

    /** Work inside a transaction. */
    @FunctionalInterface
    public interface TxWork<T> {
        T run(Tx tx) throws Exception;
    }
}
