import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readFeatures } from '../geo/formats/read.ts';
import { writeFeatures } from '../geo/formats/write.ts';
import type { Feature } from '../geo/types.ts';
import { register as registerAnalyze } from './analyze.ts';
import { register as registerExport } from './export.ts';

const dir = mkdtempSync(join(tmpdir(), 'gengbao-cli-analyze-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const U = 0.001;
const sq = (x0: number, y0: number, x1: number, y1: number) => [
  [
    [112.8 + x0 * U, 35.5 + y0 * U],
    [112.8 + x1 * U, 35.5 + y0 * U],
    [112.8 + x1 * U, 35.5 + y1 * U],
    [112.8 + x0 * U, 35.5 + y1 * U],
    [112.8 + x0 * U, 35.5 + y0 * U],
  ],
];
const feature = (coordinates: number[][][], properties: Record<string, unknown>): Feature => ({
  type: 'Feature',
  geometry: { type: 'Polygon', coordinates },
  properties,
});

async function gengbao(...args: string[]): Promise<void> {
  const program = new Command().exitOverride();
  registerAnalyze(program);
  registerExport(program);
  await program.parseAsync(args, { from: 'user' });
}

async function readAll(path: string): Promise<Feature[]> {
  const out: Feature[] = [];
  for await (const f of readFeatures(path)) out.push(f);
  return out;
}

describe('gengbao analyze (no database)', () => {
  it('writes the figures as columns of a GBK Shapefile, and export converts it', async () => {
    const polygons = join(dir, 'polygons.geojson');
    await writeFeatures(polygons, [
      feature(sq(0, 0, 4, 4), { jcbh: 'JC-001' }),
      feature(sq(10, 0, 12, 2), { jcbh: 'JC-002' }),
    ]);
    const farmland = join(dir, 'farmland.gpkg');
    await writeFeatures(farmland, [
      feature(sq(-1, -1, 5, 5), { dlbm: '0103' }),
      feature(sq(9, -1, 13, 3), { dlbm: '0101' }),
    ]);
    const approvals = join(dir, 'approvals.geojsonl');
    await writeFeatures(approvals, [feature(sq(10, 0, 12, 2), { pwh: '晋政地〔2023〕12号' })]);
    const villages = join(dir, 'villages.geojson');
    await writeFeatures(villages, [
      feature(sq(-5, -5, 20, 5), { code: '140525100201', name: '巴公村' }),
    ]);
    const out = join(dir, 'result.shp');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await gengbao(
      'analyze',
      '--polygons',
      polygons,
      '--layer',
      `farmland=${farmland}`,
      '--layer',
      `approval=${approvals}`,
      '--jurisdictions',
      villages,
      '--out',
      out,
      '--quiet',
    );
    expect(log.mock.calls[0][0]).toMatch(/^2 polygons analysed \(1 未批占耕\)/);
    const rows = (await readAll(out)).map((f) => f.properties);
    expect(rows[0]).toMatchObject({
      jcbh: 'JC-001',
      flags: '未批,占耕,未批占耕',
      jur_name: '巴公村',
      jur_code: '140525100201',
      appr_mu: 0,
    });
    expect(rows[0].farm_mu).toBe(rows[0].area_mu);
    expect(rows[0].unappr_mu).toBe(rows[0].area_mu);
    expect(rows[1]).toMatchObject({ jcbh: 'JC-002', flags: '已批,占耕', unappr_mu: 0 });
    const xlsx = join(dir, 'result.xlsx');
    await gengbao('export', '--in', out, '--out', xlsx);
    expect(log.mock.calls[1][0]).toMatch(/^2 features written/);
    log.mockRestore();
  });

  it('refuses an unknown layer kind before reading anything', async () => {
    const out = join(dir, 'never.geojson');
    await expect(
      gengbao('analyze', '--polygons', 'x.geojson', '--layer', 'forest=y.shp', '--out', out),
    ).rejects.toThrow(/KIND one of farmland, pbf/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses bad input with a clear error and writes nothing', async () => {
    const polygons = join(dir, 'far.geojson');
    writeFileSync(
      polygons,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          feature(
            [
              [
                [500000, 3900000],
                [500100, 3900000],
                [500100, 3900100],
                [500000, 3900000],
              ],
            ],
            {},
          ),
        ],
      }),
    );
    const out = join(dir, 'never2.geojson');
    await expect(
      gengbao(
        'analyze',
        '--polygons',
        polygons,
        '--layer',
        `farmland=${polygons}`,
        '--out',
        out,
        '--quiet',
      ),
    ).rejects.toThrow(/outside the valid range/);
    expect(existsSync(out)).toBe(false);
  });
});
