package org.personalab.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

final class SqliteLlmCallRepository implements LlmCallRepository {

    private static final int IN_CHUNK = 500;
    private static final String COLUMNS = "request_hash, provider, model, request, response, status, prompt_tokens, "
            + "completion_tokens, cost_usd, latency_ms, run_id, created_at";
    private static final String UPSERT = "INSERT INTO llm_call (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
            + "?, ?, ?) ON CONFLICT (request_hash) DO UPDATE SET provider = excluded.provider, model = excluded.model, "
            + "request = excluded.request, response = excluded.response, status = excluded.status, "
            + "prompt_tokens = excluded.prompt_tokens, completion_tokens = excluded.completion_tokens, "
            + "cost_usd = excluded.cost_usd, latency_ms = excluded.latency_ms, run_id = excluded.run_id";
    private static final String FIND = "SELECT " + COLUMNS + " FROM llm_call WHERE request_hash = ?";
    private final Connection c;
    /** Statements of the hot paths kept per connection by a {@link SqliteSession}; null: prepare each time. */
    private final Map<String, PreparedStatement> prepared;

    SqliteLlmCallRepository(Connection c) {
        this(c, null);
    }

    private SqliteLlmCallRepository(Connection c, Map<String, PreparedStatement> prepared) {
        this.c = c;
        this.prepared = prepared;
    }

    private PreparedStatement statement(String sql) throws SQLException {
        if (prepared == null) {
            return c.prepareStatement(sql);
        }
        PreparedStatement ps = prepared.get(sql);
        if (ps == null) {
            ps = c.prepareStatement(sql);
            prepared.put(sql, ps);
        } else {
            ps.clearParameters();
        }
        return ps;
    }

    private void release(PreparedStatement ps) throws SQLException {
        if (prepared == null) {
            ps.close();
        }
    }

    @Override
    public Optional<StoredCall> find(String requestHash) {
        try {
            PreparedStatement ps = statement(FIND);
            try {
                ps.setString(1, requestHash);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.empty();
                }
            } finally {
                release(ps);
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot read LLM call " + requestHash, e);
        }
    }

