/**
 * The Chinese words of the registers' and reports' codes, for the xlsx files offices forward
 * (the office app has its own bilingual words in web/src/i18n.ts).
 */
export const STATUS_ZH: Record<string, string> = {
  found: '发现',
  analysed: '套合',
  pushed: '下发',
  verified: '核查举证',
  determined: '判定',
  returned: '退回整改',
  disputed: '异议',
  reviewed: '审核通过',
  stopped: '制止',
  case_filed: '立案',
  decided: '处罚决定',
  enforced: '执行',
  rectified: '整改',
  rechecked: '复核',
  closed: '结案',
};

export const CATEGORY_ZH: Record<string, string> = {
  lawful: '合法',
  illegal: '违法',
  other: '其他',
};

export const INTERFERENCE_HOW_ZH: Record<string, string> = {
  phone: '电话',
  in_person: '当面',
  written: '书面',
  message: '短信或即时消息',
  intermediary: '托人说情',
  other: '其他',
};

export const TRANSFER_TO_ZH: Record<string, string> = {
  police: '公安机关',
  discipline: '纪检监察机关',
  procuratorate: '检察机关',
};

export const TRANSFER_OUTCOME_ZH: Record<string, string> = {
  filed: '立案侦查',
  not_filed: '不予立案',
  prosecuted: '提起公诉',
  sanctioned: '给予处分',
  returned: '退回',
  other: '其他',
};

export const SOURCE_ZH: Record<string, string> = {
  detection: '遥感监测',
  batch: '下发批次',
  patrol: '巡查发现',
  tip: '举报线索',
  video: '视频监控',
  manual: '手工录入',
  inspectorate: '督察交办',
  media: '媒体曝光',
  higher_authority: '上级交办',
};

export const BASIS_ZH: Record<string, string> = {
  illegal_ratio: '违法占用耕地面积比例',
  weak_enforcement: '执法不力',
  scorecard: '考核评分',
  case: '具体案件',
  other: '其他',
};
