-- PersonaLab workspace schema, version 5: judging (pairwise verdicts, human review, agreement).
-- V001 holds the judgment and judgment_override tables; this adds what review needs:
--  * judgment.flagged: the judge itself was unsure (its two presentation orders disagreed, or its answer was invalid);
--  * one judgment per pair and run (a rerun resumes by skipping what is stored);
--  * judgment_override.shown_swapped / reverted_by: the A/B order the annotator saw, and who reverted the override;
--  * annotator: the named local annotators;
--  * judgment_flag: an annotator's "flag for discussion" on a judgment, cleared rather than deleted.
-- An annotator's label of a judgment is their latest non-reverted override (it may agree with the judge); the
-- effective verdict is the latest non-reverted override of anyone, else the judge's.

ALTER TABLE judgment ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX judgment_run_pair ON judgment (run_id, spec_a, spec_b);

ALTER TABLE judgment_override ADD COLUMN shown_swapped INTEGER NOT NULL DEFAULT 0;
ALTER TABLE judgment_override ADD COLUMN reverted_by TEXT;
CREATE INDEX judgment_override_judgment ON judgment_override (judgment_id, id);

CREATE TABLE annotator (
    name       TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
);

CREATE TABLE judgment_flag (
    id          INTEGER PRIMARY KEY,
    judgment_id INTEGER NOT NULL REFERENCES judgment (id) ON DELETE CASCADE,
    annotator   TEXT NOT NULL,
    reason      TEXT,
    created_at  TEXT NOT NULL,
    cleared_at  TEXT
);
CREATE INDEX judgment_flag_judgment ON judgment_flag (judgment_id);
