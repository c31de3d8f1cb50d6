import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { square } from '../server/testing.ts';
import { seedFixtureRegion } from '../server/testing.ts';
import { createReferenceLayer } from '../store/reference.ts';
import { Scope } from '../store/scope.ts';
import { testBackends } from '../store/testing.ts';
import { gridCellsOf } from './grid.ts';
import { loadLayerInParts } from './layer-load.ts';

/** A large layer prepared in parts on threads stores what the one-thread path would. */
describe.each(testBackends())('layer loaded in parts on $name', (backend) => {
  let db: Awaited<ReturnType<typeof backend.open>>;
  let dir: string;
  beforeAll(async () => {
    db = await backend.open();
    await seedFixtureRegion(db);
    dir = mkdtempSync(join(tmpdir(), 'gengbao-parts-'));
  });
  afterAll(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every line once, placed in its village, its area and its properties kept, across part boundaries', async () => {
    const path = join(dir, 'parcels.geojsonl');
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) {
      const [x, y] =
        i < 50
          ? [112.001 + (i % 10) * 0.009, 35.001 + Math.floor(i / 10) * 0.009]
          : [112.201 + (i - 50) * 0.009, 35.201];
      lines.push(
        JSON.stringify({
          type: 'Feature',
          properties: { id: i, note: i === 3 ? 'tab\there "q" \\ back' : null },
          geometry: square(x, y, 0.001),
        }),
      );
    }
    writeFileSync(path, lines.join('\n') + '\n');
    const scope = new Scope('14');
    const out = await db.transaction(async (tx) => {
      const id = await createReferenceLayer(tx, scope, {
        kind: 'farmland',
        name: 'parts',
        jurisdictionCode: '140000',
        source: 'parcels.geojsonl',
      });
      const r = await loadLayerInParts(tx, {
        path,
        size: statSync(path).size,
        grid: await gridCellsOf(tx, scope),
        scopePrefix: scope.prefix,
        layer: { id, kind: 'farmland' },
        fallbackCode: '140000',
        threads: 2,
        partBytes: 700,
      });
      return { id, ...r };
    });
    expect(out.rows).toBe(60);
    expect(out.report.read).toBe(60);
    const rows = await db.query<{ id: number; code: string; note: string | null; area: number }>(
      `SELECT (properties->>'id')::int AS id, jurisdiction_code AS code, properties->>'note' AS note, area_m2 AS area FROM reference_features WHERE layer_id = $1 ORDER BY 1`,
      [out.id],
    );
    expect(rows.map((r) => r.id)).toEqual([...Array(60).keys()]);
    expect(rows[0].code).toBe('140525100200'); // 南村
    expect(rows[55].code).toBe('140525100201'); // 北村
    expect(rows[3].note).toBe('tab\there "q" \\ back');
    expect(rows[0].area).toBeGreaterThan(10_000);
  });
});
