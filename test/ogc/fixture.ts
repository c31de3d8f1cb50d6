import type { Db } from '../../src/store/db.ts';
import { insertPolygons, type NewPolygon } from '../../src/store/polygons.ts';
import { insertReferenceLayer } from '../../src/store/reference.ts';
import { Scope } from '../../src/store/scope.ts';
import { seedFixtureRegion, square, type TestServer } from '../../src/server/testing.ts';

/** 图斑 the OGC tests add to the fixture region (which has one in each village and one in 高平). */
export const EXTRA = { nancun: 24, beicun: 6, gaoping: 4 };

/**
 * The fixture region with enough 图斑 to need several pages: 25 in 南村 and 7 in 北村 (both
 * in 泽州县), 5 in 高平市, over two periods; farmland in both counties and PBF in 泽州.
 */
export async function seedOgcRegion(db: Db): Promise<void> {
  await seedFixtureRegion(db);
  const system = Scope.system();
  const many = (prefix: string, code: string, n: number, x: number, y: number): NewPolygon[] =>
    Array.from({ length: n }, (_, i) => ({
      code: `${prefix}-${i}`,
      source: 'detection' as const,
      period: i % 2 ? '2026-11' : '2026-10',
      jurisdictionCode: code,
      geometry: square(x + (i % 10) * 0.005, y + Math.floor(i / 10) * 0.005, 0.002),
    }));
  await insertPolygons(db, system, [
    ...many('NC', '140525100200', EXTRA.nancun, 112.02, 35.02),
    ...many('BC', '140525100201', EXTRA.beicun, 112.22, 35.22),
    ...many('GP', '140581', EXTRA.gaoping, 113.52, 35.52),
  ]);
  await insertReferenceLayer(
    db,
    system,
    { kind: 'farmland', name: '耕地 2025', jurisdictionCode: '140500', source: 'test' },
    [
      {
        jurisdictionCode: '140525100200',
        geometry: square(112.0, 35.0, 0.05),
        properties: { DLBM: '0103' },
      },
      {
        jurisdictionCode: '140581',
        geometry: square(113.4, 35.4, 0.05),
        properties: { DLBM: '0101' },
      },
    ],
  );
  await insertReferenceLayer(
    db,
    system,
    { kind: 'pbf', name: '永久基本农田', jurisdictionCode: '140525', source: 'test' },
    [{ jurisdictionCode: '140525100201', geometry: square(112.2, 35.2, 0.05), properties: {} }],
  );
}

/** An API token of a fixture account (minted from a browser session, as a user would). */
export async function tokenOf(s: TestServer, username: string): Promise<string> {
  const cookie = await s.login(username);
  const res = await s.app.inject({
    method: 'POST',
    url: '/api/tokens',
    headers: { cookie },
    payload: { label: 'QGIS' },
  });
  if (res.statusCode !== 200)
    throw new Error(`token for ${username}: ${res.statusCode} ${res.body}`);
  return (res.json() as { token: string }).token;
}
