import { describe, expect, it } from 'vitest';
import {
  cadenceOf,
  chooseBefore,
  DEFAULT_CADENCE,
  planRuns,
  type SceneForPairing,
} from './schedule.ts';
import { sceneFacts } from './scene-facts.ts';

const box = [112, 35, 112.1, 35.1] as [number, number, number, number];
const scene = (id: number, date: string, over: Partial<SceneForPairing> = {}): SceneForPairing => ({
  id,
  date,
  sensor: 's2',
  jurisdictionCode: '140525100200',
  bbox: box,
  ...over,
});

describe('the monitoring schedule', () => {
  it('prefers the same season a year before, else the previous period; skips cloudy, other-sensor and far-off scenes', () => {
    const after = scene(9, '2026-04-14');
    const all = [
      scene(1, '2025-04-20'),
      scene(2, '2026-03-15'),
      scene(3, '2026-04-01', { sensor: 'landsat-oli' }),
      after,
    ];
    expect(chooseBefore(after, all)).toMatchObject({ before: { id: 1 }, match: 'season' });
    expect(
      chooseBefore(
        after,
        all.filter((s) => s.id !== 1),
      ),
    ).toMatchObject({ before: { id: 2 }, match: 'previous' });
    expect(chooseBefore(after, [scene(2, '2026-03-15', { cloud: 0.6 }), after])).toBeNull();
    expect(
      chooseBefore(after, [scene(2, '2026-03-15', { bbox: [112.09, 35.09, 112.2, 35.2] }), after]),
    ).toBeNull();
  });

  it('runs monthly once per unit, sensor and month, drones on arrival, and never a run already taken', () => {
    expect(cadenceOf(DEFAULT_CADENCE, '140525', 's2')).toBe('monthly');
    expect(cadenceOf(DEFAULT_CADENCE, '140525', 'rgb')).toBe('arrival');
    expect(
      cadenceOf(
        [...DEFAULT_CADENCE, { jurisdiction: '140525', cadence: 'off' }],
        '140525100200',
        'rgb',
      ),
    ).toBe('off');
    const scenes = [
      scene(1, '2026-03-15'),
      scene(2, '2026-04-10'),
      scene(3, '2026-04-20'),
      scene(4, '2026-04-02', { sensor: 'rgb' }),
      scene(5, '2026-04-03', { sensor: 'rgb' }),
      scene(6, '2026-04-04', { sensor: 'rgb' }),
    ];
    const runs = planRuns(scenes, DEFAULT_CADENCE, new Set());
    expect(runs.map((r) => [r.sensor, r.runKey, r.after, r.before])).toEqual([
      ['s2', '2026-04', 3, 2],
      ['rgb', '2026-04#6', 6, 5],
      ['rgb', '2026-04#5', 5, 4],
    ]);
    expect(
      planRuns(scenes, DEFAULT_CADENCE, new Set(['140525100200|s2|2026-04'])).map((r) => r.runKey),
    ).toEqual(['2026-04#6', '2026-04#5']);
  });

  it('reads a scene’s date and sensor from its sidecar, then its GDAL metadata, then its product name', () => {
    expect(
      sceneFacts({ name: 'S2B_MSIL2A_20260315T031539_N0510_R118_T49SGU_20260315T060000.tif' }),
    ).toEqual({
      date: '2026-03-15',
      sensor: 's2',
      offset: -1000,
      from: { date: 'name', sensor: 'name' },
    });
    expect(sceneFacts({ name: 'LC09_L2SP_125035_20260315_20260317_02_T1_SR.tif' })).toMatchObject({
      date: '2026-03-15',
      sensor: 'landsat-oli',
    });
    expect(sceneFacts({ name: 'LE07_L2SP_125035_20120315_20200901_02_T1.tif' })).toMatchObject({
      sensor: 'landsat',
    });
    expect(sceneFacts({ name: 'GF2_PMS1_E112.9_N35.5_20260315_L1A0001.tif' })).toMatchObject({
      date: '2026-03-15',
      sensor: 'gf',
    });
    expect(
      sceneFacts({
        name: 'x.tif',
        metadata: {
          ACQUISITION_DATE: '2026-05-01T03:00:00Z',
          SPACECRAFT_NAME: 'Sentinel-2A',
          CLOUD_COVERAGE_ASSESSMENT: '12.5',
        },
      }),
    ).toEqual({
      date: '2026-05-01',
      sensor: 's2',
      cloud: 0.125,
      from: { date: 'metadata', sensor: 'metadata' },
    });
    expect(
      sceneFacts({
        name: 'S2B_MSIL2A_20260315T031539_N0510_x.tif',
        sidecar: { date: '2026-03-16', sensor: 'drone', offset: 0 },
      }),
    ).toEqual({
      date: '2026-03-16',
      sensor: 'rgb',
      offset: 0,
      from: { date: 'sidecar', sensor: 'sidecar' },
    });
    expect(sceneFacts({ name: 'flight.tif', sidecar: { date: '2026-02-30' } })).toEqual({
      from: {},
    });
  });
});
