/**
 * Enforcement document templates (执法文书模板) as data: a title, a numbering scheme and blocks
 * of text with `{占位符}` placeholders. The national defaults are in documents-defaults.ts; a
 * province replaces any kind's template through the API (stored in the setting
 * `documents.provinces`), so a bureau changes its wording without a new Gengbao.
 */
import { z } from 'zod';
import { GengbaoError } from '../errors.ts';

/** The documents Gengbao issues, in the order a case needs them. */
export const DOCUMENT_KINDS = [
  'stop_notice',
  'filing_approval',
  'penalty_decision',
  'demolition_notice',
  'transfer_letter',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/**
 * Placeholders a body may use, with what they hold. Filled by documents-fill.ts from the case;
 * a template naming any other placeholder is refused when saved, so a typo never reaches paper.
 */
export const BODY_PLACEHOLDERS: Readonly<Record<string, string>> = {
  文号: '本文书的编号（按编号规则生成）',
  发文机关: '县级自然资源主管部门（县名 + 自然资源局）',
  日期: '签发日期（中国时间）',
  图斑编号: '图斑编号',
  监测期: '监测期（如 2026-11）',
  省: '省名',
  市: '市名',
  县: '县（市、区）名',
  乡镇: '乡镇（街道）名',
  村: '村（社区）名',
  地点: '县乡村名连写',
  图斑面积亩: '图斑面积（亩，两位小数）',
  耕地亩: '其中耕地（亩）',
  永久基本农田亩: '其中永久基本农田（亩）',
  当事人: '当事人名称，以顿号分隔',
  当事人信息: '每位当事人的名称、身份证号、住址（每人一行）',
  建设内容: '核查所见用途或项目名称',
  建设时间: '核查所记建设时间',
  违法类型: '新增或存量',
  违法事实: '由核查、判定和套合写成的事实陈述',
  核查日期: '实地核查日期',
  制止日期: '制止日期',
  立案号: '立案时填写的案号',
  立案方式: '直接立案、联合立案或挂牌督办',
  立案日期: '立案日期',
  联合办案单位: '联合立案的其他单位',
  决定文号: '处罚决定时填写的决定书文号',
  处罚内容: '处罚决定的各项措施',
  听证: '听证情况',
  调查报告文号: '调查终结报告文号',
  整改期限: '限期拆除、恢复的日期',
  决定日期: '处罚决定日期',
  移送机关: '接受移送的机关',
  移送文号: '移送时填写的文号',
  移送理由: '移送理由',
  移送日期: '移送日期',
  停止期限: '责令停止后整改说明的期限（签发日起三日）',
};

/** Placeholders of the numbering scheme. */
export const NUMBER_PLACEHOLDERS: Readonly<Record<string, string>> = {
  county简称: '县（市、区）简称：配置的简称，否则县名去掉“县、市、区、旗”',
  county: '县（市、区）全称',
  year: '年份（签发年）',
  seq: '本县本年本类文书的序号，从 1 起；{seq:3} 补足三位（001）',
};

const Text = z.string().max(4000);
export const TemplateBlock = z.discriminatedUnion('type', [
  z.object({ type: z.literal('heading'), text: Text }),
  z.object({ type: z.literal('paragraph'), text: Text }),
  /** A ruled two-column table (审批表): a label and its value per row. */
  z.object({
    type: z.literal('fields'),
    rows: z
      .array(z.object({ label: z.string().max(40), value: Text }))
      .min(1)
      .max(40),
  }),
  /** Right-aligned lines at the foot (issuing body, date); `\n` separates lines. */
  z.object({ type: z.literal('signature'), text: Text }),
]);
export type TemplateBlock = z.infer<typeof TemplateBlock>;

export const DocumentTemplate = z.object({
  title: z.string().trim().min(1).max(60),
  number: z
    .string()
    .trim()
    .min(1)
    .max(80)
    .describe('编号规则，如 {county简称}自然资罚〔{year}〕{seq}号'),
  blocks: z.array(TemplateBlock).min(1).max(60),
  /** Also give the clerk a docx to edit (the PDF is always made). */
  docx: z.boolean().default(true),
});
export type DocumentTemplate = z.infer<typeof DocumentTemplate>;

/** What a province stores: templates by kind and county short names by code. */
export const ProvinceDocuments = z.object({
  templates: z.partialRecord(z.enum(DOCUMENT_KINDS), DocumentTemplate).default({}),
  abbreviations: z
    .record(z.string().regex(/^\d{6}$/), z.string().trim().min(1).max(10))
    .default({}),
});
export type ProvinceDocuments = z.infer<typeof ProvinceDocuments>;

const PLACEHOLDER = /\{([^{}]+)\}/g;

/** The placeholders a text names (`{seq:3}` names `seq`). */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1].split(':')[0]);
}

/**
 * Refuses a template that names a placeholder Gengbao cannot fill, or a number without `{seq}`
 * (two documents would get the same number).
 */
export function checkTemplate(t: DocumentTemplate): void {
  const numberNames = placeholdersOf(t.number);
  if (!numberNames.includes('seq'))
    throw new GengbaoError('bad_input', '编号规则须含 {seq} / the number scheme needs {seq}', {
      field: 'number',
    });
  for (const n of numberNames)
    if (!(n in NUMBER_PLACEHOLDERS))
      throw new GengbaoError(
        'bad_input',
        `编号规则中没有占位符 {${n}} / unknown placeholder {${n}}`,
        {
          field: 'number',
        },
      );
  const texts = t.blocks.flatMap((b) =>
    b.type === 'fields' ? b.rows.flatMap((r) => [r.label, r.value]) : [b.text],
  );
  for (const text of [t.title, ...texts])
    for (const n of placeholdersOf(text))
      if (!(n in BODY_PLACEHOLDERS))
        throw new GengbaoError(
          'bad_input',
          `模板中没有占位符 {${n}} / unknown placeholder {${n}}`,
          {
            field: 'blocks',
          },
        );
}

/**
 * Replaces each `{name}` by its value. A value the case does not have yet prints as “——”, so a
 * gap is visible on paper; an optional part (联合办案单位 of a direct filing) is given as ''.
 */
export function fillText(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (_, name: string) => values[name] ?? '——');
}

/** The county's short name: configured, else its name without 县/市/区/旗 (泽州县 → 泽州). */
export function countyShortName(
  code: string,
  name: string,
  abbreviations: Record<string, string>,
): string {
  return (
    abbreviations[code] ??
    (name.length > 2 ? name.replace(/(自治县|自治旗|县|市|区|旗)$/, '') : name)
  );
}

/** The document's number from the scheme: `{county简称}自然资罚〔{year}〕{seq}号` → 泽州自然资罚〔2026〕7号. */
export function formatNumber(
  scheme: string,
  v: { countyShort: string; county: string; year: number; seq: number },
): string {
  return scheme.replace(PLACEHOLDER, (_, spec: string) => {
    const [name, pad] = spec.split(':');
    if (name === 'seq') return String(v.seq).padStart(Number(pad ?? 0) || 0, '0');
    if (name === 'year') return String(v.year);
    if (name === 'county') return v.county;
    if (name === 'county简称') return v.countyShort;
    return `{${spec}}`;
  });
}
