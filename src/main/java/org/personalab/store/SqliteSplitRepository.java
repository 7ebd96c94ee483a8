package org.personalab.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.personalab.cluster.SplitMembers;
import org.personalab.cluster.SplitSetInfo;
import org.personalab.task.TaskContext;

final class SqliteSplitRepository implements SplitRepository {

    private static final String COLUMNS = "id, name, dataset_id, clustering_id, params, run_id, created_at";
    private static final int ROWS_PER_INSERT = 250;

    private final Connection c;

    SqliteSplitRepository(Connection c) {
        this.c = c;
    }

    @Override
    public SplitSetInfo insert(SplitSetInfo info) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO split_set (name, dataset_id, clustering_id, "
                + "params, run_id, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, info.name());
            ps.setLong(2, info.datasetId());
            if (info.clusteringId() > 0) {
                ps.setLong(3, info.clusteringId());
            } else {
                ps.setNull(3, Types.INTEGER);
            }
            ps.setString(4, info.paramsJson());
            ps.setLong(5, info.runId());
            ps.setString(6, (info.createdAt() == null ? java.time.Instant.now() : info.createdAt()).toString());
            ps.executeUpdate();
            try (ResultSet rs = c.createStatement().executeQuery("SELECT last_insert_rowid()")) {
                rs.next();
                return info.withId(rs.getLong(1));
            }
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("UNIQUE constraint failed: split_set.name")) {
                throw new StoreException("a split set named '" + info.name() + "' already exists in this workspace", e);
            }
            throw Sql.fail("cannot store split set " + info.name(), e);
        }
    }

    @Override
    public void insertMembers(long splitSetId, SplitMembers m, TaskContext ctx) {
        int n = m.size();
        try (PreparedStatement many = c.prepareStatement(insertSql(ROWS_PER_INSERT));
                PreparedStatement one = c.prepareStatement(insertSql(1))) {
            int row = 0;
            int full = n / ROWS_PER_INSERT;
            for (int b = 0; b < full; b++) {
                int p = 1;
                for (int j = 0; j < ROWS_PER_INSERT; j++, row++) {
                    many.setLong(p++, splitSetId);
                    many.setLong(p++, m.respondentIds()[row]);
                    many.setString(p++, m.splits()[row]);
                }
                many.executeUpdate();
                if ((b & 63) == 0) {
                    ctx.checkCancelled();
                    ctx.progress(row, n);
                }
            }
            for (; row < n; row++) {
                one.setLong(1, splitSetId);
                one.setLong(2, m.respondentIds()[row]);
                one.setString(3, m.splits()[row]);
                one.executeUpdate();
            }
            ctx.progress(n, n);
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("UNIQUE constraint failed: split_member")) {
                throw new StoreException("split set " + splitSetId + ": a person would be in two splits", e);
            }
            throw Sql.fail("cannot store the members of split set " + splitSetId, e);
        }
    }

    private static String insertSql(int rows) {
        StringBuilder sb = new StringBuilder("INSERT INTO split_member (split_set_id, respondent_id, split) VALUES ");
        for (int i = 0; i < rows; i++) {
            sb.append(i == 0 ? "" : ",").append("(?,?,?)");
        }
        return sb.toString();
    }

    @Override
    public Optional<SplitSetInfo> find(String name) {
        return Sql.first(c, "SELECT " + COLUMNS + " FROM split_set WHERE name = ?", SqliteSplitRepository::row,
                "cannot read split set " + name, name);
    }

    @Override
    public Optional<SplitSetInfo> get(long id) {
        return Sql.first(c, "SELECT " + COLUMNS + " FROM split_set WHERE id = ?", SqliteSplitRepository::row,
                "cannot read split set " + id, id);
    }

    @Override
    public List<SplitSetInfo> list() {
        return Sql.query(c, "SELECT " + COLUMNS + " FROM split_set ORDER BY id", SqliteSplitRepository::row,
                "cannot list split sets");
    }

    private static SplitSetInfo row(ResultSet rs) throws SQLException {
        return new SplitSetInfo(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                rs.getLong(6), Sql.instant(rs.getString(7)));
    }

    @Override
    public SplitMembers members(long splitSetId) {
        List<Long> ids = new ArrayList<>();
        List<String> splits = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT respondent_id, split FROM split_member "
                + "WHERE split_set_id = ? ORDER BY respondent_id")) {
            ps.setLong(1, splitSetId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                    splits.add(names.computeIfAbsent(rs.getString(2), s -> s));
                }
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot read the members of split set " + splitSetId, e);
        }
        return new SplitMembers(ids.stream().mapToLong(Long::longValue).toArray(), splits.toArray(String[]::new));
    }

    @Override
    public void delete(long splitSetId) {
        try (PreparedStatement m = c.prepareStatement("DELETE FROM split_member WHERE split_set_id = ?");
                PreparedStatement s = c.prepareStatement("DELETE FROM split_set WHERE id = ?")) {
            m.setLong(1, splitSetId);
            m.executeUpdate();
            s.setLong(1, splitSetId);
            s.executeUpdate();
        } catch (SQLException e) {
            throw Sql.fail("cannot delete split set " + splitSetId, e);
        }
    }
}
