package org.personalab.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class SqliteJudgmentRepository implements JudgmentRepository {

    private static final String JUDGMENT_COLUMNS = "j.id, j.run_id, j.spec_a, j.spec_b, s.respondent_id, j.judge, "
            + "j.winner, j.confidence, j.rationale, j.detail, j.flagged, j.created_at";
    private static final String OVERRIDE_COLUMNS = "o.id, o.judgment_id, o.annotator, o.verdict, o.previous, o.reason, "
            + "o.shown_swapped, o.created_at, o.reverted_at, o.reverted_by";

    private final Connection c;

    SqliteJudgmentRepository(Connection c) {
        this.c = c;
    }

    @Override
    public void insert(long runId, List<NewJudgment> judgments) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO judgment (run_id, spec_a, spec_b, judge, winner, "
                + "confidence, rationale, detail, flagged, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            String now = Sql.now();
            for (NewJudgment j : judgments) {
                ps.setLong(1, runId);
                ps.setLong(2, j.specA());
                ps.setLong(3, j.specB());
                ps.setString(4, j.judge());
                ps.setString(5, j.winner());
                if (j.confidence() == null || j.confidence().isNaN()) {
                    ps.setNull(6, Types.REAL);
                } else {
                    ps.setDouble(6, j.confidence());
                }
                ps.setString(7, j.rationale());
                ps.setString(8, j.detail() == null ? "{}" : j.detail());
                ps.setInt(9, j.flagged() ? 1 : 0);
                ps.setString(10, now);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw Sql.fail("cannot store judgments of run " + runId, e);
        }
    }

    @Override
    public Optional<JudgmentRow> get(long judgmentId) {
        List<JudgmentRow> l = judgments("WHERE j.id = ?", judgmentId);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    @Override
    public List<JudgmentRow> byRun(long runId) {
        return judgments("WHERE j.run_id = ? ORDER BY j.id", runId);
    }

    private List<JudgmentRow> judgments(String tail, long arg) {
        List<JudgmentRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + JUDGMENT_COLUMNS
                + " FROM judgment j JOIN spec s ON s.id = j.spec_a " + tail)) {
            ps.setLong(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double conf = rs.getDouble(8);
                    Double confidence = rs.wasNull() ? null : conf;
                    out.add(new JudgmentRow(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                            rs.getString(6), rs.getString(7), confidence, rs.getString(9), rs.getString(10),
                            rs.getInt(11) != 0, Sql.instant(rs.getString(12))));
                }
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot read judgments", e);
        }
        return out;
    }

    @Override
    public long addOverride(long judgmentId, String annotator, String verdict, String previous, String reason,
            boolean shownSwapped) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO judgment_override (judgment_id, annotator, "
                + "verdict, previous, reason, shown_swapped, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, judgmentId);
            ps.setString(2, annotator);
            ps.setString(3, verdict);
            ps.setString(4, previous);
            ps.setString(5, reason);
            ps.setInt(6, shownSwapped ? 1 : 0);
            ps.setString(7, Sql.now());
            ps.executeUpdate();
            return Sql.lastId(c);
        } catch (SQLException e) {
            throw Sql.fail("cannot store the override of judgment " + judgmentId + " by " + annotator, e);
        }
    }

    @Override
    public Optional<OverrideRow> getOverride(long overrideId) {
        List<OverrideRow> l = overrides("WHERE o.id = ?", overrideId);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    @Override
    public void revertOverride(long overrideId, String revertedBy) {
        try (PreparedStatement ps = c.prepareStatement("UPDATE judgment_override SET reverted_at = ?, reverted_by = ? "
                + "WHERE id = ? AND reverted_at IS NULL")) {
            ps.setString(1, Sql.now());
            ps.setString(2, revertedBy);
            ps.setLong(3, overrideId);
            if (ps.executeUpdate() != 1) {
                throw new StoreException(getOverride(overrideId).isPresent() ? "override " + overrideId
                        + " is already reverted" : "no override " + overrideId);
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot revert override " + overrideId, e);
        }
    }

    @Override
    public List<OverrideRow> overrides(long judgmentId) {
        return overrides("WHERE o.judgment_id = ? ORDER BY o.id", judgmentId);
    }

    @Override
    public List<OverrideRow> overridesOfRun(long runId) {
        return overrides("JOIN judgment j ON j.id = o.judgment_id WHERE j.run_id = ? ORDER BY o.id", runId);
    }

    private List<OverrideRow> overrides(String tail, long arg) {
        List<OverrideRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + OVERRIDE_COLUMNS + " FROM judgment_override o "
                + tail)) {
            ps.setLong(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new OverrideRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getInt(7) != 0, Sql.instant(rs.getString(8)),
                            Sql.instant(rs.getString(9)), rs.getString(10)));
                }
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot read overrides", e);
        }
        return out;
    }

    @Override
    public void addAnnotator(String name) {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO annotator (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
            ps.setString(1, name);
            ps.setString(2, Sql.now());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Sql.fail("cannot add annotator " + name, e);
        }
    }

    @Override
    public List<String> annotators() {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM annotator ORDER BY name");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot read annotators", e);
        }
        return out;
    }

    @Override
    public long addFlag(long judgmentId, String annotator, String reason) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO judgment_flag (judgment_id, annotator, reason, "
                + "created_at) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, judgmentId);
            ps.setString(2, annotator);
            ps.setString(3, reason);
            ps.setString(4, Sql.now());
            ps.executeUpdate();
            return Sql.lastId(c);
        } catch (SQLException e) {
            throw Sql.fail("cannot flag judgment " + judgmentId, e);
        }
    }

    @Override
    public int clearFlags(long judgmentId, String annotator) {
        try (PreparedStatement ps = c.prepareStatement("UPDATE judgment_flag SET cleared_at = ? WHERE judgment_id = ? "
                + "AND annotator = ? AND cleared_at IS NULL")) {
            ps.setString(1, Sql.now());
            ps.setLong(2, judgmentId);
            ps.setString(3, annotator);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw Sql.fail("cannot clear flags of judgment " + judgmentId, e);
        }
    }

    @Override
    public List<FlagRow> flagsOfRun(long runId) {
        List<FlagRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT f.id, f.judgment_id, f.annotator, f.reason, "
                + "f.created_at, f.cleared_at FROM judgment_flag f JOIN judgment j ON j.id = f.judgment_id "
                + "WHERE j.run_id = ? ORDER BY f.id")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new FlagRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            Sql.instant(rs.getString(5)), Sql.instant(rs.getString(6))));
                }
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot read flags of run " + runId, e);
        }
        return out;
    }
}
