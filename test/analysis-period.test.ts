import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/accounts/password.ts';
import { bboxOf } from '../src/geo/bbox.ts';
import type { BBox } from '../src/geo/types.ts';
import { insertDemoGeography } from '../src/demo/load.ts';
import { buildDemoRegion } from '../src/demo/region.ts';
import { testServer, type TestServer } from '../src/server/testing.ts';
import { Scope } from '../src/store/scope.ts';
import { testBackends } from '../src/store/testing.ts';
import { insertUser } from '../src/store/users.ts';

/*
 * The `analysis.period` job on the demo region's 图斑, layers and villages (without the rest of
 * the demo: no walk, no imagery). The figures it stores are pinned in a file written by the
 * job as it was before it streamed the store into the overlay (all layers in memory, on a
 * thread): reading only what touches the 图斑 must change no figure, on either back-end.
 */
const region = buildDemoRegion();
const PERIOD = '2026-11';
const original = new Map(region.polygons.map((p) => [p.code, p.properties]));
const SNAPSHOT = './__snapshots__/analysis-period.figures.json';

describe.each(testBackends())('analysis.period on the demo region ($name)', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  let cookie: string;

  beforeAll(async () => {
    db = await backend.open();
    await insertDemoGeography(db, region);
    await insertUser(db, Scope.system(), {
      username: 'monitor',
      displayName: 'monitor',
      passwordHash: await hashPassword('analysis-period'),
      role: 'province_monitor',
      jurisdictionCode: '140000',
    });
    s = await testServer(db);
    cookie = await s.login('monitor', 'analysis-period');
  }, 240_000);
  afterAll(async () => {
    await s?.close();
    await db?.drop();
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the job's JSON, checked below
  const runJob = async (): Promise<any> => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/jobs',
      headers: { cookie },
      payload: { type: 'analysis.period', payload: { period: PERIOD } },
    });
    expect(res.statusCode).toBe(202);
    await s.jobs.whenIdle();
    return (
      await s.app.inject({ method: 'GET', url: `/api/jobs/${res.json().id}`, headers: { cookie } })
    ).json();
  };

  const storedFigures = async () => {
    const rows = await db.query<{ code: string; properties: Record<string, unknown> }>(
      'SELECT code, properties FROM polygons WHERE period = $1 ORDER BY code',
      [PERIOD],
    );
    // What the job wrote: the figures and the village (the rest came with the 图斑).
    return rows.map((r): Record<string, unknown> => ({
      code: r.code,
      ...Object.fromEntries(
        Object.entries(r.properties).filter(([k]) => !(k in original.get(r.code)!)),
      ),
    }));
  };

  it('stores the same figures as the in-memory overlay did', async () => {
    const job = await runJob();
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    const figures = await storedFigures();
    expect(figures.length).toBe(region.polygons.filter((p) => p.period === PERIOD).length);
    expect(figures.filter((f) => Number(f.farm_mu) > 0).length).toBeGreaterThan(100);
    await expect(JSON.stringify(figures, null, 1)).toMatchFileSnapshot(SNAPSHOT);
  });

  it('never reads a reference feature far from every 图斑', async () => {
    const boxes = region.polygons.filter((p) => p.period === PERIOD).map((p) => bboxOf(p.geometry));
    // A spot inside the period's extent (so a box around all 图斑 would take it in) yet 2 km from
    // every 图斑: a feature there whose geometry cannot be read at all.
    const far = (b: BBox, x: number, y: number) =>
      x < b[0] - 0.02 || x > b[2] + 0.02 || y < b[1] - 0.02 || y > b[3] + 0.02;
    const extent = boxes.reduce((a, b) => [
      Math.min(a[0], b[0]),
      Math.min(a[1], b[1]),
      Math.max(a[2], b[2]),
      Math.max(a[3], b[3]),
    ]);
    let spot: [number, number] | undefined;
    for (let i = 1; i < 50 && !spot; i++)
      for (let j = 1; j < 50 && !spot; j++) {
        const x = extent[0] + ((extent[2] - extent[0]) * i) / 50;
        const y = extent[1] + ((extent[3] - extent[1]) * j) / 50;
        if (boxes.every((b) => far(b, x, y))) spot = [x, y];
      }
    expect(spot).toBeDefined();
    const [x, y] = spot!;
    const [{ id: layerId }] = await db.query<{ id: number }>(
      `SELECT id FROM reference_layers WHERE kind = 'farmland'`,
    );
    await db.query(
      `INSERT INTO reference_features (layer_id, kind, jurisdiction_code, properties, geometry, bbox, area_m2)
       VALUES ($1, 'farmland', '140525', '{}', '{"type":"Polygon","coordinates":null}',
               box(point($2, $3), point($4, $5)), 100)`,
      [layerId, x, y, x + 0.001, y + 0.001],
    );
    const job = await runJob();
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    const [{ n: touching }] = await db.query<{ n: number }>(
      `SELECT count(DISTINCT f.id)::int AS n FROM reference_features f
         JOIN polygons p ON p.period = $1 AND p.bbox && f.bbox`,
      [PERIOD],
    );
    expect(job.result.referenceFeatures).toBe(touching);
    const [{ n: inExtent }] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM reference_features
         WHERE bbox && box(point($1, $2), point($3, $4))`,
      extent,
    );
    expect(touching).toBeLessThan(inExtent / 2);
    expect(await storedFigures()).toEqual(
      JSON.parse(readFileSync(new URL(SNAPSHOT, import.meta.url), 'utf8')),
    );
  });
});
