/**
 * The words of the action forms: what each input field of `inputs.ts` is called, in Chinese
 * (the users' own terms) and English, with help where the field needs it, and the label of
 * every fixed choice (the enums of the input schemas). Configured choices (违法类型, 八不准,
 * 其他情形, 剔除原因) take their labels from the province configuration instead (config.ts).
 * `forms.test.ts` checks that every field and every choice of every action has its words here,
 * so a field added to an input schema cannot reach a form as a bare code.
 */

export interface Bilingual {
  zh: string;
  en: string;
}

const w = (zh: string, en: string, helpZh?: string, helpEn?: string) => ({
  label: { zh, en },
  ...(helpZh ? { help: { zh: helpZh, en: helpEn ?? '' } } : {}),
});

/** An action's name in English (the Chinese is the transition table's `label`). */
export const ACTION_EN: Record<string, string> = {
  analyse: 'Overlay analysis',
  dismiss: 'Dismiss as a false change',
  push: 'Push down',
  verify: 'Field verification',
  determine: 'Determination',
  accept: 'Accept',
  return: 'Return for correction',
  dispute: 'Dispute the return',
  uphold_dispute: 'Uphold the dispute',
  reject_dispute: 'Reject the dispute',
  stop_early: 'Stop early',
  stop: 'Stop',
  file_case: 'File the case',
  sign_joint_review: 'Joint review',
  decide: 'Penalty decision',
  amend_decision: 'Amend the decision',
  enforce: 'Enforcement',
  transfer: 'Transfer (criminal referral)',
  rectify: 'Rectification',
  recheck_pass: 'Recheck passed',
  recheck_fail: 'Recheck failed',
  spot_check_confirm: 'Spot check: confirm',
  spot_check_reject: 'Spot check: correct',
  report_major: 'Report a major case',
  record_interference: 'Record interference',
  close: 'Close',
  list_case: 'Supervised listing',
  report_listing_progress: 'Listing progress report',
  lift_listing: 'Lift the listing',
  transfer_feedback: 'Transfer receipt and outcome',
  imagery_recheck: 'Automatic re-check on imagery',
};

/**
 * Field words by name, shared by the actions that use the name alike; `action.field` (or
 * `action.parent.field` inside a group) where one action means something else by it.
 */
