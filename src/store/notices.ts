import type { Areal, BBox } from '../geo/types.ts';
import type { Queryable } from './db.ts';
import { SUBSCRIPTIONS, WEBHOOK_DELIVERIES } from './rows/monitoring.ts';
import { getSetting } from './settings.ts';
import type { RecordOf, Row } from './table.ts';

export type Subscription = RecordOf<typeof SUBSCRIPTIONS.columns>;
export type WebhookDelivery = RecordOf<typeof WEBHOOK_DELIVERIES.columns>;

/**
 * The field chiefs a push to `unitCode` names: the active village chiefs of a village (township
 * chiefs of a township), and the deputies configured for the unit under the setting
 * `notices.deputies` (`{"140525111202": ["username", …]}`).
 */
export async function fieldChiefIds(q: Queryable, unitCode: string): Promise<number[]> {
  const role =
    unitCode.length >= 12 ? 'village_chief' : unitCode.length === 9 ? 'township_chief' : null;
  if (!role) return [];
  const chiefs = await q.query<{ id: number | string }>(
    `SELECT id FROM users WHERE NOT disabled AND role = $1 AND jurisdiction_code = $2 ORDER BY id`,
    [role, unitCode],
  );
  const deputies =
    (await getSetting<Record<string, string[]>>(q, 'notices.deputies'))?.[unitCode] ?? [];
  const named = deputies.length
    ? await q.query<{ id: number | string }>(
        `SELECT id FROM users WHERE NOT disabled AND username = ANY($1::text[]) ORDER BY id`,
        [deputies],
      )
    : [];
  return [...new Set([...chiefs, ...named].map((r) => Number(r.id)))];
}

