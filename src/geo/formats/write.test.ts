import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { ellipsoidalAreaM2 } from '../area.ts';
import type { Areal, Feature } from '../types.ts';
import { onPath } from './gdal.ts';
import { readFeatures } from './read.ts';
import { writeFeatures } from './write.ts';

const dir = mkdtempSync(join(tmpdir(), 'gengbao-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const square = (x: number, y: number, s: number) => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
  [x, y],
];
const hole = (x: number, y: number, s: number) => square(x, y, s).reverse();

/** Three polygons near Jincheng with Chinese text, numbers, booleans and a null. */
const FEATURES: Feature[] = [
  {
    type: 'Feature',
    geometry: { type: 'Polygon', coordinates: [square(112.8, 35.5, 0.001)] },
    properties: { 名称: '晋城市泽州县巴公镇', dlbm: '0103', mu: 12.34, n: 7, ok: true },
  },
  {
    type: 'Feature',
    geometry: {
      type: 'Polygon',
      coordinates: [square(112.81, 35.5, 0.002), hole(112.8105, 35.5005, 0.0005)],
    },
    properties: { 名称: '未批占耕（疑似）', dlbm: '0101', mu: 0.5, n: -3, ok: false },
  },
  {
    type: 'Feature',
    geometry: {
      type: 'MultiPolygon',
      coordinates: [[square(112.82, 35.5, 0.001)], [square(112.83, 35.5, 0.001)]],
    },
    properties: { 名称: '村庄 "甲", 乙', dlbm: null, mu: 1234567.89, n: 0, ok: null },
  },
];

const FIELDS = ['名称', 'dlbm', 'mu', 'n', 'ok'];

/** Booleans come back as true/1/'T'/'true' depending on the format's type system. */
const asBool = (v: unknown) =>
  v === null || v === undefined || v === ''
    ? null
    : v === true || v === 1 || v === '1' || v === 'T' || v === 'true';

function expectSameAttributes(got: Array<Record<string, unknown>>): void {
  expect(got).toHaveLength(FEATURES.length);
  got.forEach((props, i) => {
    const want = FEATURES[i].properties;
    expect(props['名称']).toBe(want['名称']);
    expect(props.dlbm ?? null).toBe(want.dlbm);
    expect(Number(props.mu)).toBeCloseTo(want.mu as number, 6);
    expect(Number(props.n)).toBe(want.n);
    expect(asBool(props.ok)).toBe(want.ok);
  });
}

const READABLE = ['geojson', 'geojsonl', 'shp', 'gpkg', 'fgb'] as const;

describe('writeFeatures → readFeatures round trip', () => {
  it.each(READABLE)('%s keeps geometry, area, Chinese text and values', async (ext) => {
    const path = join(dir, `rt.${ext}`);
    await writeFeatures(path, FEATURES);
    const back: Feature[] = [];
    const reader = readFeatures(path);
    for await (const f of reader) back.push(f);
    expect(reader.report).toMatchObject({
      read: 3,
      accepted: 3,
      repaired: 0,
      rejected: 0,
      complete: true,
    });
    expectSameAttributes(back.map((f) => f.properties));
    back.forEach((f, i) => {
      expect(ellipsoidalAreaM2(f.geometry)).toBeCloseTo(
        ellipsoidalAreaM2(FEATURES[i].geometry as Areal),
        3,
      );
    });
  });

  it('Shapefile: GBK DBF with a .cpg and a CGCS2000 .prj', async () => {
    const path = join(dir, 'gbk.shp');
    const files = await writeFeatures(path, FEATURES);
    expect(files.map((f) => f.slice(-3))).toEqual(['shp', 'shx', 'dbf', 'cpg', 'prj']);
    expect(readFileSync(join(dir, 'gbk.cpg'), 'utf8')).toBe('GBK');
    expect(readFileSync(join(dir, 'gbk.prj'), 'utf8')).toContain('China_2000');
    // GBK bytes of 晋城 (BD FA B3 C7) are in the DBF; their UTF-8 bytes are not.
    const dbf = readFileSync(join(dir, 'gbk.dbf'));
    expect(dbf.includes(Buffer.from([0xbd, 0xfa, 0xb3, 0xc7]))).toBe(true);
    expect(dbf.includes(Buffer.from('晋城', 'utf8'))).toBe(false);
  });

  it('xlsx holds one row per feature with the same values (read back by exceljs)', async () => {
    const path = join(dir, 'rt.xlsx');
    await writeFeatures(path, FEATURES);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    const ws = wb.worksheets[0];
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(FIELDS);
    const rows = [2, 3, 4].map((r) =>
      Object.fromEntries(FIELDS.map((f, i) => [f, ws.getRow(r).getCell(i + 1).value])),
    );
    expectSameAttributes(rows);
  });

  it('CSV is UTF-8 with a BOM, quoted where needed, with a WKT column', async () => {
    const path = join(dir, 'rt.csv');
    await writeFeatures(path, FEATURES);
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith('\uFEFF名称,dlbm,mu,n,ok,WKT\r\n')).toBe(true);
    expect(text).toContain('"村庄 ""甲"", 乙"');
    expect(text).toContain('MULTIPOLYGON ((');
  });
});

