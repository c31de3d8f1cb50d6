import type { Queryable } from './db.ts';
import type { ImageryRecord } from './imagery.ts';
import { IMAGERY } from './rows/imagery.ts';
import { INTAKE_FILES } from './rows/monitoring.ts';
import type { Scope } from './scope.ts';
import type { RecordOf, Row } from './table.ts';

/** A file the scene intake looked at: registered, a duplicate, or refused with the reason. */
export type IntakeFile = RecordOf<typeof INTAKE_FILES.columns>;

export interface NewIntakeFile {
  key: string;
  name: string;
  contentHash: string;
  size: number;
  status: 'registered' | 'duplicate' | 'refused';
  reason?: string;
  imageryId?: number;
  jurisdictionCode?: string;
  acquiredOn?: string;
  sensor?: string;
  at: Date;
}

/** Whether a file with this key (name, content, sidecar) was already taken in. */
export async function intakeKeySeen(q: Queryable, key: string): Promise<boolean> {
  return (await q.query('SELECT 1 FROM intake_files WHERE intake_key = $1', [key])).length > 0;
}

/**
 * Records what became of a file; false when another process recorded it first (the key is
 * the claim: call inside the transaction that registers the scene, so only one commits).
 */
export async function recordIntakeFile(q: Queryable, f: NewIntakeFile): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO intake_files (intake_key, name, content_hash, size, status, reason, imagery_id, jurisdiction_code, acquired_on, sensor, seen_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) ON CONFLICT (intake_key) DO NOTHING RETURNING id`,
    [
      f.key,
      f.name,
      f.contentHash,
      f.size,
      f.status,
      f.reason ?? null,
      f.imageryId ?? null,
      f.jurisdictionCode ?? null,
      f.acquiredOn ?? null,
      f.sensor ?? null,
      f.at,
    ],
  );
  return rows.length === 1;
}

/**
 * The intake log in a scope: files placed in a unit of the scope, and — for scopes that see
 * the whole installation's intake (a province and above) — files refused before any unit was
 * known, newest first.
 */
export async function listIntakeFiles(
  q: Queryable,
  scope: Scope,
  opts: { withUnplaced: boolean; limit?: number },
): Promise<IntakeFile[]> {
  const params: unknown[] = [];
  const cond = scope.where('jurisdiction_code', params);
  const rows = await q.query<Row>(
    `SELECT ${INTAKE_FILES.select()} FROM intake_files WHERE ${cond} ${opts.withUnplaced ? 'OR jurisdiction_code IS NULL' : ''}
     ORDER BY seen_at DESC, id DESC LIMIT ${Math.min(opts.limit ?? 200, 1000)}`,
    params,
  );
  return rows.map(INTAKE_FILES.read);
}

/** A stored scene with the same content, or with the same name, date and footprint. */
export async function findSameScene(
  q: Queryable,
  s: {
    contentHash: string;
    name: string;
    acquiredOn?: string;
    bbox?: [number, number, number, number];
  },
): Promise<ImageryRecord | null> {
  const byHash = await q.query<Row>(
    `SELECT ${IMAGERY.select()} FROM imagery WHERE meta ->> 'contentHash' = $1 LIMIT 1`,
    [s.contentHash],
  );
  if (byHash[0]) return IMAGERY.read(byHash[0]);
  if (!s.acquiredOn || !s.bbox) return null;
  // Footprints equal to a millionth of a degree (about 0.1 m): the same scene copied again.
  const [x0, y0, x1, y1] = s.bbox;
  const byName = await q.query<Row>(
    `SELECT ${IMAGERY.select()} FROM imagery WHERE name = $1 AND acquired_on = $2
       AND abs((bbox[1])[0] - $3) < 1e-6 AND abs((bbox[1])[1] - $4) < 1e-6 AND abs((bbox[0])[0] - $5) < 1e-6 AND abs((bbox[0])[1] - $6) < 1e-6 LIMIT 1`,
    [s.name, s.acquiredOn, x0, y0, x1, y1],
  );
  return byName[0] ? IMAGERY.read(byName[0]) : null;
}
