-- Schema v1 of Gengbao. Geometry is GeoJSON (lon/lat, CGCS2000) in jsonb, with a `box`
-- bounding-box column under a GiST index: core PostgreSQL, so PGlite and any server answer
-- "features in this box" the same way without PostGIS.

CREATE TABLE jurisdictions (
  code        text PRIMARY KEY CHECK (code ~ '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$'),
  level       text NOT NULL CHECK (level IN ('nation', 'province', 'city', 'county', 'township', 'village')),
  parent_code text REFERENCES jurisdictions (code),
  name        text NOT NULL,
  geometry    jsonb,
  bbox        box,
  area_m2     double precision,
  meta        jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX jurisdictions_parent ON jurisdictions (parent_code);
CREATE INDEX jurisdictions_bbox ON jurisdictions USING gist (bbox);
CREATE INDEX jurisdictions_code_prefix ON jurisdictions (code text_pattern_ops);

CREATE TABLE users (
  id                bigserial PRIMARY KEY,
  username          text NOT NULL UNIQUE CHECK (username ~ '^[a-zA-Z0-9._-]{2,64}$'),
  display_name      text NOT NULL,
  password_hash     text NOT NULL,
  role              text NOT NULL CHECK (role IN ('admin', 'province_monitor', 'city_reviewer', 'county_officer',
                                                  'township_chief', 'village_chief', 'supervisor')),
  jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
  phone             text,
  disabled          boolean NOT NULL DEFAULT false,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_jurisdiction ON users (jurisdiction_code text_pattern_ops);

-- Browser sessions and API tokens: only a SHA-256 of the secret is stored.
CREATE TABLE auth_tokens (
  token_hash   text PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('session', 'api')),
  label        text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz,
  last_used_at timestamptz
);
CREATE INDEX auth_tokens_user ON auth_tokens (user_id);

CREATE TABLE login_attempts (
  id       bigserial PRIMARY KEY,
  username text NOT NULL,
  ip       text NOT NULL,
  ok       boolean NOT NULL,
  at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_recent ON login_attempts (username, at);

CREATE TABLE reference_layers (
  id                bigserial PRIMARY KEY,
  kind              text NOT NULL CHECK (kind IN ('farmland', 'pbf', 'redline', 'approval', 'facility', 'temporary', 'homestead')),
  name              text NOT NULL,
  jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
  source            text NOT NULL,
  imported_at       timestamptz NOT NULL DEFAULT now(),
  meta              jsonb NOT NULL DEFAULT '{}'
);

CREATE TABLE reference_features (
  id                bigserial PRIMARY KEY,
  layer_id          bigint NOT NULL REFERENCES reference_layers (id) ON DELETE CASCADE,
  kind              text NOT NULL,
  jurisdiction_code text NOT NULL,
  properties        jsonb NOT NULL DEFAULT '{}',
  geometry          jsonb NOT NULL,
  bbox              box NOT NULL,
  area_m2           double precision NOT NULL
);
CREATE INDEX reference_features_bbox ON reference_features USING gist (bbox);
CREATE INDEX reference_features_layer ON reference_features (layer_id);
CREATE INDEX reference_features_jurisdiction ON reference_features (jurisdiction_code text_pattern_ops);

-- 图斑: a lead, never a verdict. `version` serves optimistic concurrency.
CREATE TABLE polygons (
  id                bigserial PRIMARY KEY,
  code              text NOT NULL UNIQUE,
  source            text NOT NULL CHECK (source IN ('detection', 'batch', 'patrol', 'tip', 'video', 'manual')),
  period            text NOT NULL CHECK (period ~ '^[0-9]{4}-[0-9]{2}$'),
  jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
  geometry          jsonb NOT NULL,
  bbox              box NOT NULL,
  area_m2           double precision NOT NULL CHECK (area_m2 >= 0),
  area_mu           numeric(14, 2) NOT NULL CHECK (area_mu >= 0),
  status            text NOT NULL DEFAULT 'found',
  version           integer NOT NULL DEFAULT 1,
  properties        jsonb NOT NULL DEFAULT '{}',
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX polygons_bbox ON polygons USING gist (bbox);
CREATE INDEX polygons_jurisdiction ON polygons (jurisdiction_code text_pattern_ops);
CREATE INDEX polygons_period_status ON polygons (period, status);

-- The record: append-only. Later migrations hash-chain it; UPDATE and DELETE are refused here
-- by a trigger so no code path (or careless SQL) can rewrite history.
CREATE TABLE events (
  seq               bigserial PRIMARY KEY,
  at                timestamptz NOT NULL DEFAULT now(),
  actor_id          bigint REFERENCES users (id),
  entity_type       text NOT NULL,
  entity_id         text NOT NULL,
  jurisdiction_code text NOT NULL,
  type              text NOT NULL,
  payload           jsonb NOT NULL DEFAULT '{}',
  prev_hash         text,
  hash              text
);
CREATE INDEX events_entity ON events (entity_type, entity_id);
CREATE INDEX events_jurisdiction ON events (jurisdiction_code text_pattern_ops);

CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are append-only: % refused', TG_OP;
END $$;
CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION events_append_only();

-- Jobs: one table for both runners (in-process and pg-boss), so progress reads the same.
CREATE TABLE jobs (
  id                uuid PRIMARY KEY,
  type              text NOT NULL,
  status            text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
  progress          double precision NOT NULL DEFAULT 0,
  message           text,
  payload           jsonb NOT NULL DEFAULT '{}',
  result            jsonb,
  error             jsonb,
  jurisdiction_code text NOT NULL,
  -- the submitter's code prefix: the job reads and writes only inside it
  scope_prefix      text NOT NULL,
  created_by        bigint REFERENCES users (id),
  worker            text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  started_at        timestamptz,
  finished_at       timestamptz
);
CREATE INDEX jobs_jurisdiction ON jobs (jurisdiction_code text_pattern_ops, created_at DESC);

CREATE TABLE imagery (
  id                bigserial PRIMARY KEY,
  name              text NOT NULL,
  acquired_on       date,
  uri               text NOT NULL,
  jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
  bbox              box,
  meta              jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX imagery_bbox ON imagery USING gist (bbox);

-- Small facts about this installation (e.g. whether the demo region is loaded).
CREATE TABLE settings (
  key   text PRIMARY KEY,
  value jsonb NOT NULL
);
