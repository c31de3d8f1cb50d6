import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { register as registerAnalyze } from '../../src/cli/analyze.ts';
import { parseCrs, toLonLat } from '../../src/geo/crs.ts';
import { writeFeatures } from '../../src/geo/formats/write.ts';
import type { Feature } from '../../src/geo/types.ts';

/**
 * Finding: `gengbao analyze --crs EPSG:4544` — as its own message advises for a reference
 * Shapefile without .prj — also applied that CRS to the GeoJSON 图斑, which declare lon/lat:
 * they moved to about 100.5°E 0°N with area 0, and the command exited 0 reporting 0 未批占耕.
 * Now --crs fills only the gaps, and a reference layer overlapping no 图斑 is flagged.
 */

const dir = mkdtempSync(join(tmpdir(), 'gengbao-analyze-crs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const box = (x: number, y: number, w: number, h = w) => [
  [
    [x, y],
    [x + w, y],
    [x + w, y + h],
    [x, y + h],
    [x, y],
  ],
];
const feature = (coordinates: number[][][], properties: Record<string, unknown> = {}): Feature => ({
  type: 'Feature',
  geometry: { type: 'Polygon', coordinates },
  properties,
});

/** Runs the command in-process; returns what it printed. */
async function analyze(...args: string[]): Promise<{ out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  const program = new Command().exitOverride();
  registerAnalyze(program);
  await program.parseAsync(['analyze', ...args, '--quiet'], { from: 'user' });
  vi.restoreAllMocks();
  return { out: out.join('\n'), err: err.join('\n') };
}

/** A farmland Shapefile in CGCS2000 3° Gauss–Krüger CM 105°E (EPSG:4544), its .prj removed. */
async function farmlandWithoutPrj(): Promise<{ path: string; lonLat: number[] }> {
  const path = join(dir, 'farmland.shp');
  await writeFeatures(path, [feature(box(600_000, 3_900_000, 400), { DLBM: '0103' })]);
  rmSync(path.replace(/\.shp$/, '.prj'));
  // Where its middle lies in lon/lat, to draw a 图斑 inside it.
  const lonLat = toLonLat(parseCrs('EPSG:4544'))([600_200, 3_900_200]);
  return { path, lonLat };
}

describe('gengbao analyze --crs', () => {
  it('applies --crs to the Shapefile without .prj only: the GeoJSON 图斑 keep their lon/lat and are flagged', async () => {
    const farmland = await farmlandWithoutPrj();
    const polygons = join(dir, 'polygons.geojson');
    const [lon, lat] = farmland.lonLat;
    await writeFeatures(polygons, [
      feature(box(lon - 0.0005, lat - 0.0005, 0.001), { jcbh: 'JC-1' }),
    ]);
    const out = join(dir, 'out.geojson');
    const report = join(dir, 'report.json');
    const r = await analyze(
      '--polygons',
      polygons,
      '--layer',
      `farmland=${farmland.path}`,
      '--crs',
      'EPSG:4544',
      '--out',
      out,
      '--report',
      report,
    );
    expect(r.out).toMatch(/1 polygons analysed \(1 未批占耕\)/);
    const written = JSON.parse(readFileSync(out, 'utf8')).features[0].geometry.coordinates[0][0];
    expect(written[0]).toBeCloseTo(lon - 0.0005, 6);
    expect(written[1]).toBeCloseTo(lat - 0.0005, 6);
    const json = JSON.parse(readFileSync(report, 'utf8'));
    expect(json.reports[0].crs).toMatch(/EPSG:4326|CGCS2000|WGS/);
    expect(json.reports[1]).toMatchObject({ crsSource: 'option (for files declaring none)' });
    expect(json.summary.warnings).toEqual([]);
  });

  it('warns when a reference layer overlaps no 图斑 at all (a wrong CRS)', async () => {
    const farmland = await farmlandWithoutPrj();
    const polygons = join(dir, 'polygons2.geojson');
    const [lon, lat] = farmland.lonLat;
    await writeFeatures(polygons, [
      feature(box(lon - 0.0005, lat - 0.0005, 0.001), { jcbh: 'JC-2' }),
    ]);
    // The zone next door (CM 108°E): the parcels land 3° away from every 图斑.
    const report = join(dir, 'report2.json');
    const r = await analyze(
      '--polygons',
      polygons,
      '--layer',
      `farmland=${farmland.path}`,
      '--crs',
      'EPSG:4545',
      '--out',
      join(dir, 'out2.geojson'),
      '--report',
      report,
    );
    expect(r.err).toMatch(
      /farmland\.shp: .*none of its 1 features overlaps any 图斑.*coordinate system/,
    );
    expect(r.out).toMatch(/1 个警告 warning\(s\)/);
    expect(JSON.parse(readFileSync(report, 'utf8')).summary.warnings).toHaveLength(1);
  });
});
