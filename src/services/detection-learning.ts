import { createHash } from 'node:crypto';
import type { PolygonCaseState } from '../cases/index.ts';
import {
  adaptedClassifier,
  verdictWindows,
  type JudgedOutline,
  type ModelExtension,
  type PairReading,
  type VerdictWindow,
} from '../detect/learned/adapt.ts';
import { decideAdoption } from '../detect/learned/adoption.ts';
import type { LearnedClassifier } from '../detect/learned/classifier.ts';
import type { Tree } from '../detect/learned/gbdt.ts';
import { classifierFor, LEARNED_SENSORS, shippedClassifier } from '../detect/learned/shipped.ts';
import type { Scores } from '../detect/metrics.ts';
import type { ClassifierChoice, SensorId } from '../detect/profiles.ts';
import { GengbaoError } from '../errors.ts';
import type { Areal } from '../geo/types.ts';
import { openScene } from '../raster/scene-source.ts';
import type { Db } from '../store/db.ts';
import {
  detectedPolygonsOf,
  getDetectionModel,
  insertDetectionModel,
  listDetectionModels,
  modelInForce,
  rollBackDetectionModel,
  type DetectionModelRecord,
  type HeldOutScore,
  type JudgedDetection,
  type LearnedScene,
} from '../store/detection-models.ts';
import { getImagery } from '../store/imagery.ts';
import { getJob } from '../store/jobs.ts';
import { getSetting, putSetting } from '../store/settings.ts';
import type { Principal, Role } from '../store/users.ts';
import { submitterOf, type JobRun } from './job-run.ts';

/** Who learns, rolls back and switches adapted models: the province's monitoring and administrators. */
export const LEARNING_ROLES: readonly Role[] = ['province_monitor', 'admin'];

/** The installation's switch: detection uses the adapted model in force (settings table). */
export const LEARNING_SETTING = 'detection.adaptedModels';

/**
 * Fewest judged 图斑 a version is learned from (and recorded); adopting one needs more
 * (detect/learned/adoption.ts: MIN_HELD_OUT, MIN_EACH_KIND).
 */
export const MIN_VERDICTS = 4;

/**
 * Dismissal reasons (伪变化剔除) that say nothing about the imagery: a duplicate 图斑 is a
 * bookkeeping fact, not "no change". Every other dismissal reason is a false change.
 */
const NOT_ABOUT_IMAGERY = new Set(['duplicate']);
/** "Other" verdicts whose reason is construction all the same (a road, a facility, temporary use). */
const OTHER_CONSTRUCTION = new Set(['rural_road', 'facility_farmland', 'temporary_use']);
/** "Other" verdicts that judge the change itself false. */
const OTHER_NO_CHANGE = new Set(['false_change']);

/**
 * What a 图斑's verdict says of the imagery: true, real change (construction, whether judged
 * illegal, lawful, or "other" as a road, facility or temporary use); false, no change
 * (dismissed as 伪变化, or judged "other: false change"); null, nothing usable — no verdict
 * yet, one sent back for correction, one a spot check overturned, a duplicate, or an "other"
 * reason that is neither (internal adjustment, disaster damage).
 */
export function verdictOnImagery(s: PolygonCaseState | null | undefined): boolean | null {
  if (!s) return null;
  if (s.dismissal) return NOT_ABOUT_IMAGERY.has(s.dismissal.reason) ? null : false;
  const d = s.determination;
  if (!d || s.status === 'returned' || s.status === 'determined' || s.status === 'disputed')
    return null;
  if (s.spotChecks.some((c) => !c.upheld)) return null;
  if (d.category === 'illegal' || d.category === 'lawful') return true;
  const reason = d.otherReason ?? '';
  if (OTHER_NO_CHANGE.has(reason)) return false;
  if (OTHER_CONSTRUCTION.has(reason)) return true;
  return null;
}

