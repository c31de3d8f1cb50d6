import type { PolygonCaseState } from '../cases/index.ts';
import { GengbaoError } from '../errors.ts';
import type { Queryable } from './db.ts';
import { after, type KeyValue } from './keyset.ts';
import { NOTIFICATIONS } from './rows/notifications.ts';
import { CASES } from './rows/polygons.ts';
import type { Scope } from './scope.ts';
import type { RecordOf, Row } from './table.ts';

/** A 图斑 as the lifecycle needs it: its state (projection of the record) and figures. */
export type CaseRow = RecordOf<typeof CASES.columns>;

const toCase = (r: Row): CaseRow => CASES.read(r);
const COLUMNS = CASES.select();

/**
 * One case inside the scope, locked for the rest of the transaction when `lock` is set: a
 * second officer acting on the same polygon waits, then sees the new version and gets a clear
 * conflict instead of overwriting.
 */
export async function loadCase(
  q: Queryable,
  scope: Scope,
  id: number,
  lock = false,
): Promise<CaseRow | null> {
  const params: unknown[] = [id];
  const rows = await q.query<Row>(
    `SELECT ${COLUMNS} FROM polygons WHERE id = $1 AND ${scope.where('jurisdiction_code', params)}${lock ? ' FOR UPDATE' : ''}`,
    params,
  );
  return rows[0] ? toCase(rows[0]) : null;
}

/** Cases in scope, optionally by period and status, for bulk actions and scans. */
export async function listCases(
  q: Queryable,
  scope: Scope,
  filter: { period?: string; statuses?: string[]; ids?: number[]; open?: boolean } = {},
): Promise<CaseRow[]> {
  const params: unknown[] = [];
  const where = [scope.where('jurisdiction_code', params)];
  if (filter.period) where.push(`period = $${params.push(filter.period)}`);
  if (filter.statuses) where.push(`status = ANY($${params.push(filter.statuses)}::text[])`);
  if (filter.ids) where.push(`id = ANY($${params.push(filter.ids)}::bigint[])`);
  if (filter.open) where.push(`status <> 'closed'`);
  const rows = await q.query<Row>(
    `SELECT ${COLUMNS} FROM polygons WHERE ${where.join(' AND ')} ORDER BY id`,
    params,
  );
  return rows.map(toCase);
}

/**
 * Stores the new state of a case if nobody changed it since `expectedVersion` was read;
 * otherwise a conflict naming both versions. The responsible unit follows the state (a push
 * refines it from county to village), and must stay inside the caller's scope.
 */
export async function saveCaseState(
  q: Queryable,
  scope: Scope,
  id: number,
  expectedVersion: number | null,
  state: PolygonCaseState,
): Promise<void> {
  scope.assertCovers(state.jurisdictionCode, `polygon ${id}`);
  const params: unknown[] = [
    id,
    state.status,
    state.version,
    JSON.stringify(state),
    state.jurisdictionCode,
  ];
  const versionCheck =
    expectedVersion === null ? 'case_state IS NULL' : `version = $${params.push(expectedVersion)}`;
  const rows = await q.query(
    `UPDATE polygons SET status = $2, version = $3, case_state = $4::jsonb, jurisdiction_code = $5, updated_at = now()
      WHERE id = $1 AND ${versionCheck} AND ${scope.where('jurisdiction_code', params)} RETURNING id`,
    params,
  );
  if (!rows.length) {
    throw new GengbaoError(
      'conflict',
      `polygon ${id} was changed by someone else (you had version ${expectedVersion}); reload it and try again`,
      { field: 'version' },
    );
  }
}

export interface NewNotification {
  jurisdictionCode: string;
  userId?: number | null;
  polygonId: number | null;
  kind: string;
  audience?: string;
  payload: Record<string, unknown>;
  at: Date;
}

