/**
 * Learning from verdicts end to end on the store (PGlite; PostgreSQL too with
 * TEST_DATABASE_URL): a registered pair where the shipped s2 model takes a bluish film for
 * roofs; `detection.run` stores the 图斑; the film ones are dismissed as 伪变化 and the roofs
 * judged illegal; `detection.learn` stores version 1 with its history; switched on, the next
 * detection run uses it and finds fewer films; rolled back, the shipped model is in force again.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolygonCaseState } from '../src/cases/index.ts';
import { CANDIDATES } from '../src/detect/learned/adoption.ts';
import { filmScene } from '../src/detect/learned/test-fixtures.ts';
import { crsFromEpsg } from '../src/raster/crs.ts';
import { tempDir, writeMultiband } from '../src/raster/test-fixtures.ts';
import { importImagery } from '../src/services/imagery.ts';
import { seedFixtureRegion, testServer, type TestServer } from '../src/server/testing.ts';
import { loadCase, saveCaseState } from '../src/store/cases.ts';
import { Scope } from '../src/store/scope.ts';
import { testBackends } from '../src/store/testing.ts';

describe.each(testBackends())('learning from verdicts on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  const dir = tempDir('gengbao-learn-');
  // Inside the fixture village 南村 (112.0–112.1 E, 35.0–35.1 N), about 10 m pixels.
  const scene = filmScene({
    crs: crsFromEpsg(4490),
    originX: 112.02,
    originY: 35.06,
    pixelWidth: 0.0001,
    pixelHeight: 0.0001,
  });
  const ids = { before: 0, after: 0 };

  const job = async (cookie: string, type: string, payload: Record<string, unknown>) => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/jobs',
      headers: { cookie },
      payload: { type, payload },
    });
    if (res.statusCode !== 202) return { status: res.statusCode, body: res.json() };
    await s.jobs.whenIdle();
    const j = (
      await s.app.inject({ method: 'GET', url: `/api/jobs/${res.json().id}`, headers: { cookie } })
    ).json();
    return { status: 202, body: j };
  };
  /** Whether a 图斑 (by its box's centre) lies on a film patch, a roof, or neither. */
  const coverOf = (bbox: number[]): 'film' | 'roof' | null => {
    const x = ((bbox[0] + bbox[2]) / 2 - 112.02) / 0.0001;
    const y = (35.06 - (bbox[1] + bbox[3]) / 2) / 0.0001;
    const p = scene.patches.find(
      (q) => x >= q.x0 - 1 && x <= q.x0 + q.w + 1 && y >= q.y0 - 1 && y <= q.y0 + q.h + 1,
    );
    return p ? (p.real ? 'roof' : 'film') : null;
  };
  const detect = async (cookie: string, period: string) => {
    const r = await job(cookie, 'detection.run', {
      period,
      beforeImagery: ids.before,
      afterImagery: ids.after,
      sensor: 's2',
      classifier: 'learned',
      minAreaM2: 0,
      chips: false,
    });
    expect(r.body.status, JSON.stringify(r.body.error)).toBe('succeeded');
    const list = (
      await s.app.inject({
        method: 'GET',
        url: `/api/polygons?period=${period}&source=detection&limit=500`,
        headers: { cookie },
      })
    ).json() as { items: { id: number; bbox: number[]; version: number }[] };
    return { result: r.body.result, items: list.items };
  };

  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    s = await testServer(db, { dataDir: dir });
    const system = Scope.system();
    for (const which of ['before', 'after'] as const) {
      const file = writeMultiband(join(dir, `${which}.tif`), scene[which], scene.grid);
      const img = await importImagery(db, system, {
        location: file,
        date: which === 'before' ? '2026-10-01' : '2026-12-01',
        role: which,
      });
      ids[which] = img.id;
    }
  }, 180_000);
  afterAll(async () => {
    await s?.close();
    await db?.drop();
  });

  it('learns from the verdicts, uses the version once switched on, and rolls it back', async () => {
    const cookie = await s.login('province');
    const first = await detect(cookie, '2026-11');
    expect(first.result.modelVersion).toBeNull();
    const films = first.items.filter((p) => coverOf(p.bbox) === 'film');
    const roofs = first.items.filter((p) => coverOf(p.bbox) === 'roof');
    expect(films.length).toBeGreaterThanOrEqual(8);
    expect(roofs.length).toBeGreaterThanOrEqual(8);

    // Too few verdicts: refused, saying why.
    const none = await job(cookie, 'detection.learn', { sensor: 's2' });
    expect(none.body.status).toBe('failed');
    expect(none.body.error.message).toMatch(/too few verdicts/);

    // The films dismissed as 伪变化 by the province monitor …
    for (const p of films) {
      const res = await s.app.inject({
        method: 'POST',
        url: `/api/polygons/${p.id}/transitions`,
        headers: { cookie },
        payload: { action: 'dismiss', input: { version: p.version, reason: 'cloud_shadow' } },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    // … and the roofs judged illegal and accepted. (The verdict is written straight into the
    // case state here: the field walk to it is the lifecycle's tests' business.)
    const system = Scope.system();
    for (const p of roofs) {
      const c = await loadCase(db, system, p.id);
      const state = c!.state!;
      const stamp = { at: '2026-12-10T00:00:00.000Z', by: '1', role: 'county_officer' as const };
      const judged = {
        ...state,
        status: 'reviewed',
        version: state.version + 1,
        determination: { category: 'illegal', illegalSubtype: 'new', ...stamp },
      } as unknown as PolygonCaseState;
      await saveCaseState(db, system, p.id, state.version, judged);
    }

    // A county officer may not learn; the province monitor may.
    const officer = await s.login('zezhou');
    expect((await job(officer, 'detection.learn', { sensor: 's2' })).status).toBe(403);
    const learned = await job(cookie, 'detection.learn', { sensor: 's2' });
    expect(learned.body.status, JSON.stringify(learned.body.error)).toBe('succeeded');
    const r = learned.body.result;
    expect(r.verdicts).toBe(films.length + roofs.length);
    expect(r.heldOut).toBeGreaterThan(0);
    expect(r.adopted).toBe(true);
    expect(r.reason).toBe('better');
    expect(CANDIDATES.map((c) => c.name)).toContain(r.method);
    expect(r.scoreAfter.f1).toBeGreaterThan(r.scoreBefore.f1);
    expect(r.scenes).toEqual([
      expect.objectContaining({ before: ids.before, after: ids.after, verdicts: r.verdicts }),
    ]);

    const history = (
      await s.app.inject({ method: 'GET', url: '/api/detection-models', headers: { cookie } })
    ).json();
    expect(history.enabled).toBe(false);
    expect(history.versions).toHaveLength(1);
    expect(history.versions[0]).toMatchObject({
      id: r.version,
      sensor: 's2',
      verdictsChange: roofs.length,
      verdictsNoChange: films.length,
      adopted: true,
      active: true,
      current: true,
    });
    expect(
      (
        await s.app.inject({
          method: 'GET',
          url: '/api/detection-models',
          headers: { cookie: officer },
        })
      ).statusCode,
    ).toBe(403);

    // Off by default: the next run still uses the shipped model; switched on, version 1.
    const use = await s.app.inject({
      method: 'PUT',
      url: '/api/detection-models/use',
      headers: { cookie },
      payload: { enabled: true },
    });
    expect(use.json()).toEqual({ enabled: true });
    const second = await detect(cookie, '2026-12');
    expect(second.result.modelVersion).toBe(r.version);
    const filmsAfter = second.items.filter((p) => coverOf(p.bbox) === 'film');
    expect(filmsAfter.length).toBeLessThan(films.length / 2);
    expect(second.items.filter((p) => coverOf(p.bbox) === 'roof').length).toBeGreaterThanOrEqual(
      roofs.length - 2,
    );

    // Rolled back: the shipped model is in force again.
    const back = await s.app.inject({
      method: 'POST',
      url: `/api/detection-models/${r.version}/roll-back`,
      headers: { cookie },
    });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json().rolledBackAt).not.toBeNull();
    const again = (
      await s.app.inject({ method: 'GET', url: '/api/detection-models', headers: { cookie } })
    ).json();
    expect(again.versions[0].active).toBe(false);
    expect(again.sensors.find((x: { sensor: string }) => x.sensor === 's2').inForce).toBeNull();
    expect(
      (
        await s.app.inject({
          method: 'POST',
          url: `/api/detection-models/${r.version}/roll-back`,
          headers: { cookie },
        })
      ).statusCode,
    ).toBe(409);
    const third = await detect(cookie, '2026-10');
    expect(third.result.modelVersion).toBeNull();
  }, 480_000);
});
