import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPath } from '../../src/geo/formats/gdal.ts';
import { testServer, type TestServer } from '../../src/server/testing.ts';
import { testBackends } from '../../src/store/testing.ts';
import { EXTRA, seedOgcRegion, tokenOf } from './fixture.ts';

const run = promisify(execFile);
const hasGdal = onPath('ogrinfo') && onPath('ogr2ogr');
if (!hasGdal)
  console.warn(
    'OGC GDAL test: ogrinfo/ogr2ogr (Debian gdal-bin) not found, skipped; .ci/run installs them',
  );

/**
 * GDAL's OGC API – Features client (the OAPIF driver, what QGIS's GDAL-based tools and most
 * province platforms' loaders use) reads Gengbao over a real socket with an API token in
 * GDAL's header option, as a desktop user would. PAGE_SIZE is set below the number of 图斑 so
 * the driver must follow `next` links to get them all.
 */
describe.skipIf(!hasGdal)('GDAL reads /ogc', () => {
  const backend = testBackends()[0];
  let db: Awaited<ReturnType<typeof backend.open>>;
  let s: TestServer;
  let base: string;
  let dir: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    db = await backend.open();
    await seedOgcRegion(db);
    s = await testServer(db);
    await s.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(s.app.server.address() as AddressInfo).port}/ogc`;
    for (const u of ['zezhou', 'village', 'reviewer']) tokens[u] = await tokenOf(s, u);
    dir = await mkdtemp(join(tmpdir(), 'gengbao-ogc-'));
  });
  afterAll(async () => {
    await s?.close();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** A GDAL command with the caller's token as GDAL's HTTP header option (none: anonymous). */
  const gdal = (tool: string, args: string[], token?: string) =>
    run(tool, args, {
      encoding: 'utf8',
      // CPL_DEBUG makes GDAL log each URL it fetches (stderr): the test counts the pages.
      env: {
        ...process.env,
        ...(token ? { GDAL_HTTP_HEADERS: `Authorization: Bearer ${token}` } : {}),
        CPL_DEBUG: 'ON',
      },
    });
  /** The item pages GDAL fetched by following `next` links (the URLs carry our cursor). */
  const nextPagesFetched = (stderr: string) =>
    stderr.split('\n').filter((l) => /HTTP: Fetch\(.*\/items\?.*cursor=/.test(l)).length;

  it('ogrinfo lists the collections of the caller', async () => {
    const { stdout } = await gdal('ogrinfo', ['-ro', '-so', '-q', `OAPIF:${base}`], tokens.zezhou);
    const layers = stdout
      .split('\n')
      .map((l) => /^\d+: (\S+)/.exec(l)?.[1])
      .filter(Boolean);
    expect(layers).toEqual([
      'tuban',
      'tuban-2026-11',
      'tuban-2026-10',
      'farmland',
      'pbf',
      'jurisdictions-county',
      'jurisdictions-township',
      'jurisdictions-village',
    ]);
  });

  it("ogr2ogr copies a county officer's 图斑 to a GeoPackage: all of theirs, over several pages, none of another county", async () => {
    const out = join(dir, 'zezhou.gpkg');
    const copy = await gdal(
      'ogr2ogr',
      ['-f', 'GPKG', out, `OAPIF:${base}`, 'tuban', '-oo', 'PAGE_SIZE=10'],
      tokens.zezhou,
    );
    // 32 图斑 at 10 a page: the first page and three more reached by their next links.
    expect(nextPagesFetched(copy.stderr)).toBe(3);
    const { stdout } = await gdal('ogrinfo', [
      '-ro',
      '-q',
      out,
      '-sql',
      "SELECT count(*) AS n, count(DISTINCT code) AS codes, min(jurisdiction_code) AS lo, max(jurisdiction_code) AS hi, sum(substr(jurisdiction_code, 1, 6) <> '140525') AS outside FROM tuban",
    ]);
    // 2 of the fixture + the extra 南村 and 北村 ones: more than three pages of 10.
    const expected = 2 + EXTRA.nancun + EXTRA.beicun;
    expect(stdout).toMatch(new RegExp(`n \\(Integer\\) = ${expected}\\b`));
    expect(stdout).toMatch(new RegExp(`codes \\(Integer\\) = ${expected}\\b`));
    expect(stdout).toMatch(/lo \(String\) = 140525100200/);
    expect(stdout).toMatch(/hi \(String\) = 140525100201/);
    expect(stdout).toMatch(/outside \(Integer\) = 0\b/);
    const info = (await gdal('ogrinfo', ['-ro', '-so', out, 'tuban'])).stdout;
    expect(info).toMatch(/Geometry: (Multi )?Polygon/);
    expect(info).toMatch(/WGS 84/);
  });

  it('a village chief gets only their village', async () => {
    const out = join(dir, 'village.gpkg');
    await gdal(
      'ogr2ogr',
      ['-f', 'GPKG', out, `OAPIF:${base}`, 'tuban', 'jurisdictions-village', '-oo', 'PAGE_SIZE=7'],
      tokens.village,
    );
    const tuban = (
      await gdal('ogrinfo', [
        '-ro',
        '-q',
        out,
        '-sql',
        'SELECT count(*) AS n, count(DISTINCT jurisdiction_code) AS units, min(jurisdiction_code) AS code FROM tuban',
      ])
    ).stdout;
    expect(tuban).toMatch(new RegExp(`n \\(Integer\\) = ${1 + EXTRA.nancun}\\b`));
    expect(tuban).toMatch(/units \(Integer\) = 1\b/);
    expect(tuban).toMatch(/code \(String\) = 140525100200/);
    const villages = (
      await gdal('ogrinfo', [
        '-ro',
        '-q',
        out,
        '-sql',
        'SELECT code, name FROM "jurisdictions-village"',
      ])
    ).stdout;
    expect(villages).toContain('140525100200');
    expect(villages).not.toContain('140525100201');
  });

  it("a city reviewer's period layer holds both counties, and only that period", async () => {
    const out = join(dir, 'city.gpkg');
    await gdal('ogr2ogr', ['-f', 'GPKG', out, `OAPIF:${base}`, 'tuban-2026-10'], tokens.reviewer);
    const { stdout } = await gdal('ogrinfo', [
      '-ro',
      '-q',
      out,
      '-sql',
      'SELECT count(*) AS n, min(period) AS lo, max(period) AS hi, count(DISTINCT substr(jurisdiction_code, 1, 6)) AS counties FROM "tuban-2026-10"',
    ]);
    const oct = (n: number) => Math.ceil(n / 2);
    expect(stdout).toMatch(
      new RegExp(
        `n \\(Integer\\) = ${oct(EXTRA.nancun) + oct(EXTRA.beicun) + oct(EXTRA.gaoping)}\\b`,
      ),
    );
    expect(stdout).toMatch(/lo \(String\) = 2026-10/);
    expect(stdout).toMatch(/hi \(String\) = 2026-10/);
    expect(stdout).toMatch(/counties \(Integer\) = 2\b/);
  });

  it('refuses an anonymous client with 401', async () => {
    const anonymous = gdal('ogrinfo', ['-ro', '-so', '-q', `OAPIF:${base}`]);
    await expect(anonymous).rejects.toThrow(/401/);
    const res = await fetch(`${base}/collections`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});
