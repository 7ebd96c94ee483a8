-- PersonaLab workspace schema, version 3: spec generation runs (issue 4).
-- An LLM run asks for several samples of each person's spec; each sample is its own spec row, stored as soon as its
-- answer arrives, with the sample index and the jittered temperature it was asked at (also in the document's
-- spec_meta). The unique index makes "one original spec per run, person and sample" a fact of the database: a
-- resumed run skips what its earlier attempt stored, and two attempts can never store the same sample twice.
-- Edits (parent_id set) are versions of a spec and are not counted.
ALTER TABLE spec ADD COLUMN sample INTEGER NOT NULL DEFAULT 0;
ALTER TABLE spec ADD COLUMN temperature REAL;
CREATE UNIQUE INDEX spec_run_sample ON spec (run_id, respondent_id, sample) WHERE parent_id IS NULL;
CREATE INDEX spec_run ON spec (run_id);
