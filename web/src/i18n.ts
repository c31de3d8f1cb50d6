import { createContext, useContext } from 'react';

export type Lang = 'zh' | 'en';

/** Every text of the app in Chinese (default) and English; keys are stable ids. */
const TEXT = {
  appName: { zh: '耕保', en: 'Gengbao' },
  tagline: { zh: '早发现、早制止、严查处', en: 'Detect early, stop early, investigate strictly' },
  username: { zh: '用户名', en: 'Username' },
  password: { zh: '密码', en: 'Password' },
  login: { zh: '登录', en: 'Log in' },
  logout: { zh: '退出', en: 'Log out' },
  loginFailed: { zh: '登录失败', en: 'Login failed' },
  navMap: { zh: '一张图', en: 'Map' },
  navQueues: { zh: '工作台', en: 'Work queues' },
  navDashboard: { zh: '统计', en: 'Dashboard' },
  language: { zh: 'English', en: '中文' },
  layers: { zh: '图层', en: 'Layers' },
  search: { zh: '搜索图斑编号或地名', en: 'Search polygon code or place' },
  noResults: { zh: '无结果', en: 'No results' },
  loading: { zh: '加载中…', en: 'Loading…' },
  error: { zh: '出错了', en: 'Something went wrong' },
  // layers
  layer_imagery_after: { zh: '影像（后时相）', en: 'Imagery (after)' },
  layer_imagery_before: { zh: '影像（前时相）', en: 'Imagery (before)' },
  layer_polygons: { zh: '图斑', en: 'Change polygons' },
  layer_county: { zh: '县界', en: 'County boundaries' },
  layer_township: { zh: '乡镇界', en: 'Township boundaries' },
  layer_village: { zh: '村界', en: 'Village boundaries' },
  layer_farmland: { zh: '耕地', en: 'Farmland' },
  layer_pbf: { zh: '永久基本农田', en: 'Permanent basic farmland' },
  layer_redline: { zh: '生态保护红线', en: 'Ecological red line' },
  layer_approval: { zh: '批准用地', en: 'Approved land use' },
  layer_facility: { zh: '设施农用地', en: 'Agricultural facilities' },
  layer_temporary: { zh: '临时用地', en: 'Temporary use' },
  layer_homestead: { zh: '宅基地', en: 'Homesteads' },
  compare: { zh: '前后对比', en: 'Before / after' },
  swipeHint: { zh: '拖动滑块对比前后时相影像', en: 'Drag the slider to compare before and after' },
  drawArea: { zh: '画范围筛选', en: 'Draw an area filter' },
  clearArea: { zh: '清除范围', en: 'Clear area' },
  uploadArea: { zh: '上传范围 (GeoJSON)', en: 'Upload area (GeoJSON)' },
  drawHint: {
    zh: '在地图上点击绘制多边形，双击结束',
    en: 'Click on the map to draw, double-click to finish',
  },
  inArea: { zh: '范围内图斑', en: 'Polygons in the area' },
  // queues
  queue_to_push: { zh: '待下发', en: 'To push' },
  queue_to_verify: { zh: '待核查', en: 'To verify' },
  queue_to_determine: { zh: '待判定', en: 'To determine' },
  queue_to_review: { zh: '待审核', en: 'To review' },
  queue_returned: { zh: '已退回', en: 'Returned' },
  queue_overdue: { zh: '已逾期', en: 'Overdue' },
  queue_all: { zh: '全部图斑', en: 'All polygons' },
  period: { zh: '批次', en: 'Period' },
  source: { zh: '来源', en: 'Source' },
  status: { zh: '状态', en: 'Status' },
  jurisdiction: { zh: '行政区', en: 'Jurisdiction' },
  any: { zh: '全部', en: 'All' },
  code: { zh: '图斑编号', en: 'Code' },
  area: { zh: '面积', en: 'Area' },
  areaM2: { zh: '面积（平方米）', en: 'Area (m²)' },
  areaMu: { zh: '面积（亩）', en: 'Area (mu)' },
  foundOn: { zh: '发现日期', en: 'Found on' },
  dueAt: { zh: '办理期限', en: 'Due' },
  overdue: { zh: '逾期未办', en: 'Overdue' },
  count: { zh: '数量', en: 'Count' },
  items: { zh: '条', en: 'items' },
  open: { zh: '查看', en: 'Open' },
  showOnMap: { zh: '在图上显示', en: 'Show on map' },
  operations: { zh: '批量作业', en: 'Operations' },
  documents: { zh: '文书', en: 'Documents' },
  noDocuments: { zh: '暂无文书', en: 'No documents yet' },
  doc_approval: { zh: '批准文号', en: 'Approval document' },
  doc_stop: { zh: '责令停止违法行为通知书', en: 'Stop order' },
  doc_case: { zh: '立案号', en: 'Case number' },
  doc_listing: { zh: '挂牌督办文号', en: 'Supervised listing' },
  doc_investigation: { zh: '调查报告', en: 'Investigation report' },
  doc_decision: { zh: '行政处罚决定书', en: 'Decision' },
  doc_transfer_police: { zh: '移送公安文书', en: 'Transfer to police' },
  doc_transfer_discipline: { zh: '移送纪检监察文书', en: 'Transfer to discipline body' },
  doc_transfer_procuratorate: { zh: '移送检察院文书', en: 'Transfer to procuratorate' },
  recordJson: {
    zh: '下载执法全过程记录（JSON，含哈希链）',
    en: 'Download the full record (JSON, hash-chained)',
  },
  minFarmMu: { zh: '占耕地面积 ≥（亩）', en: 'On farmland ≥ (mu)' },
  runOverlay: { zh: '对本批次进行套合', en: 'Run overlay (套合) for the period' },
  detection: { zh: '变化检测', en: 'Change detection' },
  beforeImagery: { zh: '前时相', en: 'Before' },
  afterImagery: { zh: '后时相', en: 'After' },
  sensor: { zh: '传感器', en: 'Sensor' },
  classifier: { zh: '判别方法', en: 'Decision' },
  classifierDefault: { zh: '按传感器默认', en: 'Sensor default' },
  classifierRules: { zh: '规则', en: 'Rules' },
  classifierLearned: { zh: '机器学习模型', en: 'Learned model' },
  runDetection: { zh: '检测并入库本批次图斑', en: 'Detect and store 图斑 for the period' },
  detected: { zh: '检出', en: 'detected' },
  note_alignment: { zh: '网格对齐', en: 'Grids' },
  note_resolution: { zh: '工作分辨率', en: 'Working resolution' },
  note_radiometry: { zh: '辐射定标', en: 'Radiometry' },
  stored: { zh: '入库', en: 'stored' },
  analysed: { zh: '已套合', en: 'analysed' },
  job_queued: { zh: '排队中', en: 'Queued' },
  job_running: { zh: '运行中', en: 'Running' },
  job_succeeded: { zh: '已完成', en: 'Done' },
  job_failed: { zh: '失败', en: 'Failed' },
  sampleRate: { zh: '抽查比例', en: 'Sample rate' },
  drawSpotCheck: { zh: '抽取抽查样本', en: 'Draw a spot check' },
  seed: { zh: '随机种子', en: 'Seed' },
  publish: { zh: '执法公示', en: 'Publish (执法公示)' },
  published: { zh: '已公示', en: 'Published' },
  // polygon page
  polygon: { zh: '图斑', en: 'Polygon' },
  figures: { zh: '基本信息', en: 'Figures' },
  changeType: { zh: '变化类型', en: 'Change type' },
  score: { zh: '置信度', en: 'Score' },
  imageryDates: { zh: '影像时相', en: 'Imagery dates' },
  before: { zh: '前时相', en: 'Before' },
  after: { zh: '后时相', en: 'After' },
  noImagery: { zh: '此处无影像', en: 'No imagery here' },
  record: { zh: '处置记录', en: 'Record' },
  noEvents: { zh: '暂无记录', en: 'No events yet' },
  actions: { zh: '可办理事项', en: 'Actions' },
  noActions: { zh: '当前无可办理事项', en: 'No action open to you now' },
  actionsUnavailable: {
    zh: '办理功能尚未启用',
    en: 'Case actions are not available on this server yet',
  },
  submit: { zh: '提交', en: 'Submit' },
  cancel: { zh: '取消', en: 'Cancel' },
  actionDone: { zh: '已办理', en: 'Recorded' },
  properties: { zh: '属性', en: 'Properties' },
  back: { zh: '返回', en: 'Back' },
  // dashboard
  byCounty: { zh: '各县（市、区）图斑', en: 'Polygons by county' },
  byPeriod: { zh: '各批次图斑', en: 'Polygons by period' },
  statusMix: { zh: '处置状态', en: 'Status mix' },
  sourceMix: { zh: '图斑来源', en: 'Sources' },
  totalPolygons: { zh: '图斑总数', en: 'Polygons' },
  totalArea: { zh: '总面积（亩）', en: 'Total area (mu)' },
  openItems: { zh: '未办结', en: 'Open' },
  clickThrough: { zh: '点击图表查看明细', en: 'Click a chart to see the list behind it' },
  // statuses
  st_found: { zh: '发现', en: 'Found' },
  st_analysed: { zh: '已套合', en: 'Analysed' },
  st_pushed: { zh: '已下发', en: 'Pushed' },
  st_verified: { zh: '已核查', en: 'Verified' },
  st_determined: { zh: '已判定', en: 'Determined' },
  st_returned: { zh: '退回补正', en: 'Returned for correction' },
  st_disputed: { zh: '异议', en: 'Disputed' },
  st_reviewed: { zh: '审核通过', en: 'Reviewed' },
  st_stopped: { zh: '已制止', en: 'Stopped' },
  st_case_filed: { zh: '已立案', en: 'Case filed' },
  st_decided: { zh: '已决定', en: 'Decided' },
  st_enforced: { zh: '已执行', en: 'Enforced' },
  st_rectified: { zh: '已整改', en: 'Rectified' },
  st_rechecked: { zh: '已复核', en: 'Rechecked' },
  st_closed: { zh: '已销号', en: 'Closed' },
  // sources
  src_detection: { zh: '遥感监测', en: 'Detection' },
  src_batch: { zh: '下发批次', en: 'Batch' },
  src_patrol: { zh: '巡查发现', en: 'Patrol' },
  src_tip: { zh: '举报线索', en: 'Tip-off' },
  src_video: { zh: '视频监控', en: 'Video' },
  src_manual: { zh: '手工录入', en: 'Manual' },
  // roles
  role_admin: { zh: '系统管理员', en: 'Administrator' },
  role_province_monitor: { zh: '省级监测', en: 'Province monitor' },
  role_city_reviewer: { zh: '市级审核', en: 'City reviewer' },
  role_county_officer: { zh: '县级执法', en: 'County officer' },
  role_township_chief: { zh: '乡镇田长', en: 'Township chief' },
  role_village_chief: { zh: '村级田长', en: 'Village chief' },
  role_supervisor: { zh: '督察', en: 'Supervisor' },
  mu: { zh: '亩', en: 'mu' },
  // lifecycle actions (labels as the state machine names them)
  act_found: { zh: '发现', en: 'Found' },
  act_analyse: { zh: '套合分析', en: 'Overlay analysis' },
  act_dismiss: { zh: '伪变化剔除', en: 'Dismissed as false change' },
  act_push: { zh: '下发', en: 'Pushed' },
  act_verify: { zh: '核查举证', en: 'Field verification' },
  act_determine: { zh: '判定', en: 'Determination' },
  act_accept: { zh: '审核通过', en: 'Accepted on review' },
  act_return: { zh: '退回补正', en: 'Returned for correction' },
  act_dispute: { zh: '异议', en: 'Dispute' },
  act_uphold_dispute: { zh: '异议成立', en: 'Dispute upheld' },
  act_reject_dispute: { zh: '异议不成立', en: 'Dispute rejected' },
  act_stop_early: { zh: '早制止', en: 'Stopped early' },
  act_stop: { zh: '制止', en: 'Stopped' },
  act_file_case: { zh: '立案', en: 'Case filed' },
  act_sign_joint_review: { zh: '集体审议', en: 'Joint review' },
  act_decide: { zh: '处罚决定', en: 'Penalty decision' },
  act_amend_decision: { zh: '变更决定', en: 'Decision amended' },
  act_enforce: { zh: '执行', en: 'Enforcement' },
  act_transfer: { zh: '移送（行刑衔接）', en: 'Transfer (criminal referral)' },
  act_rectify: { zh: '整改', en: 'Rectification' },
  act_recheck_pass: { zh: '复核通过', en: 'Recheck passed' },
  act_recheck_fail: { zh: '复核未通过', en: 'Recheck failed' },
  act_spot_check_confirm: { zh: '抽查核实', en: 'Spot check confirmed' },
  act_spot_check_reject: { zh: '抽查纠错', en: 'Spot check corrected' },
  act_report_major: { zh: '重大案件报告', en: 'Major case report' },
  act_record_interference: { zh: '干预记录', en: 'Interference recorded' },
  act_close: { zh: '结案销号', en: 'Closed' },
  // deadline kinds (src/cases/deadline-config.ts)
  dl_verify: { zh: '核查举证', en: 'verification' },
  dl_county_result: { zh: '县级上报', en: 'county result' },
  dl_review: { zh: '审核', en: 'review' },
  dl_correction: { zh: '退回补正', en: 'correction' },
  dl_dispute_ruling: { zh: '异议裁定', en: 'dispute ruling' },
  dl_stop: { zh: '制止', en: 'stop' },
  dl_decide: { zh: '结案期限', en: 'decision' },
  dl_rectify: { zh: '整改', en: 'rectification' },
  dl_recheck: { zh: '复核', en: 'recheck' },
  dl_major_report: { zh: '重大案件报告', en: 'major case report' },
  verdict_lawful: { zh: '合法', en: 'Lawful' },
  verdict_illegal: { zh: '违法', en: 'Illegal' },
  verdict_other: { zh: '其他', en: 'Other' },
  verdict_none: { zh: '未判定', en: 'No verdict yet' },
  verdictMix: { zh: '判定结果', en: 'Verdicts' },
  illegalRatio: {
    zh: '违法占用耕地面积比例',
    en: 'Illegal share of farmland newly occupied',
  },
  ratioYear: { zh: '年度', en: 'Year' },
  ratioLine: { zh: '问责红线', en: 'accountability line' },
  ratioWarningLine: { zh: '预警线', en: 'warning line' },
  ratioIllegalMu: { zh: '新增违法占用耕地（亩）', en: 'Farmland newly occupied illegally (mu)' },
  ratioConstructionMu: {
    zh: '新增建设占用耕地（亩）',
    en: 'Farmland newly occupied by construction (mu)',
  },
  ratioExceeded: { zh: '超过红线', en: 'over the line' },
  ratioWarning: { zh: '预警', en: 'warning' },
  ratioOk: { zh: '正常', en: 'below' },
  ratioNone: { zh: '无新增占用', en: 'nothing occupied' },
  ratioRule: {
    zh: '违法新增占用耕地 ÷ 新增建设占用耕地（合法 + 违法新增，不含存量与其他），按监测期所在年度',
    en: 'new illegal occupation ÷ new construction on farmland (lawful + illegal new; legacy and other excluded), by the year of the monitoring period',
  },
  pushSelected: { zh: '下发所选', en: 'Push selected' },
  selectAllAnalysed: { zh: '全选已套合', en: 'Select all analysed' },
  pushedN: { zh: '已下发', en: 'Pushed' },
  refusedN: { zh: '未下发', en: 'Refused' },
  byWhom: { zh: '办理角色', en: 'by' },
  photos: { zh: '照片', en: 'photos' },
  evidence: { zh: '现场举证照片（蓝点为拍摄位置）', en: 'Field photos (blue dots: where taken)' },
} as const;

