import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ellipsoidalAreaM2 } from '../area.ts';
import type { Feature } from '../types.ts';
import { readFeatures, type ReadOptions } from './read.ts';
import { writeFeatures } from './write.ts';

const dir = mkdtempSync(join(tmpdir(), 'gengbao-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let serial = 0;
const fresh = (name: string) => {
  const d = join(dir, String(++serial));
  mkdirSync(d);
  return join(d, name);
};

async function readAll(path: string, opts?: ReadOptions) {
  const reader = readFeatures(path, opts);
  const features: Feature[] = [];
  for await (const f of reader) features.push(f);
  return { features, report: reader.report };
}

const square = (x: number, y: number, s: number) => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
  [x, y],
];
const feature = (coordinates: number[][][], properties: Record<string, unknown> = {}): Feature => ({
  type: 'Feature',
  geometry: { type: 'Polygon', coordinates },
  properties,
});

/** A minimal zip writer (PKWARE APPNOTE 4.3: local headers, central directory, end record) for hostile fixtures. */
function makeZip(entries: Array<{ name: string; data: Buffer; deflate?: boolean }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const body = e.deflate ? deflateRawSync(e.data) : e.data;
    const name = Buffer.from(e.name, 'utf8');
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(e.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(e.deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** Gauss–Krüger zone 38 (EPSG:4526, CM 114°E, zone prefix) as ArcGIS writes it. */
const GK38_PRJ = `PROJCS["CGCS2000_3_Degree_GK_Zone_38",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",38500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;

/** A Shapefile in GK zone 38 metres: 100 m × 100 m squares (areas ≈ 15 亩 each). */
async function gkShapefile(
  path: string,
  names: string[],
  opts: { prj?: boolean; encoding?: 'gbk' | 'utf8'; cpg?: string | null } = {},
) {
  const feats = names.map((n, i) =>
    feature([square(38_400_000 + i * 1000, 3_930_000, 100)], { 名称: n, i }),
  );
  await writeFeatures(path, feats, { encoding: opts.encoding ?? 'gbk' });
  const base = path.replace(/\.shp$/, '');
  if (opts.prj === false) rmSync(`${base}.prj`);
  else writeFileSync(`${base}.prj`, GK38_PRJ);
  if (opts.cpg === null) rmSync(`${base}.cpg`);
  else if (opts.cpg !== undefined) writeFileSync(`${base}.cpg`, opts.cpg);
}

describe('Shapefile', () => {
  it('reads Gauss–Krüger zone 38 with its .prj into CGCS2000 lon/lat with the right areas', async () => {
    const path = fresh('gk.shp');
    await gkShapefile(path, ['耕地一', '耕地二']);
    const { features, report } = await readAll(path);
    expect(report).toMatchObject({
      format: 'shapefile',
      read: 2,
      accepted: 2,
      crsSource: '.prj',
      encoding: 'gbk (cpg)',
    });
    expect(report.crs).toContain('EPSG:4526');
    expect(features.map((f) => f.properties['名称'])).toEqual(['耕地一', '耕地二']);
    const [lon, lat] = features[0].geometry.coordinates[0][0] as number[];
    expect(lon).toBeGreaterThan(112.8);
    expect(lon).toBeLessThan(113);
    expect(lat).toBeGreaterThan(35.4);
    // Gauss–Krüger scale on the zone edge: ellipsoidal area of 100 m × 100 m grid squares is a
    // little under 10,000 m² (1.2 % at 1.1° from the central meridian).
    const a = ellipsoidalAreaM2(features[0].geometry);
    expect(a).toBeGreaterThan(9_700);
    expect(a).toBeLessThan(10_000);
  });

  it('refuses a Shapefile without .prj unless the CRS is given, and then agrees', async () => {
    const path = fresh('noprj.shp');
    await gkShapefile(path, ['甲'], { prj: false });
    await expect(readAll(path)).rejects.toThrow(/has no \.prj.*--crs/);
    const withPrj = fresh('prj.shp');
    await gkShapefile(withPrj, ['甲']);
    const given = await readAll(path, { crs: 'EPSG:4526' });
    const declared = await readAll(withPrj);
    expect(given.report.crsSource).toBe('option');
    expect(given.features[0].geometry).toEqual(declared.features[0].geometry);
    await expect(readAll(withPrj, { crs: 'EPSG:4527' })).rejects.toThrow(
      /declares .* but .* was given/,
    );
  });

  it('refuses coordinates of another zone (prefix mismatch)', async () => {
    const path = fresh('zone.shp');
    await gkShapefile(path, ['甲'], { prj: false });
    await expect(readAll(path, { crs: 'EPSG:4539' })).rejects.toThrow(
      /feature 1: easting 38400000 does not belong/,
    );
  });

  it('detects GBK and UTF-8 without a .cpg', async () => {
    const gbk = fresh('gbk.shp');
    await gkShapefile(gbk, ['永久基本农田', '生态保护红线'], { encoding: 'gbk', cpg: null });
    const a = await readAll(gbk);
    expect(a.report.encoding).toMatch(/^gbk \((dbf language driver|detected)\)$/);
    expect(a.features[1].properties['名称']).toBe('生态保护红线');
    const utf8 = fresh('utf8.shp');
    await gkShapefile(utf8, ['永久基本农田'], { encoding: 'utf8', cpg: null });
    const b = await readAll(utf8);
    expect(b.report.encoding).toBe('utf8 (detected)');
    expect(b.features[0].properties['名称']).toBe('永久基本农田');
  });

  it('refuses a .cpg that the bytes contradict, either way, instead of storing mojibake', async () => {
    const utf8AsGbk = fresh('a.shp');
    await gkShapefile(utf8AsGbk, ['永久基本农田'], { encoding: 'utf8', cpg: 'GBK' });
    await expect(readAll(utf8AsGbk)).rejects.toThrow(
      /the cpg says GBK but the text is UTF-8 \("永久基本农田/,
    );
    const gbkAsUtf8 = fresh('b.shp');
    await gkShapefile(gbkAsUtf8, ['永久基本农田'], { encoding: 'gbk', cpg: 'UTF-8' });
    await expect(readAll(gbkAsUtf8)).rejects.toThrow(
      /the cpg says UTF-8 but the text is not UTF-8 \(probably GBK: "永久基本农田/,
    );
  });

  it('refuses text that was garbled before it reached us', async () => {
    const path = fresh('garbled.shp');
    await gkShapefile(path, ['锟斤拷锟斤拷'], { encoding: 'utf8', cpg: 'UTF-8' });
    await expect(readAll(path)).rejects.toThrow(/record 1, field 名称 holds garbled text/);
  });

  it('refuses a Shapefile of points (mixed geometry types) and names ArcGIS code pages', async () => {
    const path = fresh('points.shp');
    await gkShapefile(path, ['甲']);
    const shp = readFileSync(path);
    shp.writeInt32LE(1, 32); // header shape type: Point
    writeFileSync(path, shp);
    await expect(readAll(path)).rejects.toThrow(/holds Point features, not polygons/);
    const cp936 = fresh('cp936.shp');
    await gkShapefile(cp936, ['永久基本农田'], { cpg: 'ANSI 936' });
    expect((await readAll(cp936)).features[0].properties['名称']).toBe('永久基本农田');
    const unknown = fresh('big5.shp');
    await gkShapefile(unknown, ['甲'], { cpg: 'Big5' });
    await expect(readAll(unknown)).rejects.toThrow(/text encoding "Big5" is not supported/);
  });

  it('refuses Latin-1 it cannot tell from GBK, and reads it when told', async () => {
    const path = fresh('latin.shp');
    await writeFeatures(
      path,
      [feature([square(38_400_000, 3_930_000, 100)], { navn: 'Bøg på mark, 2.000m²' })],
      { encoding: 'latin1' },
    );
    writeFileSync(path.replace('.shp', '.prj'), GK38_PRJ);
    rmSync(path.replace('.shp', '.cpg'));
    await expect(readAll(path)).rejects.toThrow(/cannot tell the text encoding/);
    const { features } = await readAll(path, { encoding: 'latin1' });
    expect(features[0].properties.navn).toBe('Bøg på mark, 2.000m²');
  });
});

describe('zip', () => {
  const shapefileEntries = async (names: string[]) => {
    const path = fresh('z.shp');
    await gkShapefile(path, names);
    return ['shp', 'shx', 'dbf', 'prj', 'cpg'].map((e) => ({
      name: `图层/z.${e}`,
      data: readFileSync(path.replace('.shp', `.${e}`)),
      deflate: true,
    }));
  };

  it('reads a zipped Shapefile in a sub-folder', async () => {
    const zip = fresh('layer.zip');
    writeFileSync(zip, makeZip(await shapefileEntries(['甲', '乙', '丙'])));
    const { features, report } = await readAll(zip);
    expect(report.accepted).toBe(3);
    expect(features[2].properties['名称']).toBe('丙');
  });

  it('refuses entries that escape the folder, writing nothing', async () => {
    const zip = fresh('evil.zip');
    const outside = join(dirname(zip), '..', 'evil.txt');
    writeFileSync(
      zip,
      makeZip([
        ...(await shapefileEntries(['甲'])),
        { name: '../evil.txt', data: Buffer.from('x') },
      ]),
    );
    await expect(readAll(zip)).rejects.toThrow(
      /entry "\.\.\/evil\.txt" would be written outside the folder/,
    );
    expect(existsSync(outside)).toBe(false);
  });

  it('refuses a zip bomb by its expansion ratio', async () => {
    const zip = fresh('bomb.zip');
    writeFileSync(
      zip,
      makeZip([{ name: 'a.geojson', data: Buffer.alloc(20 << 20, 0x20), deflate: true }]),
    );
    await expect(readAll(zip)).rejects.toThrow(/expands \d+× \(limit 200×: zip bomb\?\)/);
    await expect(readAll(zip, { zipLimits: { maxTotalBytes: 1 << 20 } })).rejects.toThrow(
      /uncompresses to more than/,
    );
  });
});

describe('GeoJSON', () => {
  const write = (name: string, value: unknown) => {
    const p = fresh(name);
    writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
    return p;
  };
  const fc = (features: unknown[], extra: Record<string, unknown> = {}) => ({
    type: 'FeatureCollection',
    ...extra,
    features,
  });

  it('streams features whose text holds brackets, quotes and escapes', async () => {
    const props = { note: 'a ] } [ { "quoted" \\ back', 名称: '村' };
    const path = write(
      's.geojson',
      fc([
        feature([square(112.8, 35.5, 0.001)], props),
        feature([square(112.9, 35.5, 0.001)], { n: 2 }),
      ]),
    );
    const { features } = await readAll(path);
    expect(features.map((f) => f.properties)).toEqual([props, { n: 2 }]);
  });

  it('honours a crs member that names a Gauss–Krüger zone', async () => {
    const crs = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4526' } };
    const path = write('gk.geojson', fc([feature([square(38_400_000, 3_930_000, 100)])], { crs }));
    const { features, report } = await readAll(path);
    expect(report.crsSource).toBe('GeoJSON crs member');
    expect(features[0].geometry.coordinates[0][0][0]).toBeCloseTo(112.9, 0);
  });

  it('refuses out-of-range coordinates (projected metres in an RFC 7946 file)', async () => {
    const path = write('far.geojson', fc([feature([square(38_400_000, 3_930_000, 100)])]));
    await expect(readAll(path)).rejects.toThrow(
      /feature 1: coordinate 38400000, 3930000 is outside the valid range/,
    );
  });

  it('refuses mixed geometry types', async () => {
    const line = {
      type: 'Feature',
      properties: { id: 7 },
      id: 7,
      geometry: {
        type: 'LineString',
        coordinates: [
          [112, 35],
          [113, 36],
        ],
      },
    };
    const path = write(
      'mixed.geojsonl',
      [feature([square(112.8, 35.5, 0.001)]), line].map((f) => JSON.stringify(f)).join('\n'),
    );
    await expect(readAll(path)).rejects.toThrow(
      /feature 2 \(id 7\) is a LineString: a layer must hold polygons only \(mixed geometry types\)/,
    );
  });

  it('repairs invalid polygons and rejects the hopeless, counting both', async () => {
    const bowtie = feature([
      [
        [112.8, 35.5],
        [112.801, 35.501],
        [112.801, 35.5],
        [112.8, 35.501],
        [112.8, 35.5],
      ],
    ]);
    const flat = feature([
      [
        [112.8, 35.5],
        [112.801, 35.5],
        [112.802, 35.5],
        [112.8, 35.5],
      ],
    ]);
    const none = { type: 'Feature', properties: {}, geometry: null };
    const path = write(
      'bad.geojson',
      fc([feature([square(112.8, 35.5, 0.001)]), bowtie, flat, none]),
    );
    const { features, report } = await readAll(path);
    expect(report).toMatchObject({
      read: 4,
      accepted: 2,
      repaired: 1,
      rejected: 2,
      complete: true,
    });
    expect(report.problems['self-intersection']).toBeGreaterThanOrEqual(1);
    expect(report.rejections.map((r) => [r.index, r.reason.split(' (')[0]])).toEqual([
      [2, 'no area left after repair'],
      [3, 'no geometry'],
    ]);
    // The bow-tie's two lobes keep their full area (half the square each way).
    expect(ellipsoidalAreaM2(features[1].geometry)).toBeCloseTo(
      ellipsoidalAreaM2(features[0].geometry) / 2,
      0,
    );
  });

  it('refuses text garbled by an earlier wrong conversion', async () => {
    const path = write(
      'mojibake.geojson',
      fc([feature([square(112.8, 35.5, 0.001)], { 名称: 'æ°¸ä¹…åŸºæœ¬å†œç”°' })]),
    );
    await expect(readAll(path)).rejects.toThrow(/feature 1, field 名称 holds garbled text/);
  });

  it('refuses a file that is not a FeatureCollection', async () => {
    await expect(
      readAll(write('one.geojson', feature([square(112.8, 35.5, 0.001)]))),
    ).rejects.toThrow(/no "features" array/);
    await expect(
      readAll(write('cut.geojson', '{"type":"FeatureCollection","features":[{"type":"Feature"')),
    ).rejects.toThrow(/ends in the middle/);
  });
});

const shared = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/data/parcels');

/** Real parcels in their national formats against the same parcels converted to WGS84 GeoJSON by their publisher (fiboa). */
describe.skipIf(!existsSync(shared))(
  'real parcel files (skipped: ../shared/data/parcels is absent)',
  () => {
    it.each([
      ['original/india_10k/india_10k.zip', 'geojson-wgs84/india_10k.geojson'],
      ['original/ai4sf/1_vietnam_areas.gpkg', 'geojson-wgs84/ai4sf_vietnam.geojson'],
      [
        'original/fi/LandUse.ExistingLandUse.GSAAAgriculturalParcel.gpkg',
        'geojson-wgs84/fi_2024.geojson',
      ],
      ['original/dk/Marker_2026.zip', 'geojson-wgs84/dk_marker_2026.geojson'],
    ])(
      '%s has the count and total ellipsoidal area of %s (to 0.01 percent)',
      async (original, converted) => {
        const total = async (p: string) => {
          const { features, report } = await readAll(join(shared, p), { encoding: 'latin1' });
          return {
            n: features.length,
            area: features.reduce((s, f) => s + ellipsoidalAreaM2(f.geometry), 0),
            report,
          };
        };
        const a = await total(original);
        const b = await total(converted);
        expect(a.n).toBe(b.n);
        expect(Math.abs(a.area - b.area) / b.area).toBeLessThan(1e-4);
      },
    );

    it('refuses national CRSs it does not know (Bessel ellipsoid) by name', async () => {
      await expect(
        readAll(join(shared, 'original/ch/lwb_nutzungsflaechen_v2_0_lv95.gpkg')),
      ).rejects.toThrow(/unsupported CRS \(ellipsoid Bessel 1841/);
    });
  },
);
