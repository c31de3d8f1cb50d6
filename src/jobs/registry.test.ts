import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isGengbaoError } from '../errors.ts';
import { ROLES } from '../store/users.ts';
import { assertMaySubmit, findJobDefinition, jobDefinitions, parseJobPayload } from './registry.ts';

function refusal(fn: () => unknown): { code: string; field?: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isGengbaoError(e)) return { code: e.code, field: e.field, message: e.message };
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('the job registry', () => {
  it('declares every type once, with a description, roles and a payload schema', () => {
    const types = jobDefinitions.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
    expect(types).toEqual(
      expect.arrayContaining([
        'system.probe',
        'detection.run',
        'analysis.period',
        'polygons.recompute-areas',
        'monitoring.month',
        'monitoring.recheck',
        'oversight.year-end',
      ]),
    );
    for (const d of jobDefinitions) {
      expect(d.type, d.type).toMatch(/^[a-z]+\.[a-z-]+$/);
      expect(d.description.length, d.type).toBeGreaterThan(10);
      expect(d.payload, d.type).toBeInstanceOf(z.ZodType);
      expect(d.roles.length, d.type).toBeGreaterThan(0);
      for (const r of d.roles) expect(ROLES, `${d.type}: ${r}`).toContain(r);
      // Field chiefs submit no jobs: a job reads and writes a whole jurisdiction.
      expect(d.roles, d.type).not.toContain('village_chief');
      expect(d.roles, d.type).not.toContain('township_chief');
      expect(typeof d.run, d.type).toBe('function');
    }
  });

  it('parseJobPayload names the field that is wrong, and fills defaults', () => {
    const areas = findJobDefinition('polygons.recompute-areas');
    expect(refusal(() => parseJobPayload(areas, { period: '2026/11' }))).toMatchObject({
      code: 'bad_input',
      field: 'payload.period',
    });
    expect(refusal(() => parseJobPayload(areas, {}))).toMatchObject({
      code: 'bad_input',
      field: 'payload.period',
    });
    const detect = findJobDefinition('detection.run');
    expect(
      refusal(() => parseJobPayload(detect, { period: '2026-11', before: '/a.tif' })),
    ).toMatchObject({ field: 'payload.before' });
    expect(
      refusal(() =>
        parseJobPayload(detect, {
          period: '2026-11',
          beforeImagery: 1,
          afterImagery: 2,
          sensor: 'spot9',
        }),
      ),
    ).toMatchObject({ field: 'payload.sensor' });
    const probe = findJobDefinition('system.probe');
    expect(refusal(() => parseJobPayload(probe, { rounds: 0 })).message).toMatch(/system\.probe/);
    expect(parseJobPayload(probe, {})).toEqual({ rounds: 1000, holdMs: 0 });
    expect(
      parseJobPayload(detect, { period: '2026-11', beforeImagery: 1, afterImagery: 2 }),
    ).toMatchObject({ sensor: 's2', chips: true });
  });

  it('refuses an unknown type naming the known ones, and a role not allowed', () => {
    const unknown = refusal(() => findJobDefinition('system.rm-rf'));
    expect(unknown).toMatchObject({ code: 'bad_input', field: 'type' });
    expect(unknown.message).toContain('system.probe');
    const yearEnd = findJobDefinition('oversight.year-end');
    expect(() => assertMaySubmit(yearEnd, 'supervisor')).not.toThrow();
    expect(refusal(() => assertMaySubmit(yearEnd, 'county_officer'))).toMatchObject({
      code: 'forbidden',
      field: 'type',
    });
    // No role: the system itself (operators' scripts).
    expect(() => assertMaySubmit(yearEnd, undefined)).not.toThrow();
  });
});
