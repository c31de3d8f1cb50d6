-- The monitoring loop (issue 24): scenes taken in from a watched folder, scheduled monitoring
-- runs (detect → 套合 → 下发) unique per unit, sensor and period, area subscriptions, and
-- notices and webhook deliveries that are never sent twice.

-- Every file the intake looked at, once per (name, content, sidecar): registered, a duplicate
-- of a stored scene, or refused with the reason. The unique key is also the claim: two
-- processes polling one folder register a file once.
CREATE TABLE intake_files (
  id                bigserial PRIMARY KEY,
  intake_key        text NOT NULL UNIQUE,
  name              text NOT NULL,
  content_hash      text NOT NULL,
  size              bigint NOT NULL,
  status            text NOT NULL CHECK (status IN ('registered', 'duplicate', 'refused')),
  reason            text,
  imagery_id        bigint REFERENCES imagery (id),
  jurisdiction_code text,
  acquired_on       date,
  sensor            text,
  seen_at           timestamptz NOT NULL
);
CREATE INDEX intake_files_seen ON intake_files (seen_at DESC);
-- A scene's content registered once, whoever registers it.
CREATE UNIQUE INDEX imagery_content_hash ON imagery ((meta ->> 'contentHash')) WHERE meta ? 'contentHash';

-- One scheduled run per unit, sensor and run key (the period; period#scene for on-arrival
-- cadences), with the stage it reached so a rerun continues where a crash stopped it.
CREATE TABLE monitoring_runs (
  id                bigserial PRIMARY KEY,
  jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
  sensor            text NOT NULL,
  period            text NOT NULL,
  run_key           text NOT NULL,
  before_imagery    bigint NOT NULL REFERENCES imagery (id),
  after_imagery     bigint NOT NULL REFERENCES imagery (id),
  actor_id          bigint REFERENCES users (id),
  job_id            text,
  attempts          integer NOT NULL DEFAULT 0,
  stage             text NOT NULL DEFAULT 'queued'
                    CHECK (stage IN ('queued', 'detecting', 'detected', 'analysed', 'done', 'refused')),
  detect_job        text,
  stages            jsonb NOT NULL DEFAULT '{}',
  error             text,
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL,
  UNIQUE (jurisdiction_code, sensor, run_key)
);

-- Areas of interest: a user is told of the chosen events inside an area, in their inbox and,
-- when an administrator allows the URL, by a signed webhook.
CREATE TABLE subscriptions (
  id                bigserial PRIMARY KEY,
  user_id           bigint NOT NULL REFERENCES users (id),
  jurisdiction_code text NOT NULL,
  name              text NOT NULL,
  geometry          jsonb NOT NULL,
  bbox              box NOT NULL,
  events            text[] NOT NULL,
  webhook_url       text,
  webhook_secret    text,
  created_at        timestamptz NOT NULL
);
CREATE INDEX subscriptions_bbox ON subscriptions USING gist (bbox);

-- Notices with a key (subscriptions, digests) are stored once however often they are produced.
ALTER TABLE notifications ADD COLUMN notice_key text;
CREATE UNIQUE INDEX notifications_notice_key ON notifications (notice_key);

-- Outbound webhooks: one row per (event, subscriber); retries reuse it, never add one.
CREATE TABLE webhook_deliveries (
  id              bigserial PRIMARY KEY,
  subscription_id bigint NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
  event_key       text NOT NULL,
  url             text NOT NULL,
  body            jsonb NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  next_at         timestamptz NOT NULL,
  last_error      text,
  delivered_at    timestamptz,
  created_at      timestamptz NOT NULL,
  UNIQUE (event_key, subscription_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE status = 'pending';

-- How far the notice fan-out has read (polygons, notifications), per stream.
CREATE TABLE notice_cursors (
  name    text PRIMARY KEY,
  last_id bigint NOT NULL DEFAULT 0,
  value   text
);
