import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import { GengbaoError } from '../errors.ts';
import { pointFootprint } from '../field/footprint.ts';
import { mergeTrack, patrolRates, phoneTime, trackLengthM } from '../field/patrol.ts';
import type { CameraEvent, PatrolFinding, PublicTip, TrackPoint } from '../field/schemas.ts';
import { normaliseReceipt, receiptCode } from '../field/tips.ts';
import type { Areal } from '../geo/types.ts';
import { covers, prefixAt } from '../grid/index.ts';
import type { PolygonSource } from '../cases/index.ts';
import type { Db, Queryable } from '../store/db.ts';
import { insertFlags } from '../store/field.ts';
import type { EvidenceFiles } from '../store/field-evidence-files.ts';
import {
  cameraForAuth,
  getCameraEvent,
  getTip,
  insertCamera,
  insertCameraEvent,
  insertTip,
  listCameraEvents,
  listCameras,
  listTips,
  locateJurisdiction,
  tipByReceipt,
  triageLead,
  type LeadStatus,
} from '../store/field-leads.ts';
import {
  chiefPatrols,
  findingById,
  insertFinding,
  ownPatrol,
  saveTrack,
  startPatrol,
} from '../store/field-patrols.ts';
import { listJurisdictions } from '../store/jurisdictions.ts';
import { insertPolygons } from '../store/polygons.ts';
import { Scope } from '../store/scope.ts';
import { getSetting, putSetting } from '../store/settings.ts';
import { lockKey } from '../store/system.ts';
import type { Principal } from '../store/users.ts';
import { actorOf, SYSTEM_ACTOR, type CaseService } from './cases.ts';
import { checkPhotos, decodePhotos, fieldConfig, storePhotos } from './field.ts';
import {
  checkTipPhotoSizes,
  checkTipQuotas,
  cleanTipPhotosHere,
  type TipPhotoCleaner,
  sweepTipPhotos,
} from './tip-intake.ts';
import { placeGeometry, placePoint } from './geometry-input.ts';

const monthOf = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 7);
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** A triage decision on a lead (tip or camera alarm). */
export interface Triage {
  outcome: 'accept' | 'reject';
  reason: string;
  geometry?: Areal;
}

/**
 * Leads from outside the imagery cycle: patrols (巡田), public tips (举报) and camera alarms.
 * Each one accepted becomes a 图斑 of its own source with its evidence, and its case is opened
 * in the same transaction, so it enters the lifecycle like any detected polygon.
 */
export class FieldLeadService {
  constructor(
    private readonly db: Db,
    private readonly files: EvidenceFiles,
    private readonly cases: CaseService,
    private readonly now: () => Date = () => new Date(),
    private readonly cleanTipPhotos: TipPhotoCleaner = cleanTipPhotosHere,
  ) {}

  /** Stores a new 图斑 from a lead and opens its case; returns its id. */
  private async newPolygon(
    tx: Queryable,
    scope: Scope,
    p: Principal | null,
    lead: {
      code: string;
      source: PolygonSource;
      jurisdictionCode: string;
      geometry: Areal;
      properties: Record<string, unknown>;
    },
    at: Date,
  ): Promise<number> {
    const period = monthOf(at);
    const [id] = await insertPolygons(tx, scope, [
      {
        code: lead.code,
        source: lead.source,
        period,
        jurisdictionCode: lead.jurisdictionCode,
        geometry: lead.geometry,
        properties: lead.properties,
      },
    ]);
    await this.cases.openCases(
      tx,
      scope,
      p ? actorOf(p) : SYSTEM_ACTOR,
      [{ id, jurisdictionCode: lead.jurisdictionCode, source: lead.source, period }],
      at,
    );
    return id;
  }

