-- The re-check of rectification on later imagery (issue 24): one result per (case, scene),
-- the unique key being also the claim, so a retried job or a second worker adds nothing twice;
-- and one sweep per registered scene, claimed by its key, so each scene is re-checked against
-- the cases it covers once however many processes tick the monitoring loop.
CREATE TABLE imagery_rechecks (
  id                bigserial PRIMARY KEY,
  polygon_id        bigint NOT NULL REFERENCES polygons (id),
  imagery_id        bigint NOT NULL REFERENCES imagery (id),
  violation_imagery bigint REFERENCES imagery (id),
  before_imagery    bigint REFERENCES imagery (id),
  jurisdiction_code text NOT NULL,
  case_status       text NOT NULL,
  outcome           text NOT NULL CHECK (outcome IN ('restored', 'not_restored', 'resumed', 'inconclusive', 'skipped')),
  measures          jsonb NOT NULL DEFAULT '{}',
  reasons           jsonb NOT NULL DEFAULT '[]',
  chips             jsonb NOT NULL DEFAULT '{}',
  created_at        timestamptz NOT NULL,
  UNIQUE (polygon_id, imagery_id)
);
CREATE INDEX imagery_rechecks_polygon ON imagery_rechecks (polygon_id);

CREATE TABLE recheck_sweeps (
  imagery_id   bigint PRIMARY KEY REFERENCES imagery (id),
  job_id       text,
  status       text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'done')),
  cases        integer NOT NULL DEFAULT 0,
  created_at   timestamptz NOT NULL,
  done_at      timestamptz
);
