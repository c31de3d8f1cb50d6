import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskName, maskPhone, maskText, publicNoticeOf } from './public-notice.ts';
import { act, day, officer, walk } from './test-fixtures.ts';

describe('masking personal data for 执法公示', () => {
  it('masks names keeping the first and last character', () => {
    expect(maskName('张三丰')).toBe('张*丰');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
    expect(maskName('王')).toBe('*');
    expect(maskName('𠮷田花子')).toBe('𠮷**子'); // a character outside the BMP counts as one
    expect(maskName('Zhang San')).toBe('Z**** S**');
  });

  it('masks ID and phone numbers', () => {
    expect(maskIdNumber('14052519880101123X')).toBe('1405**********123X');
    expect(maskIdNumber('140525880101123')).toBe('1405*******1123');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('0356-2123456')).toBe('035****3456');
  });

  it('finds numbers and names in free text, and leaves other numbers alone', () => {
    const text =
      '当事人张三丰（身份证14052519880101123X，电话138 1234 5678，座机0356-2123456）于2026年建房，占地1200平方米，罚款12000元。张三丰已拆除。';
    const masked = maskText(text, ['张三丰']);
    expect(masked).toBe(
      '当事人张*丰（身份证1405**********123X，电话138****5678，座机035****3456）于2026年建房，占地1200平方米，罚款12000元。张*丰已拆除。',
    );
    // A 20-digit parcel number is not an ID number.
    expect(maskText('宗地号14052510020100012345')).toBe('宗地号14052510020100012345');
  });
});

describe('the public notice of a closed case', () => {
  it('publishes the decision with the person masked and the organisation named', () => {
    const steps = walk('recheck_pass');
    const rechecked = steps[steps.length - 1].state;
    const withCompany = {
      ...rechecked,
      caseFile: {
        ...rechecked.caseFile!,
        parties: [
          ...rechecked.caseFile!.parties,
          { kind: 'organisation' as const, name: '泽州县某建材有限公司' },
        ],
      },
    };
    const closed = act(
      withCompany,
      'close',
      { summary: '张三丰（13812345678）已自行拆除并复耕' },
      officer,
      day(81),
    ).state;
    const notice = publicNoticeOf(closed);
    expect(notice.parties).toEqual([
      { kind: 'person', name: '张*丰' },
      { kind: 'organisation', name: '泽州县某建材有限公司' },
    ]);
    expect(notice.summary).toBe('张*丰（138****5678）已自行拆除并复耕');
    expect(notice).toMatchObject({
      caseNo: '泽自然资立〔2026〕7号',
      decisionNo: '泽自然资罚〔2026〕7号',
      enforcement: 'voluntary',
      areaMu: 3.2,
      closedAt: day(81).toISOString(),
    });
    expect(JSON.stringify(notice)).not.toContain('140525198801011234');
    expect(JSON.stringify(notice)).not.toContain('张三丰');
  });

  it('refuses to publish a case that is not closed', () => {
    const steps = walk('decide');
    expect(() => publicNoticeOf(steps[steps.length - 1].state)).toThrow(
      expect.objectContaining({ code: 'conflict' }),
    );
  });
});
