import { describe, expect, it } from 'vitest';
import { assessMajorCase } from './major-cases.ts';
import { alreadySigned, jointReviewStatus } from './joint-review.ts';
import { DEFAULT_CASES_CONFIG } from './config.ts';
import { allowedActions } from './lifecycle.ts';
import {
  act,
  day,
  INPUTS,
  officer,
  supervisor,
  thrown,
  villageChief,
  walk,
} from './test-fixtures.ts';

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

describe('spot-check findings on a polygon', () => {
  function closedAsLawful() {
    const steps = walk('verify');
    let s = act(
      steps[steps.length - 1].state,
      'determine',
      { category: 'lawful', approvalDocNo: '伪造〔2026〕1号' },
      officer,
      day(5),
    ).state;
    s = act(
      s,
      'accept',
      {},
      { id: 'u-reviewer', role: 'city_reviewer', scope: '1405' },
      day(6),
    ).state;
    return act(s, 'close', { summary: '合法' }, officer, day(7)).state;
  }

  it('reopens a verdict wrongly closed as lawful and traces it to who made it', () => {
    const r = act(
      closedAsLawful(),
      'spot_check_reject',
      { sampleSeed: 'c0ffee-2026-11', finding: '批文与图斑位置不符', correctCategory: 'illegal' },
      supervisor,
      day(40),
    );
    expect(r.state.status).toBe('returned');
    expect(r.state.closure).toBeUndefined();
    expect(r.state.spotChecks).toEqual([
      expect.objectContaining({
        upheld: false,
        verdictBy: 'u-officer',
        verdictAt: day(5).toISOString(),
        by: 'u-supervisor',
        sampleSeed: 'c0ffee-2026-11',
      }),
    ]);
    expect(r.triggers).toContainEqual({ kind: 'notify', audience: 'level_above', scope: '1405' });
    // The county corrects it: verify again, determine again.
    const corrected = act(
      act(r.state, 'verify', INPUTS.verify, villageChief, day(41)).state,
      'determine',
      INPUTS.determineIllegal,
      officer,
      day(42),
    );
    expect(corrected.state.determination?.category).toBe('illegal');
  });

  it('confirms a verdict without moving the polygon; its author may not check it', () => {
    const closed = closedAsLawful();
    const ok = act(
      closed,
      'spot_check_confirm',
      { sampleSeed: 's-2026-11-a' },
      supervisor,
      day(40),
    );
    expect(ok.state.status).toBe('closed');
    expect(ok.state.spotChecks[0]).toMatchObject({ upheld: true, verdictBy: 'u-officer' });
    const self = { ...supervisor, id: 'u-officer' };
    expect(
      thrown(() => act(closed, 'spot_check_confirm', { sampleSeed: 's-2026-11-a' }, self, day(40)))
        .code,
    ).toBe('forbidden');
  });

  it('does not return a verdict whose case is filed', () => {
    const closed = walk('close').at(-1)!.state;
    expect(
      thrown(() =>
        act(
          closed,
          'spot_check_reject',
          { sampleSeed: 's-2026-11-a', finding: 'x', correctCategory: 'illegal' },
          supervisor,
          day(90),
        ),
      ).code,
    ).toBe('conflict');
    expect(
      allowedActions(closed, supervisor, DEFAULT_CASES_CONFIG, day(90)).map((a) => a.action),
    ).toContain('spot_check_confirm');
  });
});
