-- Oversight (src/oversight): the county's reserve supplementary-farmland quota ledger
-- (储备补充耕地指标), the duties the year-end sweep raises (quota deduction, 补划), the parcels
-- registered to re-designate permanent basic farmland, and the sweep runs. Every row written
-- here is also an event of the hash-chained record, in the same transaction.

-- One row per booking; balance_mu is the balance after it. (county_code, seq) orders a
-- county's ledger and makes two concurrent bookings of the same position collide.
CREATE TABLE quota_ledger (
  id                bigserial PRIMARY KEY,
  county_code       text NOT NULL,
  seq               integer NOT NULL CHECK (seq >= 1),
  kind              text NOT NULL CHECK (kind IN ('opening', 'addition', 'deduction')),
  change_mu         numeric(14, 2) NOT NULL,
  balance_mu        numeric(14, 2) NOT NULL,
  grade             text,
  duty_id           bigint,
  note              text NOT NULL DEFAULT '',
  created_by        bigint REFERENCES users (id),
  created_at        timestamptz NOT NULL,
  UNIQUE (county_code, seq)
);
-- A duty is booked once.
CREATE UNIQUE INDEX quota_ledger_duty ON quota_ledger (duty_id) WHERE duty_id IS NOT NULL;

CREATE TABLE year_end_sweeps (
  id                bigserial PRIMARY KEY,
  -- The scope the sweep ran in (the submitter's prefix, '' for the nation).
  scope_prefix      text NOT NULL,
  year              integer NOT NULL,
  job_id            text,
  run_by            bigint REFERENCES users (id),
  run_at            timestamptz NOT NULL,
  cases_swept       integer NOT NULL DEFAULT 0,
  duties_raised     integer NOT NULL DEFAULT 0
);

-- One duty per case and kind: running the sweep again raises nothing new.
CREATE TABLE oversight_duties (
  id                bigserial PRIMARY KEY,
  kind              text NOT NULL CHECK (kind IN ('quota_deduction', 'pbf_redesignation')),
  polygon_id        bigint NOT NULL REFERENCES polygons (id),
  polygon_code      text NOT NULL,
  jurisdiction_code text NOT NULL,
  county_code       text NOT NULL,
  year              integer NOT NULL,
  mu                numeric(14, 2) NOT NULL,
  grade             text,
  due_date          date,
  status            text NOT NULL CHECK (status IN ('open', 'done')),
  sweep_id          bigint REFERENCES year_end_sweeps (id),
  created_at        timestamptz NOT NULL,
  done_at           timestamptz,
  UNIQUE (polygon_id, kind)
);
CREATE INDEX oversight_duties_jurisdiction ON oversight_duties (jurisdiction_code text_pattern_ops, year);

-- Parcels designated as permanent basic farmland in place of what a case took (补划), with
-- the figures the overlay verified them by.
CREATE TABLE pbf_replacements (
  id                bigserial PRIMARY KEY,
  duty_id           bigint NOT NULL REFERENCES oversight_duties (id),
  jurisdiction_code text NOT NULL,
  geometry          jsonb NOT NULL,
  area_mu           numeric(14, 2) NOT NULL,
  farmland_mu       numeric(14, 2) NOT NULL,
  registered_by     bigint REFERENCES users (id),
  registered_at     timestamptz NOT NULL
);
CREATE INDEX pbf_replacements_duty ON pbf_replacements (duty_id);
