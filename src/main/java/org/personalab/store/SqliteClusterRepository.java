package org.personalab.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.personalab.cluster.ClusterMembers;
import org.personalab.cluster.ClusteringInfo;
import org.personalab.task.TaskContext;

final class SqliteClusterRepository implements ClusterRepository {

    private static final String COLUMNS = "id, name, dataset_id, k, features, metrics, run_id, created_at";
    private static final int ROWS_PER_INSERT = 200;

    private final Connection c;

    SqliteClusterRepository(Connection c) {
        this.c = c;
    }

    @Override
    public ClusteringInfo insert(ClusteringInfo info, float[] centroids, int dims) {
        if (centroids.length != info.k() * dims) {
            throw new IllegalArgumentException("centroids are not " + info.k() + " × " + dims);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO clustering (name, dataset_id, k, features, "
                + "metrics, run_id, created_at, centroids) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, info.name());
            ps.setLong(2, info.datasetId());
            ps.setInt(3, info.k());
            ps.setString(4, info.featuresJson());
            ps.setString(5, info.metricsJson());
            ps.setLong(6, info.runId());
            ps.setString(7, (info.createdAt() == null ? java.time.Instant.now() : info.createdAt()).toString());
            ps.setBytes(8, pack(centroids));
            ps.executeUpdate();
            try (ResultSet rs = c.createStatement().executeQuery("SELECT last_insert_rowid()")) {
                rs.next();
                return info.withId(rs.getLong(1));
            }
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("UNIQUE constraint failed: clustering.name")) {
                throw new StoreException("a clustering named '" + info.name() + "' already exists in this workspace",
                        e);
            }
            throw Sql.fail("cannot store clustering " + info.name(), e);
        }
    }

    static byte[] pack(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    @Override
    public void insertMembers(long clusteringId, ClusterMembers m, TaskContext ctx) {
        int n = m.size();
        try (PreparedStatement many = c.prepareStatement(insertSql(ROWS_PER_INSERT));
                PreparedStatement one = c.prepareStatement(insertSql(1))) {
            int row = 0;
            int full = n / ROWS_PER_INSERT;
            for (int b = 0; b < full; b++) {
                int p = 1;
                for (int j = 0; j < ROWS_PER_INSERT; j++, row++) {
                    p = bind(many, p, clusteringId, m, row);
                }
                many.executeUpdate();
                if ((b & 63) == 0) {
                    ctx.checkCancelled();
                    ctx.progress(row, n);
                }
            }
            for (; row < n; row++) {
                bind(one, 1, clusteringId, m, row);
                one.executeUpdate();
            }
            ctx.progress(n, n);
        } catch (SQLException e) {
            throw Sql.fail("cannot store the members of clustering " + clusteringId, e);
        }
    }

    private static String insertSql(int rows) {
        StringBuilder sb = new StringBuilder(
                "INSERT INTO cluster_member (clustering_id, respondent_id, cluster, x, y) VALUES ");
        for (int i = 0; i < rows; i++) {
            sb.append(i == 0 ? "" : ",").append("(?,?,?,?,?)");
        }
        return sb.toString();
    }

    private static int bind(PreparedStatement ps, int p, long id, ClusterMembers m, int row) throws SQLException {
        ps.setLong(p++, id);
        ps.setLong(p++, m.respondentIds()[row]);
        ps.setInt(p++, m.clusters()[row]);
        ps.setFloat(p++, m.x()[row]);
        ps.setFloat(p++, m.y()[row]);
        return p;
    }

    @Override
    public Optional<ClusteringInfo> find(String name) {
        return Sql.first(c, "SELECT " + COLUMNS + " FROM clustering WHERE name = ?", SqliteClusterRepository::row,
                "cannot read clustering " + name, name);
    }

    @Override
    public Optional<ClusteringInfo> get(long id) {
        return Sql.first(c, "SELECT " + COLUMNS + " FROM clustering WHERE id = ?", SqliteClusterRepository::row,
                "cannot read clustering " + id, id);
    }

    @Override
    public List<ClusteringInfo> list() {
        return Sql.query(c, "SELECT " + COLUMNS + " FROM clustering ORDER BY id", SqliteClusterRepository::row,
                "cannot list clusterings");
    }

    private static ClusteringInfo row(ResultSet rs) throws SQLException {
        return new ClusteringInfo(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getInt(4), rs.getString(5),
                rs.getString(6), rs.getLong(7), Sql.instant(rs.getString(8)));
    }

    @Override
    public ClusterMembers members(long clusteringId) {
        int n;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM cluster_member WHERE clustering_id = ?")) {
            ps.setLong(1, clusteringId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                n = rs.getInt(1);
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot count the members of clustering " + clusteringId, e);
        }
        long[] ids = new long[n];
        int[] cl = new int[n];
        float[] x = new float[n];
        float[] y = new float[n];
        int i = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT respondent_id, cluster, x, y FROM cluster_member "
                + "WHERE clustering_id = ? ORDER BY respondent_id")) {
            ps.setLong(1, clusteringId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && i < n) {
                    ids[i] = rs.getLong(1);
                    cl[i] = rs.getInt(2);
                    x[i] = rs.getFloat(3);
                    y[i] = rs.getFloat(4);
                    i++;
                }
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot read the members of clustering " + clusteringId, e);
        }
        return new ClusterMembers(ids, cl, x, y);
    }

    @Override
    public float[] centroids(long clusteringId) {
        try (PreparedStatement ps = c.prepareStatement("SELECT centroids FROM clustering WHERE id = ?")) {
            ps.setLong(1, clusteringId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException("no clustering " + clusteringId);
                }
                byte[] b = rs.getBytes(1);
                if (b == null || b.length % 4 != 0) {
                    throw new StoreException("clustering " + clusteringId + " has no centroids stored");
                }
                float[] out = new float[b.length / 4];
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
                return out;
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot read the centroids of clustering " + clusteringId, e);
        }
    }

    @Override
    public void delete(long clusteringId) {
        try (PreparedStatement m = c.prepareStatement("DELETE FROM cluster_member WHERE clustering_id = ?");
                PreparedStatement s = c.prepareStatement("DELETE FROM clustering WHERE id = ?")) {
            m.setLong(1, clusteringId);
            m.executeUpdate();
            s.setLong(1, clusteringId);
            s.executeUpdate();
        } catch (SQLException e) {
            throw Sql.fail("cannot delete clustering " + clusteringId, e);
        }
    }
}
