import { describe, expect, it } from 'vitest';
import { allowedActions, applyTransition, createPolygonCase } from './lifecycle.ts';
import { DEFAULT_CASES_CONFIG } from './config.ts';
import {
  act,
  admin,
  COUNTY,
  day,
  INPUTS,
  officer,
  otherCountyOfficer,
  reviewer,
  reviewer2,
  supervisor,
  VILLAGE,
  villageChief,
  walk,
  thrown,
} from './test-fixtures.ts';

describe('guards', () => {
  const steps = walk('push');
  const pushed = steps[steps.length - 1].state;

  it('refuses the wrong role with forbidden', () => {
    const e = thrown(() => act(pushed, 'verify', INPUTS.verify, reviewer, day(2)));
    expect([e.code, e.field]).toEqual(['forbidden', 'role']);
    expect(thrown(() => act(pushed, 'verify', INPUTS.verify, admin, day(2))).code).toBe(
      'forbidden',
    );
  });

  it('refuses an actor from another jurisdiction', () => {
    const e = thrown(() => act(pushed, 'verify', INPUTS.verify, otherCountyOfficer, day(2)));
    expect(e.code).toBe('forbidden_jurisdiction');
  });

  it('refuses missing evidence with bad_input naming the field', () => {
    const noPhotos = thrown(() =>
      act(pushed, 'verify', { ...INPUTS.verify, photos: [] }, villageChief, day(2)),
    );
    expect([noPhotos.code, noPhotos.field]).toEqual(['bad_input', 'photos']);
    const oneShort = thrown(() =>
      act(
        pushed,
        'verify',
        { ...INPUTS.verify, photos: [INPUTS.verify.photos[0]] },
        villageChief,
        day(2),
      ),
    );
    expect(oneShort.field).toBe('photos');
    const noDescription: Record<string, unknown> = { ...INPUTS.verify };
    delete noDescription.description;
    const e = thrown(() => act(pushed, 'verify', noDescription, villageChief, day(2)));
    expect([e.code, e.field]).toEqual(['bad_input', 'description']);
    expect(e.message).toContain('missing required field');
    const badGps = thrown(() =>
      act(
        pushed,
        'verify',
        {
          ...INPUTS.verify,
          photos: [{ ...INPUTS.verify.photos[0], lat: 95 }, INPUTS.verify.photos[1]],
        },
        villageChief,
        day(2),
      ),
    );
    expect(badGps.field).toBe('photos.0.lat');
  });

  it('refuses a stale version with conflict and a missing one with bad_input', () => {
    const e = thrown(() =>
      applyTransition(
        pushed,
        'verify',
        { ...INPUTS.verify, version: pushed.version - 1 },
        villageChief,
        day(2),
        DEFAULT_CASES_CONFIG,
      ),
    );
    expect([e.code, e.field]).toEqual(['conflict', 'version']);
    const m = thrown(() =>
      applyTransition(
        pushed,
        'verify',
        { ...INPUTS.verify },
        villageChief,
        day(2),
        DEFAULT_CASES_CONFIG,
      ),
    );
    expect([m.code, m.field]).toEqual(['bad_input', 'version']);
  });

  it('lets exactly one of two officers acting on the same version succeed', () => {
    const first = act(pushed, 'verify', INPUTS.verify, villageChief, day(2));
    expect(first.state.version).toBe(pushed.version + 1);
    // The second saw the same version; against the new state it is stale.
    const e = thrown(() =>
      applyTransition(
        first.state,
        'verify',
        { ...INPUTS.verify, version: pushed.version },
        villageChief,
        day(2),
        DEFAULT_CASES_CONFIG,
      ),
    );
    expect(e.code).toBe('conflict');
  });

  it('refuses an action from the wrong state with conflict', () => {
    const e = thrown(() => act(pushed, 'decide', INPUTS.decide, officer, day(2)));
    expect([e.code, e.field]).toEqual(['conflict', 'status']);
  });

  it('refuses unknown actions and leaves the state untouched', () => {
    const before = JSON.stringify(pushed);
    expect(thrown(() => act(pushed, 'demolish_everything', {}, officer, day(2))).field).toBe(
      'action',
    );
    expect(() =>
      act(pushed, 'verify', { ...INPUTS.verify, photos: [] }, villageChief, day(2)),
    ).toThrow();
    expect(JSON.stringify(pushed)).toBe(before);
  });

  it('checks determination reasons against configuration', () => {
    const verified = act(pushed, 'verify', INPUTS.verify, villageChief, day(2)).state;
    const sub = thrown(() =>
      act(
        verified,
        'determine',
        { category: 'illegal', illegalSubtype: 'ancient' },
        officer,
        day(3),
      ),
    );
    expect([sub.code, sub.field]).toEqual(['bad_input', 'illegalSubtype']);
    const lawful = thrown(() =>
      act(verified, 'determine', { category: 'lawful' }, officer, day(3)),
    );
    expect(lawful.field).toBe('approvalDocNo');
    const eight = thrown(() =>
      act(
        verified,
        'determine',
        { category: 'illegal', illegalSubtype: 'new', ruralHousingReasons: ['nonsense'] },
        officer,
        day(3),
      ),
    );
    expect(eight.field).toBe('ruralHousingReasons');
    const misplaced = thrown(() =>
      act(
        verified,
        'determine',
        { category: 'lawful', approvalDocNo: 'x', ruralHousingReasons: ['second_homestead'] },
        officer,
        day(3),
      ),
    );
    expect(misplaced.field).toBe('ruralHousingReasons');
  });

  it('accepts reasons a province adds to its configuration', () => {
    const verified = act(pushed, 'verify', INPUTS.verify, villageChief, day(2)).state;
    const config = {
      ...DEFAULT_CASES_CONFIG,
      determination: {
        ...DEFAULT_CASES_CONFIG.determination,
        otherReasons: [{ code: 'grave_site', label: '坟地' }],
      },
    };
    expect(
      act(
        verified,
        'determine',
        { category: 'other', otherReason: 'grave_site' },
        officer,
        day(3),
        config,
      ).state.status,
    ).toBe('determined');
  });
});

