/**
 * The web app's pure logic, in Node (the browser test covers the screens): formatting per
 * language, the area filter's geometry, and the action form against the lifecycle's real
 * input schemas — a form filled as a user would must pass the server's validation.
 */
import { describe, expect, it } from 'vitest';
import {
  describeForm,
  InputSchemas,
  resolveCasesConfig,
  TRANSITIONS,
  type Action,
} from '../../src/cases/index.ts';
import { documentFacts, factsOf, type FactContext } from '../../web/src/record/facts.ts';
import { makeI18n } from '../../web/src/i18n.ts';
import { pointInRing, ringsBBox, ringsOf, type Ring } from '../../web/src/map/area-filter.ts';
import {
  errorWords,
  initialValues,
  inputFrom,
  missingFields,
} from '../../web/src/forms/form-values.ts';

describe('language and formats', () => {
  const zh = makeI18n('zh', () => undefined);
  const en = makeI18n('en', () => undefined);

  it('shows 亩 with two decimals and groups thousands in both languages', () => {
    expect(zh.mu(1234.5)).toBe('1,234.50');
    expect(en.mu(0.005)).toBe('0.01');
    expect(zh.num(12345.678, 1)).toBe('12,345.7');
  });

  it('translates by key, Chinese by default, and dates in each locale', () => {
    expect(zh.t('queue_to_determine')).toBe('待判定');
    expect(en.t('queue_to_determine')).toBe('To determine');
    expect(zh.t('st_returned')).toBe('退回补正');
    expect(en.t('no_such_key')).toBe('no_such_key');
    expect(zh.date('2026-11-20T04:00:00Z')).toMatch(/^2026\/11\/20$/);
    expect(en.date('2026-11-20T04:00:00Z')).toBe('20/11/2026');
  });
});

describe('area filter', () => {
  const square: Ring = [
    [112, 35],
    [113, 35],
    [113, 36],
    [112, 36],
  ];

  it('tests points against a drawn ring', () => {
    expect(pointInRing([112.5, 35.5], square)).toBe(true);
    expect(pointInRing([113.5, 35.5], square)).toBe(false);
    // a concave ring: the notch is outside
    const notched: Ring = [
      [0, 0],
      [4, 0],
      [4, 4],
      [2, 1],
      [0, 4],
    ];
    expect(pointInRing([2, 3], notched)).toBe(false);
    expect(pointInRing([1, 1], notched)).toBe(true);
  });

  it('reads outer rings from uploaded GeoJSON of any wrapping, and their box', () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: {},
          geometry: { type: 'Polygon', coordinates: [[...square, square[0]]] },
        },
        {
          type: 'Feature',
          properties: {},
          geometry: {
            type: 'MultiPolygon',
            coordinates: [
              [
                [
                  [114, 34],
                  [115, 34],
                  [115, 35],
                  [114, 34],
                ],
              ],
            ],
          },
        },
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [0, 0] } },
      ],
    };
    const rings = ringsOf(fc);
    expect(rings).toHaveLength(2);
    expect(ringsBBox(rings)).toEqual([112, 34, 115, 36]);
    expect(ringsOf({ type: 'Point', coordinates: [1, 2] })).toEqual([]);
  });
});

describe('action forms described by the server', () => {
  const config = resolveCasesConfig({ province: '14', year: 2026 });
  const formOf = (a: Action) => describeForm(a, config, TRANSITIONS[a].label).fields;
  const photo = {
    sha256: 'a'.repeat(64),
    lon: 112.9,
    lat: 35.5,
    takenAt: '2026-11-20T01:00:00.000Z',
  };

  it('turns a filled 判定 form into an input the lifecycle accepts, leaving hidden fields out', () => {
    const fields = formOf('determine');
    const values = {
      ...initialValues(fields),
      category: 'illegal',
      illegalSubtype: 'new',
      buildYear: '2026',
      approvalDocNo: '不该提交',
      ruralHousingReasons: ['on_permanent_basic_farmland'],
    };
    const input = inputFrom(fields, values, 7);
    expect(input).toEqual({
      version: 7,
      category: 'illegal',
      illegalSubtype: 'new',
      buildYear: 2026,
      ruralHousingReasons: ['on_permanent_basic_farmland'],
    });
    expect(InputSchemas.determine.safeParse(input).success).toBe(true);
    expect(missingFields(fields, { ...values, illegalSubtype: '' })).toEqual({
      illegalSubtype: { zh: '必填', en: 'Required' },
    });
  });

  it('fills 制止, 立案 and 处罚决定 from widgets: times, chosen photos, party and measure rows', () => {
    const stop = formOf('stop');
    const s = inputFrom(
      stop,
      {
        ...initialValues(stop, new Date('2026-11-20T09:30')),
        method: 'on_site',
        photos: [photo.sha256],
      },
      3,
      [photo],
    );
    expect(s.stoppedAt).toBe(new Date('2026-11-20T09:30').toISOString());
    expect(s.photos).toEqual([photo]);
    expect(InputSchemas.stop.safeParse(s).success).toBe(true);

    const file = formOf('file_case');
    const parties = [
      {
        kind: 'person',
        name: '张三',
        idNumber: '140525198001011234',
        phone: '13800138000',
        address: '',
      },
    ];
    const f = inputFrom(
      file,
      { ...initialValues(file), mode: 'direct', caseNo: '泽自然资罚〔2026〕1号', parties },
      4,
    );
    expect(f.parties).toEqual([
      { kind: 'person', name: '张三', idNumber: '140525198001011234', phone: '13800138000' },
    ]);
    expect(f).not.toHaveProperty('listing');
    expect(InputSchemas.file_case.safeParse(f).success).toBe(true);

    const decide = formOf('decide');
    const measures = [
      { kind: 'demolish', amountYuan: '' },
      { kind: 'fine', amountYuan: '5000' },
    ];
    const d = inputFrom(
      decide,
      {
        ...initialValues(decide),
        decisionNo: '泽决〔2026〕1号',
        measures,
        hearing: 'waived',
        investigationReportNo: '调查1号',
        rectifyBy: '2026-12-31',
      },
      5,
    );
    expect(d.measures).toEqual([{ kind: 'demolish' }, { kind: 'fine', amountYuan: 5000 }]);
    expect(InputSchemas.decide.safeParse(d).success).toBe(true);
    expect(
      missingFields(decide, {
        ...initialValues(decide),
        measures: [{ kind: 'fine', amountYuan: '' }],
      }).measures.zh,
    ).toBe('罚款金额（元）：必填');
  });

  it('shows the server’s refusal in the UI language, without the field code', () => {
    const said = errorWords(
      'bad_input',
      'illegalSubtype: 「x」不是本省配置的可选项（可选：新增、存量） / illegalSubtype "x" is not a configured reason (one of: new, legacy)',
    );
    expect(said.zh).toBe('「x」不是本省配置的可选项（可选：新增、存量）');
    expect(said.en).toBe('illegalSubtype "x" is not a configured reason (one of: new, legacy)');
    expect(errorWords('conflict', 'determine is not possible from found').zh).toBe(
      '图斑状态已变化，请刷新后重试',
    );
  });
});