/** A stable digest of a shipped model's trees: an extension is valid on that model only. */
const hashes = new WeakMap<LearnedClassifier, string>();
export function shippedHash(c: LearnedClassifier): string {
  let h = hashes.get(c);
  if (!h) {
    h = createHash('sha256')
      .update(JSON.stringify([c.features, c.base, c.trees]))
      .digest('hex')
      .slice(0, 16);
    hashes.set(c, h);
  }
  return h;
}

const heldOutScore = (s: Scores): HeldOutScore & { falseAlarm: number } => ({
  f1: s.f1,
  precision: s.precision,
  recall: s.recall,
  pixels: s.tp + s.fp + s.fn + s.tn,
  falseAlarm: s.fp + s.tn > 0 ? s.fp / (s.fp + s.tn) : 0,
});

/** The imagery pair and reading of the detection run that found a 图斑, when it was stored imagery. */
interface PairRef {
  before: number;
  after: number;
  reading: PairReading;
}

export interface LearnRequest {
  sensor: SensorId;
}

/**
 * Learning from verdicts (issue 23): the officers' verdicts on detected 图斑 are labels. A
 * `detection.learn` job gathers the judged 图斑 of one sensor in the submitter's jurisdiction
 * whose imagery pair is still registered, describes their pixels as the detection run did
 * (src/detect/learned/adapt.ts), and lets detect/learned/adoption.ts decide — the same code
 * `npm run eval:learning` measures — which candidate extension fits them best held out and
 * whether it beats the shipped model there by enough to adopt. The result is stored as a new
 * version with its history: when, by whom, how many verdicts of each kind, from which scenes,
 * the method, and the held-out pixel score of the shipped and the adapted model. A version not
 * adopted is recorded all the same. Detection uses the newest adopted version not rolled back when the installation
 * switches it on (`classifierFor`); the shipped model files are never changed.
 */
