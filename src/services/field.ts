import { GengbaoError, isGengbaoError, type ErrorCode } from '../errors.ts';
import { resolveFieldConfig, type FieldConfig } from '../field/config.ts';
import { checkPhoto, taskWindowOf, type EvidenceFlag, type TaskWindow } from '../field/evidence.ts';
import { assertPhotoFile, type ImageType } from '../field/image.ts';
import { tilesCovering, VERIFICATION_FORM } from '../field/package.ts';
import type { CapturedPhoto, FieldSubmission } from '../field/schemas.ts';
import type { Areal } from '../geo/types.ts';
import type { Db, Queryable } from '../store/db.ts';
import {
  claimSubmission,
  evidenceFileOf,
  finishSubmission,
  flagsOfPolygon,
  flagSummary,
  getSubmission,
  insertFlags,
  recordEvidenceFile,
  releaseSubmission,
  submissionsOfPolygon,
  type StoredPhoto,
} from '../store/field.ts';
import type { EvidenceFiles } from '../store/field-evidence-files.ts';
import { fieldTask, fieldTasks, type FieldTask } from '../store/field-tasks.ts';
import { bboxIntersects } from '../geo/bbox.ts';
import { listImagery } from '../store/imagery.ts';
import { Scope } from '../store/scope.ts';
import { getSetting } from '../store/settings.ts';
import type { Principal } from '../store/users.ts';
import { casesConfig, type CaseService } from './cases.ts';

/** The field rules in force (setting `field.config` over the defaults). */
export async function fieldConfig(q: Queryable): Promise<FieldConfig> {
  return resolveFieldConfig(await getSetting(q, 'field.config'));
}

/** A photo decoded and checked for type and size, not yet stored. */
export interface DecodedPhoto {
  bytes: Buffer;
  mediaType: ImageType;
}

/**
 * Decodes and checks every photo before anything is stored, so a submission with one bad file
 * is refused whole and leaves nothing behind (bad input changes nothing).
 */
export function decodePhotos(
  photos: { data: string }[],
  config: FieldConfig,
  field = 'photos',
): DecodedPhoto[] {
  if (photos.length > config.maxPhotosPerSubmission) {
    throw new GengbaoError(
      'bad_input',
      `${photos.length} photos; at most ${config.maxPhotosPerSubmission} per submission`,
      { field },
    );
  }
  return photos.map((p, i) => {
    // base64 is 4/3 of the bytes: refuse a huge string before decoding it into memory.
    if ((p.data.length * 3) / 4 > config.maxPhotoBytes + 3) {
      throw new GengbaoError(
        'bad_input',
        `${field}[${i}] is about ${((p.data.length * 3) / 4 / 1048576).toFixed(1)} MB; the limit is ${(config.maxPhotoBytes / 1048576).toFixed(1)} MB`,
        { field: `${field}.${i}` },
      );
    }
    const bytes = Buffer.from(p.data, 'base64');
    return { bytes, mediaType: assertPhotoFile(bytes, config.maxPhotoBytes, `${field}[${i}]`) };
  });
}

/** Writes decoded photos to the evidence store and records them; returns their SHA-256s. */
export async function storePhotos(
  q: Queryable,
  files: EvidenceFiles,
  scope: Scope,
  jurisdictionCode: string,
  photos: DecodedPhoto[],
  at: Date,
): Promise<string[]> {
  const out: string[] = [];
  for (const p of photos) {
    const sha256 = await files.put(p.bytes);
    await recordEvidenceFile(q, scope, {
      sha256,
      mediaType: p.mediaType,
      bytes: p.bytes.length,
      jurisdictionCode,
      at,
    });
    out.push(sha256);
  }
  return out;
}

/** Checks every photo of a report against its target; returns the flags and the stored photo records. */
export function checkPhotos(
  claims: CapturedPhoto[],
  decoded: DecodedPhoto[],
  shas: string[],
  target: { geometry: Areal; window: TaskWindow | null },
  at: Date,
  config: FieldConfig,
): { photos: StoredPhoto[]; flags: EvidenceFlag[] } {
  const flags: EvidenceFlag[] = [];
  const photos = claims.map((c, i) => {
    flags.push(...checkPhoto(i, c, shas[i], target, at, config));
    return {
      sha256: shas[i],
      claimedSha256: c.sha256,
      mediaType: decoded[i].mediaType,
      bytes: decoded[i].bytes.length,
      lon: c.lon,
      lat: c.lat,
      accuracyM: c.accuracyM,
      heading: c.heading,
      takenAt: c.takenAt,
    };
  });
  return { photos, flags };
}

/** Zoom of the chips: about 1 m per pixel at 35° N, finer than the imagery the detection runs on. */
const CHIP_ZOOM = 17;

/** What the phone shows of a task, in the list and in its package. */
function taskSummary(t: FieldTask) {
  return {
    id: t.id,
    code: t.code,
    status: t.status,
    version: t.version,
    areaMu: t.areaMu,
    jurisdictionCode: t.jurisdictionCode,
    bbox: t.bbox,
    geometry: t.geometry,
    deadlines: (t.state?.deadlines ?? []).filter((d) => !d.doneAt),
    window: t.state ? taskWindowOf(t.state) : null,
  };
}