  /** Starts a patrol, at the phone's time when it started offline; a resent start answers the same patrol. */
  async startPatrol(p: Principal, startedAt?: string) {
    const row = await startPatrol(this.db, p.scope, {
      userId: p.id,
      jurisdictionCode: p.jurisdictionCode,
      at: phoneTime(startedAt, this.now(), 'startedAt'),
    });
    return { id: row.id, startedAt: row.startedAt.toISOString() };
  }

  /** Adds track points; a resent batch does not double the track. Refused once the patrol ended. */
  async addPoints(p: Principal, id: number, points: TrackPoint[]) {
    return this.db.transaction(async (tx) => {
      const row = await ownPatrol(tx, p.scope, id, p.id, true);
      if (row.endedAt)
        throw new GengbaoError(
          'conflict',
          `patrol ${id} ended at ${row.endedAt.toISOString()}; start a new one`,
          { field: 'id' },
        );
      const track = mergeTrack(
        row.track,
        points,
        { startedAt: row.startedAt.toISOString() },
        this.now(),
      );
      const lengthM = trackLengthM(track);
      await saveTrack(tx, p.scope, id, track, lengthM);
      return { id, points: track.length, lengthM };
    });
  }

  /** Ends a patrol (once; ending again answers the same). */
  async endPatrol(p: Principal, id: number, points: TrackPoint[] = [], endedAt?: string) {
    return this.db.transaction(async (tx) => {
      const row = await ownPatrol(tx, p.scope, id, p.id, true);
      if (row.endedAt)
        return {
          id,
          endedAt: row.endedAt.toISOString(),
          points: row.track.length,
          lengthM: row.lengthM,
        };
      const now = this.now();
      const at = phoneTime(endedAt, now, 'endedAt');
      if (at < row.startedAt)
        throw new GengbaoError('bad_input', `endedAt ${endedAt} is before the patrol started`, {
          field: 'endedAt',
        });
      const track = mergeTrack(row.track, points, { startedAt: row.startedAt.toISOString() }, now);
      const lengthM = trackLengthM(track);
      await saveTrack(tx, p.scope, id, track, lengthM, at);
      return { id, endedAt: at.toISOString(), points: track.length, lengthM };
    });
  }

  /** A building spotted on patrol → a 图斑 of source `patrol` with its photos (once per client id). */
  async reportFinding(p: Principal, patrolId: number, f: z.infer<typeof PatrolFinding>) {
    const config = await fieldConfig(this.db);
    const decoded = decodePhotos(f.photos, config);
    const patrol = await ownPatrol(this.db, p.scope, patrolId, p.id);
    const known = await findingById(this.db, p.scope, f.id);
    if (known) return { polygonId: known.polygonId, replayed: true, flags: [] };
    // A drawn footprint must be valid, bounded and inside the chief's jurisdiction; a point
    // placed in another jurisdiction is refused too (it used to land in the chief's village).
    const drawn = f.geometry ? await placeGeometry(this.db, f.geometry, [p.scope.prefix]) : null;
    const elsewhere = drawn
      ? null
      : await locateJurisdiction(this.db, Scope.system(), f.lon, f.lat);
    if (elsewhere) await placePoint(this.db, f.lon, f.lat, [p.scope.prefix], 'lon');
    const jurisdictionCode = drawn?.jurisdictionCode ?? elsewhere ?? p.jurisdictionCode;
    const at = this.now();
    const geometry: Areal = drawn?.geometry ?? pointFootprint(f.lon, f.lat, config.pointFootprintM);
    const shas = await storePhotos(this.db, this.files, p.scope, jurisdictionCode, decoded, at);
    const { photos, flags } = checkPhotos(
      f.photos,
      decoded,
      shas,
      { geometry, window: { from: patrol.startedAt.toISOString() } },
      at,
      config,
    );
    const polygonId = await this.db.transaction(async (tx) => {
      const id = await this.newPolygon(
        tx,
        p.scope,
        p,
        {
          code: `XT-${patrolId}-${f.id.slice(0, 8)}`,
          source: 'patrol',
          jurisdictionCode,
          geometry,
          properties: {
            lead: { kind: 'patrol', patrolId, reportedBy: p.id, description: f.description },
            evidence: photos,
          },
        },
        at,
      );
      await insertFinding(tx, p.scope, { id: f.id, patrolId, polygonId: id, jurisdictionCode, at });
      await insertFlags(tx, p.scope, {
        submissionId: null,
        polygonId: id,
        jurisdictionCode,
        at,
        flags,
      });
      return id;
    });
    return { polygonId, replayed: false, flags };
  }

