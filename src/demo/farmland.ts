/**
 * Synthetic farmland (耕地) parcels and permanent basic farmland (永久基本农田) blocks of one
 * village. Parcels are cells of a rotated lattice (the village's field pattern: one
 * orientation, one plot size), grown in clusters from seeded points the way fields cluster
 * around a village and along a valley, each cell shrunk by a ridge/path gap. Cells whose
 * corners all fall inside the village are kept, so parcels never cross a village boundary
 * and never overlap each other. PBF is designated by 3×3-cell groups of parcels: a designated
 * group's PBF features are exactly its farmland parcels (one each, the same ring), so permanent
 * basic farmland always lies within farmland and a 图斑's PBF area never exceeds its farmland.
 */
import { ellipsoidalAreaM2 } from '../geo/area.ts';
import type { Areal, Polygon, Ring } from '../geo/types.ts';
import { randomPointIn } from './partition.ts';
import { metresPerDegree, ringInside, roundRing } from './planar.ts';
import type { Rng } from './random.ts';
import type { DemoLayerFeature } from './types.ts';

/** 第三次全国国土调查 (三调) land-use codes for cultivated land and their shares in hilly Shanxi. */
const LAND_USE = [
  { DLBM: '0103', DLMC: '旱地', share: 0.7 },
  { DLBM: '0102', DLMC: '水浇地', share: 0.27 },
  { DLBM: '0101', DLMC: '水田', share: 0.03 },
] as const;

/** Share of parcel groups designated permanent basic farmland (target: 60–70 % of farmland). */
const PBF_SHARE = 0.66;
const PBF_GROUP = 3;

/** A village's field pattern: lattice orientation and plot size. */
export interface FieldLattice {
  originX: number;
  originY: number;
  angle: number;
  /** Cell size in metres along and across the lattice. */
  w: number;
  h: number;
  mLon: number;
  mLat: number;
}

/** A random field pattern anchored at `centre`: orientation within ±26°, plots 70–195 m × 40–150 m. */
export function fieldLattice(centre: [number, number], rng: Rng): FieldLattice {
  const m = metresPerDegree(centre[1]);
  return {
    originX: centre[0],
    originY: centre[1],
    angle: rng.range(-0.45, 0.45),
    w: rng.range(70, 195),
    h: rng.range(40, 150),
    mLon: m.lon,
    mLat: m.lat,
  };
}

/** Lon/lat of lattice point (u, v) in cell units. */
function latticePoint(l: FieldLattice, u: number, v: number): [number, number] {
  const c = Math.cos(l.angle);
  const s = Math.sin(l.angle);
  const dx = u * l.w;
  const dy = v * l.h;
  return [l.originX + (dx * c - dy * s) / l.mLon, l.originY + (dx * s + dy * c) / l.mLat];
}

/** Lattice cell containing a lon/lat point. */
function cellOf(l: FieldLattice, x: number, y: number): [number, number] {
  const dx = (x - l.originX) * l.mLon;
  const dy = (y - l.originY) * l.mLat;
  const c = Math.cos(l.angle);
  const s = Math.sin(l.angle);
  return [Math.floor((dx * c + dy * s) / l.w), Math.floor((-dx * s + dy * c) / l.h)];
}

/** Rectangle of lattice coordinates [u0, u1] × [v0, v1], inset by `gap` metres. */
function latticeRect(
  l: FieldLattice,
  u0: number,
  v0: number,
  u1: number,
  v1: number,
  gap = 0,
): Ring {
  const gu = gap / l.w;
  const gv = gap / l.h;
  const ring = [
    latticePoint(l, u0 + gu, v0 + gv),
    latticePoint(l, u1 - gu, v0 + gv),
    latticePoint(l, u1 - gu, v1 - gv),
    latticePoint(l, u0 + gu, v1 - gv),
  ];
  return [...ring, ring[0]];
}

