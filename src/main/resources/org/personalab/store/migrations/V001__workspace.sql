-- PersonaLab workspace schema, version 1: the whole pipeline.
-- Conventions: ids are INTEGER PRIMARY KEY; times are ISO-8601 UTC text; parameters and summaries are JSON text.
-- Every output row points at the run that produced it (run_id), and every run stores its parameters and the ids
-- of its inputs, so any number traces back to people, specs, prompts and model.

-- A run of any pipeline step: import, norms, clustering, split, spec generation, judging, simulation, training.
CREATE TABLE run (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    params      TEXT NOT NULL DEFAULT '{}',
    inputs      TEXT NOT NULL DEFAULT '{}',
    outputs     TEXT NOT NULL DEFAULT '{}',
    status      TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
    error       TEXT,
    app_version TEXT NOT NULL,
    pid         INTEGER,
    started_at  TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX run_kind ON run (kind, id);

-- A set of respondents imported from one file (or generated).
CREATE TABLE dataset (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    format          TEXT NOT NULL,
    inventory       TEXT NOT NULL,
    encoding        TEXT NOT NULL CHECK (encoding IN ('RAW', 'KEYED')),
    size            INTEGER NOT NULL,
    scoring_rule    TEXT NOT NULL,
    source_file     TEXT,
    source_bytes    INTEGER,
    source_sha256   TEXT,
    provenance      TEXT NOT NULL,
    first_respondent INTEGER,
    level_norm_set  INTEGER REFERENCES norm_set (id) DEFERRABLE INITIALLY DEFERRED,
    run_id          INTEGER NOT NULL REFERENCES run (id),
    created_at      TEXT NOT NULL
);

-- One person. The respondents of a dataset have consecutive ids: row r of the dataset is
-- id = dataset.first_respondent + r (loading a dataset is a range scan of the primary key, no extra index).
-- answers: the dataset's stored values packed two per byte (item 1 in the low nibble of byte 0), 0 = missing, in the
-- dataset's encoding. Facet/domain scores and levels are derived on load (a pure function of answers, scoring rule
-- and norm set) and are not stored twice.
CREATE TABLE respondent (
    id         INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES dataset (id) ON DELETE CASCADE,
    ext_id     TEXT NOT NULL,
    sex        INTEGER NOT NULL,
    age        INTEGER NOT NULL,
    country    TEXT NOT NULL,
    answers    BLOB NOT NULL
);

-- Cohort norms computed from a reference dataset.
CREATE TABLE norm_set (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT NOT NULL,
    reference_dataset_id INTEGER NOT NULL REFERENCES dataset (id) ON DELETE CASCADE,
    cut_points           TEXT NOT NULL,
    min_cohort_size      INTEGER NOT NULL,
    scoring_rule         TEXT NOT NULL,
    run_id               INTEGER NOT NULL REFERENCES run (id),
    created_at           TEXT NOT NULL
);
-- One norm group (cohort or fallback group): people count and the exact distribution of each of the 35 scales
-- (JSON: [{"v":[values],"c":[counts]}, ...] in scale order N1..C6, N, E, O, A, C).
CREATE TABLE norm_group (
    norm_set_id   INTEGER NOT NULL REFERENCES norm_set (id) ON DELETE CASCADE,
    grp           TEXT NOT NULL,
    people        INTEGER NOT NULL,
    distributions TEXT NOT NULL,
    PRIMARY KEY (norm_set_id, grp)
);

-- K-means clustering of a dataset (issue: clusters and splits).
CREATE TABLE clustering (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    dataset_id INTEGER NOT NULL REFERENCES dataset (id) ON DELETE CASCADE,
    k          INTEGER NOT NULL,
    features   TEXT NOT NULL,
    metrics    TEXT NOT NULL DEFAULT '{}',
    run_id     INTEGER NOT NULL REFERENCES run (id),
    created_at TEXT NOT NULL
);
CREATE TABLE cluster_member (
    clustering_id INTEGER NOT NULL REFERENCES clustering (id) ON DELETE CASCADE,
    respondent_id INTEGER NOT NULL REFERENCES respondent (id) ON DELETE CASCADE,
    cluster       INTEGER NOT NULL,
    x             REAL,
    y             REAL,
    PRIMARY KEY (clustering_id, respondent_id)
) WITHOUT ROWID;

