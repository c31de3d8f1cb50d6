import { useI18n } from '../i18n.ts';

/** The words of the inbox, the bell and the monitoring panel, Chinese first. */
const TEXT = {
  navInbox: { zh: '消息', en: 'Inbox' },
  bellTitle: { zh: '未读消息', en: 'Unread notices' },
  inbox: { zh: '我的消息', en: 'My notices' },
  unreadOnly: { zh: '只看未读', en: 'Unread only' },
  markRead: { zh: '标为已读', en: 'Mark read' },
  markAllRead: { zh: '全部标为已读', en: 'Mark all read' },
  none: { zh: '没有消息', en: 'No notices' },
  kind_notify: { zh: '图斑下发 / 待办', en: 'Case notice' },
  kind_deadline_reminder: { zh: '期限提醒', en: 'Deadline reminder' },
  kind_deadline_escalation: { zh: '逾期上报', en: 'Overdue escalation' },
  kind_digest: { zh: '每日汇总', en: 'Daily digest' },
  'kind_subscription.new_polygon': { zh: '关注区域：新图斑', en: 'Area: new 图斑' },
  'kind_subscription.overdue': { zh: '关注区域：逾期', en: 'Area: overdue' },
  'kind_subscription.resumed': { zh: '关注区域：复建', en: 'Area: building resumed' },
  kind_require_review: { zh: '待审核', en: 'To review' },
  kind_require_recheck: { zh: '待复核', en: 'To re-check' },
  kind_require_joint_review: { zh: '待集体审议', en: 'Collective review due' },
  kind_require_major_report: { zh: '须报告重大案件', en: 'Major case to report' },
  kind_suggest_transfer: { zh: '建议移送公安', en: 'Transfer to the police suggested' },
  kind_building_resumed: { zh: '复建预警', en: 'Building resumed' },
  kind_recheck_restored: { zh: '影像复核：已恢复', en: 'Re-check on imagery: restored' },
  kind_lead_handed_over: { zh: '交办线索', en: 'Lead handed over' },
  kind_other: { zh: '通知', en: 'Notice' },
  statusNow: { zh: '当前状态：', en: 'Now: ' },
  dueBy: { zh: '截止', en: 'due' },
  overdueDays: { zh: '已逾期 {n} 天', en: '{n} day(s) overdue' },
  signOffs: { zh: '须 {n} 人签署', en: '{n} sign-offs needed' },
  imageryOn: { zh: '影像日期', en: 'Imagery of' },
  open: { zh: '查看图斑', en: 'Open 图斑' },
  monitoring: { zh: '自动监测', en: 'Automatic monitoring' },
  runs: {
    zh: '监测批次（检测 → 套合 → 下发）',
    en: 'Monitoring runs (detect → overlay → dispatch)',
  },
  period: { zh: '期次', en: 'Period' },
  sensor: { zh: '传感器', en: 'Sensor' },
  unit: { zh: '单位', en: 'Unit' },
  stage: { zh: '阶段', en: 'Stage' },
  progress: { zh: '进度', en: 'Progress' },
  stage_queued: { zh: '排队', en: 'queued' },
  stage_detecting: { zh: '变化检测中', en: 'detecting' },
  stage_detected: { zh: '已检测', en: 'detected' },
  stage_analysed: { zh: '已套合', en: 'overlaid' },
  stage_done: { zh: '已下发', en: 'dispatched' },
  stage_refused: { zh: '未执行', en: 'refused' },
  intake: { zh: '影像接收记录', en: 'Scene intake' },
  file: { zh: '文件', en: 'File' },
  date: { zh: '成像日期', en: 'Acquired' },
  status: { zh: '结果', en: 'Result' },
  reason: { zh: '原因', en: 'Reason' },
  status_registered: { zh: '已登记', en: 'registered' },
  status_duplicate: { zh: '重复', en: 'duplicate' },
  status_refused: { zh: '拒收', en: 'refused' },
  subscriptions: { zh: '关注区域订阅', en: 'Area subscriptions' },
  subName: { zh: '名称', en: 'Name' },
  areaFile: { zh: '区域（GeoJSON 文件）', en: 'Area (GeoJSON file)' },
  areaDraw: { zh: '在地图上画区域', en: 'Draw the area on the map' },
  areaDrawing: {
    zh: '单击添加拐点，双击结束（至少三点）',
    en: 'Click to add corners, double-click to finish (three or more)',
  },
  areaReady: { zh: '区域已选定', en: 'Area chosen' },
  areaClear: { zh: '清除区域', en: 'Clear the area' },
  areaCorners: { zh: '个拐点', en: 'corners' },
  events: { zh: '事件', en: 'Events' },
  ev_new_polygon: { zh: '新图斑', en: 'new 图斑' },
  ev_overdue: { zh: '逾期', en: 'overdue' },
  ev_resumed: { zh: '复建', en: 'building resumed' },
  webhook: { zh: '推送地址（须经管理员允许）', en: 'Webhook URL (allowed by the administrator)' },
  subscribe: { zh: '订阅', en: 'Subscribe' },
  unsubscribe: { zh: '取消', en: 'Delete' },
  secretOnce: { zh: '签名密钥（只显示这一次）', en: 'Signing secret (shown this once)' },
  deliveries: { zh: '推送记录', en: 'Webhook deliveries' },
  attempts: { zh: '次数', en: 'Attempts' },
} as const;

export type InboxTextKey = keyof typeof TEXT;

/** Whether the inbox has words for `key` (a notice kind it does not know reads as 通知). */
export const hasInboxText = (key: string) => key in TEXT;

export function useInboxText(): (key: string, vars?: Record<string, string | number>) => string {
  const { lang } = useI18n();
  return (key, vars) => {
    const text = (TEXT as Record<string, { zh: string; en: string }>)[key]?.[lang] ?? key;
    return vars ? text.replace(/\{(\w+)\}/g, (m, k: string) => String(vars[k] ?? m)) : text;
  };
}
