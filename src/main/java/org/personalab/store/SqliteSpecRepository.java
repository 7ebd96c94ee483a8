package org.personalab.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

final class SqliteSpecRepository implements SpecRepository {

    private static final String COLUMNS =
            "id, respondent_id, source, parent_id, persona, request_hash, author, run_id, created_at, sample, "
                    + "temperature";
    private final Connection c;

    SqliteSpecRepository(Connection c) {
        this.c = c;
    }

    @Override
    public long insert(long respondentId, String source, long parentId, String document, String requestHash,
            String author, long runId) {
        int sample = 0;
        Double temperature = null;
        if (parentId > 0) { // an edit keeps the sample of the spec it edits
            Optional<SpecRow> parent = get(parentId);
            if (parent.isPresent()) {
                sample = parent.get().sample();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO spec (respondent_id, source, parent_id, persona, "
                + "request_hash, author, run_id, created_at, sample, temperature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            bind(ps, respondentId, source, parentId, document, requestHash, author, runId, sample, temperature);
            ps.executeUpdate();
            return Sql.lastId(c);
        } catch (SQLException e) {
            throw Sql.fail("cannot store spec of respondent " + respondentId, e);
        }
    }

    @Override
    public OptionalLong insertSample(long respondentId, String source, String document, String requestHash,
            long runId, int sample, Double temperature) {
        if (runId <= 0 || sample < 0) {
            throw new IllegalArgumentException("a spec sample needs a run and a sample index >= 0");
        }
        // the partial unique index spec_run_sample makes a second original of the same run, person and sample a no-op
        try (PreparedStatement ps = c.prepareStatement("INSERT OR IGNORE INTO spec (respondent_id, source, parent_id, "
                + "persona, request_hash, author, run_id, created_at, sample, temperature) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            bind(ps, respondentId, source, 0, document, requestHash, null, runId, sample, temperature);
            return ps.executeUpdate() == 1 ? OptionalLong.of(Sql.lastId(c)) : OptionalLong.empty();
        } catch (SQLException e) {
            throw Sql.fail("cannot store sample " + sample + " of the spec of respondent " + respondentId, e);
        }
    }

    private void bind(PreparedStatement ps, long respondentId, String source, long parentId, String document,
            String requestHash, String author, long runId, int sample, Double temperature) throws SQLException {
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
        ps.setInt(9, sample);
        if (temperature == null) {
            ps.setNull(10, Types.REAL);
        } else {
            ps.setDouble(10, temperature);
        }
    }

    @Override
    public Set<PersonSample> samplesOf(long runId) {
        Set<PersonSample> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT respondent_id, sample FROM spec WHERE run_id = ? AND parent_id IS NULL")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new PersonSample(rs.getLong(1), rs.getInt(2)));
                }
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot read the specs of run " + runId, e);
        }
        return out;
    }

    @Override
    public int countOriginals(long runId) {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM spec WHERE run_id = ? AND parent_id IS NULL")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot count the specs of run " + runId, e);
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
                    double t = rs.getDouble(11);
                    Double temperature = rs.wasNull() ? null : t;
                    out.add(new SpecRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8),
                            Sql.instant(rs.getString(9)), rs.getInt(10), temperature));
                }
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot read specs", e);
        }
        return out;
    }
}
