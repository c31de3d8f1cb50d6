import { describe, expect, it } from 'vitest';
import { resolveCasesConfig } from './config.ts';
import { describeForm, withDrawnSpotChecks, type FormField } from './forms.ts';
import { ACTIONS } from './inputs.ts';
import { TRANSITIONS } from './transitions.ts';

const config = resolveCasesConfig({ province: '14', year: 2026 });
const formOf = (a: (typeof ACTIONS)[number]) => describeForm(a, config, TRANSITIONS[a].label);
const all = (fields: FormField[]): FormField[] =>
  fields.flatMap((f) => [f, ...all(f.fields ?? [])]);
const CJK = /[\u4e00-\u9fff]/;

describe('action forms described from the input schemas and the configuration', () => {
  it('gives every field of every action Chinese and English words, and every choice a label', () => {
    for (const a of ACTIONS) {
      const form = formOf(a);
      expect(form.label.zh, a).toMatch(CJK);
      expect(form.label.en, a).not.toBe(form.label.zh);
      for (const f of all(form.fields)) {
        expect(f.label.zh, `${a}.${f.name}`).toMatch(CJK);
        expect(f.label.zh, `${a}.${f.name}`).not.toBe('（未命名项）');
        expect(f.label.en, `${a}.${f.name}`).not.toMatch(CJK);
        for (const o of f.options ?? []) {
          expect(o.label.zh, `${a}.${f.name}:${o.value}`).toMatch(CJK);
          expect(o.label.zh).not.toBe('（未命名项）');
        }
      }
    }
  });

  it('offers the 判定 form the configured subtypes and 八不准 reasons as choices, shown for an illegal verdict', () => {
    const fields = formOf('determine').fields;
    const byName = Object.fromEntries(fields.map((f) => [f.name, f]));
    expect(byName.category.widget).toBe('select');
    expect(byName.category.options!.map((o) => o.label.zh)).toEqual(['合法', '违法', '其他']);
    expect(byName.illegalSubtype).toMatchObject({
      widget: 'select',
      required: true,
      when: { field: 'category', in: ['illegal'] },
    });
    expect(byName.illegalSubtype.options!.map((o) => [o.value, o.label.zh])).toEqual([
      ['new', '新增'],
      ['legacy', '存量'],
    ]);
    expect(byName.ruralHousingReasons.widget).toBe('multiselect');
    expect(byName.ruralHousingReasons.options).toHaveLength(8);
    expect(byName.approvalDocNo).toMatchObject({ widget: 'docno', when: { in: ['lawful'] } });
    expect(fields.some((f) => f.name === 'version')).toBe(false);
  });

  it('follows a province that configures its own reasons', () => {
    const own = resolveCasesConfig({ province: '14', year: 2026 }, [
      {
        province: '14',
        config: {
          determination: { illegalSubtypes: [{ code: 'unapproved_first', label: '未批先建' }] },
        },
      },
    ]);
    const f = describeForm('determine', own, '判定').fields.find(
      (x) => x.name === 'illegalSubtype',
    )!;
    expect(f.options).toEqual([
      { value: 'unapproved_first', label: { zh: '未批先建', en: '未批先建' } },
    ]);
  });

  it('uses date pickers, party rows, measure rows, document numbers and evidence choices', () => {
    const w = (a: (typeof ACTIONS)[number], name: string) =>
      formOf(a).fields.find((f) => f.name === name)?.widget;
    expect(w('stop', 'stoppedAt')).toBe('datetime');
    expect(w('stop', 'photos')).toBe('evidence');
    expect(w('stop', 'orderNo')).toBe('docno');
    expect(w('file_case', 'parties')).toBe('parties');
    expect(w('file_case', 'listing')).toBe('group');
    expect(w('decide', 'measures')).toBe('measures');
    expect(w('decide', 'rectifyBy')).toBe('date');
    expect(w('decide', 'hearing')).toBe('select');
    expect(w('enforce', 'measuresDone')).toBe('multiselect');
    expect(w('return', 'reason')).toBe('textarea');
    expect(formOf('verify').fields.find((f) => f.name === 'photos')!.minItems).toBe(2);
    const parties = formOf('file_case').fields.find((f) => f.name === 'parties')!;
    expect(parties.fields!.map((f) => f.label.zh)).toContain('联系电话');
  });

  it('asks 下发 for a unit and its people by name, never a code or a user number', () => {
    const push = formOf('push').fields;
    expect(push.find((f) => f.name === 'unitCode')).toMatchObject({ widget: 'unit' });
    expect(push.find((f) => f.name === 'assigneeIds')).toMatchObject({
      widget: 'users',
      of: 'unitCode',
      // optional: a push without people goes to the unit as a whole
      required: false,
    });
    for (const f of push) expect(`${f.label.zh}${f.help?.zh ?? ''}`).not.toMatch(/代码|编号/);
  });

  it('offers a spot-check finding its batch by period, day and name, the newest chosen', () => {
    const form = withDrawnSpotChecks(formOf('spot_check_reject'), [
      { seed: 'seed-new-1234', period: '2026-11', drawnOn: '2026-12-02', drawnBy: '山西省督察员' },
      { seed: 'seed-old-1234', period: '2026-10', drawnOn: '2026-11-03', drawnBy: null },
    ]);
    const batch = form.fields.find((f) => f.name === 'sampleSeed')!;
    expect(batch).toMatchObject({ widget: 'select', required: true, value: 'seed-new-1234' });
    expect(batch.label.zh).toBe('抽查批次');
    expect(batch.options!.map((o) => o.label.zh)).toEqual([
      '2026-11 期抽查（2026-12-02 山西省督察员 抽取）',
      '2026-10 期抽查（2026-11-03 抽取）',
    ]);
    expect(form.fields.find((f) => f.name === 'correctCategory')!.widget).toBe('select');
  });
});