export async function insertNotifications(q: Queryable, items: NewNotification[]): Promise<void> {
  for (const n of items) {
    await q.query(
      `INSERT INTO notifications (jurisdiction_code, user_id, polygon_id, kind, audience, payload, created_at) VALUES ($1,$2,$3,$4,$5,$6::jsonb,$7)`,
      [
        n.jurisdictionCode,
        n.userId ?? null,
        n.polygonId,
        n.kind,
        n.audience ?? null,
        JSON.stringify(n.payload),
        n.at,
      ],
    );
  }
}

export type Notification = RecordOf<typeof NOTIFICATIONS.columns>;

/** A user's inbox: notices to them by name, and to their own unit. */
export async function inboxOf(
  q: Queryable,
  user: { id: number; jurisdictionCode: string },
  opts: { unreadOnly?: boolean; limit?: number; after?: KeyValue[] } = {},
): Promise<Notification[]> {
  const params: unknown[] = [user.id, user.jurisdictionCode];
  const where = ['(user_id = $1 OR (user_id IS NULL AND jurisdiction_code = $2))'];
  if (opts.unreadOnly) where.push('read_at IS NULL');
  // Ordered by creation to the millisecond (what a JS Date holds, so a page's last `createdAt`
  // is an exact keyset key) and the id, as the jobs list.
  if (opts.after)
    where.push(
      after([`date_trunc('milliseconds', created_at)`, 'id'], opts.after, params, {
        desc: true,
        casts: ['timestamptz', 'bigint'],
      }),
    );
  const rows = await q.query<Row>(
    `SELECT ${NOTIFICATIONS.select()} FROM notifications WHERE ${where.join(' AND ')}
      ORDER BY date_trunc('milliseconds', created_at) DESC, id DESC LIMIT ${Math.max(1, Math.min(Math.floor(opts.limit ?? 200), 1001))}`,
    params,
  );
  return rows.map(NOTIFICATIONS.read);
}

export async function markRead(
  q: Queryable,
  user: { id: number; jurisdictionCode: string },
  ids: number[],
  at: Date,
): Promise<number> {
  const rows = await q.query(
    `UPDATE notifications SET read_at = $4 WHERE id = ANY($3::bigint[]) AND read_at IS NULL AND (user_id = $1 OR (user_id IS NULL AND jurisdiction_code = $2)) RETURNING id`,
    [user.id, user.jurisdictionCode, ids, at],
  );
  return rows.length;
}

/** Keys of deadline notices already sent (so a scan sends each once). */
export async function sentDeadlineKeys(q: Queryable): Promise<Set<string>> {
  const rows = await q.query<{ key: string }>('SELECT key FROM deadline_notices');
  return new Set(rows.map((r) => r.key));
}

export async function recordDeadlineNotice(
  q: Queryable,
  n: { key: string; polygonId: number; notice: 'reminder' | 'escalation'; at: Date },
): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO deadline_notices (key, polygon_id, notice, sent_at) VALUES ($1,$2,$3,$4) ON CONFLICT (key) DO NOTHING RETURNING key`,
    [n.key, n.polygonId, n.notice, n.at],
  );
  return rows.length === 1;
}

/**
 * Writes the case states of freshly loaded 图斑 in batches, without a version check: only for
 * seeding (the demo), where the record was written in the same transaction and no one else
 * can have read the cases yet.
 */
export async function seedCaseStates(
  q: Queryable,
  items: { id: number; state: PolygonCaseState }[],
): Promise<void> {
  const rows = items.map(({ id, state }) => ({
    id,
    status: state.status,
    version: state.version,
    state,
    jurisdiction_code: state.jurisdictionCode,
  }));
  for (let i = 0; i < rows.length; i += 500) {
    await q.query(
      `UPDATE polygons p SET status = r.status, version = r.version, case_state = r.state, jurisdiction_code = r.jurisdiction_code
         FROM jsonb_to_recordset($1::jsonb) AS r(id int8, status text, version int, state jsonb, jurisdiction_code text) WHERE p.id = r.id`,
      [JSON.stringify(rows.slice(i, i + 500))],
    );
  }
}