/** A notice with a key: stored once however often it is produced; true when stored now. */
export async function insertKeyedNotification(
  q: Queryable,
  n: {
    key: string;
    userId: number;
    jurisdictionCode: string;
    polygonId: number | null;
    kind: string;
    payload: Record<string, unknown>;
    at: Date;
  },
): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO notifications (jurisdiction_code, user_id, polygon_id, kind, payload, created_at, notice_key) VALUES ($1,$2,$3,$4,$5::jsonb,$6,$7)
     ON CONFLICT (notice_key) DO NOTHING RETURNING id`,
    [n.jurisdictionCode, n.userId, n.polygonId, n.kind, JSON.stringify(n.payload), n.at, n.key],
  );
  return rows.length === 1;
}

/** Unread notices of a user: to them by name and to their unit. */
export async function unreadCount(
  q: Queryable,
  user: { id: number; jurisdictionCode: string },
): Promise<number> {
  const rows = await q.query<{ n: number | string }>(
    `SELECT count(*) AS n FROM notifications WHERE read_at IS NULL AND (user_id = $1 OR (user_id IS NULL AND jurisdiction_code = $2))`,
    [user.id, user.jurisdictionCode],
  );
  return Number(rows[0].n);
}

/** Per user and kind, the notices they got in [from, to) — digests left out. */
export async function noticeCountsBetween(
  q: Queryable,
  from: Date,
  to: Date,
): Promise<{ userId: number; jurisdictionCode: string; kind: string; n: number }[]> {
  const rows = await q.query<{
    user_id: number | string;
    jurisdiction_code: string;
    kind: string;
    n: number | string;
  }>(
    `SELECT u.id AS user_id, u.jurisdiction_code, n.kind, count(*) AS n
       FROM users u JOIN notifications n ON (n.user_id = u.id OR (n.user_id IS NULL AND n.jurisdiction_code = u.jurisdiction_code))
      WHERE NOT u.disabled AND n.created_at >= $1 AND n.created_at < $2 AND n.kind <> 'digest'
      GROUP BY u.id, u.jurisdiction_code, n.kind ORDER BY u.id, n.kind`,
    [from, to],
  );
  return rows.map((r) => ({
    userId: Number(r.user_id),
    jurisdictionCode: r.jurisdiction_code,
    kind: r.kind,
    n: Number(r.n),
  }));
}

export async function insertSubscription(
  q: Queryable,
  s: {
    userId: number;
    jurisdictionCode: string;
    name: string;
    geometry: Areal;
    bbox: BBox;
    events: string[];
    webhookUrl: string | null;
    webhookSecret: string | null;
    at: Date;
  },
): Promise<Subscription> {
  const [x0, y0, x1, y1] = s.bbox;
  const rows = await q.query<Row>(
    `INSERT INTO subscriptions (user_id, jurisdiction_code, name, geometry, bbox, events, webhook_url, webhook_secret, created_at)
     VALUES ($1,$2,$3,$4::jsonb, box(point($5,$6), point($7,$8)), $9::text[], $10, $11, $12) RETURNING ${SUBSCRIPTIONS.select({ with: ['geometry'] })}`,
    [
      s.userId,
      s.jurisdictionCode,
      s.name,
      JSON.stringify(s.geometry),
      x0,
      y0,
      x1,
      y1,
      s.events,
      s.webhookUrl,
      s.webhookSecret,
      s.at,
    ],
  );
  return SUBSCRIPTIONS.read(rows[0]);
}

export async function subscriptionsOf(q: Queryable, userId: number): Promise<Subscription[]> {
  const rows = await q.query<Row>(
    `SELECT ${SUBSCRIPTIONS.select({ with: ['geometry'] })} FROM subscriptions WHERE user_id = $1 ORDER BY id`,
    [userId],
  );
  return rows.map(SUBSCRIPTIONS.read);
}

/** Deletes one of the user's subscriptions; false when it is not theirs. */
export async function deleteSubscription(
  q: Queryable,
  userId: number,
  id: number,
): Promise<boolean> {
  return (
    (
      await q.query(`DELETE FROM subscriptions WHERE id = $1 AND user_id = $2 RETURNING id`, [
        id,
        userId,
      ])
    ).length === 1
  );
}

/** Subscriptions to an event whose box meets `bbox`, with their geometry and secret. */
export async function subscriptionsMeeting(
  q: Queryable,
  event: string,
  bbox: BBox,
): Promise<(Subscription & { webhookSecret: string | null })[]> {
  const [x0, y0, x1, y1] = bbox;
  const rows = await q.query<Row>(
    `SELECT ${SUBSCRIPTIONS.select({ with: ['geometry'] })}, webhook_secret FROM subscriptions WHERE $1 = ANY(events) AND bbox && box(point($2,$3), point($4,$5)) ORDER BY id`,
    [event, x0, y0, x1, y1],
  );
  return rows.map((r) => ({
    ...SUBSCRIPTIONS.read(r),
    webhookSecret: (r.webhook_secret as string | null) ?? null,
  }));
}

export async function subscriptionSecret(q: Queryable, id: number): Promise<string | null> {
  const rows = await q.query<{ webhook_secret: string | null }>(
    `SELECT webhook_secret FROM subscriptions WHERE id = $1`,
    [id],
  );
  return rows[0]?.webhook_secret ?? null;
}

/** A stream's cursor (the last id read) and value. */
export async function getCursor(
  q: Queryable,
  name: string,
): Promise<{ lastId: number; value: string | null }> {
  const rows = await q.query<{ last_id: number | string; value: string | null }>(
    `SELECT last_id, value FROM notice_cursors WHERE name = $1`,
    [name],
  );
  return rows[0]
    ? { lastId: Number(rows[0].last_id), value: rows[0].value }
    : { lastId: 0, value: null };
}

/** Moves a cursor forward only: two processes reading the same stream never move it back. */
export async function advanceCursor(
  q: Queryable,
  name: string,
  lastId: number,
  value: string | null = null,
): Promise<void> {
  await q.query(
    `INSERT INTO notice_cursors (name, last_id, value) VALUES ($1,$2,$3)
     ON CONFLICT (name) DO UPDATE SET last_id = GREATEST(notice_cursors.last_id, EXCLUDED.last_id), value = COALESCE(EXCLUDED.value, notice_cursors.value)`,
    [name, lastId, value],
  );
}

export interface PolygonEventSource {
  id: number;
  polygonId: number;
  code: string;
  jurisdictionCode: string;
  period: string;
  source: string;
  kind: string;
  geometry: Areal;
  bbox: BBox;
}

function toSource(r: Row, kind: string): PolygonEventSource {
  return {
    id: Number(r.id),
    polygonId: Number(r.polygon_id),
    code: String(r.code),
    jurisdictionCode: String(r.jurisdiction_code),
    period: String(r.period),
    source: String(r.source),
    kind,
    geometry: r.geometry as Areal,
    bbox: [Number(r.minx), Number(r.miny), Number(r.maxx), Number(r.maxy)],
  };
}
const BOX = `(p.bbox[1])[0] AS minx, (p.bbox[1])[1] AS miny, (p.bbox[0])[0] AS maxx, (p.bbox[0])[1] AS maxy`;

/** 图斑 stored after `afterId` (new 图斑 events), oldest first. */
export async function polygonsAfter(
  q: Queryable,
  afterId: number,
  limit = 500,
): Promise<PolygonEventSource[]> {
  const rows = await q.query<Row>(
    `SELECT p.id, p.id AS polygon_id, p.code, p.jurisdiction_code, p.period, p.source, p.geometry, ${BOX} FROM polygons p WHERE p.id > $1 ORDER BY p.id LIMIT ${limit}`,
    [afterId],
  );
  return rows.map((r) => toSource(r, 'new_polygon'));
}

/** Notices of the given kinds stored after `afterId`, with their 图斑 (overdue, resumed building…). */
export async function polygonNoticesAfter(
  q: Queryable,
  afterId: number,
  kinds: string[],
  limit = 500,
): Promise<(PolygonEventSource & { noticeKind: string })[]> {
  const rows = await q.query<Row>(
    `SELECT n.id, n.kind AS notice_kind, p.id AS polygon_id, p.code, p.jurisdiction_code, p.period, p.source, p.geometry, ${BOX}
       FROM notifications n JOIN polygons p ON p.id = n.polygon_id WHERE n.id > $1 AND n.kind = ANY($2::text[]) ORDER BY n.id LIMIT ${limit}`,
    [afterId, kinds],
  );
  return rows.map((r) => ({
    ...toSource(r, String(r.notice_kind)),
    noticeKind: String(r.notice_kind),
  }));
}

/** The newest notice id (the fan-out's start on a fresh installation). */
export async function maxIds(q: Queryable): Promise<{ polygon: number; notification: number }> {
  const rows = await q.query<{ p: number | string | null; n: number | string | null }>(
    `SELECT (SELECT max(id) FROM polygons) AS p, (SELECT max(id) FROM notifications) AS n`,
  );
  return { polygon: Number(rows[0].p ?? 0), notification: Number(rows[0].n ?? 0) };
}

/** One delivery per (event, subscriber); false when it already exists (a retry of the fan-out). */
export async function insertDelivery(
  q: Queryable,
  d: {
    subscriptionId: number;
    eventKey: string;
    url: string;
    body: Record<string, unknown>;
    at: Date;
  },
): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO webhook_deliveries (subscription_id, event_key, url, body, next_at, created_at) VALUES ($1,$2,$3,$4::jsonb,$5,$5)
     ON CONFLICT (event_key, subscription_id) DO NOTHING RETURNING id`,
    [d.subscriptionId, d.eventKey, d.url, JSON.stringify(d.body), d.at],
  );
  return rows.length === 1;
}

