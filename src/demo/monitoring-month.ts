/**
 * The demo's monitoring month (issue 24, "the monthly loop"): November 2026 as if the loop had
 * already run it over the demo imagery —
 * - the scheduled `monitoring.month` run of the imagery's township on the demo pair (detect →
 *   套合 → 下发, stage by stage), done, with its job, as the office app lists runs and jobs;
 * - the `monitoring.recheck` sweep of the November scene: two October cases re-checked on it,
 *   one being rectified found **restored** (its city reviewer offered 复核通过) and one stopped
 *   found **resumed** (the county alerted at once), each recorded in its case's record with
 *   before / violation / now chips;
 * - an area-of-interest subscription over the imagery (the township chief's, or the county
 *   officer's when the imagery lies in another township), which hears the resumed building on
 *   the loop's next tick.
 *
 * Honest about what is real: the run's 图斑 are the demo's own November 图斑 (already stored and
 * walked by the loader), so the run is recorded with their counts, not detected again. The
 * re-checks are NOT measured: the demo has one scene pair (2026-10-18, 2026-11-17), and a
 * measured re-check of an October case needs a scene before its violation date (2026-09), which
 * the demo does not have. Their results are stated — measures chosen per outcome, the verdict and
 * its reasons from the real rule (decideRecheck) — and stored through the same entry point the
 * `monitoring.recheck` job stores its own (RecheckService.record: chips, result row,
 * `imagery_recheck` event, notices, one transaction); the chips are drawn from the demo imagery
 * on each 图斑's window (before and violation from the October scene, now from November's). The
 * subscription goes through NoticeService.subscribe. All in the loader's transaction, on fixed
 * clocks; the cases are chosen by rule (the first by code inside the imagery in the right state).
 */
import { createHash } from 'node:crypto';
import { recheckChips } from '../detect/recheck.ts';
import { decideRecheck, type RecheckMeasures } from '../detect/recheck-rule.ts';
import { ellipsoidalAreaM2 } from '../geo/area.ts';
import type { Areal } from '../geo/types.ts';
import { openScene, type RasterScene } from '../raster/scene-source.ts';
import { buildServices } from '../services/container.ts';
import type { Db, Queryable } from '../store/db.ts';
import { IMAGERY } from '../store/rows/imagery.ts';
import type { ImageryRecord } from '../store/imagery.ts';
import { finishJob, insertJob } from '../store/jobs.ts';
import { assignRunJob, claimRun, setRunStage } from '../store/monitoring-runs.ts';
import { claimSweep, finishSweep, setSweepJob } from '../store/rechecks.ts';
import type { Row } from '../store/table.ts';
import { getUserById, principalOf } from '../store/users.ts';

export const DEMO_MONTH = '2026-11';
/** The demo clock of each step: the November scene arrives, the run, the sweep. */
const AT = {
  subscribed: new Date('2026-11-02T02:00:00.000Z'),
  runStart: new Date('2026-11-19T16:00:00.000Z'),
  runDetected: new Date('2026-11-19T16:40:00.000Z'),
  runAnalysed: new Date('2026-11-19T16:55:00.000Z'),
  runDone: new Date('2026-11-19T17:05:00.000Z'),
  sweepStart: new Date('2026-11-19T17:10:00.000Z'),
  sweepDone: new Date('2026-11-19T17:20:00.000Z'),
};

/** Stated measures per outcome; the verdict and its reasons come from the real rule. */
const STATED: Record<
  'restored' | 'resumed',
  (polygonM2: number) => Omit<RecheckMeasures, 'polygonM2'>
> = {
  restored: (m2) => ({
    polygonPixels: Math.max(1, Math.round(m2 / 100)),
    validShare: 0.97,
    gone: 0.86,
    residual: 0.14,
    grownM2: 0,
  }),
  resumed: (m2) => ({
    polygonPixels: Math.max(1, Math.round(m2 / 100)),
    validShare: 0.95,
    gone: 0.03,
    residual: 0.91,
    grownM2: Math.round(Math.max(600, 0.45 * m2)),
  }),
};

/** Which cases are re-checked, by state, most telling first. */
const WANTED: Record<'restored' | 'resumed', string[]> = {
  restored: ['rectified', 'enforced'],
  resumed: ['stopped', 'case_filed', 'decided'],
};

