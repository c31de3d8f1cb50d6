import type { Queryable } from './db.ts';
import type { Scope } from './scope.ts';

/**
 * Issued enforcement documents (migration 012) and their numbering: a sequence per county,
 * year and kind taken by one atomic upsert, and a unique number per document.
 */

export interface DocumentRecord {
  id: number;
  polygonId: number;
  jurisdictionCode: string;
  countyCode: string;
  kind: string;
  year: number;
  seq: number;
  number: string;
  title: string;
  pdfSha256: string;
  docxSha256: string | null;
  templateSha256: string;
  fields: Record<string, string>;
  issuedBy: number | null;
  issuedAt: string;
  eventSeq: number | null;
}

export type NewDocument = Omit<DocumentRecord, 'id' | 'eventSeq'>;

/**
 * The next number of a county's kind in a year. One statement: concurrent transactions queue
 * on the row's lock, each gets the next value, and a rolled-back issuance gives its number
 * back with the rollback — so the numbers issued have no gaps and never repeat.
 */
export async function nextDocumentSeq(
  q: Queryable,
  county: string,
  year: number,
  kind: string,
): Promise<number> {
  const rows = await q.query<{ last_seq: number }>(
    `INSERT INTO document_sequences (county_code, year, kind, last_seq) VALUES ($1, $2, $3, 1)
     ON CONFLICT (county_code, year, kind) DO UPDATE SET last_seq = document_sequences.last_seq + 1
     RETURNING last_seq`,
    [county, year, kind],
  );
  return Number(rows[0].last_seq);
}

const COLUMNS = `id, polygon_id, jurisdiction_code, county_code, kind, year, seq, number, title, pdf_sha256,
  docx_sha256, template_sha256, fields, issued_by, issued_at, event_seq`;

function read(r: Record<string, unknown>): DocumentRecord {
  return {
    id: Number(r.id),
    polygonId: Number(r.polygon_id),
    jurisdictionCode: String(r.jurisdiction_code),
    countyCode: String(r.county_code),
    kind: String(r.kind),
    year: Number(r.year),
    seq: Number(r.seq),
    number: String(r.number),
    title: String(r.title),
    pdfSha256: String(r.pdf_sha256),
    docxSha256: r.docx_sha256 == null ? null : String(r.docx_sha256),
    templateSha256: String(r.template_sha256),
    fields: r.fields as Record<string, string>,
    issuedBy: r.issued_by == null ? null : Number(r.issued_by),
    issuedAt: new Date(r.issued_at as string).toISOString(),
    eventSeq: r.event_seq == null ? null : Number(r.event_seq),
  };
}

export async function insertDocument(
  q: Queryable,
  scope: Scope,
  d: NewDocument,
): Promise<DocumentRecord> {
  scope.assertCovers(d.jurisdictionCode, `document on polygon ${d.polygonId}`);
  const rows = await q.query<Record<string, unknown>>(
    `INSERT INTO documents (polygon_id, jurisdiction_code, county_code, kind, year, seq, number, title, pdf_sha256,
       docx_sha256, template_sha256, fields, issued_by, issued_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14) RETURNING ${COLUMNS}`,
    [
      d.polygonId,
      d.jurisdictionCode,
      d.countyCode,
      d.kind,
      d.year,
      d.seq,
      d.number,
      d.title,
      d.pdfSha256,
      d.docxSha256,
      d.templateSha256,
      JSON.stringify(d.fields),
      d.issuedBy,
      d.issuedAt,
    ],
  );
  return read(rows[0]);
}

/** Links a document to the record event that issued it. */
export async function setDocumentEvent(q: Queryable, id: number, seq: number): Promise<void> {
  await q.query('UPDATE documents SET event_seq = $2 WHERE id = $1', [id, seq]);
}

/** The documents of one 图斑 in the scope, oldest first. */
export async function documentsOf(
  q: Queryable,
  scope: Scope,
  polygonId: number,
): Promise<DocumentRecord[]> {
  const params: unknown[] = [polygonId];
  return (
    await q.query<Record<string, unknown>>(
      `SELECT ${COLUMNS} FROM documents WHERE polygon_id = $1 AND ${scope.where('jurisdiction_code', params)} ORDER BY id`,
      params,
    )
  ).map(read);
}

/** One document of a 图斑 in the scope, or null. */
export async function getDocument(
  q: Queryable,
  scope: Scope,
  polygonId: number,
  id: number,
): Promise<DocumentRecord | null> {
  const params: unknown[] = [polygonId, id];
  const rows = await q.query<Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM documents WHERE polygon_id = $1 AND id = $2 AND ${scope.where('jurisdiction_code', params)}`,
    params,
  );
  return rows[0] ? read(rows[0]) : null;
}
