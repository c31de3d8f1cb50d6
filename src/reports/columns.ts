/**
 * The two tables of the statistical report (统计报表), column by column: Chinese headers under
 * their merged group headers, and what kind of figure each column holds. The xlsx and PDF
 * writers draw from this list alone, so both formats show the same table.
 */

/** `count`: 宗 (a whole number); `mu`: 亩 to two decimals; `percent`: a share, 0–1. */
export type CellKind = 'count' | 'mu' | 'percent';

export interface ReportColumn {
  key: string;
  /** The lower header; the whole header when the column has no group. */
  label: string;
  /** The upper header, merged over the columns that share it. */
  group?: string;
  kind: CellKind;
}

export interface ReportTableSpec {
  id: 'discovery' | 'enforcement';
  title: string;
  columns: ReportColumn[];
}

const count = (key: string, label: string, group?: string): ReportColumn => ({
  key,
  label,
  group,
  kind: 'count',
});
const mu = (key: string, label: string, group?: string): ReportColumn => ({
  key,
  label,
  group,
  kind: 'mu',
});

/** Sources in the order of docs/DOMAIN.md "图斑 and their sources", with the office app's names. */
export const SOURCE_LABELS: Readonly<Record<string, string>> = {
  detection: '遥感监测',
  batch: '下发批次',
  patrol: '巡查发现',
  tip: '举报线索',
  video: '视频监控',
  manual: '手工录入',
};

const verdictColumns = (key: string, name: string) => [
  count(key, '宗数', name),
  mu(`${key}FarmMu`, '耕地', name),
  mu(`${key}PbfMu`, '永久基本农田', name),
];

/** 表一: what was found, checked and judged. */
export const DISCOVERY_TABLE: ReportTableSpec = {
  id: 'discovery',
  title: '表一 图斑发现与核查判定情况',
  columns: [
    count('found', '宗数', '发现图斑'),
    mu('foundMu', '面积', '发现图斑'),
    ...Object.entries(SOURCE_LABELS).map(([s, label]) => count(`src_${s}`, label, '发现图斑')),
    count('verified', '已核查'),
    ...verdictColumns('lawful', '合法'),
    ...verdictColumns('illegal', '违法'),
    ...verdictColumns('other', '其他'),
    count('undetermined', '未判定'),
    count('illegalNew', '新增宗数', '违法中新增与存量'),
    mu('illegalNewFarmMu', '新增耕地', '违法中新增与存量'),
    count('illegalLegacy', '存量宗数', '违法中新增与存量'),
  ],
};

/** 表二: stopping, investigating, enforcing and restoring the illegal ones. */
export const ENFORCEMENT_TABLE: ReportTableSpec = {
  id: 'enforcement',
  title: '表二 制止查处与整改情况',
  columns: [
    count('stopped', '已制止'),
    count('filed', '合计', '立案'),
    count('filed_direct', '直接立案', '立案'),
    count('filed_joint', '联合立案', '立案'),
    count('filed_supervised', '挂牌督办', '立案'),
    count('decided', '合计', '处罚决定'),
    count('m_demolish', '拆除', '处罚决定'),
    count('m_confiscate', '没收', '处罚决定'),
    count('m_restore_land', '恢复耕地', '处罚决定'),
    count('m_fine', '罚款', '处罚决定'),
    count('m_after_permit', '补办手续', '处罚决定'),
    count('enforced', '已执行'),
    count('rectified', '已整改', '整改复核'),
    count('rechecked', '复核通过', '整改复核'),
    count('t_police', '公安机关', '移送'),
    count('t_procuratorate', '检察机关', '移送'),
    count('t_discipline', '纪检监察', '移送'),
    count('overdue', '逾期未办'),
    { key: 'rectificationRate', label: '整改率', kind: 'percent' },
    mu('constructionMu', '新增建设占耕', '违法占用耕地比例'),
    { key: 'illegalRatio', label: '比例', group: '违法占用耕地比例', kind: 'percent' },
  ],
};

export const REPORT_TABLES: readonly ReportTableSpec[] = [DISCOVERY_TABLE, ENFORCEMENT_TABLE];
