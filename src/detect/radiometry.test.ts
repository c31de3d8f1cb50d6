import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onPath } from '../geo/formats/gdal.ts';
import { memoryScene } from '../raster/memory-scene.ts';
import { openScene, type RasterScene } from '../raster/scene-source.ts';
import { syntheticPair, tempDir, writeMultiband, writeWithGdal } from '../raster/test-fixtures.ts';
import { detectChanges, type DetectOptions, type DetectResult } from './detect.ts';
import { featureNamesOf, featurePlanes } from './learned/features.ts';
import { classifierFor } from './learned/shipped.ts';
import { baselineOf } from './radiometry.ts';

// The synthetic pair with a shadow (reflectance under 0.04 in every band) cast on a field of
// the after date: the absolute shadow test masks it, where it knows the date's zero.
const pair = syntheticPair(128, 3);
const W = 128;
const SHADOW = { x0: 100, x1: 128, y0: 0, y1: 16 };
const after = pair.after.map((b) => b.slice());
for (let y = SHADOW.y0; y < SHADOW.y1; y++)
  for (let x = SHADOW.x0; x < SHADOW.x1; x++)
    [150, 180, 160, 250].forEach((v, b) => (after[b][y * W + x] = v));

/** Stored values of a product from processing baseline 04.00: 1000 added, the 0 fill kept. */
const offset = (bands: Uint16Array[]): Uint16Array[] =>
  bands.map((b) => b.map((v) => (v ? v + 1000 : 0)));

const scene = (label: string, bands: Uint16Array[]): RasterScene =>
  memoryScene(label, pair.grid, { '1': bands[0], '2': bands[1], '3': bands[2], '4': bands[3] });

const run = (b: RasterScene, a: RasterScene, opts: DetectOptions = {}): Promise<DetectResult> =>
  detectChanges(b, a, { sensor: 's2', ...opts });

/** The same mask, polygons and masked-pixel count as the plain run. */
function expectSame(r: DetectResult, plain: DetectResult): void {
  expect(r.mask).toEqual(plain.mask);
  expect(r.features.map((f) => f.geometry)).toEqual(plain.features.map((f) => f.geometry));
  expect(r.stats.invalid).toBe(plain.stats.invalid);
}

// Sentinel-2 product names, as the SAFE folders and most downloads carry them.
const L2A_0509 = 'S2B_MSIL2A_20230415T030539_N0509_R075_T50SKF_20230415T060406.SAFE';
const L1C_0206 = 'S2A_MSIL1C_20171107T105229_N0206_R051_T31UDQ_20171107T143540';

