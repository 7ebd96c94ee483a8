package org.personalab.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class SqliteSpecRepository implements SpecRepository {

    private static final String COLUMNS =
            "id, respondent_id, source, parent_id, persona, request_hash, author, run_id, created_at";
    private final Connection c;

    SqliteSpecRepository(Connection c) {
        this.c = c;
    }

    @Override
    public long insert(long respondentId, String source, long parentId, String document, String requestHash,
            String author, long runId) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO spec (respondent_id, source, parent_id, persona, "
                + "request_hash, author, run_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, respondentId);
            ps.setString(2, source);
            if (parentId > 0) {
                ps.setLong(3, parentId);
            } else {
                ps.setNull(3, Types.INTEGER);
            }
            ps.setString(4, document);
            ps.setString(5, requestHash);
            ps.setString(6, author);
            if (runId > 0) {
                ps.setLong(7, runId);
            } else {
                ps.setNull(7, Types.INTEGER);
            }
            ps.setString(8, Sql.now());
            ps.executeUpdate();
            return Sql.lastId(c);
        } catch (SQLException e) {
            throw Sql.fail("cannot store spec of respondent " + respondentId, e);
        }
    }

    @Override
    public Optional<SpecRow> get(long id) {
        List<SpecRow> l = query("WHERE id = ?", id);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    @Override
    public List<SpecRow> byRun(long runId) {
        return query("WHERE run_id = ? ORDER BY id", runId);
    }

    @Override
    public List<SpecRow> byRespondent(long respondentId) {
        return query("WHERE respondent_id = ? ORDER BY id", respondentId);
    }

    private List<SpecRow> query(String tail, long arg) {
        List<SpecRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM spec " + tail)) {
            ps.setLong(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SpecRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8),
                            Sql.instant(rs.getString(9))));
                }
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot read specs", e);
        }
        return out;
    }
}
