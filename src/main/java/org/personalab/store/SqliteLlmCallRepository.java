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

final class SqliteLlmCallRepository implements LlmCallRepository {

    private static final int IN_CHUNK = 500;
    private final Connection c;

    SqliteLlmCallRepository(Connection c) {
        this.c = c;
    }

    @Override
    public Optional<StoredCall> find(String requestHash) {
        try (PreparedStatement ps = c.prepareStatement("SELECT request_hash, provider, model, request, response, "
                + "status, prompt_tokens, completion_tokens, cost_usd, latency_ms, run_id, created_at FROM llm_call "
                + "WHERE request_hash = ?")) {
            ps.setString(1, requestHash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredCall(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), intOrNull(rs, 7), intOrNull(rs, 8), doubleOrNull(rs, 9),
                        longOrNull(rs, 10), longOrNull(rs, 11), Sql.instant(rs.getString(12))));
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot read LLM call " + requestHash, e);
        }
    }

    @Override
    public void save(StoredCall call) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO llm_call (request_hash, provider, model, request, "
                + "response, status, prompt_tokens, completion_tokens, cost_usd, latency_ms, run_id, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (request_hash) DO UPDATE SET "
                + "provider = excluded.provider, model = excluded.model, request = excluded.request, "
                + "response = excluded.response, status = excluded.status, prompt_tokens = excluded.prompt_tokens, "
                + "completion_tokens = excluded.completion_tokens, cost_usd = excluded.cost_usd, "
                + "latency_ms = excluded.latency_ms, run_id = excluded.run_id")) {
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
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Sql.fail("cannot store LLM call " + call.requestHash(), e);
        }
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
        return totals("", null);
    }

    @Override
    public Totals totalsForRun(long runId) {
        return totals(" WHERE run_id = ?", runId);
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
}
