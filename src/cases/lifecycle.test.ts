import { describe, expect, it } from 'vitest';
import {
  allowedActions,
  applyTransition,
  createPolygonCase,
  describeLifecycle,
  replay,
} from './lifecycle.ts';
import { DEFAULT_CASES_CONFIG } from './config.ts';
import { TRANSITIONS } from './transitions.ts';
import { STATUSES } from './states.ts';
import { ROLES } from './roles.ts';
import {
  act,
  admin,
  COUNTY,
  day,
  INPUTS,
  monitor,
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

describe('the transition table', () => {
  it('uses only known statuses and roles, and reaches every status', () => {
    const reached = new Set<string>(['found']);
    for (const def of Object.values(TRANSITIONS)) {
      for (const f of def.from) expect(STATUSES).toContain(f);
      if (def.to !== 'same') {
        expect(STATUSES).toContain(def.to);
        reached.add(def.to);
      }
      for (const r of def.roles) expect(ROLES).toContain(r);
      expect(def.roles.length).toBeGreaterThan(0);
    }
    expect([...reached].sort()).toEqual([...STATUSES].sort());
  });

  it('gives admin no lifecycle action (separation of duties)', () => {
    for (const def of Object.values(TRANSITIONS)) expect(def.roles).not.toContain('admin');
  });
});

describe('the illegal path from found to closed', () => {
  const steps = walk('close');
  const final = steps[steps.length - 1].state;

  it('passes every status of the main line in order', () => {
    expect(steps.map((s) => s.state.status)).toEqual([
      'found',
      'analysed',
      'pushed',
      'verified',
      'determined',
      'reviewed',
      'stopped',
      'case_filed',
      'decided',
      'enforced',
      'rectified',
      'rechecked',
      'closed',
    ]);
    expect(steps.map((s) => s.state.version)).toEqual(steps.map((_, i) => i + 1));
  });

  it('keeps every verdict traceable to who made it and when', () => {
    expect(final.determination).toMatchObject({
      category: 'illegal',
      by: 'u-officer',
      role: 'county_officer',
      at: day(5).toISOString(),
    });
    expect(final.reviews).toEqual([
      { outcome: 'accepted', at: day(8).toISOString(), by: 'u-reviewer', role: 'city_reviewer' },
    ]);
    expect(final.verification?.by).toBe('u-village');
  });

  it('refines the jurisdiction to the village when pushed, and the event says so', () => {
    expect(steps[1].state.jurisdictionCode).toBe(COUNTY);
    expect(steps[2].state.jurisdictionCode).toBe(VILLAGE);
    expect(steps[2].event.jurisdictionCode).toBe(VILLAGE);
    expect(steps[2].event.type).toBe('polygon.push');
  });

  it('starts deadlines at the push and ends them as the work is done', () => {
    const pushed = steps[2];
    expect(pushed.triggers).toContainEqual({
      kind: 'start_deadline',
      deadline: 'verify',
      scope: VILLAGE,
      dueAt: '2026-12-05T15:59:59.999Z',
    });
    // Pushed on 20 Nov: the county result is due by the end of 10 Dec, China time.
    expect(pushed.triggers).toContainEqual({
      kind: 'start_deadline',
      deadline: 'county_result',
      scope: COUNTY,
      dueAt: '2026-12-10T15:59:59.999Z',
    });
    expect(pushed.triggers).toContainEqual({
      kind: 'notify',
      audience: 'assignees',
      scope: VILLAGE,
      userIds: ['u-village'],
    });
    const afterVerify = steps[3].state.deadlines.find((d) => d.kind === 'verify');
    expect(afterVerify?.doneAt).toBe(day(2).toISOString());
    expect(final.deadlines.every((d) => d.doneAt !== undefined)).toBe(true);
  });

  it('asks the level above to review a verdict', () => {
    expect(steps[4].triggers).toContainEqual({ kind: 'require_review', scope: '1405' });
    expect(steps[4].triggers).toContainEqual({
      kind: 'notify',
      audience: 'level_above',
      scope: '1405',
    });
  });

  it('is reproduced exactly by replaying its events', () => {
    expect(replay(steps.map((s) => s.event))).toEqual(final);
    // …also after a JSON round trip, as the events come back from a jsonb column.
    expect(replay(JSON.parse(JSON.stringify(steps.map((s) => s.event))))).toEqual(final);
  });

  it('marks a closed case with a decision as publishable', () => {
    expect(steps[steps.length - 1].triggers).toContainEqual({ kind: 'publishable' });
  });
});

describe('early closes', () => {
  it('closes a lawful verdict after review, without stop or case', () => {
    const [, , , verified] = walk('verify');
    const determined = act(
      verified.state,
      'determine',
      { category: 'lawful', approvalDocNo: '晋政地〔2025〕88号' },
      officer,
      day(5),
    );
    const reviewed = act(determined.state, 'accept', {}, reviewer, day(6));
    expect(
      allowedActions(reviewed.state, villageChief, DEFAULT_CASES_CONFIG, day(7)).map(
        (a) => a.action,
      ),
    ).not.toContain('stop');
    expect(
      thrown(() =>
        act(
          reviewed.state,
          'stop',
          { method: 'on_site', stoppedAt: day(7).toISOString(), photos: [] },
          villageChief,
          day(7),
        ),
      ).code,
    ).toBe('conflict');
    const closed = act(reviewed.state, 'close', { summary: '合法用地' }, officer, day(7));
    expect(closed.state.status).toBe('closed');
    expect(closed.triggers).not.toContainEqual({ kind: 'publishable' });
  });

  it('closes an "other" verdict (伪变化 etc.) after review', () => {
    const [, , , verified] = walk('verify');
    const determined = act(
      verified.state,
      'determine',
      { category: 'other', otherReason: 'facility_farmland' },
      officer,
      day(5),
    );
    const closed = act(
      act(determined.state, 'accept', {}, reviewer, day(6)).state,
      'close',
      { summary: '设施农用地已备案' },
      officer,
      day(7),
    );
    expect(closed.state.status).toBe('closed');
  });

  it('lets a monitor dismiss a machine-found false change before pushing, with a configured reason', () => {
    const [found] = walk('found');
    expect(
      act(found.state, 'dismiss', { reason: 'cloud_shadow' }, monitor, day(0)).state.status,
    ).toBe('closed');
    const e = thrown(() => act(found.state, 'dismiss', { reason: 'looks_fine' }, monitor, day(0)));
    expect([e.code, e.field]).toEqual(['bad_input', 'reason']);
  });

  it('refuses to close an illegal verdict early', () => {
    const steps = walk('accept');
    const e = thrown(() =>
      act(steps[steps.length - 1].state, 'close', { summary: 'x' }, officer, day(9)),
    );
    expect(e.code).toBe('conflict');
  });
});

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
    ).toEqual(['accept', 'record_interference', 'report_major', 'return', 'spot_check_confirm']);
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

