package org.personalab.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.personalab.data.DatasetInfo;
import org.personalab.data.Responses;
import org.personalab.inventory.AnswerEncoding;
import org.personalab.inventory.Inventory;
import org.personalab.task.TaskContext;

final class SqliteDatasetRepository implements DatasetRepository {

    private static final String COLUMNS = "id, name, format, inventory, encoding, size, scoring_rule, source_file, "
            + "source_bytes, source_sha256, provenance, level_norm_set, run_id, created_at";
    /** Rows per multi-row INSERT statement: fewer JNI round trips than one statement per row. */
    private static final int ROWS_PER_INSERT = 256;

    private final Connection c;

    SqliteDatasetRepository(Connection c) {
        this.c = c;
    }

    @Override
    public List<DatasetInfo> list() {
        return query("ORDER BY id");
    }

    @Override
    public Optional<DatasetInfo> find(String name) {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM dataset WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot read dataset " + name, e);
        }
    }

    @Override
    public Optional<DatasetInfo> get(long id) {
        List<DatasetInfo> l = query("WHERE id = " + id);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    private List<DatasetInfo> query(String tail) {
        List<DatasetInfo> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM dataset " + tail);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(row(rs));
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot read datasets", e);
        }
        return out;
    }

    private static DatasetInfo row(ResultSet rs) throws SQLException {
        return new DatasetInfo(rs.getLong(1), rs.getString(2), rs.getString(3), Inventory.byName(rs.getString(4)),
                AnswerEncoding.valueOf(rs.getString(5)), rs.getInt(6), Double.parseDouble(rs.getString(7)),
                rs.getString(8), rs.getLong(9), rs.getString(10), rs.getString(11), rs.getLong(12), rs.getLong(13),
                Sql.instant(rs.getString(14)));
    }

    @Override
    public DatasetInfo insert(DatasetInfo d) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO dataset (name, format, inventory, encoding, size, "
                + "scoring_rule, source_file, source_bytes, source_sha256, provenance, level_norm_set, run_id, "
                + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, d.name());
            ps.setString(2, d.format());
            ps.setString(3, d.inventory().name());
            ps.setString(4, d.encoding().name());
            ps.setInt(5, d.size());
            ps.setString(6, Double.toString(d.scoringRule()));
            ps.setString(7, d.sourceFile());
            ps.setLong(8, d.sourceBytes());
            ps.setString(9, d.sourceSha256());
            ps.setString(10, d.provenance());
            if (d.normSetId() > 0) {
                ps.setLong(11, d.normSetId());
            } else {
                ps.setNull(11, java.sql.Types.INTEGER);
            }
            ps.setLong(12, d.runId());
            ps.setString(13, (d.createdAt() == null ? java.time.Instant.now() : d.createdAt()).toString());
            ps.executeUpdate();
            long id = Sql.lastId(c);
            return d.withIds(id, d.normSetId(), d.runId());
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("UNIQUE constraint failed: dataset.name")) {
                throw new StoreException("a dataset named '" + d.name() + "' already exists in this workspace", e);
            }
            throw Sql.fail("cannot store dataset " + d.name(), e);
        }
    }

    @Override
    public void insertRespondents(long datasetId, Responses r, TaskContext ctx) {
        int n = r.size();
        int k = r.items();
        byte[] matrix = r.answerMatrix();
        int full = n / ROWS_PER_INSERT;
        try {
            long first;
            try (ResultSet rs = c.createStatement().executeQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM respondent")) {
                rs.next();
                first = rs.getLong(1);
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE dataset SET first_respondent = ? WHERE id = ?")) {
                ps.setLong(1, first);
                ps.setLong(2, datasetId);
                ps.executeUpdate();
            }
            try (PreparedStatement many = c.prepareStatement(insertSql(ROWS_PER_INSERT));
                    PreparedStatement one = c.prepareStatement(insertSql(1))) {
                int row = 0;
                for (int b = 0; b < full; b++) {
                    int p = 1;
                    for (int j = 0; j < ROWS_PER_INSERT; j++, row++) {
                        p = bind(many, p, first + row, datasetId, r, row, matrix, k);
                    }
                    many.executeUpdate();
                    if ((b & 31) == 0) {
                        ctx.checkCancelled();
                        ctx.progress(row, n);
                    }
                }
                for (; row < n; row++) {
                    bind(one, 1, first + row, datasetId, r, row, matrix, k);
                    one.executeUpdate();
                }
            }
            ctx.progress(n, n);
        } catch (SQLException e) {
            throw Sql.fail("cannot store respondents", e);
        }
    }

    private static String insertSql(int rows) {
        StringBuilder sb = new StringBuilder(
                "INSERT INTO respondent (id, dataset_id, ext_id, sex, age, country, answers) VALUES ");
        for (int i = 0; i < rows; i++) {
            sb.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?)");
        }
        return sb.toString();
    }

    private static int bind(PreparedStatement ps, int p, long id, long datasetId, Responses r, int row, byte[] m,
            int k) throws SQLException {
        ps.setLong(p++, id);
        ps.setLong(p++, datasetId);
        ps.setString(p++, r.id(row));
        ps.setInt(p++, r.sexCode(row));
        ps.setInt(p++, r.age(row));
        ps.setString(p++, r.country(row));
        ps.setBytes(p++, AnswerPacking.pack(m, row * k, k));
        return p;
    }

    /** First respondent id of a dataset (its rows are consecutive from there). */
    private long firstRespondent(long datasetId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT first_respondent FROM dataset WHERE id = ?")) {
            ps.setLong(1, datasetId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    @Override
    public Responses loadResponses(DatasetInfo info, TaskContext ctx) {
        int n = info.size();
        int k = info.inventory().size();
        String[] ids = new String[n];
        byte[] sex = new byte[n];
        short[] age = new short[n];
        String[] country = new String[n];
        byte[] answers = new byte[n * k];
        Map<String, String> countries = new HashMap<>();
        int count = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT id, ext_id, sex, age, country, answers "
                + "FROM respondent WHERE id BETWEEN ? AND ? ORDER BY id")) {
            long first = firstRespondent(info.id());
            ps.setLong(1, first);
            ps.setLong(2, first + n - 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long row = rs.getLong(1) - first;
                    if (row != count || row >= n) {
                        throw new StoreException("dataset " + info.name() + ": respondent rows are not 0.." + (n - 1)
                                + " (found row " + row + " at position " + count + ")");
                    }
                    int i = (int) row;
                    ids[i] = rs.getString(2);
                    sex[i] = (byte) rs.getInt(3);
                    age[i] = (short) rs.getInt(4);
                    country[i] = countries.computeIfAbsent(rs.getString(5), s -> s);
                    AnswerPacking.unpack(rs.getBytes(6), answers, i * k, k);
                    count++;
                    if ((count & 16383) == 0) {
                        ctx.checkCancelled();
                        ctx.progress(count, n);
                    }
                }
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot read respondents of " + info.name(), e);
        }
        if (count != n) {
            throw new StoreException("dataset " + info.name() + " should have " + n + " respondents, found " + count);
        }
        return Responses.of(info.inventory(), info.encoding(), ids, sex, age, country, answers);
    }

    @Override
    public long[] respondentIds(long datasetId) {
        try {
            long first = firstRespondent(datasetId);
            int n = get(datasetId).map(DatasetInfo::size).orElse(0);
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                out[i] = first + i;
            }
            return out;
        } catch (SQLException e) {
            throw Sql.fail("cannot read respondent ids", e);
        }
    }

    @Override
    public void setNormSet(long datasetId, long normSetId) {
        try (PreparedStatement ps = c.prepareStatement("UPDATE dataset SET level_norm_set = ? WHERE id = ?")) {
            ps.setLong(1, normSetId);
            ps.setLong(2, datasetId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Sql.fail("cannot set norms of dataset " + datasetId, e);
        }
    }

    @Override
    public void delete(long datasetId) {
        try (PreparedStatement del = c.prepareStatement("DELETE FROM respondent WHERE id BETWEEN ? AND ?");
                PreparedStatement ps = c.prepareStatement("DELETE FROM dataset WHERE id = ?")) {
            long first = firstRespondent(datasetId);
            int n = get(datasetId).map(DatasetInfo::size).orElse(0);
            del.setLong(1, first);
            del.setLong(2, first + n - 1);
            del.executeUpdate();
            ps.setLong(1, datasetId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Sql.fail("cannot delete dataset " + datasetId, e);
        }
    }
}
