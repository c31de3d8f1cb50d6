import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { onPath } from '../geo/formats/gdal.ts';
import { readFeatures, type ImportReport } from '../geo/formats/read.ts';
import { writeFeatures } from '../geo/formats/write.ts';
import type { Feature } from '../geo/types.ts';
import { analyzeFiles, parseLayerArg } from './run-files.ts';

const dir = mkdtempSync(join(tmpdir(), 'gengbao-run-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const quad = (
  x: number,
  y: number,
  w: number,
  h: number,
  props: Record<string, unknown> = {},
): Feature => ({
  type: 'Feature',
  properties: props,
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [x, y],
        [x + w, y],
        [x + w, y + h],
        [x, y + h],
        [x, y],
      ],
    ],
  },
});

/** A 60 × 60 grid of 50 m × 40 m parcels and 30 change polygons scattered over part of it. */
async function fixture() {
  const dx = 50 / 90_000;
  const dy = 40 / 111_000;
  const parcels = Array.from({ length: 3600 }, (_, k) =>
    quad(112.8 + (k % 60) * dx, 35.5 + Math.floor(k / 60) * dy, dx, dy, { id: k, dlbm: '0103' }),
  );
  const polygons = Array.from({ length: 30 }, (_, k) =>
    quad(112.8 + ((k * 7) % 40) * dx * 1.3, 35.5 + ((k * 11) % 40) * dy * 1.2, dx * 1.7, dy * 0.9, {
      id: k,
    }),
  );
  const p = { parcels: join(dir, 'parcels.geojsonl'), polygons: join(dir, 'polygons.geojson') };
  await writeFeatures(p.parcels, parcels);
  await writeFeatures(p.polygons, polygons);
  return p;
}

describe('analyzeFiles', () => {
  it('gives the same figures in-process and split over worker threads, skipping far parcels unparsed', async () => {
    const p = await fixture();
    const one = await analyzeFiles({
      polygons: p.polygons,
      layers: [{ kind: 'farmland', path: p.parcels }],
      workers: 1,
    });
    const two = await analyzeFiles({
      polygons: p.polygons,
      layers: [{ kind: 'farmland', path: p.parcels }],
      workers: 3,
      parallelFromBytes: 0,
    });
    expect(two.figures).toEqual(one.figures);
    const [r1, r2] = [one.reports[1], two.reports[1]];
    expect(r1.read).toBe(3600);
    expect(r2.read).toBe(3600);
    expect(r1.skipped).toBeGreaterThan(1000);
    expect(r1.skipped + r1.accepted).toBe(3600);
    expect(r2.accepted).toBe(r1.accepted);
    // Every polygon lies on the grid, so its farmland is its whole area (parcels tile exactly).
    for (const f of one.figures)
      expect(Math.abs(f.layers.farmland.m2 - f.total.m2)).toBeLessThan(0.05);
  });

  it('reads byte ranges of GeoJSON lines that add up to the whole file, at any cut', async () => {
    const p = await fixture();
    const size = statSync(p.parcels).size;
    const ids = async (range?: [number, number]) => {
      const out: unknown[] = [];
      for await (const f of readFeatures(p.parcels, { byteRange: range }))
        out.push(f.properties.id);
      return out;
    };
    const all = await ids();
    for (const cut of [1, 137, Math.floor(size / 3), size - 2]) {
      expect([...(await ids([0, cut])), ...(await ids([cut, size]))]).toEqual(all);
    }
  });

  it.skipIf(!onPath('ogr2ogr'))(
    'gives the same figures from a FlatGeobuf layer read through its index as from GeoJSON lines',
    async () => {
      const p = await fixture();
      const fgb = join(dir, 'parcels.fgb');
      // As users' files come: written by GDAL, in its index's order, with the packed R-tree.
      execFileSync('ogr2ogr', [
        ...['-f', 'FlatGeobuf', '-a_srs', 'EPSG:4490', '-lco', 'SPATIAL_INDEX=YES'],
        ...[fgb, p.parcels],
      ]);
      const run = (path: string) =>
        analyzeFiles({ polygons: p.polygons, layers: [{ kind: 'farmland', path }], workers: 1 });
      const [lines, indexed] = [await run(p.parcels), await run(fgb)];
      expect(indexed.figures).toEqual(lines.figures);
      const counts = ({ read, skipped, accepted, rejected }: ImportReport) => ({
        read,
        skipped,
        accepted,
        rejected,
      });
      expect(counts(indexed.reports[1])).toEqual(counts(lines.reports[1]));
      expect(indexed.reports[1].format).toBe('flatgeobuf');
      expect(indexed.reports[1].skipped).toBeGreaterThan(1000);
    },
  );

  it('parses --layer KIND=FILE', () => {
    expect(parseLayerArg('pbf=/data/永农.shp')).toEqual({ kind: 'pbf', path: '/data/永农.shp' });
    expect(() => parseLayerArg('farmland')).toThrow(/KIND=FILE/);
  });
});
