import { describe, expect, it } from 'vitest';
import { act, day, INPUTS, officer, stateAfter, thrown } from './test-fixtures.ts';

describe('decisions: 不得以罚代拆、以罚代没', () => {
  const decided = stateAfter('decide');

  it('refuses an amendment that replaces demolition with a fine', () => {
    const e = thrown(() =>
      act(
        decided,
        'amend_decision',
        {
          decisionNo: '变更1号',
          measures: [{ kind: 'fine', amountYuan: 50000 }],
          basis: 'correction',
          reason: '当事人申请',
          rectifyBy: '2027-03-01',
        },
        officer,
        day(21),
      ),
    );
    expect([e.code, e.field]).toEqual(['conflict', 'measures']);
    expect(e.message).toContain('demolish');
  });

  it('refuses an amendment that replaces demolition with an after-the-fact permit', () => {
    const e = thrown(() =>
      act(
        decided,
        'amend_decision',
        {
          decisionNo: '变更2号',
          measures: [{ kind: 'after_permit' }],
          basis: 'reconsideration',
          reason: 'x',
          rectifyBy: '2027-03-01',
        },
        officer,
        day(21),
      ),
    );
    expect(e.code).toBe('conflict');
  });

  it('allows an amendment that keeps demolition and changes the fine, keeping the history', () => {
    const measures = [
      { kind: 'demolish' },
      { kind: 'restore_land' },
      { kind: 'fine', amountYuan: 9000 },
    ];
    const r = act(
      decided,
      'amend_decision',
      {
        decisionNo: '变更3号',
        measures,
        basis: 'reconsideration',
        reason: '复议变更罚款',
        rectifyBy: '2027-03-31',
      },
      officer,
      day(21),
    );
    expect(r.state.status).toBe('decided');
    expect(r.state.decision?.measures).toEqual(measures);
    expect(r.state.decision?.hearing).toBe('waived');
    expect(r.state.decisionHistory.map((d) => d.decisionNo)).toEqual([
      '泽自然资罚〔2026〕7号',
      '变更3号',
    ]);
    expect(
      r.state.deadlines.filter((d) => d.kind === 'rectify' && !d.doneAt).map((d) => d.dueAt),
    ).toEqual(['2027-03-31T15:59:59.999Z']);
  });

  it('refuses a permit beside demolition, and a permit on permanent basic farmland', () => {
    const filed = stateAfter('file_case');
    const both = thrown(() =>
      act(
        filed,
        'decide',
        { ...INPUTS.decide, measures: [{ kind: 'demolish' }, { kind: 'after_permit' }] },
        officer,
        day(20),
      ),
    );
    expect([both.code, both.field]).toEqual(['bad_input', 'measures']);
    const pbf = thrown(() =>
      act(
        filed,
        'decide',
        { ...INPUTS.decide, measures: [{ kind: 'after_permit' }, { kind: 'fine', amountYuan: 1 }] },
        officer,
        day(20),
      ),
    );
    expect(pbf.message).toContain('permanent basic farmland');
    const fineWithoutAmount = thrown(() =>
      act(filed, 'decide', { ...INPUTS.decide, measures: [{ kind: 'fine' }] }, officer, day(20)),
    );
    expect(fineWithoutAmount.field).toBe('measures.0.amountYuan');
    const { rectifyBy: _none, ...noDate } = INPUTS.decide;
    const undated = thrown(() => act(filed, 'decide', noDate, officer, day(20)));
    expect([undated.code, undated.field]).toEqual(['bad_input', 'rectifyBy']);
    const past = thrown(() =>
      act(filed, 'decide', { ...INPUTS.decide, rectifyBy: '2026-11-01' }, officer, day(20)),
    );
    expect(past.field).toBe('rectifyBy');
  });

  it('refuses to record enforcement when only the fine was paid', () => {
    const e = thrown(() =>
      act(decided, 'enforce', { ...INPUTS.enforce, measuresDone: ['fine'] }, officer, day(25)),
    );
    expect([e.code, e.field]).toEqual(['bad_input', 'measuresDone']);
    expect(e.message).toContain('demolish');
  });

  it('records court-ordered enforcement only with the ruling, the court, the government and court presence', () => {
    const noCourt = thrown(() =>
      act(decided, 'enforce', { ...INPUTS.enforce, method: 'court_ordered' }, officer, day(25)),
    );
    expect(noCourt.field).toBe('court');
    const court = {
      rulingNo: '(2026)晋0525行审12号',
      court: '泽州县人民法院',
      implementingGovernment: '泽州县人民政府',
      courtPresent: true,
    };
    const r = act(
      decided,
      'enforce',
      { ...INPUTS.enforce, method: 'court_ordered', court },
      officer,
      day(25),
    );
    expect(r.state.enforcement?.court).toEqual(court);
  });
});
