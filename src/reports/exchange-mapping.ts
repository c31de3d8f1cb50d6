/**
 * Exchange with a province's 卫片执法 platform: the field names and codes its files use
 * (TBBH 图斑编号, XZQDM 行政区代码, PDLX 判定类型 …) as a mapping from Gengbao's values —
 * data, with a documented default here, replaced per province through the API (the setting
 * `exchange.mappings`). Export writes each 图斑 through it; import reads a province's results
 * back through it, code by code.
 */
import { z } from 'zod';
import type { PolygonCaseState } from '../cases/index.ts';

/** Gengbao's values a field can carry, with their meaning. */
export const EXCHANGE_SOURCES = {
  code: '图斑编号',
  period: '监测期',
  countyCode: '县级行政区代码',
  countyName: '县（市、区）名称',
  townshipName: '乡镇名称',
  villageName: '村名称',
  source: '图斑来源',
  status: '案件状态',
  areaMu: '监测面积（亩）',
  farmlandMu: '耕地面积（亩）',
  pbfMu: '永久基本农田面积（亩）',
  verdict: '判定类型（合法、违法、其他）',
  illegalSubtype: '违法类型（新增、存量）',
  stopped: '是否制止',
  filed: '是否立案',
  caseNo: '立案号',
  decisionNo: '处罚决定书文号',
  rectified: '是否整改到位',
  closed: '是否结案销号',
} as const;
export type ExchangeSource = keyof typeof EXCHANGE_SOURCES;
export type ExchangeValue = string | number | boolean | null;

export const ExchangeField = z.object({
  /** The province's column name; a Shapefile's DBF allows 10 ASCII characters. */
  name: z
    .string()
    .regex(
      /^[A-Za-z][A-Za-z0-9_]{0,9}$/,
      '字段名须为 1–10 个字母、数字或下划线 / a DBF field name',
    ),
  label: z.string().max(40),
  source: z.enum(Object.keys(EXCHANGE_SOURCES) as [ExchangeSource, ...ExchangeSource[]]),
  type: z.enum(['string', 'real', 'integer']),
  /** Gengbao's value (as text: `illegal`, `true`) → the province's code (`2`, `是`). */
  codes: z.record(z.string(), z.string()).optional(),
});
export type ExchangeField = z.infer<typeof ExchangeField>;

export const ExchangeMapping = z
  .object({ fields: z.array(ExchangeField).min(1).max(60) })
  .refine((m) => m.fields.some((f) => f.source === 'code'), {
    message:
      '须有图斑编号字段 / the mapping needs the 图斑 code field (the key rows are matched by)',
    path: ['fields'],
  })
  .refine((m) => new Set(m.fields.map((f) => f.name.toUpperCase())).size === m.fields.length, {
    message: '字段名重复 / duplicate field names',
    path: ['fields'],
  });
export type ExchangeMapping = z.infer<typeof ExchangeMapping>;

const YES_NO = { true: '是', false: '否' };

/** The default mapping: the columns of a typical provincial 卫片执法 results table. */
export const DEFAULT_EXCHANGE_MAPPING: ExchangeMapping = {
  fields: [
    { name: 'TBBH', label: '图斑编号', source: 'code', type: 'string' },
    { name: 'JCPC', label: '监测批次', source: 'period', type: 'string' },
    { name: 'XZQDM', label: '行政区代码', source: 'countyCode', type: 'string' },
    { name: 'XMC', label: '县名称', source: 'countyName', type: 'string' },
    { name: 'XZMC', label: '乡镇名称', source: 'townshipName', type: 'string' },
    { name: 'CMC', label: '村名称', source: 'villageName', type: 'string' },
    {
      name: 'TBLY',
      label: '图斑来源',
      source: 'source',
      type: 'string',
      codes: {
        detection: '卫片',
        batch: '下发',
        patrol: '巡查',
        tip: '举报',
        video: '视频',
        manual: '其他',
        inspectorate: '督察',
        media: '媒体',
        higher_authority: '上级交办',
      },
    },
    { name: 'JCMJ', label: '监测面积（亩）', source: 'areaMu', type: 'real' },
    { name: 'GDMJ', label: '耕地面积（亩）', source: 'farmlandMu', type: 'real' },
    { name: 'YJJBNTMJ', label: '永久基本农田面积（亩）', source: 'pbfMu', type: 'real' },
    {
      name: 'PDLX',
      label: '判定类型',
      source: 'verdict',
      type: 'string',
      codes: { lawful: '1', illegal: '2', other: '3' },
    },
    {
      name: 'WFLX',
      label: '违法类型',
      source: 'illegalSubtype',
      type: 'string',
      codes: { new: '1', legacy: '2' },
    },
    { name: 'SFZZ', label: '是否制止', source: 'stopped', type: 'string', codes: YES_NO },
    { name: 'SFLA', label: '是否立案', source: 'filed', type: 'string', codes: YES_NO },
    { name: 'LAH', label: '立案号', source: 'caseNo', type: 'string' },
    { name: 'CFJDWH', label: '处罚决定书文号', source: 'decisionNo', type: 'string' },
    { name: 'SFZGDW', label: '是否整改到位', source: 'rectified', type: 'string', codes: YES_NO },
    { name: 'SFJA', label: '是否结案', source: 'closed', type: 'string', codes: YES_NO },
  ],
};

