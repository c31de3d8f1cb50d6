import { describe, expect, it } from 'vitest';
import { allowedActions, describeLifecycle, replay, workStatuses } from './lifecycle.ts';
import { DEFAULT_CASES_CONFIG } from './config.ts';
import { TRANSITIONS } from './transitions.ts';
import { STATUSES } from './states.ts';
import { ROLES } from './roles.ts';
import {
  act,
  admin,
  COUNTY,
  day,
  monitor,
  officer,
  otherCountyOfficer,
  reviewer,
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

  it('derives the work queue of each role from the table', () => {
    expect(workStatuses('city_reviewer')).toEqual([
      'found',
      'analysed',
      'determined',
      'disputed',
      'rectified',
    ]);
    expect(workStatuses('village_chief')).toEqual(['pushed', 'returned', 'reviewed', 'enforced']);
    expect(workStatuses('county_officer')).toEqual(
      expect.arrayContaining([
        'verified',
        'returned',
        'reviewed',
        'stopped',
        'case_filed',
        'decided',
        'enforced',
        'rechecked',
      ]),
    );
    expect(workStatuses('admin')).toEqual([]);
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
