import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { memoryScene } from '../raster/memory-scene.ts';
import { openScene, type RasterScene } from '../raster/scene-source.ts';
import { syntheticPair } from '../raster/test-fixtures.ts';
import { detectChanges } from './detect.ts';
import { BORDERLINE, IN_DOMAIN } from './domain.ts';
import { shippedClassifier } from './learned/shipped.ts';

const pair = syntheticPair(128, 3);
const scene = (label: string, bands: Uint16Array[], f: (v: number) => number = (v) => v) =>
  memoryScene(
    label,
    pair.grid,
    Object.fromEntries(bands.map((b, i) => [String(i + 1), Uint16Array.from(b, f)])),
  );

describe('the in-domain indicator', () => {
  it('ships the training statistics with both models, every training date in-domain', () => {
    for (const sensor of ['s2', 'rgb'] as const) {
      const d = shippedClassifier(sensor).domain!;
      expect(d.stats).toHaveLength(sensor === 's2' ? 8 : 6);
      expect(d.dates).toBe(sensor === 's2' ? 24 : 22);
      expect(d.maxTraining).toBeLessThanOrEqual(IN_DOMAIN);
    }
  });

  // Chongqing: a Sentinel-2 L1C OSCD city the model never trained on (it has no labels).
  const city = resolve(
    dirname(fileURLToPath(import.meta.url)),
    '../../../shared/data/oscd/chongqing',
  );
  it.skipIf(!existsSync(city))(
    'calls an unseen Sentinel-2 city in-domain, and a quarter of its reflectance out of it',
    async () => {
      const open = async (date: string, f?: (v: number) => number): Promise<RasterScene> => {
        const s = await openScene(join(city, date));
        if (!f) return s;
        const w = { x0: 0, y0: 0, width: s.grid.width, height: s.grid.height };
        const names = ['B02', 'B03', 'B04', 'B08'];
        const bands = await s.readBands(names, w);
        await s.close();
        return memoryScene(
          date,
          s.grid,
          Object.fromEntries(names.map((n, i) => [n, Uint16Array.from(bands[i], f)])),
        );
      };
      const run = async (f?: (v: number) => number, learned = true) =>
        (
          await detectChanges(await open('before', f), await open('after', f), {
            sensor: 's2',
            config: learned ? { learned: shippedClassifier('s2') } : { learned: null },
          })
        ).domain;
      const like = await run();
      expect(like.verdict).toBe('in-domain');
      expect(like.distance).toBeLessThanOrEqual(IN_DOMAIN);
      expect(like.note).toMatch(
        /^in-domain: radiometry .* from the 24 dates of the learned classifier, trained on 12 scenes/,
      );
      // A quarter of the reflectance (a wrong scale): a bright ×4 would be masked as cloud.
      const scaled = await run((v) => v / 4);
      expect(scaled.verdict).toBe('out-of-domain');
      expect(scaled.distance).toBeGreaterThan(BORDERLINE);
      expect(scaled.note).toMatch(/farthest ln_median_blue z = -\d/);
      // Not caught: land's DNs inverted within its own range (3000 − DN) keep medians and
      // spreads near the training's (1.50 here): the indicator sees distributions, not order.
      // The rules: measured against the OSCD cities they were tuned on.
      const rules = await run((v) => v / 4, false);
      expect(rules.verdict).toBe('out-of-domain');
      expect(rules.basis).toMatch(/rules, tuned on OSCD/);
    },
  );

  it('says what the rules were tuned on where no statistics exist', async () => {
    const r = await detectChanges(scene('b', pair.before), scene('a', pair.after), {
      sensor: 'gf',
    });
    expect(r.domain.verdict).toBe('unknown');
    expect(r.domain.note).toMatch(/tuned on one Landsat 5 TM scene \(Nanjing\)/);
  });
});
