import { describe, expect, it } from 'vitest';
import { assessMajorCase } from './major-cases.ts';
import { alreadySigned, jointReviewStatus } from './joint-review.ts';
import { DEFAULT_CASES_CONFIG } from './config.ts';

const rule = DEFAULT_CASES_CONFIG.majorCase;

describe('major cases', () => {
  it('uses the criminal filing thresholds: 5 亩 永久基本农田, 10 亩 other 耕地, 20 亩 other farmland', () => {
    expect(assessMajorCase({ permanent_basic_farmland: 4.99, farmland: 4.99 }, 0, rule).major).toBe(
      false,
    );
    expect(assessMajorCase({ permanent_basic_farmland: 5, farmland: 5 }, 0, rule)).toEqual({
      major: true,
      criminalThreshold: true,
      reasons: ['permanent_basic_farmland_area'],
    });
    expect(assessMajorCase({ farmland: 10 }, 0, rule).reasons).toEqual(['farmland_area']);
    // Farmland includes the permanent basic farmland on it: 12 亩 farmland of which 3 PBF is 9 亩 other farmland.
    expect(assessMajorCase({ farmland: 12, permanent_basic_farmland: 3 }, 0, rule).reasons).toEqual(
      ['combined_area'],
    );
    expect(assessMajorCase({ agricultural: 25, farmland: 0 }, 0, rule).reasons).toEqual([
      'agricultural_area',
    ]);
  });

  it('adds up shares of the thresholds (按相应比例折算)', () => {
    // 2.5/5 + 5/10 = 1: reaches the threshold; 2.5/5 + 4.9/10 does not.
    expect(
      assessMajorCase({ permanent_basic_farmland: 2.5, farmland: 7.5 }, 0, rule).reasons,
    ).toEqual(['combined_area']);
    expect(assessMajorCase({ permanent_basic_farmland: 2.5, farmland: 7.4 }, 0, rule).major).toBe(
      false,
    );
  });

  it('treats an obstructed case as major whatever its size, without a criminal threshold', () => {
    expect(assessMajorCase({ farmland: 0.5 }, 1, rule)).toEqual({
      major: true,
      criminalThreshold: false,
      reasons: ['obstructed'],
    });
  });

  it('follows a province that sets its own thresholds', () => {
    expect(assessMajorCase({ farmland: 4 }, 0, { ...rule, farmlandMu: 3 }).major).toBe(true);
  });
});

describe('joint review', () => {
  it('counts distinct people, and needs approvers to outnumber objectors', () => {
    expect(
      jointReviewStatus(
        [
          { by: 'a', opinion: 'approve' },
          { by: 'a', opinion: 'approve' },
          { by: 'b', opinion: 'approve' },
        ],
        3,
      ),
    ).toEqual({
      approvals: 2,
      objections: 0,
      required: 3,
      complete: false,
    });
    const three = [
      { by: 'a', opinion: 'approve' },
      { by: 'b', opinion: 'approve' },
      { by: 'c', opinion: 'approve' },
    ] as const;
    expect(jointReviewStatus(three, 3).complete).toBe(true);
    const split = [
      ...three,
      { by: 'd', opinion: 'object' },
      { by: 'e', opinion: 'object' },
      { by: 'f', opinion: 'object' },
    ] as const;
    expect(jointReviewStatus(split, 3)).toMatchObject({
      approvals: 3,
      objections: 3,
      complete: false,
    });
  });

  it('refuses a second sign-off by the same person', () => {
    expect(alreadySigned([{ by: 'a', opinion: 'object' }], 'a')?.code).toBe('conflict');
    expect(alreadySigned([{ by: 'a', opinion: 'object' }], 'b')).toBeUndefined();
  });
});
