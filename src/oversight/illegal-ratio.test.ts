import { describe, expect, it } from 'vitest';
import { DEFAULT_OVERSIGHT_CONFIG, resolveOversightConfig } from './config.ts';
import { RATIO_FIXTURE } from './fixture.ts';
import { illegalRatios, rankByRatio } from './illegal-ratio.ts';
import { oversightCase } from './test-cases.ts';

const cases = RATIO_FIXTURE.map(oversightCase);
const national = () => DEFAULT_OVERSIGHT_CONFIG;

describe('the illegal-occupation ratio (hand-computed fixture, fixture.ts)', () => {
  it('counts new illegal over new construction per county, legacy and other left out', () => {
    const [zezhou, gaoping] = illegalRatios(cases, 2026, 'county', national);
    expect(zezhou).toMatchObject({
      unit: '140525',
      illegalMu: 6.5,
      constructionMu: 20,
      ratioPercent: 32.5,
      thresholdPercent: 15,
      warningPercent: 12,
      exceeded: true,
      warning: false,
      illegalCaseIds: [1, 2],
      constructionCaseIds: [1, 2, 3],
    });
    expect(gaoping).toMatchObject({
      unit: '140581',
      illegalMu: 1.3,
      constructionMu: 10,
      ratioPercent: 13,
      exceeded: false,
      warning: true,
      illegalCaseIds: [8],
      constructionCaseIds: [8, 9],
    });
  });

  it('rolls up by summing areas, not averaging ratios', () => {
    expect(illegalRatios(cases, 2026, 'city', national)).toMatchObject([
      { unit: '1405', illegalMu: 7.8, constructionMu: 30, ratioPercent: 26 },
    ]);
    const townships = illegalRatios(cases, 2026, 'township', national);
    expect(townships.map((t) => [t.unit, t.ratioPercent])).toEqual([
      ['140525100', 32.5],
      ['140581', 13],
    ]);
  });

  it('places a case in the year of its monitoring period', () => {
    expect(illegalRatios(cases, 2025, 'county', national)).toMatchObject([
      { unit: '140525', illegalMu: 5, constructionMu: 5, ratioPercent: 100, illegalCaseIds: [6] },
    ]);
  });

  it('lists named units with nothing occupied as zero, unranked', () => {
    const rows = illegalRatios(cases, 2026, 'county', national, ['140521']);
    expect(rows[0]).toMatchObject({
      unit: '140521',
      illegalMu: 0,
      constructionMu: 0,
      ratioPercent: null,
      exceeded: false,
    });
    expect(rankByRatio(rows).map((r) => [r.rank, r.item.unit])).toEqual([
      [1, '140525'],
      [2, '140581'],
    ]);
  });

  it('applies a province’s area floor and warning band from configuration', () => {
    const shanxi = (p: string) =>
      resolveOversightConfig({ province: p, year: 2026 }, [
        { province: '14', config: { illegalRatio: { areaFloorMu: 7, warningShare: 0.9 } } },
      ]);
    const [zezhou, gaoping] = illegalRatios(cases, 2026, 'county', shanxi);
    // 6.50 亩 is below the 7 亩 floor: the line does not apply, however high the ratio.
    expect(zezhou).toMatchObject({
      ratioPercent: 32.5,
      areaFloorMu: 7,
      exceeded: false,
      warning: false,
    });
    // 13 % is below 90 % of 15 % (13.5 %): no warning.
    expect(gaoping).toMatchObject({ warningPercent: 13.5, warning: false });
  });
});