/** A deterministic job id (uuid-shaped) for a demo label. */
function demoJobId(label: string): string {
  const h = createHash('sha256').update(`gengbao-demo:${label}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface DemoMonth {
  runId: number;
  rechecks: { polygonId: number; code: string; outcome: string; recheckId: number }[];
  subscriptionId: number;
}

/**
 * Adds the month to the demo inside the loader's transaction; null when the demo has no imagery
 * pair or no monitoring account (nothing to show then).
 */
export async function loadMonitoringMonth(
  tx: Queryable,
  opts: { dataDir: string; userIds: Map<string, number> },
): Promise<DemoMonth | null> {
  const scenes = (
    await tx.query<Row>(
      `SELECT ${IMAGERY.select()} FROM imagery WHERE meta ->> 'synthetic' = 'true' AND meta ->> 'role' IN ('before', 'after') ORDER BY acquired_on, id`,
    )
  ).map(IMAGERY.read);
  const before = scenes.find((s) => s.meta.role === 'before');
  const after = scenes.find((s) => s.meta.role === 'after');
  const monitorUser = await getUserById(tx, opts.userIds.get('sx.monitor') ?? -1);
  const chiefUser = await getUserById(tx, opts.userIds.get('zz.township') ?? -1);
  const officerUser = await getUserById(tx, opts.userIds.get('zz.officer') ?? -1);
  if (!before?.bbox || !after?.bbox || !before.acquiredOn || !after.acquiredOn || !monitorUser)
    return null;
  const monitor = principalOf(monitorUser);

  // The services, bound to this transaction, each step on its demo clock.
  let clock = AT.subscribed;
  const now = () => clock;
  const db: Db = {
    kind: 'postgres',
    query: (sql, params) => tx.query(sql, params),
    exec: (sql) => tx.exec(sql),
    transaction: (fn) => fn(tx),
    close: async () => undefined,
  };
  // Built by the composition root like every process's services, bound to this transaction.
  const { notices, recheck } = buildServices({ db, dataDir: opts.dataDir, now });

  // 1. An area of interest over the ground the demo imagery covers: the township chief's when
  //    the imagery's township is theirs, else the county officer's (a subscriber hears only of
  //    图斑 inside their own jurisdiction).
  const [x0, y0, x1, y1] = after.bbox;
  const subscriber = [chiefUser, officerUser, monitorUser]
    .filter((u) => u !== null)
    .map(principalOf)
    .find((p) => p.scope.covers(after.jurisdictionCode))!;
  const sub = await notices.subscribe(subscriber, {
    name: '演示：影像覆盖区（新图斑、逾期、复工）',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [x0, y0],
          [x1, y0],
          [x1, y1],
          [x0, y1],
          [x0, y0],
        ],
      ],
    },
    events: ['new_polygon', 'overdue', 'resumed'],
  });

  // 2. The scheduled run of November on the pair, done: its 图斑 are the demo's November ones.
  const unit = after.jurisdictionCode;
  const [{ n }] = await tx.query<{ n: string }>(
    `SELECT count(*) AS n FROM polygons WHERE period = $1 AND source = 'detection' AND jurisdiction_code LIKE $2`,
    [DEMO_MONTH, `${unit}%`],
  );
  const stored = Number(n);
  const runJob = demoJobId(`monitoring.month:${unit}:${DEMO_MONTH}`);
  const run = (await claimRun(tx, {
    jurisdictionCode: unit,
    sensor: 's2',
    period: DEMO_MONTH,
    runKey: DEMO_MONTH,
    beforeImagery: before.id,
    afterImagery: after.id,
    actorId: monitor.id,
    at: AT.runStart,
  }))!;
  await insertJob(tx, monitor.scope, {
    id: runJob,
    type: 'monitoring.month',
    payload: { runId: run.id },
    jurisdictionCode: unit,
    createdBy: monitor.id,
  });
  await assignRunJob(tx, run.id, null, runJob, AT.runStart);
  await tx.query(`UPDATE monitoring_runs SET attempts = 1 WHERE id = $1`, [run.id]);
  await setRunStage(
    tx,
    run.id,
    'detected',
    AT.runDetected,
    {
      name: 'detect',
      value: { period: DEMO_MONTH, stored, note: '演示数据：图斑为演示区 11 月图斑 / demo data' },
    },
    { detectJob: runJob },
  );
  await setRunStage(tx, run.id, 'analysed', AT.runAnalysed, {
    name: 'analyse',
    value: { polygons: stored },
  });
  await setRunStage(
    tx,
    run.id,
    'done',
    AT.runDone,
    { name: 'dispatch', value: { pushed: stored, refused: [] } },
    { error: null },
  );
  const summary = { runId: run.id, period: DEMO_MONTH, sensor: 's2', unit, polygons: stored };
  await finishJob(tx, runJob, { result: { ...summary, pushed: stored, refused: 0 } });
  await stampJob(tx, runJob, AT.runStart, AT.runDone);

  // 3. The November scene's re-check sweep: two October cases inside the imagery.
  const sweepJob = demoJobId(`monitoring.recheck:${after.id}`);
  await claimSweep(tx, after.id, AT.sweepStart);
  await insertJob(tx, monitor.scope, {
    id: sweepJob,
    type: 'monitoring.recheck',
    payload: { imageryId: after.id },
    jurisdictionCode: unit,
    createdBy: monitor.id,
  });
  await setSweepJob(tx, after.id, sweepJob);
  const opened: RasterScene[] = [];
  const rechecks: DemoMonth['rechecks'] = [];
  try {
    const [sBefore, sAfter] = [await openScene(before.uri), await openScene(after.uri)];
    opened.push(sBefore, sAfter);
    const taken = new Set<number>();
    for (const outcome of ['restored', 'resumed'] as const) {
      const c = await pickCase(tx, after, WANTED[outcome], taken);
      if (!c) continue;
      taken.add(c.id);
      const chips = await recheckChips(
        c.geometry,
        { before: sBefore, violation: sBefore, now: sAfter },
        's2',
      );
      if (!chips) continue;
      const polygonM2 = ellipsoidalAreaM2(c.geometry);
      const measures = { ...STATED[outcome](polygonM2), polygonM2 };
      const verdict = decideRecheck(measures, await recheck.config());
      // After the case's own last step, and never before the scene's arrival.
      clock = new Date(Math.max(AT.sweepStart.getTime(), c.lastAt.getTime() + 3600_000));
      const r = await recheck.record({
        polygonId: c.id,
        img: after,
        // The demo has no scene before October's: the October scene is both.
        chosen: {
          before: { id: before.id, date: before.acquiredOn },
          violation: { id: before.id, date: before.acquiredOn },
        },
        result: { ...verdict, measures, chips },
      });
      if (r) rechecks.push({ polygonId: c.id, code: c.code, ...r });
    }
  } finally {
    await Promise.all(opened.map((s) => s.close()));
  }
  await finishSweep(tx, after.id, rechecks.length, AT.sweepDone);
  await finishJob(tx, sweepJob, {
    result: {
      imageryId: after.id,
      date: after.acquiredOn,
      cases: rechecks.length,
      rechecked: rechecks,
      note: '演示数据：复核结果为设定值，对比图取自演示影像 / demo: stated results, chips from the demo imagery',
    },
  });
  await stampJob(tx, sweepJob, AT.sweepStart, AT.sweepDone);
  return { runId: run.id, rechecks, subscriptionId: sub.id };
}

/** The job's times on the demo clock (the store stamps the wall clock). */
async function stampJob(tx: Queryable, id: string, start: Date, end: Date): Promise<void> {
  await tx.query(
    `UPDATE jobs SET created_at = $2, started_at = $2, finished_at = $3, worker = 'demo' WHERE id = $1`,
    [id, start, end],
  );
}

/** The first case by code inside the scene, in one of the states, not taken yet. */
async function pickCase(
  tx: Queryable,
  scene: ImageryRecord,
  states: string[],
  taken: Set<number>,
): Promise<{ id: number; code: string; geometry: Areal; lastAt: Date } | null> {
  const [x0, y0, x1, y1] = scene.bbox!;
  for (const state of states) {
    const rows = await tx.query<{ id: string; code: string; geometry: Areal; last_at: Date }>(
      `SELECT p.id, p.code, p.geometry,
              (SELECT max(e.at) FROM events e WHERE e.entity_type = 'polygon' AND e.entity_id = p.id::text) AS last_at
         FROM polygons p
        WHERE p.status = $1 AND p.period < $2 AND p.bbox <@ box(point($3, $4), point($5, $6))
        ORDER BY p.code`,
      [state, DEMO_MONTH, x0, y0, x1, y1],
    );
    const r = rows.find((x) => !taken.has(Number(x.id)));
    if (r)
      return {
        id: Number(r.id),
        code: r.code,
        geometry: r.geometry,
        lastAt: new Date(r.last_at),
      };
  }
  return null;
}