export type TextKey = keyof typeof TEXT;

export interface I18n {
  lang: Lang;
  setLang(l: Lang): void;
  t(key: TextKey | string): string;
  /** A number in the language's grouping and decimal style. */
  num(n: number, digits?: number): string;
  /** 亩 always with two decimals (the unit of record in land administration). */
  mu(n: number): string;
  date(d: string | Date): string;
  dateTime(d: string | Date): string;
}

const locale = (l: Lang) => (l === 'zh' ? 'zh-CN' : 'en-GB');

/** Builds the translator and formatters of a language. Unknown keys show as themselves. */
export function makeI18n(lang: Lang, setLang: (l: Lang) => void): I18n {
  const loc = locale(lang);
  const nf = new Map<number, Intl.NumberFormat>();
  const num = (n: number, digits = 0) => {
    let f = nf.get(digits);
    if (!f)
      nf.set(
        digits,
        (f = new Intl.NumberFormat(loc, {
          minimumFractionDigits: digits,
          maximumFractionDigits: digits,
        })),
      );
    return f.format(n);
  };
  const df = new Intl.DateTimeFormat(loc, { year: 'numeric', month: '2-digit', day: '2-digit' });
  const dtf = new Intl.DateTimeFormat(loc, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  return {
    lang,
    setLang,
    t: (key) => (TEXT as Record<string, { zh: string; en: string }>)[key]?.[lang] ?? key,
    num,
    mu: (n) => num(n, 2),
    date: (d) => df.format(typeof d === 'string' ? new Date(d) : d),
    dateTime: (d) => dtf.format(typeof d === 'string' ? new Date(d) : d),
  };
}

export const I18nContext = createContext<I18n>(makeI18n('zh', () => undefined));
export const useI18n = () => useContext(I18nContext);