/** Codes that mean "this submission is wrong", worth remembering as its answer for replays. */
const FINAL_CODES: ErrorCode[] = [
  'bad_input',
  'conflict',
  'forbidden',
  'forbidden_jurisdiction',
  'not_found',
  'unsupported',
];

export interface SubmissionResult {
  id: string;
  polygonId: number;
  status: 'accepted';
  state: { status: string; version: number };
  photos: StoredPhoto[];
  flags: EvidenceFlag[];
  stopRecorded: boolean;
  stopError?: { code: string; message: string };
  /** True when this answer is the stored answer to an earlier copy of the same submission. */
  replayed: boolean;
}

/**
 * Field verification from the phone: evidence kept, checked and flagged; the verdict-free
 * `verify` transition (and an on-site stop, 制止, when one was taken) run through the lifecycle.
 */
export class FieldService {
  constructor(
    private readonly db: Db,
    private readonly files: EvidenceFiles,
    private readonly cases: CaseService,
    private readonly now: () => Date = () => new Date(),
    /** Renders one imagery tile as PNG (the imagery service's tiler); absent: packages carry no chips. */
    private readonly renderTile?: (
      uri: string,
      t: { z: number; x: number; y: number },
    ) => Promise<Buffer | null>,
  ) {}

  /** My tasks: pushed or returned 图斑 in my unit, with their deadlines and task window. */
  async tasks(p: Principal, limit: number, afterId?: number) {
    return (await fieldTasks(this.db, p.scope, limit, afterId)).map(taskSummary);
  }

  /** Everything the phone needs to verify one 图斑 offline. */
  async package(p: Principal, id: number) {
    const t = await fieldTask(this.db, p.scope, id);
    if (!t)
      throw new GengbaoError('not_found', `no polygon ${id} in your jurisdiction`, {
        field: 'polygonId',
      });
    const config = await fieldConfig(this.db);
    const chips = await this.chipsOf(t);
    return {
      polygon: { ...taskSummary(t), source: t.source, period: t.period },
      figures: { analysis: t.state?.analysis ?? null, properties: t.properties },
      deadlines: t.state?.deadlines ?? [],
      chips,
      rules: {
        minPhotos: (await casesConfig(this.db, t.jurisdictionCode, this.now())).verification
          .minPhotos,
        maxDistanceM: config.maxDistanceM,
        maxPhotoBytes: config.maxPhotoBytes,
        maxAccuracyM: config.maxAccuracyM,
      },
      form: VERIFICATION_FORM,
      downloadedAt: this.now().toISOString(),
    };
  }

  /**
   * Before/after chips of a 图斑: the z17 imagery tiles over it (with a 60 m margin, at most
   * four per scene), embedded as PNG so the phone has them with no signal. Scenes are found by
   * their footprint, not by the caller's scope: a village chief may not browse the county's
   * imagery, but the picture of the polygon assigned to them is part of the task.
   */
  private async chipsOf(t: FieldTask) {
    if (!this.renderTile) return [];
    const scenes = (await listImagery(this.db, Scope.system())).filter(
      (img) => img.bbox && bboxIntersects(img.bbox, t.bbox),
    );
    const out = [];
    for (const img of scenes) {
      const tiles = [];
      for (const c of tilesCovering(t.bbox, CHIP_ZOOM, 60, 4)) {
        const png = await this.renderTile(img.uri, c).catch(() => null);
        if (png?.length) tiles.push({ ...c, png: png.toString('base64') });
      }
      if (tiles.length)
        out.push({
          imageryId: img.id,
          name: img.name,
          role: (img.meta.role as string | undefined) ?? null,
          acquiredOn: img.acquiredOn,
          tiles,
        });
    }
    return out;
  }

