import { describe, expect, it } from 'vitest';
import { allowedActions } from './lifecycle.ts';
import { DEFAULT_CASES_CONFIG } from './config.ts';
import {
  act,
  day,
  INPUTS,
  monitor,
  officer,
  officer2,
  officer3,
  reviewer,
  stopInput,
  supervisor,
  villageChief,
  stateAfter,
  thrown,
} from './test-fixtures.ts';

describe('filing a case', () => {
  const stopped = stateAfter('stop');

  it('needs the other agencies for a joint filing and the listing for 挂牌督办', () => {
    const joint = thrown(() =>
      act(stopped, 'file_case', { ...INPUTS.fileCase, mode: 'joint' }, officer, day(10)),
    );
    expect([joint.code, joint.field]).toEqual(['bad_input', 'jointAgencies']);
    const listed = thrown(() =>
      act(stopped, 'file_case', { ...INPUTS.fileCase, mode: 'supervised' }, officer, day(10)),
    );
    expect(listed.field).toBe('listing');
    const ok = act(
      stopped,
      'file_case',
      {
        ...INPUTS.fileCase,
        mode: 'supervised',
        listing: { authority: '山西省自然资源厅', docNo: '晋自然资督〔2026〕3号' },
      },
      officer,
      day(10),
    );
    expect(ok.triggers).toContainEqual({
      kind: 'notify',
      audience: 'listing_authority',
      scope: '1405',
    });
  });

  it('starts the 90-day decision deadline', () => {
    const filed = act(stopped, 'file_case', INPUTS.fileCase, officer, day(10));
    const decide = filed.state.deadlines.find((d) => d.kind === 'decide');
    expect(decide?.dueAt).toBe('2027-02-28T15:59:59.999Z'); // 30 Nov + 90 days, end of day China time
    expect(filed.state.caseFile?.major).toBe(false);
  });
});

describe('a major case', () => {
  // 6 亩 of permanent basic farmland: over the 5 亩 threshold of 非法占用农用地罪.
  const config = DEFAULT_CASES_CONFIG;
  function majorStopped() {
    const analyse = { ...INPUTS.analyse, layerMu: { farmland: 6, permanent_basic_farmland: 6 } };
    let s = act(stateAfter('found'), 'analyse', analyse, monitor, day(0)).state;
    s = act(s, 'push', INPUTS.push, monitor, day(0)).state;
    s = act(s, 'verify', INPUTS.verify, villageChief, day(2)).state;
    s = act(s, 'determine', INPUTS.determineIllegal, officer, day(5)).state;
    s = act(s, 'accept', {}, reviewer, day(8)).state;
    return act(s, 'stop', stopInput, villageChief, day(9)).state;
  }

  it('requires a report upward, joint review, and suggests transfer to the police', () => {
    const filed = act(majorStopped(), 'file_case', INPUTS.fileCase, officer, day(10), config);
    expect(filed.state.caseFile).toMatchObject({
      major: true,
      majorReasons: ['permanent_basic_farmland_area'],
    });
    expect(filed.triggers).toContainEqual({ kind: 'require_joint_review', signOffs: 3 });
    expect(filed.triggers).toContainEqual({
      kind: 'suggest_transfer',
      to: 'police',
      reasons: ['permanent_basic_farmland_area'],
    });
    expect(filed.state.deadlines.find((d) => d.kind === 'major_report')?.dueAt).toBe(
      day(11).toISOString(),
    );
  });

  it('cannot be decided before three distinct people approve it', () => {
    let s = act(majorStopped(), 'file_case', INPUTS.fileCase, officer, day(10)).state;
    expect(thrown(() => act(s, 'decide', INPUTS.decide, officer, day(20))).code).toBe('conflict');
    expect(allowedActions(s, officer, config, day(20)).map((a) => a.action)).not.toContain(
      'decide',
    );
    s = act(s, 'sign_joint_review', { opinion: 'approve' }, officer, day(12)).state;
    const twice = thrown(() =>
      act(s, 'sign_joint_review', { opinion: 'approve' }, officer, day(12)),
    );
    expect([twice.code, twice.field]).toEqual(['conflict', 'actor']);
    s = act(s, 'sign_joint_review', { opinion: 'approve' }, officer2, day(12)).state;
    expect(thrown(() => act(s, 'decide', INPUTS.decide, officer, day(20))).message).toContain(
      '2/3',
    );
    s = act(s, 'sign_joint_review', { opinion: 'approve' }, reviewer, day(13)).state;
    expect(act(s, 'decide', INPUTS.decide, officer3, day(20)).state.status).toBe('decided');
  });

  it('reports upward, ending the report deadline', () => {
    const filed = act(majorStopped(), 'file_case', INPUTS.fileCase, officer, day(10)).state;
    const reported = act(
      filed,
      'report_major',
      {
        urgent: true,
        reportedTo: ['same_level_government', 'level_above'],
        summary: '占用永久基本农田6亩',
      },
      officer,
      day(10),
    );
    expect(reported.triggers).toContainEqual({
      kind: 'notify',
      audience: 'level_above',
      scope: '1405',
    });
    expect(reported.triggers).toContainEqual({
      kind: 'notify',
      audience: 'same_level_government',
      scope: '140525',
    });
    expect(reported.state.deadlines.find((d) => d.kind === 'major_report')?.doneAt).toBe(
      day(10).toISOString(),
    );
  });
});