describe('review, return and dispute', () => {
  const steps = walk('determine');
  const determined = steps[steps.length - 1].state;

  it('is done by the level above, never by the county or by the person who made the verdict', () => {
    const selfReviewer = { ...reviewer, id: 'u-officer' };
    expect(thrown(() => act(determined, 'accept', {}, selfReviewer, day(6))).code).toBe(
      'forbidden',
    );
    const countyReviewer = { ...reviewer, scope: COUNTY };
    expect(thrown(() => act(determined, 'accept', {}, countyReviewer, day(6))).code).toBe(
      'forbidden',
    );
    expect(
      allowedActions(determined, reviewer, DEFAULT_CASES_CONFIG, day(6))
        .map((a) => a.action)
        .sort(),
    ).toEqual([
      'accept',
      'list_case',
      'record_interference',
      'report_major',
      'return',
      'spot_check_confirm',
    ]);
  });

  it('returns with a reason, the county corrects, and the corrected verdict goes back for review', () => {
    const noReason = thrown(() => act(determined, 'return', {}, reviewer, day(6)));
    expect(noReason.field).toBe('reason');
    const returned = act(determined, 'return', { reason: '照片未显示建筑全貌' }, reviewer, day(6));
    expect(returned.state.status).toBe('returned');
    expect(
      returned.triggers.some((t) => t.kind === 'start_deadline' && t.deadline === 'correction'),
    ).toBe(true);
    const reverified = act(returned.state, 'verify', INPUTS.verify, villageChief, day(7));
    const redetermined = act(
      reverified.state,
      'determine',
      INPUTS.determineIllegal,
      officer,
      day(8),
    );
    expect(redetermined.state.status).toBe('determined');
    expect(redetermined.state.deadlines.find((d) => d.kind === 'correction')?.doneAt).toBe(
      day(8).toISOString(),
    );
  });

  it('lets the county dispute a return, ruled by someone other than the one who returned it', () => {
    const returned = act(determined, 'return', { reason: '应为存量' }, reviewer, day(6)).state;
    const disputed = act(
      returned,
      'dispute',
      { reason: '建房审批在2019年' },
      officer,
      day(7),
    ).state;
    expect(disputed.status).toBe('disputed');
    expect(
      thrown(() => act(disputed, 'uphold_dispute', { reason: 'ok' }, reviewer, day(8))).code,
    ).toBe('forbidden');
    const upheld = act(disputed, 'uphold_dispute', { reason: '异议成立' }, supervisor, day(8));
    expect(upheld.state.status).toBe('reviewed');
    expect(upheld.state.reviews.map((r) => r.outcome)).toEqual(['returned', 'dispute_upheld']);
    const rejected = act(disputed, 'reject_dispute', { reason: '异议不成立' }, reviewer2, day(8));
    expect(rejected.state.status).toBe('returned');
  });
});

describe('stopping early', () => {
  it('records a stop before the verdict is reviewed without moving the polygon', () => {
    const steps = walk('verify');
    const s = steps[steps.length - 1].state;
    const stopped = act(
      s,
      'stop_early',
      { method: 'on_site', stoppedAt: day(2).toISOString(), photos: [INPUTS.verify.photos[0]] },
      villageChief,
      day(2),
    );
    expect(stopped.state.status).toBe('verified');
    expect(stopped.state.stop?.method).toBe('on_site');
    expect(stopped.state.version).toBe(s.version + 1);
    const noOrderNo = thrown(() =>
      act(
        s,
        'stop_early',
        {
          method: 'stop_order',
          stoppedAt: day(2).toISOString(),
          photos: [INPUTS.verify.photos[0]],
        },
        villageChief,
        day(2),
      ),
    );
    expect(noOrderNo.field).toBe('orderNo');
  });
});

describe('creating a polygon', () => {
  it('checks the source against the role and the jurisdiction', () => {
    expect(
      createPolygonCase(
        { id: 'p', jurisdictionCode: VILLAGE, source: 'patrol' },
        villageChief,
        day(0),
      ).state.status,
    ).toBe('found');
    expect(
      thrown(() =>
        createPolygonCase(
          { id: 'p', jurisdictionCode: COUNTY, source: 'detection' },
          villageChief,
          day(0),
        ),
      ).code,
    ).toBe('forbidden');
    expect(
      thrown(() =>
        createPolygonCase({ id: 'p', jurisdictionCode: '140521', source: 'tip' }, officer, day(0)),
      ).code,
    ).toBe('forbidden_jurisdiction');
    expect(
      thrown(() =>
        createPolygonCase({ id: 'p', jurisdictionCode: '14', source: 'tip' }, officer, day(0)),
      ).field,
    ).toBe('jurisdictionCode');
  });
});
