import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, afterAll, expect, it } from 'vitest';
import { writeFeatures } from '../src/geo/formats/write.ts';
import type { Feature } from '../src/geo/types.ts';
import { SYSTEM_ACTOR } from '../src/services/cases.ts';
import { importLayer, importPolygonBatch } from '../src/services/imports.ts';
import { square, servedFixture } from '../src/server/testing.ts';
import { Scope } from '../src/store/scope.ts';
import { testBackends } from '../src/store/testing.ts';

const feature = (geometry: Feature['geometry'], properties: Record<string, unknown>): Feature => ({
  type: 'Feature',
  geometry,
  properties,
});

describe.each(testBackends())('imports and 套合 on $name', (backend) => {
  const fx = servedFixture(backend);
  const dir = mkdtempSync(join(tmpdir(), 'gengbao-import-'));
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a GBK Shapefile layer in one transaction, each parcel assigned to its village', async () => {
    const shp = join(dir, 'farmland.shp');
    await writeFeatures(shp, [
      feature(square(112.005, 35.005, 0.01), { DLBM: '0103', DLMC: '旱地' }),
      feature(square(112.03, 35.03, 0.005), { DLBM: '0101', DLMC: '水田' }),
      feature(square(112.25, 35.25, 0.005), { DLBM: '0103', DLMC: '旱地' }),
      feature(square(112.7, 35.7, 0.005), { DLBM: '0102', DLMC: '水浇地' }),
    ]);
    const r = await importLayer(fx.db, Scope.system(), {
      kind: 'farmland',
      path: shp,
      jurisdictionCode: '140500',
      fieldMap: { class: 'DLMC' },
    });
    expect(r.report).toMatchObject({ read: 4, accepted: 4, rejected: 0 });
    const rows = await fx.db.query<{
      jurisdiction_code: string;
      properties: Record<string, unknown>;
    }>(
      'SELECT jurisdiction_code, properties FROM reference_features WHERE layer_id = $1 ORDER BY id',
      [r.layerId],
    );
    expect(rows.map((x) => x.jurisdiction_code)).toEqual([
      '140525100200',
      '140525100200',
      '140525100201',
      '140525',
    ]);
    expect(rows[0].properties).toMatchObject({ DLBM: '0103', class: '旱地' });
    expect(rows[0].properties).not.toHaveProperty('DLMC');
  });

  it('stores nothing from a corrupt file', async () => {
    const bad = join(dir, 'broken.geojson');
    writeFileSync(
      bad,
      '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[112,35],[112.01,35]',
    );
    const before = await fx.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM reference_layers',
    );
    await expect(
      importLayer(fx.db, Scope.system(), { kind: 'pbf', path: bad, jurisdictionCode: '140500' }),
    ).rejects.toMatchObject({ code: 'bad_input' });
    expect(await fx.db.query('SELECT count(*)::int AS n FROM reference_layers')).toEqual(before);
  });

  it('imports a batch of 图斑 from above with their attributes and opens their cases; all or nothing', async () => {
    const batch = join(dir, 'batch.geojson');
    writeFileSync(
      batch,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          feature(square(112.006, 35.006, 0.001), {
            JCBH: 'JC2026110099',
            XZQDM: '140525',
            MJ: 1.5,
          }),
          feature(square(112.04, 35.04, 0.001), { JCBH: 'JC2026110100' }),
        ],
      }),
    );
    const outside = await importPolygonBatch(fx.db, new Scope('140581'), SYSTEM_ACTOR, {
      path: batch,
      period: '2026-11',
    }).catch((e) => e);
    expect(outside.code).toBe('forbidden_jurisdiction');
    expect(await fx.db.query(`SELECT 1 FROM polygons WHERE code LIKE 'JC2026%'`)).toEqual([]);

    const r = await importPolygonBatch(fx.db, Scope.system(), SYSTEM_ACTOR, {
      path: batch,
      period: '2026-11',
    });
    expect(r.ids.length).toBe(2);
    const [p] = await fx.db.query<{
      source: string;
      jurisdiction_code: string;
      properties: { original: Record<string, unknown> };
      case_state: { status: string };
    }>(
      `SELECT source, jurisdiction_code, properties, case_state FROM polygons WHERE code = 'JC2026110099'`,
    );
    expect(p).toMatchObject({
      source: 'batch',
      jurisdiction_code: '140525100200',
      properties: { original: { JCBH: 'JC2026110099', MJ: 1.5 } },
      case_state: { status: 'found' },
    });
    const again = await importPolygonBatch(fx.db, Scope.system(), SYSTEM_ACTOR, {
      path: batch,
      period: '2026-11',
    }).catch((e) => e);
    expect(again.code).toBe('conflict');
  });

  it('runs 套合 of a period as a job: figures on every 图斑, found ones analysed', async () => {
    const cookie = await fx.s.login('province');
    const res = await fx.s.app.inject({
      method: 'POST',
      url: '/api/jobs',
      headers: { cookie },
      payload: { type: 'analysis.period', payload: { period: '2026-11' } },
    });
    expect(res.statusCode).toBe(202);
    await fx.s.jobs.whenIdle();
    const job = (
      await fx.s.app.inject({
        method: 'GET',
        url: `/api/jobs/${res.json().id}`,
        headers: { cookie },
      })
    ).json();
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.result.analysed).toBeGreaterThanOrEqual(3);
    const [nancun] = await fx.db.query<{
      status: string;
      properties: Record<string, number | string>;
    }>(`SELECT status, properties FROM polygons WHERE code = 'P-NANCUN'`);
    expect(nancun.status).toBe('analysed');
    expect(Number(nancun.properties.farm_mu)).toBeGreaterThan(0);
    expect(nancun.properties.villageCode).toBe('140525100200');
    expect(String(nancun.properties.flags)).toContain('未批占耕');
  });
});