  /** Patrol rate per chief per week in my scope over the last `weeks` weeks. */
  async patrolStats(p: Principal, weeks: number) {
    const at = this.now();
    const chiefs = await chiefPatrols(
      this.db,
      p.scope,
      new Date(at.getTime() - (weeks + 1) * 7 * 86400_000),
    );
    const rates = patrolRates(chiefs, weeks, at);
    const mean = rates.length
      ? Math.round((rates.reduce((s, r) => s + r.rate, 0) / rates.length) * 1000) / 1000
      : null;
    return { weeks, chiefs: rates, meanRate: mean };
  }

  /** A salted hash of the client address: enough to count a flood, useless to identify anyone. */
  private async clientHash(ip: string): Promise<string> {
    let salt = await getSetting<string>(this.db, 'field.tipSalt');
    if (!salt) {
      await putSetting(this.db, 'field.tipSalt', randomBytes(16).toString('hex'));
      salt = (await getSetting<string>(this.db, 'field.tipSalt'))!;
    }
    return sha(`${salt}:${ip}`);
  }

  /**
   * A public tip: located, within the tip quotas, photos decoded, stripped of metadata and kept;
   * returns the receipt (src/services/tip-intake.ts has the storage bounds).
   */
  async submitTip(ip: string, t: z.infer<typeof PublicTip>) {
    const config = await fieldConfig(this.db);
    const at = this.now();
    const client = await this.clientHash(ip);
    checkTipPhotoSizes(t.photos, config);
    const estimate = t.photos.reduce((n, p) => n + Math.floor((p.data.length * 3) / 4), 0);
    await checkTipQuotas(this.db, client, at, config, estimate); // cheap early refusal, before any photo is decoded or written
    const cleaned = await this.cleanTipPhotos(t.photos);
    const photoBytes = cleaned.reduce((n, p) => n + p.bytes.length, 0);
    const system = Scope.system(); // the public has no jurisdiction: the tip's place decides it
    const jurisdictionCode = await locateJurisdiction(this.db, system, t.lon, t.lat);
    if (!jurisdictionCode)
      throw new GengbaoError(
        'bad_input',
        `the place ${t.lon}, ${t.lat} is outside the region this service covers`,
        { field: 'lon' },
      );
    const photos = await storePhotos(this.db, this.files, system, jurisdictionCode, cleaned, at);
    const receipt = receiptCode(randomBytes(8));
    const contact = t.anonymous ? null : (t.contact ?? null);
    // Counted again under locks (the client's, and all photos' when there are some), so a
    // burst of parallel requests cannot slip past a quota.
    await this.db.transaction(async (tx) => {
      await lockKey(tx, `tip:${client}`);
      if (photoBytes) await lockKey(tx, 'tip-photos');
      await checkTipQuotas(tx, client, at, config, photoBytes);
      await insertTip(tx, system, {
        receipt,
        jurisdictionCode,
        lon: t.lon,
        lat: t.lat,
        description: t.description,
        photos,
        photoBytes,
        contact,
        clientHash: client,
        createdAt: at,
      });
    });
    return { receipt, status: 'received' as const, createdAt: at.toISOString() };
  }

  /** Deletes the photos of tips never taken up, past the retention time (run daily by `gengbao start`). */
  async sweepTipPhotos() {
    return sweepTipPhotos(this.db, this.files, this.now(), await fieldConfig(this.db));
  }

