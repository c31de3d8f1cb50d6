/**
 * `npm run bench:month` — a province-sized monitoring month in server mode (PostgreSQL +
 * pg-boss) with 1 and then 2 `gengbao worker` processes, for the scale-out figure of issue 25
 * (2 workers ≥ 1.7 × the jobs per minute of 1).
 *
 * Each phase gets a fresh database holding a synthetic province — one city, `--counties`
 * counties side by side, each with one township, one village and its field chief, and a city
 * reviewer (the account the scheduled runs act as) — and a fresh data directory whose
 * `incoming/` folder holds a before/after pair per county (`--size`² pixels at ~10 m, the
 * synthetic scene of the tests, with a sidecar giving date and sensor). Then the workers start
 * and do everything without a click: the intake registers the scenes, the scheduler opens one
 * run per county, and each run is one `monitoring.month` job (detection → 套合 → 下发).
 *
 * Scale-out on one machine: each worker is pinned to its own core (`taskset`), so it sizes its
 * thread pool to one and two workers have twice the CPU of one — what a second machine gives.
 * PostgreSQL and this script share those cores, which counts against the speed-up.
 *
 * usage: npm run bench:month [-- --counties 24 --size 1024 --db postgresql://postgres@127.0.0.1:5432/postgres]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { hashPassword } from '../src/accounts/password.ts';
import { crsFromEpsg } from '../src/raster/crs.ts';
import { syntheticPair, tempDir, writeMultiband } from '../src/raster/test-fixtures.ts';
import type { Db } from '../src/store/db.ts';
import { insertJurisdictions, type NewJurisdiction } from '../src/store/jurisdictions.ts';
import { migrate } from '../src/store/migrate.ts';
import { openPostgres } from '../src/store/postgres.ts';
import { Scope } from '../src/store/scope.ts';
import { buildServices } from '../src/services/container.ts';
import { createTestDatabase, square } from '../src/store/testing.ts';
import { insertUser } from '../src/store/users.ts';
import { load, writeSection } from './serve.ts';

const BIN = new URL('../bin/gengbao.js', import.meta.url).pathname;
const { values } = parseArgs({
  options: {
    counties: { type: 'string', default: '24' },
    size: { type: 'string', default: '1024' },
    db: { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/postgres' },
  },
});
const COUNTIES = Number(values.counties);
const SIZE = Number(values.size);
/** Scene pixel size in degrees (about 10 m) and a county's side: the scene plus a margin. */
const PIXEL = 0.0001;
const SIDE = Math.ceil(SIZE * PIXEL * 10 + 1) / 10;
const CITY = '149900';
const countyCode = (i: number) => `1499${String(i + 1).padStart(2, '0')}`;

/** The synthetic province: counties in rows of ten from (100° E, 30° N). */
function province(): NewJurisdiction[] {
  const rows: NewJurisdiction[] = [
    {
      code: '140000',
      level: 'province',
      parentCode: null,
      name: '山西省',
      geometry: null,
      meta: {},
    },
    {
      code: CITY,
      level: 'city',
      parentCode: '140000',
      name: '基准市',
      geometry: null,
      meta: { synthetic: true },
    },
  ];
  for (let i = 0; i < COUNTIES; i++) {
    const c = countyCode(i);
    const geometry = square(100 + (i % 10) * SIDE, 30 + Math.floor(i / 10) * SIDE, SIDE);
    const meta = { synthetic: true };
    rows.push(
      { code: c, level: 'county', parentCode: CITY, name: `基准${i + 1}县`, geometry, meta },
      { code: `${c}100`, level: 'township', parentCode: c, name: `基准${i + 1}镇`, geometry, meta },
      {
        code: `${c}100200`,
        level: 'village',
        parentCode: `${c}100`,
        name: `基准${i + 1}村`,
        geometry,
        meta,
      },
    );
  }
  return rows;
}

