-- Enforcement documents (执法文书, issue 22): every document issued on a 图斑's case, numbered
-- by the province's scheme from a sequence per county, year and kind that never repeats.

-- The last number handed out per county, year and kind. Taken with one
-- INSERT … ON CONFLICT DO UPDATE … RETURNING, so two clerks issuing at once get two numbers.
CREATE TABLE document_sequences (
  county_code text NOT NULL,
  year        int  NOT NULL,
  kind        text NOT NULL,
  last_seq    int  NOT NULL CHECK (last_seq > 0),
  PRIMARY KEY (county_code, year, kind)
);

-- One row per issued document; the files are in the evidence store under their SHA-256.
-- The unique keys are the second guard: a number is never issued twice, whatever the code does.
CREATE TABLE documents (
  id                bigserial PRIMARY KEY,
  polygon_id        bigint NOT NULL REFERENCES polygons (id),
  jurisdiction_code text   NOT NULL,
  county_code       text   NOT NULL,
  kind              text   NOT NULL,
  year              int    NOT NULL,
  seq               int    NOT NULL,
  number            text   NOT NULL UNIQUE,
  title             text   NOT NULL,
  pdf_sha256        text   NOT NULL,
  docx_sha256       text,
  template_sha256   text   NOT NULL,
  fields            jsonb  NOT NULL,
  issued_by         bigint REFERENCES users (id),
  issued_at         timestamptz NOT NULL,
  event_seq         bigint,
  UNIQUE (county_code, year, kind, seq)
);
CREATE INDEX documents_polygon ON documents (polygon_id, id);
CREATE INDEX documents_jurisdiction ON documents (jurisdiction_code text_pattern_ops);