/**
 * Takes due deliveries for sending, leased until `leaseUntil` (SKIP LOCKED: two processes
 * never take the same one; a process that dies leaves it to be taken again after the lease).
 */
export async function takeDueDeliveries(
  q: Queryable,
  now: Date,
  leaseUntil: Date,
  limit = 20,
): Promise<WebhookDelivery[]> {
  const rows = await q.query<Row>(
    `UPDATE webhook_deliveries SET next_at = $2 WHERE id IN (
       SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_at <= $1 ORDER BY next_at, id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
     RETURNING ${WEBHOOK_DELIVERIES.select()}`,
    [now, leaseUntil],
  );
  return rows.map(WEBHOOK_DELIVERIES.read);
}

export async function finishDelivery(
  q: Queryable,
  id: number,
  outcome: { delivered: true; at: Date } | { delivered: false; error: string; nextAt: Date | null },
): Promise<void> {
  if (outcome.delivered)
    await q.query(
      `UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, delivered_at = $2, last_error = NULL WHERE id = $1`,
      [id, outcome.at],
    );
  else
    await q.query(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, last_error = $2, status = CASE WHEN $3::timestamptz IS NULL THEN 'failed' ELSE 'pending' END, next_at = COALESCE($3, next_at) WHERE id = $1`,
      [id, outcome.error.slice(0, 500), outcome.nextAt],
    );
}

/** A user's webhook deliveries, newest first (what the subscriptions page shows). */
export async function deliveriesOf(
  q: Queryable,
  userId: number,
  limit = 100,
): Promise<WebhookDelivery[]> {
  const rows = await q.query<Row>(
    `SELECT ${WEBHOOK_DELIVERIES.select({ alias: 'd' })} FROM webhook_deliveries d JOIN subscriptions s ON s.id = d.subscription_id WHERE s.user_id = $1 ORDER BY d.id DESC LIMIT ${limit}`,
    [userId],
  );
  return rows.map(WEBHOOK_DELIVERIES.read);
}