describe('the record in words', () => {
  const zh = makeI18n('zh', () => undefined);
  const ctx: FactContext = {
    lang: 'zh',
    choices: { illegalSubtype: { new: { zh: '新增', en: 'New' } } },
    places: [{ code: '140525111202', name: '河底村委会' }],
    t: zh.t,
    num: zh.num,
    time: (iso) => `时间${iso.slice(0, 10)}`,
  };

  it('labels fields, choices, configured reasons, units, photos, parties and measures', () => {
    const facts = (action: string, input: Record<string, unknown>) =>
      factsOf(action, input, ctx).map((f) => `${f.label}：${f.text}`);
    expect(
      facts('determine', {
        version: 3,
        category: 'illegal',
        illegalSubtype: 'new',
        ruralHousingReasons: [],
      }),
    ).toEqual(['判定结果：违法', '违法类型：新增']);
    expect(facts('push', { unitCode: '140525111202', assigneeIds: [] })).toEqual([
      '下发单位：河底村委会',
    ]);
    expect(
      facts('stop', { method: 'on_site', stoppedAt: '2026-11-20T01:00:00.000Z', photos: [{}, {}] }),
    ).toEqual(['制止方式：现场制止', '制止时间：时间2026-11-20', '制止现场照片：2 张照片']);
    expect(
      facts('file_case', { parties: [{ kind: 'person', name: '王五', phone: '139****5678' }] }),
    ).toEqual(['当事人：个人，王五，联系电话 139****5678']);
    expect(
      facts('decide', { measures: [{ kind: 'demolish' }, { kind: 'fine', amountYuan: 12000 }] }),
    ).toEqual(['处罚措施：限期拆除；罚款，罚款金额（元） 12,000']);
    // a key with no words is left out, never shown as a code
    expect(facts('determine', { someNewKey: 'x' })).toEqual([]);
  });

  it('reads an automatic re-check and an issued document in words', () => {
    const facts = (action: string, input: Record<string, unknown>) =>
      factsOf(action, input, ctx).map((f) => `${f.label}：${f.text}`);
    expect(
      facts('imagery_recheck', {
        result: 'restored',
        recheckId: 3,
        imageryId: 9,
        gone: 0.912,
        residual: 0.05,
        reasons: ['与违法时点相比 91% 已无建设 / 91% of the 图斑 no longer shows the building'],
        chips: ['ab'.repeat(32)],
      }),
    ).toEqual([
      '复核结论：已恢复',
      '已无建设比例：91.2%',
      '与前时相仍有变化比例：5.0%',
      '判断依据：与违法时点相比 91% 已无建设',
      '影像切片哈希：abababababab…',
    ]);
    expect(facts('imagery_recheck', { result: 'inconclusive' })).toEqual(['复核结论：无法判断']);
    expect(
      documentFacts(
        { kind: 'penalty_decision', number: '泽州自然资罚〔2026〕7号', pdfSha256: 'cd'.repeat(32) },
        ctx,
      ).map((f) => `${f.label}：${f.text}`),
    ).toEqual([
      '文书：行政处罚决定书',
      '文号：泽州自然资罚〔2026〕7号',
      `PDF 哈希（SHA-256）：${'cd'.repeat(32)}`,
    ]);
  });
});
