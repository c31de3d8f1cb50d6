import { randomUUID } from 'node:crypto';
import {
  DEFAULT_CADENCE,
  planRuns,
  type CadenceRule,
  type SceneForPairing,
} from '../detect/schedule.ts';
import type { SensorId } from '../detect/profiles.ts';
import { GengbaoError } from '../errors.ts';
import { LEVEL_PREFIX_LENGTHS } from '../grid/levels.ts';
import type { Db } from '../store/db.ts';
import { getImagery, type ImageryRecord } from '../store/imagery.ts';
import {
  assignRunJob,
  claimRun,
  getRun,
  listRuns,
  monitoringAccountIds,
  polygonIdsOfJob,
  runsToResume,
  setRunStage,
  settleRunJob,
  scenesWithSensor,
  takenRunKeys,
  takeRun,
  type MonitoringRun,
} from '../store/monitoring-runs.ts';
import { Scope } from '../store/scope.ts';
import { getSetting } from '../store/settings.ts';
import { getUserById, principalOf, type Principal } from '../store/users.ts';
import type { AnalysisService } from './analysis.ts';
import type { CaseService } from './cases.ts';
import type { DetectionService } from './detection.ts';
import { submitterOf, type JobRun } from './job-run.ts';
import type { JobService } from './jobs.ts';

/** The job type of a scheduled run (src/jobs/definitions/monitoring-month.ts). */
export const MONITORING_JOB = 'monitoring.month';
/** A run whose job failed is started again this many times in all, then left to a person. */
const MAX_ATTEMPTS = 3;
/** A run claimed but never handed to a job (the process died between) is resumed after this. */
const STALE_MS = 2 * 60_000;

const toPairing = (img: ImageryRecord): SceneForPairing => ({
  id: img.id,
  date: img.acquiredOn!,
  sensor: String(img.meta.sensor),
  jurisdictionCode: img.jurisdictionCode,
  bbox: img.bbox!,
  ...(typeof img.meta.cloudShare === 'number' ? { cloud: img.meta.cloudShare } : {}),
});

/** The longest unit prefix (2, 4, 6, 9, 12 digits) two codes share: the unit holding both scenes. */
function sharedUnit(a: string, b: string): string {
  let n = 0;
  while (n < a.length && a[n] === b[n]) n++;
  return a.slice(0, Math.max(0, ...Object.values(LEVEL_PREFIX_LENGTHS).filter((l) => l <= n)));
}

/**
 * The monitoring loop without a person: which runs are due (per unit and sensor, the configured
 * cadence — monthly by default, on arrival for drones — on the newest usable pair), and the run
 * itself, one job with three recorded stages: detection on the pair → 套合 → 下发 to the grid
 * with deadlines. A run is unique per (unit, sensor, period): scheduling it again, from any
 * number of processes, adds nothing; a run whose job died is started again and continues from
 * the stage it reached.
 *
 * The run acts in the name of the unit's monitoring account: the monitoring analyst or city
 * reviewer whose jurisdiction holds the unit, the most local first (the roles that may take 套合
 * and 下发). A unit with none gets its run recorded as refused, with the reason.
 */
