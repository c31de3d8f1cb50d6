-- The enforcement lifecycle (src/cases): each 图斑 carries the projection of its record
-- (`case_state`, rebuilt by replaying its events), plus what transitions trigger.
ALTER TABLE polygons ADD COLUMN case_state jsonb;

-- Inbox: what a unit (and, when named, a user) must act on or know about.
CREATE TABLE notifications (
  id                bigserial PRIMARY KEY,
  jurisdiction_code text NOT NULL,
  user_id           bigint REFERENCES users (id),
  polygon_id        bigint REFERENCES polygons (id),
  kind              text NOT NULL,
  audience          text,
  payload           jsonb NOT NULL DEFAULT '{}',
  created_at        timestamptz NOT NULL,
  read_at           timestamptz
);
CREATE INDEX notifications_unit ON notifications (jurisdiction_code, created_at DESC);
CREATE INDEX notifications_user ON notifications (user_id, created_at DESC);

-- Reminders and escalations already sent, so a scan never sends one twice.
CREATE TABLE deadline_notices (
  key        text PRIMARY KEY,
  polygon_id bigint NOT NULL REFERENCES polygons (id),
  notice     text NOT NULL CHECK (notice IN ('reminder', 'escalation')),
  sent_at    timestamptz NOT NULL
);

-- Spot checks (抽查): the plan with its seed and the drawn sample, reproducible.
CREATE TABLE spot_checks (
  id                bigserial PRIMARY KEY,
  jurisdiction_code text NOT NULL,
  period            text NOT NULL,
  plan              jsonb NOT NULL,
  sample            jsonb NOT NULL,
  created_by        bigint REFERENCES users (id),
  created_at        timestamptz NOT NULL
);

-- 执法公示: published closed cases, personal data already masked.
CREATE TABLE publications (
  polygon_id        bigint PRIMARY KEY REFERENCES polygons (id),
  jurisdiction_code text NOT NULL,
  notice            jsonb NOT NULL,
  published_by      bigint REFERENCES users (id),
  published_at      timestamptz NOT NULL
);
CREATE INDEX publications_time ON publications (published_at DESC);