async function seed(db: Db): Promise<void> {
  await migrate(db);
  await insertJurisdictions(db, Scope.system(), province());
  const passwordHash = await hashPassword('bench-month-password');
  await insertUser(db, Scope.system(), {
    username: 'bench.reviewer',
    displayName: '基准市审核员',
    role: 'city_reviewer',
    jurisdictionCode: CITY,
    passwordHash,
  });
  for (let i = 0; i < COUNTIES; i++)
    await insertUser(db, Scope.system(), {
      username: `bench.chief${i + 1}`,
      displayName: `基准${i + 1}村田长`,
      role: 'village_chief',
      jurisdictionCode: `${countyCode(i)}100200`,
      passwordHash,
    });
}

/** A before/after pair per county in `incoming`, each with its sidecar. */
function dropScenes(incoming: string): void {
  mkdirSync(incoming, { recursive: true });
  for (let i = 0; i < COUNTIES; i++) {
    const pair = syntheticPair(SIZE, 7 + i);
    const grid = {
      ...pair.grid,
      crs: crsFromEpsg(4490),
      originX: 100 + (i % 10) * SIDE + 0.05,
      originY: 30 + Math.floor(i / 10) * SIDE + SIDE - 0.05,
      pixelWidth: PIXEL,
      pixelHeight: PIXEL,
    };
    for (const [role, bands, date] of [
      ['before', pair.before, '2026-03-15'],
      ['after', pair.after, '2026-04-14'],
    ] as const) {
      const name = `county${i + 1}-${role}.tif`;
      writeFileSync(join(incoming, `${name}.json`), JSON.stringify({ date, sensor: 's2' }));
      writeMultiband(join(incoming, name), bands, grid);
    }
  }
}

function startWorker(url: string, dataDir: string, core: number, name: string) {
  const child = spawn(
    'taskset',
    ['-c', String(core), process.execPath, BIN, 'worker', '--name', name, '--concurrency', '1'],
    {
      env: {
        ...process.env,
        DATABASE_URL: url,
        GENGBAO_DATA_DIR: dataDir,
        GENGBAO_LOOP_SECONDS: '0.5',
        GENGBAO_DEMO: 'off',
        GENGBAO_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise<ChildProcess>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      if (out.includes('waiting for jobs')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`worker ${name} exited ${code}: ${out}`)));
  });
}

interface Phase {
  workers: number;
  /** Seconds the intake took to register every dropped scene (before the workers start). */
  intake: number;
  /** Seconds from the workers' start to the last run done: scheduling and the jobs. */
  wall: number;
  /** Seconds from the first job's start to the last job's end. */
  jobsSpan: number;
  jobs: number;
  perMinute: number;
  /** Mean seconds one job ran. */
  meanJob: number;
  stored: number;
  byWorker: Record<string, number>;
}

