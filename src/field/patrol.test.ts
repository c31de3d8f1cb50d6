import { describe, expect, it } from 'vitest';
import { pointFootprint } from './footprint.ts';
import { ellipsoidalAreaM2 } from '../geo/area.ts';
import { mergeTrack, patrolRates, trackLengthM, weekOf } from './patrol.ts';
import { normaliseReceipt, receiptCode } from './tips.ts';

describe('patrol tracks', () => {
  const start = { startedAt: '2026-11-20T00:00:00.000Z' };
  const received = new Date('2026-11-20T02:00:00.000Z');
  const p = (min: number, lon = 112) => ({
    lon,
    lat: 35,
    at: new Date(Date.parse(start.startedAt) + min * 60_000).toISOString(),
  });

  it('merges batches in time order and drops a resent batch', () => {
    const once = mergeTrack([], [p(2, 112.002), p(1, 112.001)], start, received);
    expect(once.map((x) => x.lon)).toEqual([112.001, 112.002]);
    expect(mergeTrack(once, [p(1, 112.001), p(2, 112.002)], start, received)).toHaveLength(2);
    expect(() => mergeTrack(once, [p(-600)], start, received)).toThrow(/points\[0\]/);
    expect(() => mergeTrack(once, [p(600)], start, received)).toThrow(/outside the patrol/);
  });
  it('measures the track along geodesics', () => {
    const len = trackLengthM([p(0, 112), p(1, 112.01)]);
    expect(len).toBeGreaterThan(905);
    expect(len).toBeLessThan(915);
  });
  it('counts weeks in China time and rates each chief', () => {
    expect(weekOf(new Date('2026-11-22T15:59:00Z'))).toBe('2026-11-16'); // Sunday 23:59 CST
    expect(weekOf(new Date('2026-11-22T16:00:00Z'))).toBe('2026-11-23'); // Monday 00:00 CST
    const now = new Date('2026-11-25T00:00:00Z');
    const rates = patrolRates(
      [
        {
          userId: 1,
          username: 'a',
          jurisdictionCode: '1',
          patrols: [
            new Date('2026-11-24T00:00:00Z'),
            new Date('2026-11-24T05:00:00Z'),
            new Date('2026-11-10T00:00:00Z'),
          ],
        },
        {
          userId: 2,
          username: 'b',
          jurisdictionCode: '1',
          patrols: [new Date('2026-09-01T00:00:00Z')],
        },
      ],
      4,
      now,
    );
    expect(rates[0]).toMatchObject({ weeksWithPatrol: 2, rate: 0.5, patrols: 3 });
    expect(rates[1]).toMatchObject({ weeksWithPatrol: 0, rate: 0, patrols: 0 });
  });
});

describe('point reports and receipts', () => {
  it('draws a footprint of the configured size', () => {
    expect(ellipsoidalAreaM2(pointFootprint(112.5, 35.5, 30))).toBeGreaterThan(880);
    expect(ellipsoidalAreaM2(pointFootprint(112.5, 35.5, 30))).toBeLessThan(920);
  });
  it('makes unambiguous receipt codes and reads them back as typed', () => {
    const code = receiptCode(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(receiptCode(new Uint8Array([1, 2, 3, 4, 5, 6, 8, 8]))).not.toBe(code);
    expect(normaliseReceipt('ab-c1 o l')).toBe('ABC101');
  });
});