export class DetectionLearningService {
  /** Adapted classifiers by version id: one object per version, so its compiled trees are reused. */
  private readonly built = new Map<number, LearnedClassifier>();

  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The `detection.learn` job's work. */
  async learn(run: JobRun, p: LearnRequest) {
    const principal = await submitterOf(this.db, run, 'learning from verdicts');
    assertMayManage(principal);
    const shipped = shippedClassifier(p.sensor);
    await run.progress(0.02, 'reading the verdicts');
    const polygons = await detectedPolygonsOf(this.db, run.scope, p.sensor);
    const judged = polygons
      .map((g) => ({ g, change: verdictOnImagery(g.state) }))
      .filter((x): x is { g: JudgedDetection; change: boolean } => x.change !== null);
    // The pair each 图斑 was detected on: from its properties, else the job that found it.
    const jobPairs = new Map<string, PairRef | null>();
    const pairOf = async (g: JudgedDetection): Promise<PairRef | null> => {
      const props = g.properties;
      const job = typeof props.job === 'string' ? props.job : null;
      if (job && !jobPairs.has(job)) {
        const j = await getJob(this.db, run.scope, job);
        const pl = (j?.payload ?? {}) as Record<string, unknown>;
        jobPairs.set(
          job,
          typeof pl.beforeImagery === 'number' && typeof pl.afterImagery === 'number'
            ? {
                before: pl.beforeImagery,
                after: pl.afterImagery,
                reading: {
                  sensor: p.sensor,
                  bands: Array.isArray(pl.bands) ? (pl.bands as string[]) : undefined,
                  addOffset: (pl.addOffset as PairReading['addOffset']) ?? undefined,
                  workingResolutionM:
                    typeof pl.workingResolutionM === 'number' ? pl.workingResolutionM : undefined,
                },
              }
            : null,
        );
      }
      const fromJob = job ? jobPairs.get(job)! : null;
      const img = props.imagery as { before?: unknown; after?: unknown } | undefined;
      if (img && typeof img.before === 'number' && typeof img.after === 'number')
        return {
          before: img.before,
          after: img.after,
          reading: fromJob?.reading ?? { sensor: p.sensor },
        };
      return fromJob;
    };
    const byPair = new Map<string, { ref: PairRef; all: Areal[]; judged: typeof judged }>();
    for (const g of polygons) {
      const ref = await pairOf(g);
      if (!ref) continue;
      const key = `${ref.before}:${ref.after}`;
      const entry = byPair.get(key) ?? { ref, all: [], judged: [] };
      entry.all.push(g.geometry!);
      byPair.set(key, entry);
    }
    // In 图斑 id order, so that a job run again on the same verdicts decides the same.
    judged.sort((x, y) => x.g.id - y.g.id);
    let usable = 0;
    for (const x of judged) {
      const ref = await pairOf(x.g);
      if (!ref) continue;
      byPair.get(`${ref.before}:${ref.after}`)!.judged.push(x);
      usable++;
    }
    if (usable < MIN_VERDICTS)
      throw new GengbaoError(
        'bad_input',
        `可用于学习的判定不足：需要至少 ${MIN_VERDICTS} 个已判定且影像仍登记的检测图斑，现有 ${usable} 个 / too few verdicts to learn from: at least ${MIN_VERDICTS} judged detected 图斑 with their imagery pair still registered are needed, found ${usable}`,
        { field: 'sensor' },
      );
    const windows: VerdictWindow[] = [];
    const scenes: LearnedScene[] = [];
    let skipped = 0;
    let pairIndex = 0;
    for (const { ref, all, judged: js } of byPair.values()) {
      pairIndex++;
      if (js.length === 0) continue;
      const [b, a] = await Promise.all([
        getImagery(this.db, run.scope, ref.before),
        getImagery(this.db, run.scope, ref.after),
      ]);
      if (!b || !a) {
        skipped += js.length;
        continue;
      }
      await run.progress(
        0.05 + (0.75 * (pairIndex - 1)) / byPair.size,
        `describing the judged 图斑 on ${b.name} → ${a.name}`,
      );
      const reading: PairReading = {
        ...ref.reading,
        addOffset: {
          before:
            ref.reading.addOffset?.before ??
            (typeof b.meta.addOffset === 'number' ? b.meta.addOffset : undefined),
          after:
            ref.reading.addOffset?.after ??
            (typeof a.meta.addOffset === 'number' ? a.meta.addOffset : undefined),
        },
      };
      const [before, after] = await Promise.all([openScene(b.uri), openScene(a.uri)]);
      try {
        const outlines: JudgedOutline[] = js.map((x) => ({
          geometry: x.g.geometry!,
          change: x.change,
        }));
        // As many tiles of unjudged ground as judged 图斑 (adoption.ts weighs a version on both).
        windows.push(
          ...(await verdictWindows(before, after, reading, shipped, outlines, all, {
            count: js.length,
            seed: pairIndex,
          })),
        );
      } finally {
        await Promise.all([before.close(), after.close()]);
      }
      scenes.push({ before: b.id, after: a.id, names: [b.name, a.name], verdicts: js.length });
    }
    const judgedWindows = windows.filter((w) => w.judged).length;
    if (judgedWindows < MIN_VERDICTS)
      throw new GengbaoError(
        'bad_input',
        `判定图斑所在影像不可读或已注销，可用 ${judgedWindows} 个 / the imagery of the judged 图斑 could not be read: ${judgedWindows} usable`,
        { field: 'sensor' },
      );
    await run.progress(0.85, `learning from ${judgedWindows} judged 图斑`);
    const decision = decideAdoption(shipped, windows);
    const before = heldOutScore(decision.shipped);
    const after = heldOutScore(decision.best);
    const adopted = decision.adopted;
    const changeCount = windows.filter((w) => w.judged && w.change).length;
    const id = await insertDetectionModel(this.db, {
      sensor: p.sensor,
      shippedHash: shippedHash(shipped),
      extension: { ...decision.extension, method: decision.method },
      verdicts: judgedWindows,
      verdictsChange: changeCount,
      verdictsNoChange: judgedWindows - changeCount,
      heldOut: decision.heldOut,
      scenes,
      scoreBefore: before,
      scoreAfter: after,
      adopted,
      jurisdictionCode: principal.jurisdictionCode,
      createdBy: principal.id,
      jobId: run.jobId,
      createdAt: this.now(),
    });
    await run.progress(1, `version ${id} stored`);
    return {
      version: id,
      sensor: p.sensor,
      adopted,
      reason: decision.reason,
      method: decision.method,
      verdicts: judgedWindows,
      skippedNoImagery: skipped,
      heldOut: decision.heldOut,
      trainingPixels: decision.trainingPixels,
      trees: decision.extension.trees.length,
      scoreBefore: before,
      scoreAfter: after,
      scenes,
    };
  }

