package org.personalab.store;

import java.sql.Connection;

/** Repositories bound to one connection and transaction. */
public final class Tx {

    private final Connection connection;

    Tx(Connection connection) {
        this.connection = connection;
    }

    Connection connection() {
        return connection;
    }

    public DatasetRepository datasets() {
        return new SqliteDatasetRepository(connection);
    }

    public NormRepository norms() {
        return new SqliteNormRepository(connection);
    }

    public RunRepository runs() {
        return new SqliteRunRepository(connection);
    }

    public LlmCallRepository llmCalls() {
        return new SqliteLlmCallRepository(connection);
    }

    public SpecRepository specs() {
        return new SqliteSpecRepository(connection);
    }

    public ClusterRepository clusters() {
        return new SqliteClusterRepository(connection);
    }

    public SplitRepository splits() {
        return new SqliteSplitRepository(connection);
    }

    public JudgmentRepository judgments() {
        return new SqliteJudgmentRepository(connection);
    }

    public SimAnswerRepository simAnswers() {
        return new SqliteSimAnswerRepository(connection);
    }
}