export const FIELD_WORDS: Record<string, { label: Bilingual; help?: Bilingual }> = {
  // 套合
  totalMu: w('图斑总面积（亩）', 'Total area (mu)'),
  layerMu: w('各图层面积（亩）', 'Area on each layer (mu)'),
  'layerMu.farmland': w('耕地', 'Farmland'),
  'layerMu.pbf': w('永久基本农田', 'Permanent basic farmland'),
  'layerMu.redline': w('生态保护红线', 'Ecological red line'),
  'layerMu.approval': w('批准用地', 'Approved land use'),
  'layerMu.facility': w('设施农用地', 'Agricultural facilities'),
  'layerMu.temporary': w('临时用地', 'Temporary use'),
  'layerMu.homestead': w('宅基地', 'Homesteads'),
  preJudgment: w('预判', 'Pre-judgment'),
  'preJudgment.approval': w('批准情况', 'Approval'),
  'preJudgment.onFarmland': w('占用耕地', 'On farmland'),
  'preJudgment.onPermanentBasicFarmland': w('占用永久基本农田', 'On permanent basic farmland'),
  repeatOf: w(
    '重复图斑编号',
    'Repeat of polygon',
    '与往期图斑重复时填写',
    'When it repeats an earlier polygon',
  ),
  // 剔除、下发
  'dismiss.reason': w('剔除原因', 'Reason for dismissal'),
  note: w('备注', 'Note'),
  unitCode: w(
    '下发单位',
    'Unit',
    '按名称选择县、乡镇、村',
    'Choose the county, township or village by name',
  ),
  assigneeIds: w(
    '承办人',
    'Assignees',
    '该单位的用户，可多选',
    'Accounts of that unit; any number',
  ),
  period: w('监测批次', 'Monitoring period'),
  // 核查举证
  photos: w(
    '现场照片',
    'Site photos',
    '从本图斑已有的现场照片中选择（外业 App 拍摄，带定位和哈希）',
    'Chosen from the site photos already recorded for this polygon (taken in the field app, located and hashed)',
  ),
  description: w('现场情况', 'What is on the ground'),
  visitedAt: w('核查时间', 'Visited at'),
  projectName: w('项目名称', 'Project name'),
  builder: w('建设主体', 'Builder'),
  buildDate: w('建设时间', 'Built when'),
  use: w('用途', 'Use'),
  // 判定
  category: w('判定结果', 'Verdict'),
  approvalDocNo: w('批准文号', 'Approval document number'),
  illegalSubtype: w(
    '违法类型',
    'Kind of violation',
    '新增：本期新建；存量：往年已建',
    'New: built this period; legacy: built in earlier years',
  ),
  buildYear: w('建设年份', 'Year built'),
  otherReason: w('其他情形', 'Other: which case'),
  ruralHousingReasons: w(
    '涉及农村乱占耕地建房“八不准”',
    'Rural-housing "eight prohibitions" breached',
    '违法占用耕地建房时勾选（可多选）',
    'For illegal houses on farmland (any number)',
  ),
  'determine.note': w('判定说明', 'Remarks'),
  // 审核、异议
  'accept.note': w('审核意见', 'Review remarks'),
  'return.reason': w(
    '退回理由',
    'Why it is returned',
    '说明需要补正的内容',
    'What must be corrected',
  ),
  'dispute.reason': w('异议理由', 'Grounds of the dispute'),
  attachments: w('证明材料（照片）', 'Supporting photos'),
  'uphold_dispute.reason': w('裁定理由', 'Grounds of the ruling'),
  'reject_dispute.reason': w('裁定理由', 'Grounds of the ruling'),
  // 制止
  'stop.method': w('制止方式', 'How it was stopped'),
  'stop_early.method': w('制止方式', 'How it was stopped'),
  orderNo: w('责令停止违法行为通知书文号', 'Stop order number'),
  stoppedAt: w('制止时间', 'Stopped at'),
  'stop.photos': w('制止现场照片', 'Photos of the stop'),
  'stop_early.photos': w('制止现场照片', 'Photos of the stop'),
  // 立案
  mode: w('立案方式', 'How the case is filed'),
  caseNo: w('立案号', 'Case number'),
  parties: w('当事人', 'Parties'),
  'parties.kind': w('类型', 'Kind'),
  'parties.name': w('姓名或名称', 'Name'),
  'parties.idNumber': w('身份证号或统一社会信用代码', 'ID or credit code'),
  'parties.phone': w('联系电话', 'Phone'),
  'parties.address': w('住址', 'Address'),
  jointAgencies: w('联合办案单位（每行一个）', 'Joint agencies (one per line)'),
  listing: w('挂牌督办', 'Supervised listing'),
  'listing.authority': w('督办机关', 'Listing authority'),
  'listing.docNo': w('督办文号', 'Listing document number'),
  // 集体审议
  opinion: w('审议意见', 'Opinion'),
  // 处罚决定
  decisionNo: w('行政处罚决定书文号', 'Decision number'),
  measures: w('处罚措施', 'Measures'),
  'measures.kind': w('措施', 'Measure'),
  'measures.amountYuan': w('罚款金额（元）', 'Fine (yuan)'),
  hearing: w('听证', 'Hearing'),
  investigationReportNo: w('调查报告编号', 'Investigation report number'),
  rectifyBy: w(
    '整改期限',
    'Rectify by',
    '拆除和复耕须完成的日期',
    'Date by which demolition and restoration must be done',
  ),
  basis: w('变更依据', 'Grounds for the amendment'),
  'amend_decision.reason': w('变更理由', 'Why it is amended'),
  'amend_decision.decisionNo': w('变更后的决定书文号', 'New decision number'),
  // 执行
  'enforce.method': w('执行方式', 'How it was enforced'),
  court: w('法院裁定', 'Court ruling'),
  'court.rulingNo': w('裁定书文号', 'Ruling number'),
  'court.court': w('法院', 'Court'),
  'court.implementingGovernment': w('组织实施的人民政府', 'Implementing government'),
  'court.courtPresent': w('法院到场监督', 'Court present'),
  measuresDone: w('已执行的措施', 'Measures carried out'),
  'enforce.photos': w('执行现场照片', 'Photos of the enforcement'),
  finePaidYuan: w('已缴罚款（元）', 'Fine paid (yuan)'),
  // 移送
  to: w('移送机关', 'Transferred to'),
  docNo: w('移送文书文号', 'Transfer document number'),
  'transfer.reason': w('移送理由', 'Why it is transferred'),
  // 整改、复核
  restoredToFarming: w('已拆除并恢复耕种', 'Demolished and farmed again'),
  'rectify.photos': w('整改后照片', 'Photos after rectification'),
  completedAt: w('完成时间', 'Completed at'),
  'recheck_pass.method': w('复核方式', 'How it was rechecked'),
  'recheck_fail.method': w('复核方式', 'How it was rechecked'),
  imageryDate: w('复核影像日期', 'Imagery date'),
  'recheck_pass.photos': w('复核照片', 'Recheck photos'),
  'recheck_fail.reason': w('未通过原因', 'Why it failed'),
  // 影像自动复核 (taken by Gengbao: never a person's form, but the record shows these words)
  'imagery_recheck.result': w('复核结论', 'Result'),
  recheckId: w('复核结果编号', 'Re-check result number'),
  imageryId: w('新影像编号', 'New scene number'),
  'imagery_recheck.imageryDate': w('新影像日期', 'New scene date'),
  violationDate: w('违法时点影像日期', 'Violation scene date'),
  beforeDate: w('前时相影像日期', 'Before scene date'),
  gone: w('已无建设比例', 'Share no longer built'),
  residual: w('与前时相仍有变化比例', 'Share still changed since before'),
  grownM2: w('新增建设面积（平方米）', 'Built since the violation (m²)'),
  'imagery_recheck.reasons': w('判断依据', 'Reasons'),
  chips: w('影像切片哈希', 'Chip hashes'),
  // 抽查
  sampleSeed: w('抽查批次（随机种子）', 'Spot check (its seed)'),
  finding: w('抽查发现', 'Finding'),
  correctCategory: w('应判定为', 'Correct verdict'),
  // 重大案件、干预
  urgent: w('紧急', 'Urgent'),
  reportedTo: w('报告对象', 'Reported to'),
  summary: w('摘要', 'Summary'),
  'close.summary': w('结案说明', 'Closing summary'),
  'report_major.summary': w('案情摘要', 'Case summary'),
  interferer: w('干预人', 'Who interfered'),
  'interferer.name': w('姓名', 'Name'),
  'interferer.position': w('职务', 'Position'),
  'interferer.organisation': w('单位', 'Organisation'),
  occurredAt: w('发生时间', 'When'),
  how: w('干预方式', 'How'),
  'record_interference.description': w('经过', 'What happened'),
  // 挂牌督办、移送回执
  authority: w('督办机关', 'Listing authority'),
  'list_case.docNo': w('督办文号', 'Listing document number'),
  deadline: w('督办期限', 'Deadline'),
  requirements: w('督办要求', 'Requirements'),
  progress: w('办理进展', 'Progress'),
  'report_listing_progress.attachments': w('进展材料（照片）', 'Supporting photos'),
  'lift_listing.docNo': w('摘牌文号', 'Lifting document number'),
  'lift_listing.reason': w('摘牌理由', 'Why the listing is lifted'),
  transferDocNo: w('移送文书文号', 'Transfer document number'),
  receiptNo: w('受理回执编号', 'Receipt number'),
  receivedAt: w('受理日期', 'Received on'),
  outcome: w('处理结果', 'Outcome'),
  outcomeNote: w('结果说明', 'About the outcome'),
  // shared free text
  reason: w('理由', 'Reason'),
  method: w('方式', 'Method'),
};