describe('interference records', () => {
  it('are kept, make the case major, and notify the level above and the discipline body', () => {
    const filed = stateAfter('file_case');
    expect(filed.caseFile?.major).toBe(false);
    const r = act(
      filed,
      'record_interference',
      {
        interferer: { name: '李四', position: '副镇长', organisation: '某镇人民政府' },
        occurredAt: day(10).toISOString(),
        how: 'phone',
        description: '电话要求暂缓立案',
      },
      officer,
      day(11),
    );
    expect(r.state.interferences).toHaveLength(1);
    expect(r.state.interferences[0]).toMatchObject({
      by: 'u-officer',
      at: day(11).toISOString(),
      how: 'phone',
      interferer: { name: '李四' },
    });
    expect(r.state.caseFile?.majorReasons).toContain('obstructed');
    expect(r.triggers).toContainEqual({ kind: 'notify', audience: 'discipline', scope: '140525' });
    expect(r.event.type).toBe('polygon.record_interference');
    // Nothing in the table removes an interference record.
    expect(
      allowedActions(r.state, officer, DEFAULT_CASES_CONFIG, day(11)).some(
        (a) => a.action.includes('delete') || a.action.includes('remove'),
      ),
    ).toBe(false);
  });

  it('can be recorded even after closing', () => {
    const closed = stateAfter('close');
    const r = act(
      closed,
      'record_interference',
      {
        interferer: { name: '王五' },
        occurredAt: day(1).toISOString(),
        how: 'in_person',
        description: '说情',
      },
      supervisor,
      day(90),
    );
    expect(r.state.status).toBe('closed');
    expect(r.state.interferences).toHaveLength(1);
    // The report it requires can still be made, so the deadline it started can end.
    const reported = act(
      r.state,
      'report_major',
      { urgent: false, reportedTo: ['level_above'], summary: '结案后发现说情' },
      officer,
      day(91),
    );
    expect(reported.state.deadlines.filter((d) => !d.doneAt)).toEqual([]);
  });
});

describe('transfers, rechecks and closing', () => {
  it('transfers to the police or discipline bodies without moving the case', () => {
    const decided = stateAfter('decide');
    const r = act(
      decided,
      'transfer',
      { to: 'police', docNo: '移送〔2026〕1号', reason: '涉嫌非法占用农用地罪' },
      officer,
      day(22),
    );
    expect(r.state.status).toBe('decided');
    expect(r.state.transfers).toHaveLength(1);
    expect(r.triggers).toContainEqual({ kind: 'notify', audience: 'police', scope: '140525' });
  });

  it('sends a failed recheck back for more rectification; the rectifier may not recheck', () => {
    const rectified = stateAfter('rectify');
    const self = { ...reviewer, id: villageChief.id };
    expect(
      thrown(() => act(rectified, 'recheck_pass', INPUTS.recheckPass, self, day(40))).code,
    ).toBe('forbidden');
    const imageryNoDate = thrown(() =>
      act(rectified, 'recheck_pass', { method: 'imagery' }, reviewer, day(40)),
    );
    expect(imageryNoDate.field).toBe('imageryDate');
    const failed = act(
      rectified,
      'recheck_fail',
      { method: 'imagery', reason: '影像显示建筑仍在' },
      reviewer,
      day(40),
    );
    expect(failed.state.status).toBe('enforced');
    expect(failed.state.deadlines.filter((d) => d.kind === 'rectify' && !d.doneAt)).toHaveLength(1);
    const again = act(failed.state, 'rectify', INPUTS.rectify, villageChief, day(45));
    expect(
      act(again.state, 'recheck_pass', INPUTS.recheckPass, reviewer, day(80)).state.rechecks.map(
        (r) => r.passed,
      ),
    ).toEqual([false, true]);
  });

  it('closes a confiscation-and-fine case after enforcement, with nothing to rectify', () => {
    const filed = stateAfter('file_case');
    const measures = [{ kind: 'confiscate' }, { kind: 'fine', amountYuan: 3000 }];
    const { rectifyBy: _none, ...noDate } = INPUTS.decide;
    const decided = act(filed, 'decide', { ...noDate, measures }, officer, day(20)).state;
    expect(decided.deadlines.some((d) => d.kind === 'rectify')).toBe(false);
    const enforced = act(
      decided,
      'enforce',
      { ...INPUTS.enforce, measuresDone: ['confiscate', 'fine'] },
      officer,
      day(25),
    ).state;
    expect(thrown(() => act(enforced, 'rectify', INPUTS.rectify, villageChief, day(26))).code).toBe(
      'conflict',
    );
    const closed = act(enforced, 'close', { summary: '没收并罚款，已执行' }, officer, day(26));
    expect(closed.state.status).toBe('closed');
    expect(closed.state.deadlines.every((d) => d.doneAt)).toBe(true);
  });

  it('refuses to close a demolition case before rectification', () => {
    const enforced = stateAfter('enforce');
    expect(thrown(() => act(enforced, 'close', { summary: 'x' }, officer, day(26))).code).toBe(
      'conflict',
    );
  });
});
