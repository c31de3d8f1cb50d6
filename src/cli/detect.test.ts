import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { openScene } from '../raster/scene-source.ts';
import {
  rgbPair,
  syntheticPair,
  tempDir,
  writeBandFolder,
  writeMultiband,
} from '../raster/test-fixtures.ts';
import { register } from './detect.ts';

async function gengbao(...args: string[]): Promise<void> {
  const program = new Command('gengbao').exitOverride();
  register(program);
  await program.parseAsync(['node', 'gengbao', ...args]);
}

/** What `work` writes to stderr (the run's notes), kept off the test's own output. */
async function stderrOf(work: () => Promise<void>): Promise<string> {
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await work();
    return stderr.mock.calls.map((c) => String(c[0])).join('');
  } finally {
    stderr.mockRestore();
  }
}

describe('gengbao detect', () => {
  const dir = tempDir();
  const pair = syntheticPair(128, 5);
  const before = writeBandFolder(
    join(dir, 'before'),
    ['B02', 'B03', 'B04', 'B08'],
    pair.before,
    pair.grid,
  );
  const after = writeMultiband(join(dir, 'after.tif'), pair.after, pair.grid);

  it('writes polygons, the binary mask on the before grid and chips', async () => {
    const out = join(dir, 'changes.geojson');
    const mask = join(dir, 'mask.tif');
    const chips = join(dir, 'chips');
    await gengbao(
      'detect',
      '--before',
      before,
      '--after',
      after,
      '--out',
      out,
      '--mask-out',
      mask,
      '--chips-dir',
      chips,
      '--workers',
      '0',
      '--no-progress',
    );
    const fc = JSON.parse(readFileSync(out, 'utf8'));
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(3);
    const props = fc.features[0].properties;
    expect(props).toMatchObject({ id: 1, class: 'built' });
    expect(props.area_mu).toBe(Math.round(props.area_mu * 100) / 100);
    const m = await openScene(mask);
    expect(m.grid).toMatchObject({
      width: 128,
      height: 128,
      originX: pair.grid.originX,
      pixelWidth: 10,
    });
    const [values] = await m.readBands(['1'], { x0: 0, y0: 0, width: 128, height: 128 });
    const changed = values.reduce((s, v) => s + v, 0);
    expect(changed).toBe(
      fc.features.reduce(
        (s: number, f: { properties: { pixels: number } }) => s + f.properties.pixels,
        0,
      ),
    );
    expect(new Set(values)).toEqual(new Set([0, 1]));
    await m.close();
    expect(readdirSync(chips).sort()).toEqual([
      '1-after.png',
      '1-before.png',
      '2-after.png',
      '2-before.png',
      '3-after.png',
      '3-before.png',
    ]);
    expect(readFileSync(join(chips, '1-after.png')).subarray(1, 4).toString()).toBe('PNG');
  });

  it('runs the learned classifier when asked, and refuses it where it cannot apply', async () => {
    const run = (out: string, ...more: string[]): Promise<void> =>
      gengbao(
        'detect',
        '--before',
        before,
        '--after',
        after,
        '--out',
        join(dir, out),
        '--no-progress',
        ...more,
      );
    await run('learned.geojson', '--classifier', 'learned', '--workers', '2');
    const fc = JSON.parse(readFileSync(join(dir, 'learned.geojson'), 'utf8'));
    // The planted buildings are found by the model too.
    expect(fc.features.length).toBeGreaterThanOrEqual(1);
    for (const f of fc.features) expect(['built', 'bare']).toContain(f.properties.class);
    // Worker threads read each window with the classifier's margin themselves: same polygons
    // as one thread classifying the windows in turn.
    await run('learned-1.geojson', '--classifier', 'learned', '--workers', '0');
    const one = JSON.parse(readFileSync(join(dir, 'learned-1.geojson'), 'utf8'));
    expect(one.features.map((f: { geometry: unknown }) => f.geometry)).toEqual(
      fc.features.map((f: { geometry: unknown }) => f.geometry),
    );
    await expect(
      run('x.geojson', '--classifier', 'learned', '--sensor', 'landsat', '--bands', '1,2,3,4'),
    ).rejects.toThrow(/no learned classifier is trained for sensor landsat \(only s2, rgb\)/);
    // The rgb model is trained on 8-bit imagery; this file is 16-bit reflectance (its bands
    // 3, 2, 1 as red, green, blue, on both dates): asked for, the model is refused; by
    // default (auto) the rules decide, and the run says why.
    const rgb16 = (out: string, ...more: string[]): Promise<void> =>
      gengbao(
        'detect',
        '--before',
        after,
        '--after',
        after,
        '--out',
        join(dir, out),
        '--no-progress',
        '--sensor',
        'rgb',
        '--bands',
        '3,2,1',
        ...more,
      );
    await expect(rgb16('x.geojson', '--classifier', 'learned')).rejects.toThrow(
      /values up to 255 expected \(8-bit RGB/,
    );
    await expect(run('x.geojson', '--classifier', 'magic')).rejects.toThrow(
      /--classifier must be rules, learned, auto/,
    );
    expect(existsSync(join(dir, 'x.geojson'))).toBe(false);
    const said = await stderrOf(() => rgb16('auto.geojson'));
    expect(said).toMatch(
      /note: decided by the rules: the learned classifier cannot read this scene .*values up to 255 expected/,
    );
    expect(said).toMatch(/threshold z > /);
    expect(existsSync(join(dir, 'auto.geojson'))).toBe(true);
  });

  it('classifies a drone frame on 0.5 m pixels for rgb and says so, or at its own with --working-resolution 0', async () => {
    const drone = rgbPair(syntheticPair(64, 3), 4);
    const [b, a] = [drone.before, drone.after].map((bands, i) =>
      writeMultiband(join(dir, `drone-${i}.tif`), bands, drone.grid),
    );
    const run = (name: string, ...more: string[]) =>
      gengbao(
        'detect',
        '--sensor',
        'rgb',
        '--before',
        b,
        '--after',
        a,
        '--out',
        join(dir, `${name}.geojson`),
        '--mask-out',
        join(dir, `${name}.tif`),
        '--no-progress',
        ...more,
      );
    const said = await stderrOf(async () => {
      await run('drone');
      await run('drone-own', '--working-resolution', '0');
      await expect(run('never', '--working-resolution', '-1')).rejects.toThrow(
        /--working-resolution must be a number ≥ 0/,
      );
    });
    expect(said).toContain(
      'note: before 0.13 m pixels averaged 4 × 4, after 0.13 m pixels averaged 4 × 4: the rgb configuration works at 0.5 m',
    );
    expect(said.match(/averaged 4 × 4/g)).toHaveLength(2); // the first run only: one note, two dates
    const mask = await openScene(join(dir, 'drone.tif'));
    expect(mask.grid).toMatchObject({ width: 64, height: 64, pixelWidth: 0.5 });
    const own = await openScene(join(dir, 'drone-own.tif'));
    expect(own.grid).toMatchObject({ width: 256, height: 256, pixelWidth: 0.125 });
    expect(existsSync(join(dir, 'never.geojson'))).toBe(false);
  });

  it('reads an after date of processing baseline 04.00 with --after-offset, says so, and refuses a bad offset', async () => {
    const shifted = writeMultiband(
      join(dir, 'after-0509.tif'),
      pair.after.map((b) => b.map((v) => (v ? v + 1000 : 0))),
      pair.grid,
    );
    const run = (afterFile: string, name: string, ...more: string[]) =>
      gengbao(
        'detect',
        '--before',
        before,
        '--after',
        afterFile,
        '--out',
        join(dir, `${name}.geojson`),
        '--no-progress',
        ...more,
      );
    const said = await stderrOf(async () => {
      await run(shifted, 'offset', '--after-offset', '-1000');
      await expect(run(shifted, 'never-offset', '--after-offset', 'minus')).rejects.toThrow(
        /--after-offset must be a number, got "minus"/,
      );
    });
    expect(said).toContain('note: after: reflectance = (DN − 1000) / 10000 (as given)');
    await run(after, 'plain');
    const areas = (name: string) =>
      (
        JSON.parse(readFileSync(join(dir, `${name}.geojson`), 'utf8')) as {
          features: { properties: { area_m2: number } }[];
        }
      ).features.map((f) => f.properties.area_m2);
    expect(areas('offset')).toEqual(areas('plain'));
    expect(areas('offset').length).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'never-offset.geojson'))).toBe(false);
  });

  it('fails clearly on a corrupt after scene and leaves no partial output', async () => {
    const bad = join(dir, 'bad.tif');
    writeFileSync(bad, readFileSync(after).subarray(0, 300));
    const out = join(dir, 'never.geojson');
    await expect(
      gengbao(
        'detect',
        '--before',
        before,
        '--after',
        bad,
        '--out',
        out,
        '--mask-out',
        join(dir, 'never.tif'),
        '--no-progress',
      ),
    ).rejects.toMatchObject({
      name: 'GengbaoError',
      message: expect.stringContaining('bad.tif'),
    });
    expect(readdirSync(dir).filter((f) => f.startsWith('never'))).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an unknown sensor and a bad minimum area', async () => {
    const out = join(dir, 'x.geojson');
    await expect(
      gengbao('detect', '--before', before, '--after', after, '--out', out, '--sensor', 'spot'),
    ).rejects.toThrow(/unknown sensor "spot"/);
    await expect(
      gengbao('detect', '--before', before, '--after', after, '--out', out, '--min-area-m2', '-3'),
    ).rejects.toThrow(/--min-area-m2 must be a number/);
  });
});