-- A named, frozen set of splits (train/test/...); a person is in at most one split of a split set.
CREATE TABLE split_set (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    dataset_id    INTEGER NOT NULL REFERENCES dataset (id) ON DELETE CASCADE,
    clustering_id INTEGER REFERENCES clustering (id),
    params        TEXT NOT NULL,
    run_id        INTEGER NOT NULL REFERENCES run (id),
    created_at    TEXT NOT NULL
);
CREATE TABLE split_member (
    split_set_id  INTEGER NOT NULL REFERENCES split_set (id) ON DELETE CASCADE,
    respondent_id INTEGER NOT NULL REFERENCES respondent (id) ON DELETE CASCADE,
    split         TEXT NOT NULL,
    PRIMARY KEY (split_set_id, respondent_id)
) WITHOUT ROWID;

-- Every LLM request and its answer, keyed by a hash of provider, model, messages, parameters and sample index.
-- A received answer is never lost and never bought twice. Secrets are never stored here.
CREATE TABLE llm_call (
    request_hash      TEXT PRIMARY KEY,
    provider          TEXT NOT NULL,
    model             TEXT NOT NULL,
    request           TEXT NOT NULL,
    response          TEXT,
    status            TEXT NOT NULL,
    prompt_tokens     INTEGER,
    completion_tokens INTEGER,
    cost_usd          REAL,
    latency_ms        INTEGER,
    run_id            INTEGER REFERENCES run (id),
    created_at        TEXT NOT NULL
);

-- An agent specification (TinyTroupe persona JSON) of one person; edits point at the spec they edit.
CREATE TABLE spec (
    id            INTEGER PRIMARY KEY,
    respondent_id INTEGER NOT NULL REFERENCES respondent (id) ON DELETE CASCADE,
    source        TEXT NOT NULL,
    parent_id     INTEGER REFERENCES spec (id),
    persona       TEXT NOT NULL,
    request_hash  TEXT REFERENCES llm_call (request_hash),
    author        TEXT,
    run_id        INTEGER REFERENCES run (id),
    created_at    TEXT NOT NULL
);
CREATE INDEX spec_respondent ON spec (respondent_id);

-- A pairwise verdict on two specs of the same person, and the human overrides of it.
CREATE TABLE judgment (
    id           INTEGER PRIMARY KEY,
    run_id       INTEGER NOT NULL REFERENCES run (id),
    spec_a       INTEGER NOT NULL REFERENCES spec (id),
    spec_b       INTEGER NOT NULL REFERENCES spec (id),
    judge        TEXT NOT NULL,
    winner       TEXT NOT NULL CHECK (winner IN ('A', 'B', 'tie')),
    confidence   REAL,
    rationale    TEXT,
    detail       TEXT NOT NULL DEFAULT '{}',
    created_at   TEXT NOT NULL
);
CREATE TABLE judgment_override (
    id          INTEGER PRIMARY KEY,
    judgment_id INTEGER NOT NULL REFERENCES judgment (id) ON DELETE CASCADE,
    annotator   TEXT NOT NULL,
    verdict     TEXT NOT NULL CHECK (verdict IN ('A', 'B', 'tie')),
    previous    TEXT NOT NULL,
    reason      TEXT,
    created_at  TEXT NOT NULL,
    reverted_at TEXT
);

-- Questionnaire answers given by agents in a simulation run.
CREATE TABLE sim_answer (
    run_id        INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    spec_id       INTEGER NOT NULL REFERENCES spec (id),
    item          INTEGER NOT NULL,
    sample        INTEGER NOT NULL DEFAULT 0,
    answer        INTEGER,
    status        TEXT NOT NULL,
    raw_text      TEXT,
    prompt_hash   TEXT,
    PRIMARY KEY (run_id, spec_id, item, sample)
) WITHOUT ROWID;

-- Local training runs (SFT/DPO) and their event log.
CREATE TABLE training_event (
    run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    step   INTEGER NOT NULL,
    event  TEXT NOT NULL,
    PRIMARY KEY (run_id, step)
) WITHOUT ROWID;
