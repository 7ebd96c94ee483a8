package org.personalab.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.personalab.inventory.Scale;
import org.personalab.profile.GroupNorms;
import org.personalab.profile.NormGroup;
import org.personalab.profile.NormSet;
import org.personalab.profile.NormSpec;
import org.personalab.profile.ScaleDistribution;

final class SqliteNormRepository implements NormRepository {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Connection c;

    SqliteNormRepository(Connection c) {
        this.c = c;
    }

    @Override
    public NormSet insert(NormSet norms, long referenceDatasetId, double scoringRule, long runId) {
        try {
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO norm_set (name, reference_dataset_id, "
                    + "cut_points, min_cohort_size, scoring_rule, run_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, norms.name());
                ps.setLong(2, referenceDatasetId);
                ps.setString(3, JSON.writeValueAsString(norms.spec().cutPoints()));
                ps.setInt(4, norms.spec().minCohortSize());
                ps.setString(5, Double.toString(scoringRule));
                ps.setLong(6, runId);
                ps.setString(7, Sql.now());
                ps.executeUpdate();
            }
            id = Sql.lastId(c);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO norm_group (norm_set_id, grp, people, distributions) VALUES (?, ?, ?, ?)")) {
                for (Map.Entry<NormGroup, GroupNorms> e : norms.groups().entrySet()) {
                    ps.setLong(1, id);
                    ps.setString(2, e.getKey().key());
                    ps.setInt(3, e.getValue().people());
                    ps.setString(4, encode(e.getValue().scales()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return norms.withId(id, referenceDatasetId);
        } catch (SQLException e) {
            throw Sql.fail("cannot store norms " + norms.name(), e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new StoreException("cannot encode norms: " + e.getMessage(), e);
        }
    }

    private static String encode(ScaleDistribution[] scales) throws com.fasterxml.jackson.core.JsonProcessingException {
        ArrayNode arr = JSON.createArrayNode();
        for (ScaleDistribution d : scales) {
            ObjectNode o = arr.addObject();
            ArrayNode v = o.putArray("v");
            for (float f : d.values()) {
                v.add(f);
            }
            ArrayNode cs = o.putArray("c");
            for (int i : d.counts()) {
                cs.add(i);
            }
        }
        return JSON.writeValueAsString(arr);
    }

    @Override
    public NormSet load(long id) {
        try {
            String name;
            long ref;
            NormSpec spec;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name, reference_dataset_id, cut_points, min_cohort_size FROM norm_set WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new StoreException("no norm set " + id);
                    }
                    name = rs.getString(1);
                    ref = rs.getLong(2);
                    spec = new NormSpec(JSON.readValue(rs.getString(3), double[].class), rs.getInt(4));
                }
            }
            Map<NormGroup, GroupNorms> groups = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT grp, people, distributions FROM norm_group WHERE norm_set_id = ? ORDER BY rowid")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        JsonNode arr = JSON.readTree(rs.getString(3));
                        if (arr.size() != Scale.COUNT) {
                            throw new StoreException("norm set " + id + ": group " + rs.getString(1) + " has "
                                    + arr.size() + " scales, expected " + Scale.COUNT);
                        }
                        ScaleDistribution[] d = new ScaleDistribution[Scale.COUNT];
                        for (int s = 0; s < Scale.COUNT; s++) {
                            JsonNode v = arr.get(s).get("v");
                            JsonNode cs = arr.get(s).get("c");
                            float[] vals = new float[v.size()];
                            int[] counts = new int[cs.size()];
                            for (int i = 0; i < vals.length; i++) {
                                vals[i] = (float) v.get(i).asDouble();
                                counts[i] = cs.get(i).asInt();
                            }
                            d[s] = new ScaleDistribution(vals, counts);
                        }
                        groups.put(NormGroup.ofKey(rs.getString(1)), GroupNorms.of(rs.getInt(2), d, spec));
                    }
                }
            }
            return new NormSet(id, name, ref, spec, groups);
        } catch (SQLException e) {
            throw Sql.fail("cannot read norm set " + id, e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new StoreException("norm set " + id + " is damaged: " + e.getMessage(), e);
        }
    }

    @Override
    public List<NormSet> listHeaders() {
        List<NormSet> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, reference_dataset_id, cut_points, "
                + "min_cohort_size FROM norm_set ORDER BY id DESC"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new NormSet(rs.getLong(1), rs.getString(2), rs.getLong(3),
                        new NormSpec(JSON.readValue(rs.getString(4), double[].class), rs.getInt(5)), Map.of()));
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot list norm sets", e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new StoreException("norm set list is damaged: " + e.getMessage(), e);
        }
        return out;
    }
}
