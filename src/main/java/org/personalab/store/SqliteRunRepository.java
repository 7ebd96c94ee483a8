package org.personalab.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.personalab.task.RunRecord;

final class SqliteRunRepository implements RunRepository {

    private final Connection c;

    SqliteRunRepository(Connection c) {
        this.c = c;
    }

    @Override
    public long start(String kind, String title, String paramsJson, String inputsJson) {
        return insert(kind, title, paramsJson, inputsJson, "{}", RunRecord.RUNNING, java.time.Instant.now(), null);
    }

    @Override
    public long insertFinished(String kind, String title, String paramsJson, String inputsJson, String outputsJson,
            java.time.Instant startedAt) {
        return insert(kind, title, paramsJson, inputsJson, outputsJson, RunRecord.SUCCEEDED, startedAt,
                java.time.Instant.now());
    }

    private long insert(String kind, String title, String paramsJson, String inputsJson, String outputsJson,
            String status, java.time.Instant startedAt, java.time.Instant finishedAt) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO run (kind, title, params, inputs, outputs, status, "
                + "app_version, pid, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, kind);
            ps.setString(2, title);
            ps.setString(3, paramsJson == null ? "{}" : paramsJson);
            ps.setString(4, inputsJson == null ? "{}" : inputsJson);
            ps.setString(5, outputsJson == null ? "{}" : outputsJson);
            ps.setString(6, status);
            ps.setString(7, AppVersion.get());
            ps.setLong(8, ProcessHandle.current().pid());
            ps.setString(9, startedAt.toString());
            ps.setString(10, finishedAt == null ? null : finishedAt.toString());
            ps.executeUpdate();
            return Sql.lastId(c);
        } catch (SQLException e) {
            throw Sql.fail("cannot record run", e);
        }
    }

    @Override
    public void finish(long runId, String status, String outputsJson, String error) {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE run SET status = ?, outputs = ?, error = ?, finished_at = ? WHERE id = ?")) {
            ps.setString(1, status);
            ps.setString(2, outputsJson == null ? "{}" : outputsJson);
            ps.setString(3, error);
            ps.setString(4, Sql.now());
            ps.setLong(5, runId);
            if (ps.executeUpdate() != 1) {
                throw new StoreException("no run " + runId);
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot finish run " + runId, e);
        }
    }

    @Override
    public void reopen(long runId) {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE run SET status = 'running', pid = ?, error = NULL, finished_at = NULL WHERE id = ?")) {
            ps.setLong(1, ProcessHandle.current().pid());
            ps.setLong(2, runId);
            if (ps.executeUpdate() != 1) {
                throw new StoreException("no run " + runId);
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot reopen run " + runId, e);
        }
    }

    @Override
    public Optional<RunRecord> get(long runId) {
        List<RunRecord> l = query("WHERE id = " + runId);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    @Override
    public List<RunRecord> list() {
        return query("ORDER BY id DESC");
    }

    private List<RunRecord> query(String tail) {
        List<RunRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, kind, title, params, inputs, outputs, status, error, "
                + "app_version, started_at, finished_at FROM run " + tail); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new RunRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                        Sql.instant(rs.getString(10)), Sql.instant(rs.getString(11))));
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot read runs", e);
        }
        return out;
    }

    @Override
    public int markInterrupted() {
        List<Long> stale = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, pid FROM run WHERE status = 'running'");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long pid = rs.getLong(2);
                boolean alive = !rs.wasNull() && (pid == ProcessHandle.current().pid()
                        || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
                if (!alive) {
                    stale.add(rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot read runs", e);
        }
        for (long id : stale) {
            finish(id, RunRecord.FAILED, "{}", "interrupted: the process running it ended before it finished");
        }
        return stale.size();
    }
}
