-- Field work (src/field): evidence files, verification submissions from the phone app and the
-- flags raised on them, patrols (巡田), public tips (举报) and camera alarms. Photo originals
-- live as files under GENGBAO_DATA_DIR/evidence/<sha256>; the table keeps what was claimed.

CREATE TABLE evidence_files (
  sha256            text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  media_type        text NOT NULL,
  bytes             integer NOT NULL,
  jurisdiction_code text NOT NULL,
  stored_at         timestamptz NOT NULL
);
CREATE INDEX evidence_files_jurisdiction ON evidence_files (jurisdiction_code text_pattern_ops);

-- One row per client submission id: a replay finds the row and gets the first answer back.
CREATE TABLE field_submissions (
  id                uuid PRIMARY KEY,
  polygon_id        bigint NOT NULL REFERENCES polygons (id),
  jurisdiction_code text NOT NULL,
  user_id           bigint NOT NULL REFERENCES users (id),
  status            text NOT NULL CHECK (status IN ('pending', 'accepted', 'refused')),
  form              jsonb NOT NULL,
  photos            jsonb NOT NULL DEFAULT '[]',
  result            jsonb,
  received_at       timestamptz NOT NULL
);
CREATE INDEX field_submissions_polygon ON field_submissions (polygon_id);
CREATE INDEX field_submissions_jurisdiction ON field_submissions (jurisdiction_code text_pattern_ops, received_at);

CREATE TABLE field_flags (
  id                bigserial PRIMARY KEY,
  submission_id     uuid REFERENCES field_submissions (id),
  polygon_id        bigint NOT NULL REFERENCES polygons (id),
  jurisdiction_code text NOT NULL,
  kind              text NOT NULL,
  photo_index       integer,
  message           text NOT NULL,
  detail            jsonb NOT NULL DEFAULT '{}',
  at                timestamptz NOT NULL
);
CREATE INDEX field_flags_polygon ON field_flags (polygon_id);
CREATE INDEX field_flags_jurisdiction ON field_flags (jurisdiction_code text_pattern_ops, at);

CREATE TABLE patrols (
  id                bigserial PRIMARY KEY,
  user_id           bigint NOT NULL REFERENCES users (id),
  jurisdiction_code text NOT NULL,
  started_at        timestamptz NOT NULL,
  ended_at          timestamptz,
  track             jsonb NOT NULL DEFAULT '[]',
  length_m          double precision NOT NULL DEFAULT 0
);
CREATE INDEX patrols_jurisdiction ON patrols (jurisdiction_code text_pattern_ops, started_at);

-- A building spotted on patrol; the client id makes a resent report land once.
CREATE TABLE patrol_findings (
  id                uuid PRIMARY KEY,
  patrol_id         bigint NOT NULL REFERENCES patrols (id),
  polygon_id        bigint NOT NULL REFERENCES polygons (id),
  jurisdiction_code text NOT NULL,
  at                timestamptz NOT NULL
);

CREATE TABLE public_tips (
  id                bigserial PRIMARY KEY,
  receipt           text NOT NULL UNIQUE,
  jurisdiction_code text NOT NULL,
  lon               double precision NOT NULL,
  lat               double precision NOT NULL,
  description       text NOT NULL,
  photos            jsonb NOT NULL DEFAULT '[]',
  contact           jsonb,
  -- a salted hash of the client address, for the flood limit only
  client_hash       text NOT NULL,
  status            text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'accepted', 'rejected')),
  polygon_id        bigint REFERENCES polygons (id),
  triage            jsonb,
  created_at        timestamptz NOT NULL
);
CREATE INDEX public_tips_flood ON public_tips (client_hash, created_at);
CREATE INDEX public_tips_jurisdiction ON public_tips (jurisdiction_code text_pattern_ops, created_at);

CREATE TABLE cameras (
  id                text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9._-]{1,64}$'),
  jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
  label             text NOT NULL,
  lon               double precision NOT NULL,
  lat               double precision NOT NULL,
  token_hash        text NOT NULL,
  created_at        timestamptz NOT NULL
);

CREATE TABLE camera_events (
  id                bigserial PRIMARY KEY,
  camera_id         text NOT NULL REFERENCES cameras (id),
  event_id          text NOT NULL,
  jurisdiction_code text NOT NULL,
  at                timestamptz NOT NULL,
  lon               double precision NOT NULL,
  lat               double precision NOT NULL,
  bearing           double precision,
  label             text,
  snapshot_sha256   text NOT NULL,
  status            text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'accepted', 'rejected')),
  polygon_id        bigint REFERENCES polygons (id),
  triage            jsonb,
  received_at       timestamptz NOT NULL,
  UNIQUE (camera_id, event_id)
);
CREATE INDEX camera_events_jurisdiction ON camera_events (jurisdiction_code text_pattern_ops, received_at);