  /** The history: every version, which is in force per sensor, and the installation's switch. */
  async history(principal: Principal) {
    assertMayManage(principal);
    const versions = await listDetectionModels(this.db);
    const enabled = await this.enabled();
    const inForce = new Map<string, number>();
    for (const s of LEARNED_SENSORS) {
      const m = await modelInForce(this.db, s, shippedHash(shippedClassifier(s)));
      if (m) inForce.set(s, m.id);
    }
    return {
      enabled,
      sensors: LEARNED_SENSORS.map((s) => ({
        sensor: s,
        trainedOn: shippedClassifier(s).trainedOn,
        inForce: inForce.get(s) ?? null,
      })),
      versions: versions.map((v) => ({
        ...v,
        active: inForce.get(v.sensor) === v.id,
        current: v.shippedHash === shippedHash(shippedClassifier(v.sensor as SensorId)),
      })),
    };
  }

  /** Rolls a version back: the one before it not rolled back (or the shipped model) is in force again. */
  async rollBack(principal: Principal, id: number): Promise<DetectionModelRecord> {
    assertMayManage(principal);
    const m = await getDetectionModel(this.db, id);
    if (!m) throw new GengbaoError('not_found', `no model version ${id}`, { field: 'id' });
    if (!(await rollBackDetectionModel(this.db, id, principal.id, this.now())))
      throw new GengbaoError(
        'conflict',
        `模型版本 ${id} 已回退 / version ${id} is already rolled back`,
      );
    this.built.delete(id);
    return (await getDetectionModel(this.db, id))!;
  }

  /** Switches the use of adapted models in detection on or off for the installation. */
  async setEnabled(principal: Principal, enabled: boolean): Promise<{ enabled: boolean }> {
    assertMayManage(principal);
    await putSetting(this.db, LEARNING_SETTING, { enabled });
    return { enabled };
  }

  async enabled(): Promise<boolean> {
    return (await getSetting<{ enabled?: boolean }>(this.db, LEARNING_SETTING))?.enabled === true;
  }

  /**
   * The classifier a detection run decides with: as detect/learned/shipped.ts's classifierFor,
   * except that with the installation's switch on, a learned choice takes the adapted version
   * in force for the sensor (null version: the shipped model).
   */
  async classifierFor(
    sensor: SensorId,
    choice?: ClassifierChoice,
  ): Promise<{ learned: LearnedClassifier | null; version: number | null }> {
    const learned = classifierFor(sensor, choice);
    if (!learned || !(await this.enabled())) return { learned, version: null };
    const m = await modelInForce(this.db, sensor, shippedHash(learned));
    if (!m?.extension) return { learned, version: null };
    let c = this.built.get(m.id);
    if (!c) {
      const ext = m.extension as unknown as ModelExtension & { trees: Tree[] };
      c = adaptedClassifier(learned, ext, `verdicts v${m.id}`);
      this.built.set(m.id, c);
    }
    return { learned: c, version: m.id };
  }
}

function assertMayManage(p: Principal): void {
  if (!LEARNING_ROLES.includes(p.role))
    throw new GengbaoError(
      'forbidden',
      `只有省级监测人员和管理员可管理检测模型 / only province monitors and administrators manage detection models`,
    );
}