  /**
   * One submission, exactly once: a replayed id gets the first answer (or the first refusal)
   * and stores nothing new. Type and size are checked before anything is written; the hash,
   * distance, time and accuracy checks flag without refusing, so a chief with a wrong phone
   * clock is not locked out but the reviewer sees it.
   */
  async submit(p: Principal, s: FieldSubmission): Promise<SubmissionResult> {
    const earlier = await this.answerOf(p, s.id);
    if (earlier) return earlier;
    const config = await fieldConfig(this.db);
    const decoded = decodePhotos(s.photos, config);
    const task = await fieldTask(this.db, p.scope, s.polygonId);
    if (!task)
      throw new GengbaoError('not_found', `no polygon ${s.polygonId} in your jurisdiction`, {
        field: 'polygonId',
      });
    const at = this.now();
    const shas = await storePhotos(
      this.db,
      this.files,
      p.scope,
      task.jurisdictionCode,
      decoded,
      at,
    );
    const { photos, flags } = checkPhotos(
      s.photos,
      decoded,
      shas,
      { geometry: task.geometry, window: task.state ? taskWindowOf(task.state) : null },
      at,
      config,
    );
    const claimed = await claimSubmission(this.db, p.scope, {
      id: s.id,
      polygonId: task.id,
      jurisdictionCode: task.jurisdictionCode,
      userId: p.id,
      form: s.form,
      photos,
      receivedAt: at,
    });
    if (!claimed) return (await this.answerOf(p, s.id)) ?? this.inProgress(s.id);
    try {
      const verifyPhotos = photos.map((ph) => ({
        sha256: ph.sha256,
        lon: ph.lon,
        lat: ph.lat,
        takenAt: ph.takenAt,
        azimuth: ph.heading,
      }));
      const { onGround, stop, ...form } = s.form;
      const description = onGround
        ? `现场情况：${onGround}。${form.description}`
        : form.description;
      const r = await this.cases.act(p, task.id, 'verify', {
        ...form,
        description,
        version: s.version,
        photos: verifyPhotos,
      });
      let state = r.state;
      let stopError: SubmissionResult['stopError'];
      if (stop) {
        try {
          state = (
            await this.cases.act(p, task.id, 'stop_early', {
              version: state.version,
              method: stop.method,
              orderNo: stop.orderNo,
              stoppedAt: stop.stoppedAt,
              photos: verifyPhotos,
            })
          ).state;
        } catch (e) {
          if (!isGengbaoError(e)) throw e;
          stopError = { code: e.code, message: e.message };
        }
      }
      const result: SubmissionResult = {
        id: s.id,
        polygonId: task.id,
        status: 'accepted',
        state: { status: state.status, version: state.version },
        photos,
        flags,
        stopRecorded: !!stop && !stopError,
        stopError,
        replayed: false,
      };
      await this.db.transaction(async (tx) => {
        await insertFlags(tx, p.scope, {
          submissionId: s.id,
          polygonId: task.id,
          jurisdictionCode: state.jurisdictionCode,
          at,
          flags,
        });
        await finishSubmission(tx, p.scope, s.id, 'accepted', { ...result });
      });
      return result;
    } catch (e) {
      if (isGengbaoError(e) && FINAL_CODES.includes(e.code)) {
        await finishSubmission(this.db, p.scope, s.id, 'refused', { error: e.toJSON() });
      } else {
        await releaseSubmission(this.db, p.scope, s.id);
      }
      throw e;
    }
  }

  /** The stored answer to a submission id, as a replay sees it; null when never seen. */
  private async answerOf(p: Principal, id: string): Promise<SubmissionResult | null> {
    const row = await getSubmission(this.db, p.scope, id);
    if (!row) return null;
    if (row.status === 'pending') return this.inProgress(id);
    if (row.status === 'refused') {
      const err = (row.result?.error ?? {}) as {
        code?: ErrorCode;
        message?: string;
        field?: string;
      };
      throw new GengbaoError(
        err.code ?? 'conflict',
        `${err.message ?? 'refused'} (answer to the first copy of submission ${id})`,
        { field: err.field },
      );
    }
    return { ...(row.result as unknown as SubmissionResult), replayed: true };
  }

  private inProgress(id: string): never {
    throw new GengbaoError('conflict', `submission ${id} is being processed; retry in a moment`, {
      field: 'id',
    });
  }

  /** Field evidence of a 图斑 for its page: submissions with their photos, and every flag. */
  async evidenceOf(p: Principal, polygonId: number) {
    const [submissions, flags] = await Promise.all([
      submissionsOfPolygon(this.db, p.scope, polygonId),
      flagsOfPolygon(this.db, p.scope, polygonId),
    ]);
    return {
      polygonId,
      flagged: flags.length > 0,
      submissions: submissions.map((s) => ({
        id: s.id,
        status: s.status,
        userId: s.userId,
        receivedAt: s.receivedAt.toISOString(),
        form: s.form,
        photos: s.photos.map((ph) => ({ ...ph, url: `/api/field/evidence/${ph.sha256}` })),
      })),
      flags: flags.map((f) => ({ ...f, at: f.at.toISOString() })),
    };
  }

  /** One photo original by its SHA-256, with its media type; not_found outside my jurisdiction. */
  async evidenceFile(p: Principal, sha256: string): Promise<{ mediaType: string; bytes: Buffer }> {
    const meta = await evidenceFileOf(this.db, p.scope, sha256);
    if (!meta)
      throw new GengbaoError('not_found', `no evidence ${sha256} in your jurisdiction`, {
        field: 'sha256',
      });
    return { mediaType: meta.mediaType, bytes: await this.files.read(sha256) };
  }

  /** Flag statistics in my scope for a period. */
  async flagStats(p: Principal, period?: string) {
    const counties = await flagSummary(this.db, p.scope, period);
    const total = { submissions: 0, flaggedSubmissions: 0, byKind: {} as Record<string, number> };
    for (const c of counties) {
      total.submissions += c.submissions;
      total.flaggedSubmissions += c.flaggedSubmissions;
      for (const [k, n] of Object.entries(c.byKind)) total.byKind[k] = (total.byKind[k] ?? 0) + n;
    }
    return { period: period ?? null, total, counties };
  }
}
