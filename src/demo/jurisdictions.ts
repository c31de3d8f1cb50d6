/**
 * The jurisdiction tree of the demo region: real province, city and counties (with the
 * counties' real boundaries), real township and village codes and names, and synthetic
 * township and village boundaries that tile their parents (see `partition.ts`).
 */
import type { Areal } from '../geo/types.ts';
import { unite } from './clip.ts';
import { PARTITION_METHOD, voronoiPartition } from './partition.ts';
import { rngFor } from './random.ts';
import type { DemoJurisdiction, GeometryMeta, JinchengAdminData } from './types.ts';

/**
 * Builds the jurisdictions of `admin`, parents before children. `onlyCounties` restricts the
 * synthetic subdivision to some counties (a partial build is identical, cell for cell, to the
 * matching part of a full one, because each parent's cells come from a generator forked by
 * the parent's code).
 */
export function buildJurisdictions(
  admin: JinchengAdminData,
  seed: string,
  onlyCounties?: readonly string[],
): DemoJurisdiction[] {
  const countySource = `${admin.meta.sources[0].package}@${admin.meta.sources[0].version}`;
  const codeSource = `${admin.meta.sources[1].package}@${admin.meta.sources[1].version}`;
  const synthetic = (parentCode: string): GeometryMeta => ({
    synthetic: true,
    method: PARTITION_METHOD,
    seed: `${seed}/partition/${parentCode}`,
  });
  const counties = admin.counties.filter((c) => !onlyCounties || onlyCounties.includes(c.code));
  const out: DemoJurisdiction[] = [
    {
      code: admin.province.code,
      level: 'province',
      parentCode: null,
      name: admin.province.name,
      geometry: null,
      meta: { synthetic: false, source: codeSource, geometry: 'none' },
    },
    {
      code: admin.city.code,
      level: 'city',
      parentCode: admin.province.code,
      name: admin.city.name,
      geometry: unite(admin.counties.map((c) => c.geometry)),
      meta: { synthetic: false, source: countySource, note: 'union of the six county boundaries' },
    },
  ];
  for (const county of counties) {
    out.push({
      code: county.code,
      level: 'county',
      parentCode: admin.city.code,
      name: county.name,
      geometry: county.geometry,
      meta: { synthetic: false, source: countySource, note: admin.meta.geometry.datum },
    });
    const townships = admin.townships.filter((t) => t.parentCode === county.code);
    const townshipCells = voronoiPartition(
      county.geometry,
      townships.length,
      rngFor(seed, 'partition', county.code),
    );
    townships.forEach((township, i) => {
      const geometry: Areal = townshipCells[i];
      out.push({
        code: township.code,
        level: 'township',
        parentCode: county.code,
        name: township.name,
        geometry,
        meta: synthetic(county.code),
      });
      const villages = admin.villages.filter((v) => v.parentCode === township.code);
      const villageCells = voronoiPartition(
        geometry,
        villages.length,
        rngFor(seed, 'partition', township.code),
      );
      villages.forEach((village, j) =>
        out.push({
          code: village.code,
          level: 'village',
          parentCode: township.code,
          name: village.name,
          geometry: villageCells[j],
          meta: synthetic(township.code),
        }),
      );
    });
  }
  return out;
}