async function phase(workers: number): Promise<Phase> {
  const { url, drop } = await createTestDatabase(values.db!);
  const db = await openPostgres(url);
  const dir = tempDir('gengbao-bench-month-');
  const procs: ChildProcess[] = [];
  try {
    await seed(db);
    dropScenes(join(dir, 'incoming'));
    // The intake registers the scenes first, in this process, so the phase measures the runs:
    // in the workers it would read every file on one of the two pinned cores while jobs run.
    const ti = performance.now();
    const services = buildServices({ db, dataDir: dir });
    // A file is taken once it has stopped changing, so scan until every one is registered.
    let registered = 0;
    while (registered < 2 * COUNTIES) {
      const scanned = await services.intake.scan();
      if (scanned.refused) throw new Error(`the intake refused ${scanned.refused} scenes`);
      registered += scanned.registered.length;
      if (registered < 2 * COUNTIES) await new Promise((res) => setTimeout(res, 500));
    }
    await services.close();
    const intake = (performance.now() - ti) / 1000;
    const t0 = performance.now();
    procs.push(
      ...(await Promise.all(
        Array.from({ length: workers }, (_, k) => startWorker(url, dir, k, `bench-w${k + 1}`)),
      )),
    );
    const deadline = Date.now() + 30 * 60_000;
    for (;;) {
      const [r] = await db.query<{ done: number; refused: number }>(
        `SELECT count(*) FILTER (WHERE stage = 'done')::int AS done,
                count(*) FILTER (WHERE stage = 'refused')::int AS refused FROM monitoring_runs`,
      );
      const failed = await db.query<{ error: unknown }>(
        `SELECT error FROM jobs WHERE type = 'monitoring.month' AND status = 'failed' LIMIT 1`,
      );
      if (r.refused > 0 || failed.length)
        throw new Error(`runs refused: ${r.refused}; a failed job: ${JSON.stringify(failed[0])}`);
      if (r.done === COUNTIES) break;
      if (Date.now() > deadline) throw new Error(`only ${r.done} of ${COUNTIES} runs done`);
      await new Promise((res) => setTimeout(res, 200));
    }
    const wall = (performance.now() - t0) / 1000;
    const jobs = await db.query<{ worker: string; started: number; finished: number }>(
      `SELECT worker, extract(epoch FROM started_at)::float8 AS started,
              extract(epoch FROM finished_at)::float8 AS finished
         FROM jobs WHERE type = 'monitoring.month' AND status = 'succeeded'`,
    );
    const [{ stored }] = await db.query<{ stored: number }>(
      `SELECT count(*)::int AS stored FROM polygons WHERE period = '2026-04'`,
    );
    const span = Math.max(...jobs.map((j) => j.finished)) - Math.min(...jobs.map((j) => j.started));
    const byWorker: Record<string, number> = {};
    for (const j of jobs) byWorker[j.worker] = (byWorker[j.worker] ?? 0) + 1;
    return {
      workers,
      intake,
      wall,
      jobsSpan: span,
      jobs: jobs.length,
      perMinute: (jobs.length / span) * 60,
      meanJob: jobs.reduce((a, j) => a + j.finished - j.started, 0) / jobs.length,
      stored,
      byWorker,
    };
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(
      procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.on('exit', r)))),
    );
    await db.close();
    await drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (availableParallelism() < 2) throw new Error('bench:month needs two cores to pin two workers');
const loadAtStart = load();
const started = new Date().toISOString().slice(0, 16);
const results: Phase[] = [];
for (const w of [1, 2]) {
  console.log(`${w} worker(s): ${COUNTIES} counties, ${SIZE}² pairs`);
  const r = await phase(w);
  console.log(r);
  results.push(r);
}
const speedUp = results[1].perMinute / results[0].perMinute;
const f1 = (n: number) => n.toFixed(1);
writeSection('month', [
  '## A monitoring month in server mode, 1 and 2 workers (`npm run bench:month`)',
  '',
  `${COUNTIES} counties, each one ${SIZE}² before/after pair (~10 m pixels, synthetic) dropped into \`incoming/\` and registered by the intake before the workers start; PostgreSQL 15 + pg-boss; each \`gengbao worker\` pinned to its own core (\`taskset\`), ticking the monitoring loop; every run one \`monitoring.month\` job (detection → 套合 → 下发 to the village's field chief). 2 cores, Node ${process.version}, ${started}Z, 1-minute load average ${loadAtStart} at the start.`,
  '',
  '| workers | intake (before the workers) | runs done | 图斑 stored | jobs by worker | first job start → last job end | jobs per minute | mean job | workers start → last run done |',
  '|---|---|---|---|---|---|---|---|---|',
  ...results.map(
    (r) =>
      `| ${r.workers} | ${f1(r.intake)} s | ${r.jobs} | ${r.stored} | ${Object.values(r.byWorker).join(' + ')} | ${f1(r.jobsSpan)} s | ${f1(r.perMinute)} | ${f1(r.meanJob)} s | ${f1(r.wall)} s |`,
  ),
  '',
  `Speed-up, jobs per minute: **${speedUp.toFixed(2)}×** (target ≥ 1.7×). PostgreSQL and this script share the same two cores as the pinned workers (mean job ${f1(results[0].meanJob)} s with one, ${f1(results[1].meanJob)} s with two).`,
  `Command: \`npm run bench:month -- --counties ${COUNTIES} --size ${SIZE}\`.`,
]);
console.log(`speed-up ${speedUp.toFixed(2)}×`);