  /** What the tipster may know: status and dates, nothing internal. */
  async tipStatus(receipt: string) {
    const tip = await tipByReceipt(this.db, normaliseReceipt(receipt));
    if (!tip)
      throw new GengbaoError('not_found', 'no tip with this receipt code', { field: 'receipt' });
    return {
      receipt: tip.receipt,
      status: tip.status,
      createdAt: tip.createdAt.toISOString(),
      triagedAt: (tip.triage?.at as string | undefined) ?? null,
    };
  }

  /** Tips in my jurisdiction, for triage. */
  async tips(p: Principal, status?: LeadStatus, limit?: number, afterId?: number) {
    return listTips(this.db, p.scope, status, limit, afterId);
  }

  /**
   * County outlines of the whole region for the tip page's map: public geography (no data
   * behind it), so a citizen can point at the place instead of typing coordinates.
   */
  async publicRegion() {
    const counties = await listJurisdictions(this.db, Scope.system(), {
      level: 'county',
      withGeometry: true,
    });
    return {
      type: 'FeatureCollection' as const,
      features: counties
        .filter((c) => c.geometry)
        .map((c) => ({
          type: 'Feature' as const,
          id: c.code,
          geometry: c.geometry,
          properties: { code: c.code, name: c.name, bbox: c.bbox },
        })),
    };
  }

  /**
   * One triage of a lead, once: accepted → a 图斑 of the lead's source (the reported point's
   * footprint unless the officer draws the outline); rejected with the reason.
   */
  private async triage<
    R extends { id: number; status: string; lon: number; lat: number; jurisdictionCode: string },
  >(
    p: Principal,
    t: Triage,
    lead: {
      table: 'public_tips' | 'camera_events';
      what: string;
      load: (tx: Queryable) => Promise<R | null>;
      polygon: (r: R) => {
        code: string;
        source: PolygonSource;
        properties: Record<string, unknown>;
      };
    },
  ) {
    const config = await fieldConfig(this.db);
    return this.db.transaction(async (tx) => {
      const row = await lead.load(tx);
      if (!row)
        throw new GengbaoError('not_found', `no ${lead.what} in your jurisdiction`, {
          field: 'id',
        });
      if (row.status !== 'received')
        throw new GengbaoError('conflict', `${lead.what} was already triaged (${row.status})`, {
          field: 'id',
        });
      const at = this.now();
      const status = t.outcome === 'accept' ? ('accepted' as const) : ('rejected' as const);
      let polygonId: number | null = null;
      if (status === 'accepted') {
        // A drawn outline: valid, bounded, inside the officer's scope and the lead's county.
        const geometry = t.geometry
          ? (
              await placeGeometry(tx, t.geometry, [
                p.scope.prefix,
                prefixAt(row.jurisdictionCode, 'county'),
              ])
            ).geometry
          : pointFootprint(row.lon, row.lat, config.pointFootprintM);
        polygonId = await this.newPolygon(
          tx,
          p.scope,
          p,
          { ...lead.polygon(row), jurisdictionCode: row.jurisdictionCode, geometry },
          at,
        );
      }
      await triageLead(tx, p.scope, lead.table, row.id, {
        status,
        polygonId,
        triage: { by: p.id, at: at.toISOString(), reason: t.reason },
      });
      return { id: row.id, status, polygonId };
    });
  }

  /** County triage of a tip: accepted → 图斑 of source `tip`; rejected with a reason. Once only. */
  async triageTip(p: Principal, id: number, t: Triage) {
    return this.triage(p, t, {
      table: 'public_tips',
      what: `tip ${id}`,
      load: (tx) => getTip(tx, p.scope, id, true),
      polygon: (tip) => ({
        code: `JB-${tip.receipt}`,
        source: 'tip',
        properties: {
          lead: { kind: 'tip', tipId: tip.id, description: tip.description },
          evidence: tip.photos.map((s) => ({ sha256: s })),
        },
      }),
    });
  }

