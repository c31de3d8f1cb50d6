import { pointInAreal } from '../field/distance.ts';
import type { Areal } from '../geo/types.ts';
import type { Queryable } from './db.ts';
import { CAMERA_EVENTS, CAMERAS, TIPS, type LeadStatus } from './rows/leads.ts';
import type { Scope } from './scope.ts';
import type { RecordOf, Row } from './table.ts';

/**
 * The deepest jurisdiction in scope whose outline contains the point (village before township
 * before county before city), by the GiST box index then an exact point-in-polygon test; null
 * outside. City and county codes are both six digits, so the level breaks that tie.
 */
export async function locateJurisdiction(
  q: Queryable,
  scope: Scope,
  lon: number,
  lat: number,
): Promise<string | null> {
  const params: unknown[] = [`(${lon},${lat}),(${lon},${lat})`];
  const rows = await q.query<{ code: string; geometry: Areal }>(
    `SELECT code, geometry FROM jurisdictions WHERE geometry IS NOT NULL AND bbox && $1::box AND ${scope.where('code', params)} ORDER BY length(code) DESC, CASE level WHEN 'county' THEN 0 WHEN 'city' THEN 1 ELSE 2 END, code`,
    params,
  );
  return rows.find((r) => pointInAreal([lon, lat], r.geometry))?.code ?? null;
}

export type { LeadStatus } from './rows/leads.ts';

export type TipRow = RecordOf<typeof TIPS.columns>;

const toTip = (r: Row): TipRow => TIPS.read(r);

export async function insertTip(
  q: Queryable,
  scope: Scope,
  t: Omit<TipRow, 'id' | 'status' | 'polygonId' | 'triage'> & {
    clientHash: string;
    photoBytes?: number;
  },
): Promise<number> {
  scope.assertCovers(t.jurisdictionCode, 'tip');
  const rows = await q.query<{ id: number }>(
    `INSERT INTO public_tips (receipt, jurisdiction_code, lon, lat, description, photos, contact, client_hash, created_at, photo_bytes)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9, $10) RETURNING id`,
    [
      t.receipt,
      t.jurisdictionCode,
      t.lon,
      t.lat,
      t.description,
      JSON.stringify(t.photos),
      t.contact ? JSON.stringify(t.contact) : null,
      t.clientHash,
      t.createdAt,
      t.photoBytes ?? 0,
    ],
  );
  return rows[0].id;
}

/** A tip by receipt, for the tipster: the receipt itself is the capability, so no scope. */
export async function tipByReceipt(q: Queryable, receipt: string): Promise<TipRow | null> {
  const rows = await q.query<Row>(`SELECT ${TIPS.select()} FROM public_tips WHERE receipt = $1`, [
    receipt,
  ]);
  return rows[0] ? toTip(rows[0]) : null;
}

export async function getTip(
  q: Queryable,
  scope: Scope,
  id: number,
  lock = false,
): Promise<TipRow | null> {
  const params: unknown[] = [id];
  const rows = await q.query<Row>(
    `SELECT ${TIPS.select()} FROM public_tips WHERE id = $1 AND ${scope.where('jurisdiction_code', params)}${lock ? ' FOR UPDATE' : ''}`,
    params,
  );
  return rows[0] ? toTip(rows[0]) : null;
}

/** Tips in the scope, newest first (the id follows submission); `afterId` pages them. */
export async function listTips(
  q: Queryable,
  scope: Scope,
  status?: LeadStatus,
  limit = 500,
  afterId?: number,
): Promise<TipRow[]> {
  const params: unknown[] = [];
  const where = [scope.where('jurisdiction_code', params)];
  if (status) where.push(`status = $${params.push(status)}`);
  if (afterId !== undefined) where.push(`id < $${params.push(afterId)}`);
  const rows = await q.query<Row>(
    `SELECT ${TIPS.select()} FROM public_tips WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ${Math.max(1, Math.floor(limit))}`,
    params,
  );
  return rows.map(toTip);
}

/** Records a triage on a tip or camera event that is still `received`. */
export async function triageLead(
  q: Queryable,
  scope: Scope,
  table: 'public_tips' | 'camera_events',
  id: number,
  t: { status: 'accepted' | 'rejected'; polygonId: number | null; triage: Record<string, unknown> },
): Promise<void> {
  const params: unknown[] = [id, t.status, t.polygonId, JSON.stringify(t.triage)];
  await q.query(
    `UPDATE ${table} SET status = $2, polygon_id = $3, triage = $4::jsonb WHERE id = $1 AND status = 'received' AND ${scope.where('jurisdiction_code', params)}`,
    params,
  );
}

