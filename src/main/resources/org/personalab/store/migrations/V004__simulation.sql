-- PersonaLab workspace schema, version 4: simulation runs (agents answering the IPIP-NEO).
-- sim_run: what a simulation run administers, so readers need not parse run.params: the spec run its agents come
-- from, the inventory (IPIP-NEO-120 or IPIP-NEO-300), samples per item, the engine and the memory policy.
CREATE TABLE sim_run (
    run_id      INTEGER PRIMARY KEY REFERENCES run (id) ON DELETE CASCADE,
    spec_run_id INTEGER REFERENCES run (id),
    inventory   TEXT NOT NULL,
    samples     INTEGER NOT NULL CHECK (samples >= 1),
    engine      TEXT NOT NULL,
    memory      TEXT NOT NULL
);
-- sim_answer (V001) gains: the position of the item in the agent's administration order (memory is rebuilt from it
-- on resume) and the tokens of the call behind the answer (provider's usage, or an estimate flagged as such).
-- answer is the raw agreement 1..5 (5 = Very Accurate) when status = 'answered', NULL otherwise.
ALTER TABLE sim_answer ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sim_answer ADD COLUMN prompt_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sim_answer ADD COLUMN completion_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sim_answer ADD COLUMN tokens_estimated INTEGER NOT NULL DEFAULT 0;
