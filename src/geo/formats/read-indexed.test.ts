import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bboxIntersects, bboxOf } from '../bbox.ts';
import { toLonLat } from '../crs.ts';
import type { BBox, Feature } from '../types.ts';
import { openFlatGeobuf } from './flatgeobuf.ts';
import { onPath } from './gdal.ts';
import { openGeoPackage } from './geopackage.ts';
import { sourceBoxTest } from './index-box.ts';
import { readFeatures, type ReadOptions } from './read.ts';
import type { RawLayer } from './source.ts';
import { writeFeatures } from './write.ts';

// GDAL writes the indexed files (FlatGeobuf's packed Hilbert R-tree, GeoPackage's R-tree) as
// users' files come; CI installs gdal-bin, elsewhere these tests skip without it.
const dir = mkdtempSync(join(tmpdir(), 'gengbao-read-indexed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ogr2ogr = (...args: string[]) => execFileSync('ogr2ogr', args, { stdio: 'pipe' });

/** A 50 × 40 grid of ~50 m parcels near 117°E, 35°N (inside Gauss–Krüger zone 39). */
const parcels: Feature[] = Array.from({ length: 2000 }, (_, k) => {
  const x = 117 + (k % 50) * 0.0006;
  const y = 35 + Math.floor(k / 50) * 0.00045;
  const s = 0.00055;
  return {
    type: 'Feature',
    properties: { code: k, dlbm: k % 3 ? '0101' : '0103' },
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [x, y],
          [x + s, y],
          [x + s, y + s * 0.8],
          [x, y + s * 0.8],
          [x, y],
        ],
      ],
    },
  };
});
/** Three small windows over the grid, like a few 图斑 among many parcels. */
const windows: BBox[] = [
  [117.0031, 35.0021, 117.0049, 35.0033],
  [117.0201, 35.0101, 117.0203, 35.0102],
  [117.028, 35.016, 117.03, 35.0175],
];
let touches = 0;
const where = (b: BBox) => {
  touches++;
  return windows.some((w) => bboxIntersects(w, b));
};

/** Every feature of the file, filtered afterwards: what reading through an index must give. */
async function readThenFilter(path: string) {
  return (await readAll(path)).features.filter((f) => where(bboxOf(f.geometry)));
}

async function readAll(path: string, opts?: ReadOptions) {
  const reader = readFeatures(path, opts);
  const features: Feature[] = [];
  for await (const f of reader) features.push(f);
  const { read, skipped, accepted, rejected } = reader.report;
  return { features, counts: { read, skipped, accepted, rejected } };
}

/** Features decoded and records left out unread when a layer is read through its index. */
async function throughIndex(layer: RawLayer, test: (b: BBox) => boolean) {
  let decoded = 0;
  let unread = 0;
  for await (const batch of layer.select!(test)) {
    decoded += batch.length;
    unread += batch.filtered ?? 0;
  }
  return { decoded, unread };
}

const files = {
  source: join(dir, 'parcels.geojson'),
  fgb: join(dir, 'indexed.fgb'),
  fgbPlain: join(dir, 'plain.fgb'),
  gpkg: join(dir, 'indexed.gpkg'),
  gk: join(dir, 'gk.fgb'),
  gkPlain: join(dir, 'gk-plain.fgb'),
};

describe.skipIf(!onPath('ogr2ogr'))('reading through a spatial index', () => {
  beforeAll(async () => {
    await writeFeatures(files.source, parcels);
    const fgb = ['-f', 'FlatGeobuf', '-a_srs', 'EPSG:4490'];
    ogr2ogr(...fgb, '-lco', 'SPATIAL_INDEX=YES', files.fgb, files.source);
    ogr2ogr(...fgb, '-lco', 'SPATIAL_INDEX=NO', files.fgbPlain, files.source);
    ogr2ogr('-f', 'GPKG', '-a_srs', 'EPSG:4490', '-nln', 'parcels', files.gpkg, files.source);
    const gk = ['-f', 'FlatGeobuf', '-s_srs', 'EPSG:4490', '-t_srs', 'EPSG:4527'];
    ogr2ogr(...gk, '-lco', 'SPATIAL_INDEX=YES', files.gk, files.source);
    ogr2ogr(...gk, '-lco', 'SPATIAL_INDEX=NO', files.gkPlain, files.source);
  });

  it('FlatGeobuf: the same features and counts as the full read, decoding only those near', async () => {
    const full = await readAll(files.fgbPlain, { where });
    const indexed = await readAll(files.fgb, { where });
    expect(full.counts.accepted).toBeGreaterThan(10);
    expect(full.counts.skipped).toBeGreaterThan(1500);
    // GDAL writes an indexed file in the index's (Hilbert) order, so only the counts compare
    // with the plain file; the features are those of reading the same file whole.
    expect(indexed.counts).toEqual(full.counts);
    expect(indexed.features).toEqual(await readThenFilter(files.fgb));
    const codes = (fs: Feature[]) =>
      fs.map((f) => f.properties.code as number).sort((a, b) => a - b);
    expect(codes(indexed.features)).toEqual(codes(full.features));

    const plain = await openFlatGeobuf(files.fgbPlain);
    expect(plain.select).toBeUndefined();
    touches = 0;
    const { decoded, unread } = await throughIndex(await openFlatGeobuf(files.fgb), where);
    expect(decoded).toBe(full.counts.accepted);
    expect(unread).toBe(parcels.length - decoded);
    // The walk tests a fraction of the tree, not every feature.
    expect(touches).toBeLessThan(parcels.length / 2);
  });

  it('FlatGeobuf in Gauss–Krüger (EPSG:4527): the index gives what the full read gives', async () => {
    const full = await readAll(files.gkPlain, { where });
    const indexed = await readAll(files.gk, { where });
    expect(full.counts.accepted).toBeGreaterThan(10);
    expect(indexed.counts).toEqual(full.counts);
    expect(indexed.features).toEqual(await readThenFilter(files.gk));
    const layer = await openFlatGeobuf(files.gk);
    expect(layer.crs?.epsg).toBe(4527);
    const { decoded } = await throughIndex(
      layer,
      sourceBoxTest(where, layer.crs!, toLonLat(layer.crs!)),
    );
    // Conservative boxes keep a few too many, never most of the file.
    expect(decoded).toBeGreaterThanOrEqual(full.counts.accepted);
    expect(decoded).toBeLessThan(parcels.length / 4);
  });

  it('GeoPackage: the R-tree (walked from its node table) gives what the full read gives', async () => {
    const full = await readAll(files.source, { where });
    const indexed = await readAll(files.gpkg, { where });
    expect(indexed.counts).toEqual(full.counts);
    // Ids stay positions in the table, as in a read without `where`.
    expect(indexed.features).toEqual(await readThenFilter(files.gpkg));

    const { decoded, unread } = await throughIndex(await openGeoPackage(files.gpkg), where);
    expect(decoded).toBe(full.counts.accepted);
    expect(unread).toBe(parcels.length - decoded);
  });

  it('a test passing nothing reads nothing and still counts every record', async () => {
    const none = await readAll(files.fgb, { where: () => false });
    expect(none.counts).toEqual({ read: 2000, skipped: 2000, accepted: 0, rejected: 0 });
    expect((await readAll(files.gpkg, { where: () => false })).counts).toEqual(none.counts);
  });
});
