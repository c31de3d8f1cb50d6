import { idb } from './idb.ts';
import type { CapturedPhoto } from './types.ts';

/** A track fix as the server takes it. */
export interface TrackPoint {
  lon: number;
  lat: number;
  at: string;
  accuracyM?: number;
}

/** A building spotted on patrol; `id` makes a resent report land once. */
export interface Finding {
  id: string;
  lon: number;
  lat: number;
  description: string;
  photos: CapturedPhoto[];
  polygonId?: number;
  flags?: { message: string }[];
}

/**
 * A patrol (巡田) as the phone keeps it: everything is recorded locally first and sent when
 * there is signal, so a patrol in a valley with no coverage is not lost. `sentPoints` counts
 * the fixes the server already has; the server also drops repeated fixes, so a resend is safe.
 */
export interface PatrolRecord {
  kind: 'patrol';
  localId: string;
  startedAt: string;
  endedAt?: string;
  serverId?: number;
  points: TrackPoint[];
  sentPoints: number;
  endSent?: boolean;
  findings: Finding[];
}

const key = (p: PatrolRecord) => `patrol:${p.localId}`;
export const savePatrol = (p: PatrolRecord) => idb.put('meta', p, key(p));

export async function patrols(): Promise<PatrolRecord[]> {
  return (await idb.all<{ kind?: string }>('meta'))
    .filter((x): x is PatrolRecord => x.kind === 'patrol')
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

export const activePatrol = async () => (await patrols()).find((p) => !p.endedAt) ?? null;

export async function startPatrol(): Promise<PatrolRecord> {
  const p: PatrolRecord = {
    kind: 'patrol',
    localId: crypto.randomUUID(),
    startedAt: new Date().toISOString(),
    points: [],
    sentPoints: 0,
    findings: [],
  };
  await savePatrol(p);
  return p;
}

/** Metres between two fixes (equirectangular: enough to thin a walking track). */
function metres(a: TrackPoint, b: TrackPoint): number {
  const k = Math.cos((a.lat * Math.PI) / 180);
  return Math.hypot((a.lon - b.lon) * k, a.lat - b.lat) * 111_320;
}

/** Records a fix unless it repeats the last one (closer than 10 m and within 30 s). */
export async function recordFix(p: PatrolRecord, fix: TrackPoint): Promise<boolean> {
  const last = p.points.at(-1);
  if (last && metres(last, fix) < 10 && Date.parse(fix.at) - Date.parse(last.at) < 30_000)
    return false;
  p.points.push(fix);
  await savePatrol(p);
  return true;
}

export const unsynced = (p: PatrolRecord) =>
  !p.serverId ||
  p.sentPoints < p.points.length ||
  p.findings.some((f) => !f.polygonId) ||
  (!!p.endedAt && !p.endSent);

async function post(
  url: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => ({})) };
}

/** Sends what the server does not have yet of every patrol, in order: start, track, findings, end. */
export async function syncPatrols(): Promise<void> {
  for (const p of await patrols()) {
    if (!unsynced(p)) continue;
    if (!p.serverId) {
      const r = await post('/api/patrols', { startedAt: p.startedAt });
      if (r.status !== 200) continue;
      p.serverId = r.body.id as number;
      await savePatrol(p);
    }
    while (p.sentPoints < p.points.length) {
      const batch = p.points.slice(p.sentPoints, p.sentPoints + 500);
      const r = await post(`/api/patrols/${p.serverId}/points`, { points: batch });
      if (r.status === 409)
        p.sentPoints = p.points.length; // ended elsewhere: the server keeps what it has
      else if (r.status !== 200) break;
      else p.sentPoints += batch.length;
      await savePatrol(p);
    }
    for (const f of p.findings.filter((x) => !x.polygonId)) {
      const r = await post(`/api/patrols/${p.serverId}/findings`, {
        id: f.id,
        lon: f.lon,
        lat: f.lat,
        description: f.description,
        photos: f.photos,
      });
      if (r.status !== 200) continue;
      f.polygonId = r.body.polygonId as number;
      f.flags = r.body.flags as { message: string }[];
      await savePatrol(p);
    }
    if (p.endedAt && !p.endSent && p.sentPoints === p.points.length) {
      const r = await post(`/api/patrols/${p.serverId}/end`, { points: [], endedAt: p.endedAt });
      if (r.status === 200) {
        p.endSent = true;
        await savePatrol(p);
      }
    }
  }
}
