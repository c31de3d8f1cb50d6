import { GengbaoError } from '../errors.ts';
import type { TrackPoint } from '../field/schemas.ts';
import type { Queryable } from './db.ts';
import { PATROLS } from './rows/field.ts';
import type { Scope } from './scope.ts';
import type { RecordOf, Row } from './table.ts';

export type PatrolRow = RecordOf<typeof PATROLS.columns>;

const toPatrol = (r: Row): PatrolRow => PATROLS.read(r);
const COLUMNS = PATROLS.select();

export async function startPatrol(
  q: Queryable,
  scope: Scope,
  p: { userId: number; jurisdictionCode: string; at: Date },
): Promise<PatrolRow> {
  scope.assertCovers(p.jurisdictionCode, 'patrol');
  // A start resent after a lost answer carries the same phone time: answer the patrol it made.
  const params: unknown[] = [p.userId, p.at];
  const known = await q.query<Row>(
    `SELECT ${COLUMNS} FROM patrols WHERE user_id = $1 AND started_at = $2 AND ${scope.where('jurisdiction_code', params)}`,
    params,
  );
  if (known[0]) return toPatrol(known[0]);
  const rows = await q.query<Row>(
    `INSERT INTO patrols (user_id, jurisdiction_code, started_at) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
    [p.userId, p.jurisdictionCode, p.at],
  );
  return toPatrol(rows[0]);
}

/** The caller's own patrol, locked for update when asked; not_found otherwise. */
export async function ownPatrol(
  q: Queryable,
  scope: Scope,
  id: number,
  userId: number,
  lock = false,
): Promise<PatrolRow> {
  const params: unknown[] = [id, userId];
  const rows = await q.query<Row>(
    `SELECT ${COLUMNS} FROM patrols WHERE id = $1 AND user_id = $2 AND ${scope.where('jurisdiction_code', params)}${lock ? ' FOR UPDATE' : ''}`,
    params,
  );
  if (!rows[0]) throw new GengbaoError('not_found', `no patrol ${id} of yours`, { field: 'id' });
  return toPatrol(rows[0]);
}

export async function saveTrack(
  q: Queryable,
  scope: Scope,
  id: number,
  track: TrackPoint[],
  lengthM: number,
  endedAt?: Date,
): Promise<void> {
  const params: unknown[] = [id, JSON.stringify(track), lengthM, endedAt ?? null];
  await q.query(
    `UPDATE patrols SET track = $2::jsonb, length_m = $3, ended_at = COALESCE($4, ended_at) WHERE id = $1 AND ${scope.where('jurisdiction_code', params)}`,
    params,
  );
}

/** A finding already recorded under this client id (a resent report), or null. */
export async function findingById(
  q: Queryable,
  scope: Scope,
  id: string,
): Promise<{ polygonId: number } | null> {
  const params: unknown[] = [id];
  const rows = await q.query<{ polygon_id: number }>(
    `SELECT polygon_id FROM patrol_findings WHERE id = $1 AND ${scope.where('jurisdiction_code', params)}`,
    params,
  );
  return rows[0] ? { polygonId: rows[0].polygon_id } : null;
}

export async function insertFinding(
  q: Queryable,
  scope: Scope,
  f: { id: string; patrolId: number; polygonId: number; jurisdictionCode: string; at: Date },
): Promise<void> {
  scope.assertCovers(f.jurisdictionCode, 'patrol finding');
  await q.query(
    `INSERT INTO patrol_findings (id, patrol_id, polygon_id, jurisdiction_code, at) VALUES ($1, $2, $3, $4, $5)`,
    [f.id, f.patrolId, f.polygonId, f.jurisdictionCode, f.at],
  );
}

/** Field chiefs in scope and the start times of their completed patrols since `since`. */
export async function chiefPatrols(
  q: Queryable,
  scope: Scope,
  since: Date,
): Promise<{ userId: number; username: string; jurisdictionCode: string; patrols: Date[] }[]> {
  const params: unknown[] = [since];
  const rows = await q.query<{
    id: number;
    username: string;
    jurisdiction_code: string;
    starts: Date[] | null;
  }>(
    `SELECT u.id, u.username, u.jurisdiction_code,
            (SELECT array_agg(p.started_at ORDER BY p.started_at) FROM patrols p
              WHERE p.user_id = u.id AND p.ended_at IS NOT NULL AND p.started_at >= $1) AS starts
       FROM users u WHERE u.role IN ('village_chief', 'township_chief') AND NOT u.disabled AND ${scope.where('u.jurisdiction_code', params)}
      ORDER BY u.jurisdiction_code, u.username`,
    params,
  );
  return rows.map((r) => ({
    userId: r.id,
    username: r.username,
    jurisdictionCode: r.jurisdiction_code,
    patrols: (r.starts ?? []).map((d) => new Date(d)),
  }));
}
