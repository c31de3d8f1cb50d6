import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PolygonCaseState } from '../cases/index.ts';
import { RECHECKED_ON_IMAGERY } from '../cases/transitions-recheck.ts';
import { recheckPolygon, type RecheckChips, type RecheckResult } from '../detect/recheck.ts';
import { DEFAULT_RECHECK_CONFIG, type RecheckConfig } from '../detect/recheck-rule.ts';
import { chooseRecheckScenes, type RecheckScene } from '../detect/recheck-scenes.ts';
import type { SensorId } from '../detect/profiles.ts';
import { GengbaoError } from '../errors.ts';
import { bboxOf } from '../geo/bbox.ts';
import type { Areal } from '../geo/types.ts';
import { prefixAt } from '../grid/index.ts';
import { openScene, type RasterScene } from '../raster/scene-source.ts';
import { insertNotifications, loadCase } from '../store/cases.ts';
import type { Db } from '../store/db.ts';
import { getImagery, type ImageryRecord } from '../store/imagery.ts';
import { monitoringAccountIds } from '../store/monitoring-runs.ts';
import {
  casesUnder,
  claimSweep,
  finishSweep,
  getRecheck,
  insertRecheck,
  recheckExists,
  rechecksOf,
  scenesHolding,
  setSweepJob,
  unsweptScenes,
  type CaseUnderScene,
} from '../store/rechecks.ts';
import { Scope } from '../store/scope.ts';
import { getSetting } from '../store/settings.ts';
import { getUserById, principalOf, type Principal } from '../store/users.ts';
import type { CaseService } from './cases.ts';
import type { JobRun } from './job-run.ts';
import type { JobService } from './jobs.ts';

/** The job type that re-checks the cases one new scene covers (src/jobs/definitions/monitoring-recheck.ts). */
export const RECHECK_JOB = 'monitoring.recheck';
export const CHIP_SIDES = ['before', 'violation', 'now'] as const;
export type RecheckChipSide = (typeof CHIP_SIDES)[number];

const sceneOf = (img: ImageryRecord): RecheckScene => ({
  id: img.id,
  date: img.acquiredOn!,
  sensor: typeof img.meta.sensor === 'string' ? img.meta.sensor : null,
  ...(typeof img.meta.cloudShare === 'number' ? { cloud: img.meta.cloudShare } : {}),
});
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Which of the re-checked states a case is in: what a new scene is asked about it. */
function stageOf(s: PolygonCaseState): 'stopped' | 'rectifying' | 'restored' | null {
  if (s.status === 'stopped' || s.status === 'case_filed' || s.status === 'decided')
    return 'stopped';
  if (s.status === 'enforced' || s.status === 'rectified') return 'rectifying';
  // Closed as restored: a passed recheck in its record (a lawful verdict closed early has none).
  if (s.status === 'rechecked' || (s.status === 'closed' && s.rechecks.some((r) => r.passed)))
    return 'restored';
  return null;
}

/**
 * Rectification checked on later imagery, not assumed (issue 24): each newly registered scene
 * (by the intake or an import) is swept once — one `monitoring.recheck` job, claimed by the
 * scene's key — and every case it covers that was stopped, is being rectified or was closed as
 * restored is re-checked on the 图斑's window (src/detect/recheck.ts): restored, not restored,
 * building resumed or extended. The result, with before / violation / now chips, is stored once
 * per (case, scene) and recorded in the case's record as `imagery_recheck` in the same
 * transaction. Building resumed tells the county (a notice that area subscriptions hear as
 * `resumed`); a restored site being rectified tells the level above, whose 复核通过 form then
 * starts filled in (src/cases/suggested-inputs.ts).
 */