/**
 * GDAL is the independent reader every GIS desktop uses. CI installs gdal-bin, so these run
 * there; they are skipped only where `ogr2ogr` is not installed.
 */
describe.skipIf(!onPath('ogr2ogr'))(
  'GDAL reads every export (skipped when ogr2ogr is not on PATH)',
  () => {
    const viaGdal = (
      path: string,
      openOptions: string[] = [],
    ): Array<{ properties: Record<string, unknown>; geometry: Areal | null }> => {
      const out = execFileSync(
        'ogr2ogr',
        ['-f', 'GeoJSON', '/vsistdout/', path, ...openOptions.flatMap((o) => ['-oo', o])],
        { encoding: 'utf8' },
      );
      return JSON.parse(out).features;
    };

    it.each(['geojson', 'geojsonl', 'shp', 'gpkg', 'fgb'])(
      '%s: same features, values, Chinese text and areas',
      async (ext) => {
        const path = join(dir, `gdal.${ext}`);
        await writeFeatures(path, FEATURES);
        const got = viaGdal(path);
        expectSameAttributes(got.map((f) => f.properties));
        got.forEach((f, i) =>
          expect(ellipsoidalAreaM2(f.geometry!)).toBeCloseTo(
            ellipsoidalAreaM2(FEATURES[i].geometry as Areal),
            3,
          ),
        );
      },
    );

    it('Shapefile and GeoPackage declare CGCS2000 (EPSG:4490) to GDAL', async () => {
      for (const ext of ['shp', 'gpkg', 'fgb']) {
        const path = join(dir, `srs.${ext}`);
        await writeFeatures(path, FEATURES);
        const info = execFileSync('ogrinfo', ['-ro', '-so', '-al', path], { encoding: 'utf8' });
        expect(info).toMatch(/China Geodetic Coordinate System 2000|China_2000|CGCS2000/);
      }
    });

    it('CSV with its WKT column and xlsx with its header row', async () => {
      const csv = join(dir, 'gdal.csv');
      await writeFeatures(csv, FEATURES);
      const fromCsv = viaGdal(csv, ['GEOM_POSSIBLE_NAMES=WKT', 'KEEP_GEOM_COLUMNS=NO']);
      expectSameAttributes(
        fromCsv.map((f) => ({
          ...f.properties,
          dlbm: f.properties.dlbm === '' ? null : f.properties.dlbm,
        })),
      );
      fromCsv.forEach((f, i) =>
        expect(ellipsoidalAreaM2(f.geometry!)).toBeCloseTo(
          ellipsoidalAreaM2(FEATURES[i].geometry as Areal),
          3,
        ),
      );
      const xlsx = join(dir, 'gdal.xlsx');
      await writeFeatures(xlsx, FEATURES);
      expectSameAttributes(
        viaGdal(xlsx, ['HEADERS=FORCE', 'FIELD_TYPES=STRING']).map((f) => f.properties),
      );
    });
  },
);