    private static StoredCall row(ResultSet rs) throws SQLException {
        return new StoredCall(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), intOrNull(rs, 7), intOrNull(rs, 8), doubleOrNull(rs, 9), longOrNull(rs, 10),
                longOrNull(rs, 11), Sql.instant(rs.getString(12)));
    }

    @Override
    public void save(StoredCall call) {
        upsert(call, "");
    }

    @Override
    public boolean saveUnlessAnswered(StoredCall call) {
        return upsert(call, " WHERE llm_call.status = '" + ERROR + "'");
    }

    private boolean upsert(StoredCall call, String where) {
        try {
            PreparedStatement ps = statement(UPSERT + where);
            try {
                return bindAndRun(ps, call);
            } finally {
                release(ps);
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot store LLM call " + call.requestHash(), e);
        }
    }

    private static boolean bindAndRun(PreparedStatement ps, StoredCall call) throws SQLException {
        ps.setString(1, call.requestHash());
        ps.setString(2, call.provider());
        ps.setString(3, call.model());
        ps.setString(4, call.request());
        ps.setString(5, call.response());
        ps.setString(6, call.status());
        setNullable(ps, 7, call.promptTokens(), Types.INTEGER);
        setNullable(ps, 8, call.completionTokens(), Types.INTEGER);
        setNullable(ps, 9, call.costUsd(), Types.REAL);
        setNullable(ps, 10, call.latencyMs(), Types.INTEGER);
        setNullable(ps, 11, call.runId(), Types.INTEGER);
        ps.setString(12, call.createdAt() == null ? Sql.now() : call.createdAt().toString());
        return ps.executeUpdate() > 0;
    }

    @Override
    public Map<String, StoredCall> findAll(Collection<String> hashes) {
        Map<String, StoredCall> out = new java.util.HashMap<>();
        List<String> all = new ArrayList<>(new HashSet<>(hashes));
        for (int from = 0; from < all.size(); from += IN_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
            String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM llm_call WHERE request_hash "
                    + "IN (" + marks + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        StoredCall r = row(rs);
                        out.put(r.requestHash(), r);
                    }
                }
            } catch (SQLException e) {
                throw Sql.fail("cannot read LLM calls", e);
            }
        }
        return out;
    }

    @Override
    public List<StoredCall> findByStatus(String status) {
        List<StoredCall> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM llm_call WHERE status = ? "
                + "ORDER BY created_at, request_hash")) {
            ps.setString(1, status);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot read LLM calls with status " + status, e);
        }
        return out;
    }

    @Override
    public Set<String> finalHashes(Collection<String> hashes) {
        Set<String> out = new HashSet<>();
        List<String> all = new ArrayList<>(new HashSet<>(hashes));
        for (int from = 0; from < all.size(); from += IN_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
            String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement("SELECT request_hash FROM llm_call WHERE status IN ('"
                    + OK + "', '" + INVALID + "') AND request_hash IN (" + marks + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            } catch (SQLException e) {
                throw Sql.fail("cannot read LLM calls", e);
            }
        }
        return out;
    }

    @Override
    public Totals totals() {
        return totals(" WHERE status <> '" + BATCH + "'", null);
    }

    @Override
    public Totals totalsForRun(long runId) {
        return totals(" WHERE status <> '" + BATCH + "' AND run_id = ?", runId);
    }

    private Totals totals(String where, Long runId) {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), SUM(CASE WHEN status <> '" + ERROR
                + "' THEN 1 ELSE 0 END), COALESCE(SUM(prompt_tokens), 0), COALESCE(SUM(completion_tokens), 0), "
                + "COALESCE(SUM(cost_usd), 0) FROM llm_call" + where)) {
            if (runId != null) {
                ps.setLong(1, runId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Totals(rs.getInt(1), rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getDouble(5));
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot sum LLM calls", e);
        }
    }

    @Override
    public Map<String, Integer> countByStatus() {
        Map<String, Integer> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT status, COUNT(*) FROM llm_call GROUP BY status");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getInt(2));
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot count LLM calls", e);
        }
        return out;
    }

    private static void setNullable(PreparedStatement ps, int i, Number v, int type) throws SQLException {
        if (v == null) {
            ps.setNull(i, type);
        } else if (v instanceof Double d) {
            ps.setDouble(i, d);
        } else {
            ps.setLong(i, v.longValue());
        }
    }

    private static Integer intOrNull(ResultSet rs, int i) throws SQLException {
        int v = rs.getInt(i);
        return rs.wasNull() ? null : v;
    }

    private static Long longOrNull(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    private static Double doubleOrNull(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }

    /**
     * {@link LlmCallRepository.Session} over SQLite: up to {@value #IDLE_READERS} idle read-only connections are kept
     * for reuse (more are opened under load and closed after), and one writer connection runs explicit
     * {@code BEGIN IMMEDIATE} transactions under a lock. Each kept connection keeps its prepared statements for
     * lookups and upserts (preparing one costs more than running it).
     */
    static final class SqliteSession implements LlmCallRepository.Session {

        private static final int IDLE_READERS = 16;
        private final Workspace workspace;
        private final LinkedBlockingQueue<Pooled> readers = new LinkedBlockingQueue<>(IDLE_READERS);
        private final ReentrantLock writeLock = new ReentrantLock();
        private Pooled writer;

        /** A connection with its prepared statements. */
        private record Pooled(Connection connection, Map<String, PreparedStatement> prepared) {
            Pooled(Connection connection) {
                this(connection, new java.util.HashMap<>());
            }

            LlmCallRepository repository() {
                return new SqliteLlmCallRepository(connection, prepared);
            }
        }
        private volatile boolean closed;

        SqliteSession(Workspace workspace) {
            this.workspace = workspace;
        }

        @Override
        public <T> T read(Function<LlmCallRepository, T> work) {
            Pooled c = readers.poll();
            try {
                if (c == null) {
                    check();
                    c = new Pooled(workspace.connect(false));
                    try (var s = c.connection().createStatement()) {
                        s.execute("PRAGMA query_only=1");
                    }
                }
                return work.apply(c.repository());
            } catch (SQLException e) {
                throw new StoreException(workspace.dir() + ": " + e.getMessage(), e);
            } finally {
                if (c != null && (closed || !readers.offer(c))) {
                    quietClose(c);
                }
            }
        }

        @Override
        public <T> T write(Function<LlmCallRepository, T> work) {
            writeLock.lock();
            try {
                check();
                if (writer == null) {
                    writer = new Pooled(workspace.connect(true));
                }
                Connection w = writer.connection();
                try (var s = w.createStatement()) {
                    s.execute("BEGIN IMMEDIATE");
                }
                try {
                    T out = work.apply(writer.repository());
                    try (var s = w.createStatement()) {
                        s.execute("COMMIT");
                    }
                    return out;
                } catch (Throwable t) {
                    try (var s = w.createStatement()) {
                        s.execute("ROLLBACK");
                    } catch (SQLException suppressed) {
                        t.addSuppressed(suppressed);
                    }
                    throw t;
                }
            } catch (SQLException e) {
                throw new StoreException(workspace.dir() + ": " + e.getMessage(), e);
            } finally {
                writeLock.unlock();
            }
        }

        private void check() {
            if (closed) {
                throw new StoreException(workspace.dir() + ": the LLM call session is closed");
            }
        }

        @Override
        public void close() {
            closed = true;
            for (Pooled c = readers.poll(); c != null; c = readers.poll()) {
                quietClose(c);
            }
            writeLock.lock();
            try {
                if (writer != null) {
                    quietClose(writer);
                    writer = null;
                }
            } finally {
                writeLock.unlock();
            }
        }

        private static void quietClose(Pooled c) {
            try {
                for (PreparedStatement ps : c.prepared().values()) {
                    ps.close();
                }
                c.connection().close();
            } catch (SQLException ignored) {
                // closing a connection that holds no transaction cannot lose data
            }
        }
    }
}
