-- Learning from verdicts (issue 23): each adaptation of a shipped detection model to the
-- installation's verdicts, kept as a version with its history. The shipped model (a file of
-- the release) is never changed: a version stores only the trees it adds and its cut-off
-- (`extension`), tied by `shipped_hash` to the shipped model it was grown on. The version in
-- force for a sensor is the newest adopted one not rolled back; rolling back marks it.
CREATE TABLE detection_models (
  id                bigserial PRIMARY KEY,
  sensor            text NOT NULL,
  shipped_hash      text NOT NULL,
  extension         jsonb NOT NULL,
  verdicts          integer NOT NULL,
  verdicts_change   integer NOT NULL,
  verdicts_no_change integer NOT NULL,
  held_out          integer NOT NULL,
  scenes            jsonb NOT NULL DEFAULT '[]',
  score_before      jsonb NOT NULL,
  score_after       jsonb NOT NULL,
  adopted           boolean NOT NULL,
  jurisdiction_code text NOT NULL,
  created_by        bigint REFERENCES users (id),
  job_id            text,
  created_at        timestamptz NOT NULL,
  rolled_back_at    timestamptz,
  rolled_back_by    bigint REFERENCES users (id)
);
CREATE INDEX detection_models_sensor ON detection_models (sensor, id DESC);
