import { describe, expect, it } from 'vitest';
import { memoryScene } from '../raster/memory-scene.ts';
import { recheckPolygon } from './recheck.ts';
import { decideRecheck, DEFAULT_RECHECK_CONFIG } from './recheck-rule.ts';
import { chooseRecheckScenes } from './recheck-scenes.ts';
import { recheckTriple, SITE_KINDS } from './recheck-synthetic.ts';

const m = {
  polygonPixels: 100,
  validShare: 1,
  gone: 0,
  residual: 0,
  grownM2: 0,
  polygonM2: 10_000,
};

describe('the re-check rule', () => {
  it('calls a site restored when the building is gone and it looks like before again', () => {
    expect(decideRecheck({ ...m, gone: 0.9, residual: 0.1 }).outcome).toBe('restored');
    expect(decideRecheck({ ...m, gone: 0.9, residual: 0.7 }).outcome).toBe('not_restored');
    expect(decideRecheck({ ...m, gone: 0.2, residual: 0.1 }).outcome).toBe('not_restored');
  });
  it('calls growth above both floors resumed, before anything else', () => {
    expect(decideRecheck({ ...m, gone: 0.9, grownM2: 2500 }).outcome).toBe('resumed');
    // 20 % of 10,000 m² is the floor here, not 200 m².
    expect(decideRecheck({ ...m, grownM2: 1500 }).outcome).toBe('not_restored');
    expect(decideRecheck({ ...m, polygonM2: 500, grownM2: 150 }).outcome).toBe('not_restored');
  });
  it('says nothing when too little of the 图斑 is readable, and takes its thresholds from configuration', () => {
    expect(decideRecheck({ ...m, validShare: 0.3, gone: 1 }).outcome).toBe('inconclusive');
    expect(
      decideRecheck({ ...m, gone: 0.4 }, { ...DEFAULT_RECHECK_CONFIG, restoredMinGone: 0.3 })
        .outcome,
    ).toBe('restored');
  });
});

describe('the scenes a re-check compares', () => {
  const s = (id: number, date: string, sensor = 's2') => ({ id, date, sensor });
  it('takes the newest scene by the day found as the violation, and its season a year before as the before date', () => {
    const scenes = [
      s(1, '2025-04-10'),
      s(2, '2025-10-01'),
      s(3, '2026-04-12'),
      s(9, '2026-04-13', 'landsat'),
    ];
    const chosen = chooseRecheckScenes({ now: s(4, '2026-09-01'), scenes, foundOn: '2026-05-02' });
    expect(chosen?.violation.id).toBe(3);
    expect(chosen?.before.id).toBe(1);
  });
  it('refuses a scene taken by the day the 图斑 was found, and a violation with nothing before it', () => {
    expect(
      chooseRecheckScenes({
        now: s(4, '2026-05-01'),
        scenes: [s(1, '2025-04-10'), s(3, '2026-04-12')],
        foundOn: '2026-05-02',
      }),
    ).toBeNull();
    expect(
      chooseRecheckScenes({
        now: s(4, '2026-09-01'),
        scenes: [s(3, '2026-04-12')],
        foundOn: '2026-05-02',
      }),
    ).toBeNull();
  });
});

describe('the re-check measured on generated scenes', () => {
  it('gives every kind of site its expected answer, with three chips', async () => {
    const t = recheckTriple([...SITE_KINDS], { seed: 11 });
    const scene = (name: string, b: Uint16Array[]) =>
      memoryScene(name, t.grid, { '1': b[0], '2': b[1], '3': b[2], '4': b[3] });
    const scenes = {
      before: scene('b', t.before),
      violation: scene('v', t.violation),
      now: scene('n', t.now),
    };
    for (const site of t.sites) {
      const r = await recheckPolygon(site.polygon, scenes, {
        sensor: 's2',
        chips: site.kind === 'replanted',
      });
      expect(r?.outcome, site.kind).toBe(site.expected);
      if (site.kind === 'replanted')
        for (const png of Object.values(r!.chips!))
          expect(png.subarray(1, 4).toString()).toBe('PNG');
    }
  }, 60_000);
});