export interface VillageFarmland {
  lattice: FieldLattice;
  parcels: DemoLayerFeature[];
  pbf: DemoLayerFeature[];
}

/**
 * About `target` farmland parcels and their PBF blocks inside `village`.
 * @example villageFarmland('140581100201', geometry, 40, rngFor('gengbao', 'farmland', '140581100201'))
 */
export function villageFarmland(
  code: string,
  village: Areal,
  target: number,
  rng: Rng,
): VillageFarmland {
  const lattice = fieldLattice(randomPointIn(village, rng), rng);
  const parcels: DemoLayerFeature[] = [];
  const used = new Set<string>();
  const groups = new Map<string, { parcels: number[] }>();
  const gap = rng.range(2, 4);
  let attempts = 0;
  while (parcels.length < target && attempts++ < 40) {
    const [x, y] = randomPointIn(village, rng);
    const landUse = pickLandUse(rng);
    const size = rng.int(15, 120);
    const queue: [number, number][] = [cellOf(lattice, x, y)];
    let grown = 0;
    while (queue.length > 0 && grown < size && parcels.length < target) {
      const [u, v] = queue.shift() as [number, number];
      const key = `${u},${v}`;
      if (used.has(key)) continue;
      used.add(key);
      if (!rng.chance(0.92) || !ringInside(village, latticeRect(lattice, u, v, u + 1, v + 1)))
        continue;
      grown++;
      // One plot in four is split into two strips, as contracted land often is.
      const rings = rng.chance(0.25)
        ? [
            latticeRect(lattice, u, v, u + 0.5, v + 1, gap),
            latticeRect(lattice, u + 0.5, v, u + 1, v + 1, gap),
          ]
        : [latticeRect(lattice, u, v, u + 1, v + 1, gap)];
      const groupKey = `${Math.floor(u / PBF_GROUP)},${Math.floor(v / PBF_GROUP)}`;
      const group = groups.get(groupKey) ?? { parcels: [] };
      groups.set(groupKey, group);
      for (const ring of rings) {
        const geometry: Polygon = { type: 'Polygon', coordinates: [roundRing(ring)] };
        group.parcels.push(parcels.length);
        parcels.push({
          layerKind: 'farmland',
          jurisdictionCode: code,
          geometry,
          properties: {
            BSM: `${code}${String(parcels.length + 1).padStart(5, '0')}`,
            DLBM: landUse.DLBM,
            DLMC: landUse.DLMC,
            TBMJ: Math.round(ellipsoidalAreaM2(geometry) * 100) / 100,
          },
        });
      }
      queue.push([u + 1, v], [u - 1, v], [u, v + 1], [u, v - 1]);
    }
  }
  return { lattice, parcels, pbf: pbfBlocks(code, parcels, [...groups.values()], rng) };
}

function pickLandUse(rng: Rng): (typeof LAND_USE)[number] {
  let r = rng.next();
  for (const lu of LAND_USE) {
    if (r < lu.share) return lu;
    r -= lu.share;
  }
  return LAND_USE[0];
}

/**
 * PBF: for each designated group (one draw per group, as before), one feature per parcel of
 * the group with the parcel's own ring, so PBF ⊂ farmland.
 */
function pbfBlocks(
  code: string,
  parcels: DemoLayerFeature[],
  groups: { parcels: number[] }[],
  rng: Rng,
): DemoLayerFeature[] {
  const blocks: DemoLayerFeature[] = [];
  for (const g of groups) {
    if (!rng.chance(PBF_SHARE)) continue;
    for (const i of g.parcels) {
      const geometry = parcels[i].geometry;
      blocks.push({
        layerKind: 'pbf',
        jurisdictionCode: code,
        geometry,
        properties: {
          YJJBNTTBBH: `${code}${String(blocks.length + 1).padStart(5, '0')}`,
          designatedIn: 2019,
          areaM2: parcels[i].properties.TBMJ as number,
        },
      });
    }
  }
  return blocks;
}