describe('radiometry: Sentinel-2 stored values with the offset of processing baseline 04.00', async () => {
  const plain = await run(scene('before', pair.before), scene('after', after));

  it('masks the shadow when the zero is known (the plain run)', () => {
    expect(plain.stats.invalid).toBeGreaterThanOrEqual(
      (SHADOW.x1 - SHADOW.x0) * (SHADOW.y1 - SHADOW.y0),
    );
    expect(plain.radiometryNote).toBeUndefined();
  });

  it('reads an after date with 1000 added as the plain pair when told its offset, and says so', async () => {
    const r = await run(scene('before', pair.before), scene('after', offset(after)), {
      addOffset: { after: -1000 },
    });
    expectSame(r, plain);
    expect(r.radiometryNote).toBe('after: reflectance = (DN − 1000) / 10000 (as given)');
  });

  it('draws the after chips of a date stored 1000 higher as those of the plain pair', async () => {
    const chipsOf = async (a: Uint16Array[], opts: DetectOptions): Promise<Buffer[]> => {
      const out: Buffer[] = [];
      await run(scene('before', pair.before), scene('after', a), {
        ...opts,
        chips: true,
        onPolygon: (_f, c) => void out.push(c!.before, c!.after),
      });
      return out;
    };
    const want = await chipsOf(after, {});
    expect(want.length).toBeGreaterThan(0);
    expect(await chipsOf(offset(after), { addOffset: { after: -1000 } })).toEqual(want);
  });

  it('without being told, misses the shadow', async () => {
    const r = await run(scene('before', pair.before), scene('after', offset(after)));
    expect(r.stats.invalid).toBeLessThan(plain.stats.invalid);
  });

  it('names the offset to pass when nothing was said and one date reads 1000 higher in every band', async () => {
    const r = await run(scene('before', pair.before), scene('after', offset(pair.after)));
    expect(r.radiometryNote).toBe(
      'the after date reads about 1000 higher than the before in every band, as Sentinel-2 products from processing baseline 04.00 (25 January 2022) on do: if it is such a product, pass --after-offset -1000',
    );
    const back = await run(scene('before', offset(pair.before)), scene('after', pair.after));
    expect(back.radiometryNote).toMatch(/the before date reads about 1000 higher than the after/);
    // A pair on one convention says nothing.
    expect(
      (await run(scene('b', pair.before), scene('a', pair.after))).radiometryNote,
    ).toBeUndefined();
  });

  it('takes the offset from a product name of baseline 04.00 or later, and none from an earlier one', async () => {
    const r = await run(
      scene(`${L1C_0206}/bands`, pair.before),
      scene(`${L2A_0509}/bands`, offset(after)),
    );
    expectSame(r, plain);
    expect(r.radiometryNote).toBe(
      'after: reflectance = (DN − 1000) / 10000 (processing baseline 05.09 in the product name)',
    );
    expect(baselineOf(`/data/${L1C_0206}/B02.tif`)).toBe(2.06);
    expect(baselineOf('/data/B02.tif')).toBeUndefined();
  });

  it('drops an offset only inferred from the name when the values were already corrected', async () => {
    const r = await run(scene('before', pair.before), scene(`${L2A_0509}/harmonised`, after));
    expectSame(r, plain);
    expect(r.radiometryNote).toMatch(/blue values read below 1000.*taken as already removed/);
  });

  it('refuses a given offset the values contradict, and offsets on DN sensors', async () => {
    await expect(
      run(scene('before', pair.before), scene('after', after), { addOffset: { after: -1000 } }),
    ).rejects.toThrow(
      /memory:after: a twentieth of its blue values read below 1000.*give the after offset as 0/,
    );
    await expect(
      run(scene('before', pair.before), scene('after', after), {
        sensor: 'landsat',
        addOffset: { before: -1000 },
      }),
    ).rejects.toThrow(/landsat profile compares uncalibrated DNs/);
  });

  it('applies a scaling the bands declare, and refuses bands that declare different ones', async () => {
    const declared = (bands: Uint16Array[], offsets: number[]): RasterScene => ({
      ...scene('after', bands),
      scaling: Object.fromEntries(
        offsets.map((o, b) => [String(b + 1), { scale: 1e-4, offset: o }]),
      ),
    });
    expectSame(
      await run(scene('before', pair.before), declared(offset(after), [-0.1, -0.1, -0.1, -0.1])),
      plain,
    );
    await expect(
      run(scene('before', pair.before), declared(offset(after), [-0.1, -0.1, -0.1, 0])),
    ).rejects.toThrow(
      /memory:after: its bands declare different scalings \(1 × 0.0001 \+ -0.1.*4 × 0.0001 \+ 0\)/,
    );
  });

  it('gives the learned classifier the same features once the offset comes off', async () => {
    const learned = classifierFor('s2', 'learned');
    const plainLearned = await run(scene('before', pair.before), scene('after', after), {
      config: { learned },
    });
    const [b, a] = [offset(pair.before), offset(after)];
    const r = await run(scene('before', b), scene('after', a), {
      config: { learned },
      addOffset: { before: -1000, after: -1000 },
    });
    expect(r.mask).toEqual(plainLearned.mask);
    // Feature by feature: the vegetation indices, brightness and spectral angle would shift
    // with the 1000 left on (the planted changes are strong enough to survive that).
    const planes = (res: DetectResult, bands: Uint16Array[][]): Float32Array[] =>
      featurePlanes(
        res.model,
        res.model.learnedStats!,
        bands[0].map((x) => Float32Array.from(x)),
        bands[1].map((x) => Float32Array.from(x)),
        W,
        W,
      );
    const want = planes(plainLearned, [pair.before, after]);
    const got = planes(r, [b, a]);
    const names = featureNamesOf(r.model);
    want.forEach((p, f) => {
      let worst = 0;
      for (let i = 0; i < p.length; i++) worst = Math.max(worst, Math.abs(got[f][i] - p[i]));
      expect(worst, names[f]).toBeLessThan(1e-4);
    });
  });

  it.skipIf(!onPath('gdal_translate'))(
    'reads the scaling GDAL writes into a GeoTIFF, in both spellings, on the interleaved fast path',
    async () => {
      const dir = tempDir();
      const b = writeMultiband(join(dir, 'before.tif'), pair.before, pair.grid);
      const files = [
        ['-a_scale', '0.0001', '-a_offset', '-0.1'],
        ['-mo', 'BOA_ADD_OFFSET=-1000', '-mo', 'BOA_QUANTIFICATION_VALUE=10000'],
      ].map((args, k) =>
        writeWithGdal(join(dir, `after${k}.tif`), offset(after), pair.grid, [], args),
      );
      for (const f of files) {
        const a = await openScene(f);
        for (const band of ['1', '2', '3', '4']) {
          expect(a.scaling?.[band]?.scale).toBeCloseTo(1e-4, 12);
          expect(a.scaling?.[band]?.offset).toBeCloseTo(-0.1, 12);
        }
        const r = await run(await openScene(b), a);
        expectSame(r, plain);
        expect(r.radiometryNote).toBe(
          'after: reflectance = (DN − 1000) / 10000 (declared in the file)',
        );
      }
      expect((await openScene(b)).scaling).toBeUndefined();
    },
  );
});