/** What a 图斑 exports from: the store's row, its places and its case. */
export interface ExchangeRecord {
  code: string;
  period: string;
  source: string;
  status: string;
  jurisdictionCode: string;
  areaMu: number;
  names: { county: string | null; township: string | null; village: string | null };
  state: PolygonCaseState | null;
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/** Gengbao's values of one 图斑, by source. */
export function exchangeValues(r: ExchangeRecord): Record<ExchangeSource, ExchangeValue> {
  const s = r.state;
  const layer = s?.analysis?.layerMu ?? {};
  const d = s?.determination;
  return {
    code: r.code,
    period: r.period,
    countyCode: r.jurisdictionCode.slice(0, 6),
    countyName: r.names.county,
    townshipName: r.names.township,
    villageName: r.names.village,
    source: r.source,
    status: r.status,
    areaMu: round2(s?.analysis?.totalMu ?? r.areaMu),
    farmlandMu: round2(layer.farmland ?? 0),
    pbfMu: round2(layer.pbf ?? layer.permanent_basic_farmland ?? 0),
    verdict: d?.category ?? null,
    illegalSubtype: d?.category === 'illegal' ? (d.illegalSubtype ?? null) : null,
    stopped: !!s?.stop,
    filed: !!s?.caseFile,
    caseNo: s?.caseFile?.caseNo ?? null,
    decisionNo: s?.decision?.decisionNo ?? null,
    rectified: !!s?.rechecks.some((c) => c.passed),
    closed: r.status === 'closed',
  };
}

/** The province's row of one 图斑: each field's value, coded where the mapping codes it. */
export function toExchangeRow(
  m: ExchangeMapping,
  values: Record<ExchangeSource, ExchangeValue>,
): Record<string, ExchangeValue> {
  const out: Record<string, ExchangeValue> = {};
  for (const f of m.fields) {
    const v = values[f.source];
    out[f.name] = v === null ? null : f.codes ? (f.codes[String(v)] ?? String(v)) : v;
  }
  return out;
}

/** One row of a province's file read back: Gengbao's values, or why a field was refused. */
export interface ExchangeRowRead {
  values: Partial<Record<ExchangeSource, ExchangeValue>>;
  refused: { field: string; value: string; reason: string }[];
}

/**
 * Reads a province's row through the mapping: field names matched case-insensitively (DBF
 * readers upper-case them), codes turned back into Gengbao's values; a code the mapping does
 * not know is refused, field by field, never guessed.
 */
export function fromExchangeRow(m: ExchangeMapping, row: Record<string, unknown>): ExchangeRowRead {
  const byName = new Map(Object.entries(row).map(([k, v]) => [k.toUpperCase(), v]));
  const out: ExchangeRowRead = { values: {}, refused: [] };
  for (const f of m.fields) {
    const raw = byName.get(f.name.toUpperCase());
    if (raw === undefined || raw === null || raw === '') continue;
    const text = String(raw).trim();
    if (f.codes) {
      const hit = Object.entries(f.codes).find(([, code]) => code === text);
      if (!hit) {
        out.refused.push({
          field: f.name,
          value: text,
          reason: `${f.label}没有代码“${text}” / unknown code`,
        });
        continue;
      }
      out.values[f.source] = hit[0] === 'true' ? true : hit[0] === 'false' ? false : hit[0];
    } else if (f.type === 'string') out.values[f.source] = text;
    else {
      const n = Number(text);
      if (!Number.isFinite(n))
        out.refused.push({
          field: f.name,
          value: text,
          reason: `${f.label}不是数字 / not a number`,
        });
      else out.values[f.source] = n;
    }
  }
  return out;
}
