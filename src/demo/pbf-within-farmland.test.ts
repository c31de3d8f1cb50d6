import { describe, expect, it } from 'vitest';
import { figureProperties } from '../analyze/properties.ts';
import { busiestVillage } from './accounts.ts';
import { demoFigures } from './load.ts';
import { demoYearPlan } from './oversight-year.ts';
import { buildDemoRegion } from './region.ts';

// Permanent basic farmland is designated on farmland: no demo 图斑 may carry more 永农 than
// 耕地 in the 套合 figures the loader stores with it (issue 20).
describe('demo 永农 lies within 耕地', () => {
  const region = buildDemoRegion();

  it('every PBF feature is a farmland parcel of its village', () => {
    const farmland = new Set(
      region.layers
        .filter((f) => f.layerKind === 'farmland')
        .map((f) => `${f.jurisdictionCode} ${JSON.stringify(f.geometry.coordinates)}`),
    );
    const pbf = region.layers.filter((f) => f.layerKind === 'pbf');
    expect(pbf.length).toBeGreaterThan(0);
    for (const f of pbf)
      expect(farmland.has(`${f.jurisdictionCode} ${JSON.stringify(f.geometry.coordinates)}`)).toBe(
        true,
      );
  });

  it('stores 永农 亩 ≤ 耕地 亩 for every demo 图斑, 2026 and the 2025 year', () => {
    const stored = demoFigures(region).map(figureProperties);
    const year = demoYearPlan(region, busiestVillage('140525')(region)).sites.map((s) =>
      figureProperties(s.figures),
    );
    const all = [...stored, ...year];
    expect(all.length).toBe(region.polygons.length + year.length);
    const over = all.filter((p) => (p.pbf_mu as number) > (p.farm_mu as number));
    expect(over).toEqual([]);
    // …and PBF is still there to be taken: a good share of the 图斑 lie on it.
    expect(all.filter((p) => (p.pbf_mu as number) > 0).length / all.length).toBeGreaterThan(0.2);
  }, 120_000);
});
