package org.personalab.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.personalab.inventory.Inventory;

final class SqliteSimAnswerRepository implements SimAnswerRepository {

    private final Connection c;

    SqliteSimAnswerRepository(Connection c) {
        this.c = c;
    }

    @Override
    public void registerRun(SimRun run) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sim_run (run_id, spec_run_id, inventory, samples, "
                + "engine, memory) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, run.runId());
            if (run.specRunId() > 0) {
                ps.setLong(2, run.specRunId());
            } else {
                ps.setNull(2, Types.INTEGER);
            }
            ps.setString(3, run.inventory().name());
            ps.setInt(4, run.samples());
            ps.setString(5, run.engine());
            ps.setString(6, run.memory());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Sql.fail("cannot register simulation run " + run.runId(), e);
        }
    }

    @Override
    public void insert(long runId, List<Answer> batch) {
        try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO sim_answer (run_id, spec_id, item, "
                + "sample, answer, status, raw_text, prompt_hash, position, prompt_tokens, completion_tokens, "
                + "tokens_estimated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Answer a : batch) {
                ps.setLong(1, runId);
                ps.setLong(2, a.specId());
                ps.setInt(3, a.item());
                ps.setInt(4, a.sample());
                if (a.value() > 0) {
                    ps.setInt(5, a.value());
                } else {
                    ps.setNull(5, Types.INTEGER);
                }
                ps.setString(6, a.status());
                ps.setString(7, a.rawText());
                ps.setString(8, a.promptHash());
                ps.setInt(9, a.position());
                ps.setInt(10, a.promptTokens());
                ps.setInt(11, a.completionTokens());
                ps.setInt(12, a.tokensEstimated() ? 1 : 0);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw Sql.fail("cannot store answers of simulation run " + runId, e);
        }
    }

    @Override
    public Optional<SimRun> run(long runId) {
        List<SimRun> l = simRuns("WHERE run_id = " + runId);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    private List<SimRun> simRuns(String tail) {
        List<SimRun> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT run_id, spec_run_id, inventory, samples, engine, memory "
                + "FROM sim_run " + tail); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String inv = rs.getString(3);
                Inventory inventory;
                try {
                    inventory = Inventory.byName(inv);
                } catch (IllegalArgumentException e) {
                    throw new StoreException("simulation run " + rs.getLong(1) + ": " + e.getMessage(), e);
                }
                out.add(new SimRun(rs.getLong(1), rs.getLong(2), inventory, rs.getInt(4), rs.getString(5),
                        rs.getString(6)));
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot read simulation runs", e);
        }
        return out;
    }

    @Override
    public List<RunSummary> runs() {
        List<RunSummary> out = new ArrayList<>();
        for (SimRun r : simRuns("ORDER BY run_id DESC")) {
            StatusCounts total = StatusCounts.ZERO;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT status, COUNT(*) FROM sim_answer WHERE run_id = ? GROUP BY status")) {
                ps.setLong(1, r.runId());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        total = total.plus(counts(rs.getString(1), rs.getInt(2)));
                    }
                }
            } catch (SQLException e) {
                throw Sql.fail("cannot count answers of simulation run " + r.runId(), e);
            }
            out.add(new RunSummary(r, specIds(r.runId()).size(), total));
        }
        return out;
    }

    private static StatusCounts counts(String status, int n) {
        return switch (status) {
            case ANSWERED -> new StatusCounts(n, 0, 0, 0);
            case UNPARSEABLE -> new StatusCounts(0, n, 0, 0);
            case REFUSED -> new StatusCounts(0, 0, n, 0);
            case FAILED -> new StatusCounts(0, 0, 0, n);
            default -> throw new StoreException("unknown answer status '" + status + "' in sim_answer");
        };
    }

    @Override
    public RunAnswers answers(long runId) {
        SimRun run = run(runId).orElseThrow(() -> new StoreException("run " + runId + " is not a simulation run"));
        int items = run.inventory().size();
        List<AgentAnswers> agents = new ArrayList<>();
        StatusCounts total = StatusCounts.ZERO;
        try (PreparedStatement ps = c.prepareStatement("SELECT a.spec_id, s.respondent_id, a.item, a.sample, a.answer, "
                + "a.status FROM sim_answer a JOIN spec s ON s.id = a.spec_id WHERE a.run_id = ? ORDER BY a.spec_id")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                long spec = -1;
                long respondent = -1;
                byte[][] samples = null;
                StatusCounts counts = StatusCounts.ZERO;
                while (rs.next()) {
                    long s = rs.getLong(1);
                    if (s != spec) {
                        if (samples != null) {
                            agents.add(new AgentAnswers(spec, respondent, samples, counts));
                            total = total.plus(counts);
                        }
                        spec = s;
                        respondent = rs.getLong(2);
                        samples = new byte[run.samples()][items];
                        counts = StatusCounts.ZERO;
                    }
                    int item = rs.getInt(3);
                    int sample = rs.getInt(4);
                    if (item < 1 || item > items || sample < 0 || sample >= run.samples()) {
                        throw new StoreException("simulation run " + runId + ", spec " + s + ": item " + item
                                + " sample " + sample + " is outside " + run.inventory() + " x " + run.samples()
                                + " samples");
                    }
                    String status = rs.getString(6);
                    counts = counts.plus(status);
                    int v = rs.getInt(5);
                    if (ANSWERED.equals(status) && v >= 1 && v <= 5) {
                        samples[sample][item - 1] = (byte) v;
                    }
                }
                if (samples != null) {
                    agents.add(new AgentAnswers(spec, respondent, samples, counts));
                    total = total.plus(counts);
                }
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot read answers of simulation run " + runId, e);
        }
        return new RunAnswers(run, List.copyOf(agents), total);
    }

    @Override
    public List<Long> specIds(long runId) {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT DISTINCT spec_id FROM sim_answer WHERE run_id = ? ORDER BY spec_id")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot read agents of simulation run " + runId, e);
        }
        return out;
    }

    @Override
    public List<Answer> rows(long runId, long specId) {
        List<Answer> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT item, sample, answer, status, position, raw_text, "
                + "prompt_hash, prompt_tokens, completion_tokens, tokens_estimated FROM sim_answer "
                + "WHERE run_id = ? AND spec_id = ? ORDER BY position, sample")) {
            ps.setLong(1, runId);
            ps.setLong(2, specId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Answer(specId, rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getString(4),
                            rs.getInt(5), rs.getString(6), rs.getString(7), rs.getInt(8), rs.getInt(9),
                            rs.getInt(10) != 0));
                }
            }
        } catch (SQLException e) {
            throw Sql.fail("cannot read answers of spec " + specId + " in simulation run " + runId, e);
        }
        return out;
    }
}
