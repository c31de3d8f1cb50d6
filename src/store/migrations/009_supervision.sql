-- Registers, leads from above and scorecards (src/oversight, docs/DOMAIN.md "Registers",
-- "Leads from above", "Scorecards"). Every row written here is also an event of the
-- hash-chained record, in the same transaction.

-- Leads handed over by the inspectorate, the media or a higher authority become 图斑 of
-- their own source.
ALTER TABLE polygons DROP CONSTRAINT polygons_source_check;
ALTER TABLE polygons ADD CONSTRAINT polygons_source_check CHECK (source IN (
  'detection', 'batch', 'patrol', 'tip', 'video', 'manual', 'inspectorate', 'media', 'higher_authority'));

-- The handing-over document of a lead from above (交办函): one per 图斑. The attached file is
-- an evidence file (content-addressed by its SHA-256, evidence_files).
CREATE TABLE lead_handovers (
  polygon_id        bigint PRIMARY KEY REFERENCES polygons (id),
  source            text NOT NULL,
  jurisdiction_code text NOT NULL,
  doc_no            text NOT NULL,
  doc_date          date NOT NULL,
  issuing_body      text NOT NULL,
  summary           text NOT NULL DEFAULT '',
  file_sha256       text CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
  file_name         text,
  file_media_type   text,
  received_by       bigint REFERENCES users (id),
  received_at       timestamptz NOT NULL
);
CREATE INDEX lead_handovers_jurisdiction ON lead_handovers (jurisdiction_code text_pattern_ops, doc_date);

-- Measures about a region, unit or person rather than one case: 约谈 (summons), 通报批评
-- (notice of criticism), and the rewards and penalties of the scorecards.
CREATE TABLE accountability_records (
  id                bigserial PRIMARY KEY,
  kind              text NOT NULL CHECK (kind IN ('summons', 'criticism', 'reward', 'penalty')),
  jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
  person_name       text,
  person_position   text,
  year              integer NOT NULL,
  basis             text NOT NULL,
  doc_no            text NOT NULL,
  issued_on         date NOT NULL,
  issuing_body      text NOT NULL,
  reason            text NOT NULL,
  note              text NOT NULL DEFAULT '',
  recorded_by       bigint REFERENCES users (id),
  recorded_at       timestamptz NOT NULL
);
CREATE INDEX accountability_records_jurisdiction ON accountability_records (jurisdiction_code text_pattern_ops, year);