export class RecheckService {
  constructor(
    private readonly db: Db,
    private readonly parts: { cases: CaseService; jobs: JobService },
    private readonly chipsDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The rule's thresholds: the defaults, overridden by the setting `recheck.config`. */
  async config(): Promise<RecheckConfig> {
    return {
      ...DEFAULT_RECHECK_CONFIG,
      ...((await getSetting<Partial<RecheckConfig>>(this.db, 'recheck.config')) ?? {}),
    };
  }

  /**
   * The loop's step: every registered scene not yet swept gets one job, whoever ticks. A scene
   * with no monitoring account over its unit is swept as done with nothing to do.
   */
  async schedule(): Promise<{ started: number[] }> {
    const started: number[] = [];
    for (const img of await unsweptScenes(this.db)) {
      if (!(await claimSweep(this.db, img.id, this.now()))) continue;
      const account = await this.accountFor(img.jurisdictionCode);
      if (!account) {
        await finishSweep(this.db, img.id, 0, this.now());
        continue;
      }
      await setSweepJob(this.db, img.id, `pending:${randomUUID()}`);
      const job = await this.parts.jobs.submit(account, RECHECK_JOB, { imageryId: img.id });
      await setSweepJob(this.db, img.id, job.id);
      started.push(img.id);
    }
    return { started };
  }

  private async accountFor(unitCode: string): Promise<Principal | null> {
    const candidates: Principal[] = [];
    for (const id of await monitoringAccountIds(this.db)) {
      const user = await getUserById(this.db, id);
      if (user && !user.disabled) candidates.push(principalOf(user));
    }
    // Any account whose jurisdiction meets the scene's unit; the most local first.
    return (
      candidates
        .filter(
          (p) =>
            p.scope.covers(unitCode) ||
            unitCode.startsWith(p.scope.prefix) ||
            p.scope.prefix.startsWith(unitCode),
        )
        .sort((a, b) => b.scope.prefix.length - a.scope.prefix.length || a.id - b.id)[0] ?? null
    );
  }

  /**
   * The `monitoring.recheck` job: every case the scene covers, each once (a rerun skips the
   * cases already re-checked on it). Returns what each case came to.
   */
  async sweep(run: JobRun, imageryId: number) {
    const img = await getImagery(this.db, Scope.system(), imageryId);
    if (!img?.bbox || !img.acquiredOn)
      throw new GengbaoError('not_found', `no dated imagery ${imageryId}`, { field: 'imageryId' });
    const cases = await casesUnder(this.db, img.bbox, RECHECKED_ON_IMAGERY);
    const results: { polygonId: number; code: string; outcome: string; recheckId?: number }[] = [];
    for (const [i, c] of cases.entries()) {
      await run.progress(i / Math.max(1, cases.length), `${c.code} (${i + 1}/${cases.length})`);
      const r = await this.recheckCase(c, img);
      if (r) results.push({ polygonId: c.id, code: c.code, ...r });
    }
    await finishSweep(this.db, imageryId, results.length, this.now());
    return { imageryId, date: img.acquiredOn, cases: cases.length, rechecked: results };
  }

  /**
   * One case on one scene; null when there is nothing to say (not a re-checked state, the scene
   * not later than the violation, no pair to compare with, already done).
   */
  async recheckCase(
    c: CaseUnderScene,
    img: ImageryRecord,
  ): Promise<{ outcome: string; recheckId: number } | null> {
    const polygonId = c.id;
    if (await recheckExists(this.db, polygonId, img.id)) return null;
    const row = await loadCase(this.db, Scope.system(), polygonId);
    if (!row?.state) return null;
    const stage = stageOf(row.state);
    if (!stage) return null;
    const geometry = c.geometry as Areal;
    const box = bboxOf(geometry);
    const holding = (await scenesHolding(this.db, box)).map(sceneOf);
    const sensor = (sceneOf(img).sensor ?? String(row.properties.sensor ?? '')) || null;
    const chosen = chooseRecheckScenes({
      now: { ...sceneOf(img), sensor },
      scenes: holding.map((s) => ({ ...s, sensor: s.sensor ?? sensor })),
      foundOn: row.state.found.at.slice(0, 10),
    });
    if (!chosen) return null;
    const records = new Map<number, ImageryRecord>();
    for (const id of [chosen.before.id, chosen.violation.id, img.id])
      records.set(id, (await getImagery(this.db, Scope.system(), id))!);
    const offset = (id: number) => {
      const v = records.get(id)!.meta.addOffset;
      return typeof v === 'number' ? v : undefined;
    };
    const opened: RasterScene[] = [];
    let result;
    try {
      for (const id of [chosen.before.id, chosen.violation.id, img.id])
        opened.push(await openScene(records.get(id)!.uri));
      result = await recheckPolygon(
        geometry,
        {
          before: opened[0],
          violation: opened[1],
          now: opened[2],
          offsets: {
            before: offset(chosen.before.id),
            violation: offset(chosen.violation.id),
            now: offset(img.id),
          },
        },
        { sensor: sensor as SensorId, rule: await this.config(), chips: true },
      );
    } finally {
      await Promise.all(opened.map((s) => s.close()));
    }
    if (!result) return null;
    return this.record({ polygonId, img, chosen, result });
  }

  /**
   * Stores one re-check's result and records it, as the `monitoring.recheck` job does after
   * measuring (recheckCase): the chips written, the result row, `imagery_recheck` in the case's
   * record, the county's alert when building resumed and the level above's offer when a
   * rectified site is restored — one transaction, once per (case, scene). The demo loader
   * states its results through here too (src/demo/monitoring-month.ts). Refused (`conflict`)
   * for a case in no re-checked state; null when this scene already re-checked the case.
   */
  async record(input: {
    polygonId: number;
    img: ImageryRecord;
    chosen: { before: { id: number; date: string }; violation: { id: number; date: string } };
    result: RecheckResult;
  }): Promise<{ outcome: string; recheckId: number } | null> {
    const { polygonId, img, chosen, result } = input;
    const row = await loadCase(this.db, Scope.system(), polygonId);
    if (!row?.state || !stageOf(row.state))
      throw new GengbaoError(
        'conflict',
        `图斑 ${polygonId} 不处于可影像复核的状态（已制止、整改中或已恢复）/ 图斑 ${polygonId} is not stopped, being rectified or restored`,
        { field: 'polygonId' },
      );
    if (!img.acquiredOn || !result.chips)
      throw new GengbaoError(
        'bad_input',
        `影像复核须有成像日期和三幅对比图 / a re-check needs a dated scene and its three chips`,
        { field: 'imageryId' },
      );
    const chipNames = await this.saveChips(polygonId, img.id, result.chips);
    const at = this.now();
    const county = prefixAt(row.jurisdictionCode, 'county');
    return this.db.transaction(async (tx) => {
      const id = await insertRecheck(tx, {
        polygonId,
        imageryId: img.id,
        violationImagery: chosen.violation.id,
        beforeImagery: chosen.before.id,
        jurisdictionCode: row.jurisdictionCode,
        caseStatus: row.state!.status,
        outcome: result.outcome,
        measures: { ...result.measures },
        reasons: result.reasons,
        chips: chipNames.hashes,
        createdAt: at,
      });
      if (id === null) return null;
      const round = (x: number) => Math.round(x * 1000) / 1000;
      await this.parts.cases.actAsSystem(
        tx,
        polygonId,
        'imagery_recheck',
        {
          result: result.outcome,
          recheckId: id,
          imageryId: img.id,
          imageryDate: img.acquiredOn!,
          violationDate: chosen.violation.date,
          beforeDate: chosen.before.date,
          gone: round(result.measures.gone),
          residual: round(result.measures.residual),
          grownM2: Math.round(result.measures.grownM2),
          reasons: result.reasons,
          chips: CHIP_SIDES.map((s) => chipNames.hashes[s]),
        },
        at,
      );
      const payload = {
        recheck: id,
        polygon: polygonId,
        code: row.code,
        outcome: result.outcome,
        imageryDate: img.acquiredOn,
        link: `/polygons/${polygonId}`,
        chips: Object.fromEntries(CHIP_SIDES.map((s) => [s, `/api/rechecks/${id}/chips/${s}.png`])),
      };
      // Building resumed after a stop (or after a restoration): the county hears at once, and
      // area subscribers hear it as `resumed` (services/notices.ts maps this kind).
      if (result.outcome === 'resumed')
        await insertNotifications(tx, [
          {
            polygonId,
            kind: 'building_resumed',
            jurisdictionCode: county,
            audience: 'county',
            payload,
            at,
          },
        ]);
      // Restored while being rectified: the level above may pass the recheck in one click.
      if (result.outcome === 'restored' && row.state!.status === 'rectified')
        await insertNotifications(tx, [
          {
            polygonId,
            kind: 'recheck_restored',
            // The city's unit code (140500), as its reviewers' accounts carry it.
            jurisdictionCode: prefixAt(row.jurisdictionCode, 'city').padEnd(6, '0'),
            audience: 'level_above',
            payload: { ...payload, action: 'recheck_pass' },
            at,
          },
        ]);
      return { outcome: result.outcome, recheckId: id };
    });
  }

  /** Chips as files `<data>/rechecks/<polygon>-<scene>-<side>.png`, written atomically, with their hashes. */
  private async saveChips(polygonId: number, imageryId: number, chips: RecheckChips) {
    await mkdir(this.chipsDir, { recursive: true });
    const hashes = {} as Record<RecheckChipSide, string>;
    for (const side of CHIP_SIDES) {
      const path = join(this.chipsDir, `${polygonId}-${imageryId}-${side}.png`);
      await writeFile(`${path}.tmp`, chips[side]);
      await rename(`${path}.tmp`, path);
      hashes[side] = sha256(chips[side]);
    }
    return { hashes };
  }

  /** The re-checks of a 图斑 in the caller's scope, newest first, with their chips' addresses. */
  async list(p: Principal, polygonId: number) {
    return (await rechecksOf(this.db, p.scope, polygonId)).map((r) => ({
      ...r,
      chipUrls: Object.fromEntries(
        CHIP_SIDES.map((s) => [s, `/api/rechecks/${r.id}/chips/${s}.png`]),
      ),
    }));
  }

  /** One chip of a re-check in the caller's scope, checked against the hash its record holds. */
  async chip(p: Principal, id: number, side: RecheckChipSide): Promise<Buffer> {
    const r = await getRecheck(this.db, p.scope, id);
    if (!r)
      throw new GengbaoError('not_found', `no re-check ${id} in your jurisdiction`, {
        field: 'id',
      });
    const png = await readFile(
      join(this.chipsDir, `${r.polygonId}-${r.imageryId}-${side}.png`),
    ).catch(() => null);
    if (!png || sha256(png) !== r.chips[side])
      throw new GengbaoError('not_found', `re-check ${id} has no intact ${side} chip`, {
        field: 'side',
      });
    return png;
  }
}