  /** Registers a camera; the token is shown once and only its hash is kept. */
  async registerCamera(
    p: Principal,
    c: { id: string; jurisdictionCode: string; label: string; lon: number; lat: number },
  ) {
    const token = randomBytes(24).toString('base64url');
    await insertCamera(this.db, p.scope, { ...c, tokenHash: sha(token), at: this.now() });
    return { id: c.id, token };
  }

  /** Cameras in my jurisdiction, a page of `limit` after camera `afterId`. */
  async cameras(p: Principal, limit?: number, afterId?: string) {
    return listCameras(this.db, p.scope, limit, afterId);
  }

  /** Camera alarms in my jurisdiction, for triage. */
  async cameraEvents(p: Principal, status?: LeadStatus, limit?: number, afterId?: number) {
    return listCameraEvents(this.db, p.scope, status, limit, afterId);
  }

  /** Authenticates a camera by its token (constant-time compare of hashes). */
  async cameraOf(id: string, token: string | undefined) {
    const cam = await cameraForAuth(this.db, id);
    const given = Buffer.from(sha(token ?? ''), 'hex');
    const ok = !!cam && !!token && timingSafeEqual(given, Buffer.from(cam.tokenHash, 'hex'));
    if (!ok)
      throw new GengbaoError(
        'unauthenticated',
        `camera ${id}: unknown camera or wrong token (send it in the X-Camera-Token header)`,
      );
    return cam!;
  }

  /** A camera alarm, stored once per (camera, event id) with its snapshot. */
  async cameraEvent(cameraId: string, token: string | undefined, e: z.infer<typeof CameraEvent>) {
    const cam = await this.cameraOf(cameraId, token);
    const config = await fieldConfig(this.db);
    const [snapshot] = decodePhotos([{ data: e.snapshot }], config, 'snapshot');
    const scope = new Scope(cam.jurisdictionCode);
    const at = this.now();
    // A camera watches its own county: an alarm placed elsewhere (or nowhere) is refused.
    const county = prefixAt(cam.jurisdictionCode, 'county');
    const located = await locateJurisdiction(this.db, Scope.system(), e.lon, e.lat);
    if (!located || !covers(county, located))
      throw new GengbaoError(
        'bad_input',
        `告警位置 ${e.lon}, ${e.lat} 不在摄像头所在县 ${county} 之内 / the event's place ${e.lon}, ${e.lat} is outside the camera's county ${county}`,
        { field: 'lon' },
      );
    const jurisdictionCode = covers(cam.jurisdictionCode, located) ? located : cam.jurisdictionCode;
    const [snapshotSha256] = await storePhotos(
      this.db,
      this.files,
      scope,
      jurisdictionCode,
      [snapshot],
      at,
    );
    const { row, created } = await insertCameraEvent(this.db, scope, {
      cameraId,
      eventId: e.eventId,
      jurisdictionCode,
      at: new Date(e.at),
      lon: e.lon,
      lat: e.lat,
      bearing: e.bearing ?? null,
      label: e.label ?? null,
      snapshotSha256,
      receivedAt: at,
    });
    return { id: row.id, status: row.status, replayed: !created };
  }

  /** Triage of a camera alarm: accepted → 图斑 of source `video`. Once only. */
  async triageCameraEvent(p: Principal, id: number, t: Triage) {
    return this.triage(p, t, {
      table: 'camera_events',
      what: `camera event ${id}`,
      load: (tx) => getCameraEvent(tx, p.scope, id, true),
      polygon: (ev) => ({
        code: `SP-${ev.cameraId}-${ev.id}`,
        source: 'video',
        properties: {
          lead: {
            kind: 'video',
            cameraId: ev.cameraId,
            eventId: ev.eventId,
            at: ev.at.toISOString(),
            bearing: ev.bearing,
          },
          evidence: [{ sha256: ev.snapshotSha256 }],
        },
      }),
    });
  }
}