export type CameraRow = RecordOf<typeof CAMERAS.columns>;

export async function insertCamera(
  q: Queryable,
  scope: Scope,
  c: CameraRow & { at: Date },
): Promise<void> {
  scope.assertCovers(c.jurisdictionCode, `camera ${c.id}`);
  await q.query(
    `INSERT INTO cameras (id, jurisdiction_code, label, lon, lat, token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [c.id, c.jurisdictionCode, c.label, c.lon, c.lat, c.tokenHash, c.at],
  );
}

/** A camera by id, for webhook authentication (before anyone is known, hence unscoped). */
export async function cameraForAuth(q: Queryable, id: string): Promise<CameraRow | null> {
  const rows = await q.query<Row>(`SELECT ${CAMERAS.select()} FROM cameras WHERE id = $1`, [id]);
  return rows[0] ? CAMERAS.read(rows[0]) : null;
}

/** Cameras as the office lists them: never the token hash. */
const CAMERA_LIST = CAMERAS.pick('id', 'jurisdictionCode', 'label', 'lon', 'lat');

/** Cameras in the scope by id, `limit` of them after camera `afterId`. */
export async function listCameras(
  q: Queryable,
  scope: Scope,
  limit = 100_000,
  afterId?: string,
): Promise<Omit<CameraRow, 'tokenHash'>[]> {
  const params: unknown[] = [];
  const where = [scope.where('jurisdiction_code', params)];
  if (afterId !== undefined) where.push(`id > $${params.push(afterId)}`);
  const rows = await q.query<Row>(
    `SELECT ${CAMERA_LIST.select()} FROM cameras WHERE ${where.join(' AND ')} ORDER BY id LIMIT ${Math.max(1, Math.floor(limit))}`,
    params,
  );
  return rows.map(CAMERA_LIST.read);
}

export type CameraEventRow = RecordOf<typeof CAMERA_EVENTS.columns>;

const toCameraEvent = (r: Row): CameraEventRow => CAMERA_EVENTS.read(r);

/** Stores an alarm once per (camera, event id); a resent alarm returns the stored row. */
export async function insertCameraEvent(
  q: Queryable,
  scope: Scope,
  e: Omit<CameraEventRow, 'id' | 'status' | 'polygonId'> & { receivedAt: Date },
): Promise<{ row: CameraEventRow; created: boolean }> {
  scope.assertCovers(e.jurisdictionCode, `camera ${e.cameraId}`);
  const ins = await q.query<Row>(
    `INSERT INTO camera_events (camera_id, event_id, jurisdiction_code, at, lon, lat, bearing, label, snapshot_sha256, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (camera_id, event_id) DO NOTHING RETURNING ${CAMERA_EVENTS.select()}`,
    [
      e.cameraId,
      e.eventId,
      e.jurisdictionCode,
      e.at,
      e.lon,
      e.lat,
      e.bearing,
      e.label,
      e.snapshotSha256,
      e.receivedAt,
    ],
  );
  if (ins[0]) return { row: toCameraEvent(ins[0]), created: true };
  const rows = await q.query<Row>(
    `SELECT ${CAMERA_EVENTS.select()} FROM camera_events WHERE camera_id = $1 AND event_id = $2`,
    [e.cameraId, e.eventId],
  );
  return { row: toCameraEvent(rows[0]), created: false };
}

export async function getCameraEvent(
  q: Queryable,
  scope: Scope,
  id: number,
  lock = false,
): Promise<CameraEventRow | null> {
  const params: unknown[] = [id];
  const rows = await q.query<Row>(
    `SELECT ${CAMERA_EVENTS.select()} FROM camera_events WHERE id = $1 AND ${scope.where('jurisdiction_code', params)}${lock ? ' FOR UPDATE' : ''}`,
    params,
  );
  return rows[0] ? toCameraEvent(rows[0]) : null;
}

/** Camera alarms in the scope, newest first (the id follows arrival); `afterId` pages them. */
export async function listCameraEvents(
  q: Queryable,
  scope: Scope,
  status?: LeadStatus,
  limit = 500,
  afterId?: number,
): Promise<CameraEventRow[]> {
  const params: unknown[] = [];
  const where = [scope.where('jurisdiction_code', params)];
  if (status) where.push(`status = $${params.push(status)}`);
  if (afterId !== undefined) where.push(`id < $${params.push(afterId)}`);
  const rows = await q.query<Row>(
    `SELECT ${CAMERA_EVENTS.select()} FROM camera_events WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ${Math.max(1, Math.floor(limit))}`,
    params,
  );
  return rows.map(toCameraEvent);
}