/** Labels of the fixed choices, by field name and value (`field:value`), or by value alone. */
export const CHOICE_WORDS: Record<string, Bilingual> = {
  'approval:approved': { zh: '已批', en: 'Approved' },
  'approval:unapproved': { zh: '未批', en: 'Unapproved' },
  'approval:partly_approved': { zh: '部分已批', en: 'Partly approved' },
  lawful: { zh: '合法', en: 'Lawful' },
  'result:restored': { zh: '已恢复', en: 'Restored' },
  'result:not_restored': { zh: '未恢复', en: 'Not restored' },
  'result:resumed': { zh: '恢复建设或扩建', en: 'Building resumed or extended' },
  'result:inconclusive': { zh: '无法判断', en: 'Inconclusive' },
  illegal: { zh: '违法', en: 'Illegal' },
  other: { zh: '其他', en: 'Other' },
  on_site: { zh: '现场制止', en: 'Stopped on site' },
  stop_order: { zh: '下达责令停止违法行为通知书', en: 'Stop order served' },
  person: { zh: '个人', en: 'Person' },
  organisation: { zh: '单位', en: 'Organisation' },
  direct: { zh: '直接立案', en: 'Filed directly' },
  joint: { zh: '联合立案', en: 'Filed jointly' },
  supervised: { zh: '挂牌督办', en: 'Supervised listing' },
  approve: { zh: '同意', en: 'Approve' },
  object: { zh: '不同意', en: 'Object' },
  demolish: { zh: '限期拆除', en: 'Demolish' },
  confiscate: { zh: '没收地上建筑物', en: 'Confiscate the buildings' },
  restore_land: { zh: '恢复土地原状', en: 'Restore the land' },
  fine: { zh: '罚款', en: 'Fine' },
  after_permit: { zh: '补办用地手续', en: 'Permit afterwards' },
  held: { zh: '已举行听证', en: 'Held' },
  waived: { zh: '当事人放弃听证', en: 'Waived by the party' },
  not_applicable: { zh: '不适用', en: 'Not applicable' },
  reconsideration: { zh: '行政复议决定', en: 'Administrative reconsideration' },
  court_judgment: { zh: '法院判决', en: 'Court judgment' },
  correction: { zh: '自行纠正', en: 'Own correction' },
  voluntary: { zh: '当事人自行履行', en: 'Carried out by the party' },
  administrative: { zh: '行政强制执行', en: 'Administrative enforcement' },
  court_ordered: { zh: '申请法院强制执行', en: 'Enforced on a court ruling' },
  police: { zh: '公安机关', en: 'Police' },
  discipline: { zh: '纪检监察机关', en: 'Discipline inspection body' },
  procuratorate: { zh: '检察机关', en: 'Procuratorate' },
  imagery: { zh: '影像复核', en: 'On imagery' },
  site: { zh: '实地复核', en: 'On site' },
  same_level_government: { zh: '同级人民政府', en: 'Government at the same level' },
  level_above: { zh: '上级自然资源主管部门', en: 'Natural resources authority above' },
  phone: { zh: '电话', en: 'Phone call' },
  in_person: { zh: '当面', en: 'In person' },
  written: { zh: '书面', en: 'In writing' },
  message: { zh: '短信或网络消息', en: 'Text or online message' },
  intermediary: { zh: '托人说情', en: 'Through an intermediary' },
  'how:other': { zh: '其他方式', en: 'Other' },
  filed: { zh: '已立案', en: 'Case opened' },
  not_filed: { zh: '不予立案', en: 'Not opened' },
  prosecuted: { zh: '已起诉', en: 'Prosecuted' },
  sanctioned: { zh: '已给予处分', en: 'Sanctioned' },
  'outcome:returned': { zh: '退回', en: 'Sent back' },
  'outcome:other': { zh: '其他结果', en: 'Other' },
};

/** The words of a field: the action's own, then the group's, then the name's. */
export function wordsOf(
  action: string,
  path: string,
): { label: Bilingual; help?: Bilingual } | undefined {
  const parts = path.split('.');
  const last = parts[parts.length - 1];
  const parentLast = parts.slice(-2).join('.');
  return (
    FIELD_WORDS[`${action}.${path}`] ??
    FIELD_WORDS[`${action}.${last}`] ??
    FIELD_WORDS[path] ??
    FIELD_WORDS[parentLast] ??
    FIELD_WORDS[last]
  );
}

/** The label of a fixed choice of a field. */
export function choiceOf(field: string, value: string): Bilingual | undefined {
  return CHOICE_WORDS[`${field}:${value}`] ?? CHOICE_WORDS[value];
}