describe('the lifecycle for the UI and the docs', () => {
  it('offers each actor only what it may do now, with a form schema', () => {
    const steps = walk('push');
    const pushed = steps[steps.length - 1].state;
    const forChief = allowedActions(pushed, villageChief, DEFAULT_CASES_CONFIG, day(1));
    expect(forChief.map((a) => a.action).sort()).toEqual([
      'record_interference',
      'stop_early',
      'verify',
    ]);
    const verify = forChief.find((a) => a.action === 'verify') as {
      to: string;
      input: { required: string[] };
    };
    expect(verify.to).toBe('verified');
    expect(verify.input.required).toEqual(
      expect.arrayContaining(['version', 'photos', 'description', 'visitedAt']),
    );
    expect(allowedActions(pushed, otherCountyOfficer, DEFAULT_CASES_CONFIG, day(1))).toEqual([]);
    expect(allowedActions(pushed, admin, DEFAULT_CASES_CONFIG, day(1))).toEqual([]);
  });

  it('describes every transition as data', () => {
    const table = describeLifecycle();
    expect(table.find((t) => t.action === 'decide')).toEqual({
      action: 'decide',
      label: '处罚决定',
      from: ['case_filed'],
      to: 'decided',
      roles: ['county_officer'],
    });
    expect(table).toHaveLength(Object.keys(TRANSITIONS).length);
  });
});