export class MonitoringService {
  constructor(
    private readonly db: Db,
    private readonly parts: {
      cases: CaseService;
      detection: DetectionService;
      analysis: AnalysisService;
      jobs: JobService;
    },
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The cadence lines in force: the defaults, then the setting `monitoring.cadence` (later lines win ties). */
  async cadenceRules(): Promise<CadenceRule[]> {
    return [
      ...DEFAULT_CADENCE,
      ...((await getSetting<CadenceRule[]>(this.db, 'monitoring.cadence')) ?? []),
    ];
  }

  /**
   * Starts the runs that are due and resumes the interrupted ones; safe to call from every
   * process at once (each run is claimed once, each resumption compare-and-swapped).
   */
  async schedule(): Promise<{ started: number[]; resumed: number[]; refused: number[] }> {
    const out = { started: [] as number[], resumed: [] as number[], refused: [] as number[] };
    const scenes = (await scenesWithSensor(this.db)).filter((s) => s.bbox).map(toPairing);
    const plans = planRuns(scenes, await this.cadenceRules(), await takenRunKeys(this.db));
    for (const plan of plans) {
      const account = await this.accountFor(plan.jurisdictionCode);
      const run = await claimRun(this.db, {
        jurisdictionCode: plan.jurisdictionCode,
        sensor: plan.sensor,
        period: plan.period,
        runKey: plan.runKey,
        beforeImagery: plan.before,
        afterImagery: plan.after,
        actorId: account?.id ?? null,
        at: this.now(),
        ...(account
          ? {}
          : {
              stage: 'refused' as const,
              error: `没有覆盖 ${plan.jurisdictionCode} 的监测人员账号 / no monitoring analyst or city reviewer account holds unit ${plan.jurisdictionCode}`,
            }),
      });
      if (!run) continue;
      if (!account) {
        out.refused.push(run.id);
        continue;
      }
      if (await this.hand(run, account)) out.started.push(run.id);
    }
    for (const run of await runsToResume(
      this.db,
      MAX_ATTEMPTS,
      new Date(this.now().getTime() - STALE_MS),
    )) {
      const user = run.actorId ? await getUserById(this.db, run.actorId) : null;
      if (user && (await this.hand(run, principalOf(user)))) out.resumed.push(run.id);
    }
    return out;
  }

  /** Hands a run to a new job: a placeholder is swapped in first, so one process submits it. */
  private async hand(run: MonitoringRun, account: Principal): Promise<boolean> {
    const placeholder = `pending:${randomUUID()}`;
    if (!(await assignRunJob(this.db, run.id, run.jobId, placeholder, this.now()))) return false;
    const job = await this.parts.jobs.submit(account, MONITORING_JOB, { runId: run.id });
    await settleRunJob(this.db, run.id, placeholder, job.id);
    return true;
  }

  private async accountFor(unitCode: string): Promise<Principal | null> {
    const candidates: Principal[] = [];
    for (const id of await monitoringAccountIds(this.db)) {
      const user = await getUserById(this.db, id);
      if (user && !user.disabled) candidates.push(principalOf(user));
    }
    // The most local account whose jurisdiction holds the unit; a monitoring analyst before a reviewer.
    return (
      candidates
        .filter((p) => p.scope.covers(unitCode))
        .sort(
          (a, b) =>
            b.scope.prefix.length - a.scope.prefix.length ||
            Number(b.role === 'province_monitor') - Number(a.role === 'province_monitor') ||
            a.id - b.id,
        )[0] ?? null
    );
  }

  /**
   * One run, as the `monitoring.month` job: each stage recorded as it ends, each skipped when a
   * previous attempt finished it, so a rerun continues and adds nothing twice. Detection's 图斑
   * carry the job that stored them; a detection that died before storing is run again.
   */
  async runMonth(ctx: JobRun, runId: number, opts: { workers: number }) {
    let run = await getRun(this.db, runId);
    if (!run) throw new GengbaoError('not_found', `no monitoring run ${runId}`, { field: 'runId' });
    if (run.stage === 'done' || run.stage === 'refused')
      return { runId, stage: run.stage, skipped: 'already finished' };
    if (!(await takeRun(this.db, runId, ctx.jobId, this.now())))
      return {
        runId,
        skipped: '另一个任务正在执行此次监测 / another job runs this monitoring run',
      };
    const principal = await submitterOf(this.db, ctx, 'a monitoring run');
    const scope = new Scope(
      sharedUnit(run.jurisdictionCode, await this.unitOf(run.beforeImagery, run.jurisdictionCode)),
    );
    principal.scope.assertCovers(run.jurisdictionCode, `monitoring run ${runId}`);
    const within = (from: number, to: number, label: string): JobRun => ({
      ...ctx,
      scope: principal.scope.prefix.length > scope.prefix.length ? principal.scope : scope,
      progress: (f, m) => ctx.progress(from + (to - from) * f, `${label}${m ? `: ${m}` : ''}`),
    });
    const summary: Record<string, unknown> = {
      runId,
      period: run.period,
      sensor: run.sensor,
      unit: run.jurisdictionCode,
    };

    if (run.stage === 'queued' || run.stage === 'detecting') {
      const earlier = run.detectJob ? await polygonIdsOfJob(this.db, run.detectJob) : [];
      if (run.stage === 'detecting' && earlier.length) {
        await setRunStage(this.db, runId, 'detected', this.now(), {
          name: 'detect',
          value: { stored: earlier.length, resumed: true },
        });
      } else {
        await setRunStage(this.db, runId, 'detecting', this.now(), undefined, {
          detectJob: ctx.jobId,
        });
        const result = await this.parts.detection.detect(
          within(0, 0.6, '1/3 变化检测 detect'),
          {
            period: run.period,
            beforeImagery: run.beforeImagery,
            afterImagery: run.afterImagery,
            sensor: run.sensor as SensorId,
            chips: true,
          },
          { workers: opts.workers },
        );
        const { stats: _stats, ...said } = result;
        await setRunStage(this.db, runId, 'detected', this.now(), { name: 'detect', value: said });
      }
      run = (await getRun(this.db, runId))!;
    }
    const ids = run.detectJob ? await polygonIdsOfJob(this.db, run.detectJob) : [];
    summary.polygons = ids.length;

    if (run.stage === 'detected') {
      const result = ids.length
        ? await this.parts.analysis.analysePeriod(within(0.6, 0.85, '2/3 套合 overlay'), run.period)
        : { polygons: 0 };
      await setRunStage(this.db, runId, 'analysed', this.now(), { name: 'analyse', value: result });
      run = (await getRun(this.db, runId))!;
    }
    if (run.stage === 'analysed') {
      await ctx.progress(0.85, '3/3 下发 dispatch');
      const r = ids.length
        ? await this.parts.cases.pushPeriod(principal, run.period, { ids })
        : { pushed: [], refused: [] };
      await setRunStage(
        this.db,
        runId,
        'done',
        this.now(),
        { name: 'dispatch', value: { pushed: r.pushed.length, refused: r.refused.slice(0, 20) } },
        { error: null },
      );
      summary.pushed = r.pushed.length;
      summary.refused = r.refused.length;
    }
    await ctx.progress(1, 'done');
    return summary;
  }

  private async unitOf(imageryId: number, fallback: string): Promise<string> {
    return (await getImagery(this.db, Scope.system(), imageryId))?.jurisdictionCode ?? fallback;
  }

  /** The runs in the caller's jurisdiction, newest first, with the stage each reached. */
  list(p: Principal, limit?: number) {
    return listRuns(this.db, p.scope, limit);
  }
}
