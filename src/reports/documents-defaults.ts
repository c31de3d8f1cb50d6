/**
 * The national default templates of the enforcement documents. Their wording follows the
 * common county forms of 自然资源 enforcement; the legal basis is cited as the Land
 * Administration Law (2019) and the Ministry's 自然资源行政处罚办法. A province replaces any of
 * them as data (documents-template.ts), so these are a starting point, not the law of a place.
 */
import type { DocumentKind, DocumentTemplate } from './documents-template.ts';

const SIGN = '{发文机关}\n{日期}';

export const DEFAULT_TEMPLATES: Readonly<Record<DocumentKind, DocumentTemplate>> = {
  stop_notice: {
    title: '责令停止违法行为通知书',
    number: '{county简称}自然资责停〔{year}〕{seq}号',
    docx: true,
    blocks: [
      { type: 'paragraph', text: '{当事人}：' },
      {
        type: 'paragraph',
        text: '经查，你（单位）在{地点}（图斑编号 {图斑编号}，监测期 {监测期}）{违法事实}',
      },
      {
        type: 'paragraph',
        text: '上述行为涉嫌违反《中华人民共和国土地管理法》的规定。根据《中华人民共和国土地管理法》第六十八条第（四）项的规定，现责令你（单位）立即停止上述违法行为，并于{停止期限}前到本机关接受调查处理。',
      },
      {
        type: 'paragraph',
        text: '逾期不停止违法行为的，本机关将依法予以查处，并可依法采取相关措施。',
      },
      { type: 'signature', text: SIGN },
    ],
  },
  filing_approval: {
    title: '立案审批表',
    number: '{county简称}自然资立〔{year}〕{seq}号',
    docx: true,
    blocks: [
      {
        type: 'fields',
        rows: [
          { label: '案由', value: '涉嫌非法占用土地（图斑 {图斑编号}）' },
          { label: '案号', value: '{立案号}' },
          { label: '立案方式', value: '{立案方式}{联合办案单位}' },
          { label: '当事人', value: '{当事人信息}' },
          { label: '违法地点', value: '{地点}' },
          {
            label: '占地面积',
            value: '{图斑面积亩}亩，其中耕地{耕地亩}亩、永久基本农田{永久基本农田亩}亩',
          },
          { label: '建设内容', value: '{建设内容}' },
          { label: '违法类型', value: '{违法类型}' },
          { label: '案件来源', value: '卫片执法监测图斑（监测期 {监测期}），{核查日期}实地核查' },
          { label: '简要案情', value: '{违法事实}' },
          {
            label: '立案依据',
            value: '《中华人民共和国土地管理法》第七十七条，《自然资源行政处罚办法》第十五条',
          },
          { label: '承办人意见', value: '建议立案调查。' },
          { label: '负责人审批意见', value: '' },
          { label: '立案日期', value: '{立案日期}' },
        ],
      },
      { type: 'signature', text: SIGN },
    ],
  },
  penalty_decision: {
    title: '行政处罚决定书',
    number: '{county简称}自然资罚〔{year}〕{seq}号',
    docx: true,
    blocks: [
      { type: 'paragraph', text: '当事人：{当事人信息}' },
      {
        type: 'paragraph',
        text: '本机关于{立案日期}对你（单位）涉嫌非法占用土地一案立案调查（案号 {立案号}，调查终结报告 {调查报告文号}）。',
      },
      { type: 'heading', text: '一、违法事实' },
      { type: 'paragraph', text: '经查，{违法事实}' },
      { type: 'heading', text: '二、处罚依据和处罚内容' },
      {
        type: 'paragraph',
        text: '上述行为违反了《中华人民共和国土地管理法》第四十四条的规定。依据《中华人民共和国土地管理法》第七十七条的规定，本机关决定：{处罚内容}。',
      },
      { type: 'paragraph', text: '听证：{听证}。' },
      { type: 'heading', text: '三、履行方式和期限' },
      {
        type: 'paragraph',
        text: '请你（单位）于{整改期限}前履行本决定。罚款自收到本决定书之日起十五日内缴至指定银行。逾期不履行的，本机关将依法申请人民法院强制执行。',
      },
      { type: 'heading', text: '四、救济途径' },
      {
        type: 'paragraph',
        text: '如不服本决定，可在收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。',
      },
      { type: 'signature', text: SIGN },
    ],
  },
  demolition_notice: {
    title: '责令限期拆除（恢复）通知书',
    number: '{county简称}自然资拆〔{year}〕{seq}号',
    docx: true,
    blocks: [
      { type: 'paragraph', text: '{当事人}：' },
      {
        type: 'paragraph',
        text: '根据本机关{决定日期}作出的行政处罚决定（{决定文号}），你（单位）在{地点}（图斑编号 {图斑编号}）非法占用土地{图斑面积亩}亩（其中耕地{耕地亩}亩、永久基本农田{永久基本农田亩}亩）上新建的建筑物和其他设施应予处理：{处罚内容}。',
      },
      {
        type: 'paragraph',
        text: '现责令你（单位）于{整改期限}前自行拆除上述建筑物和其他设施，恢复土地原状。逾期不拆除的，本机关将依法申请人民法院强制执行。',
      },
      { type: 'signature', text: SIGN },
    ],
  },
  transfer_letter: {
    title: '涉嫌犯罪案件移送书',
    number: '{county简称}自然资移〔{year}〕{seq}号',
    docx: true,
    blocks: [
      { type: 'paragraph', text: '{移送机关}：' },
      {
        type: 'paragraph',
        text: '本机关在查处{当事人}非法占用土地一案（案号 {立案号}）中发现：{违法事实}',
      },
      {
        type: 'paragraph',
        text: '移送理由：{移送理由}。根据《行政执法机关移送涉嫌犯罪案件的规定》，现将该案移送你单位依法处理（本机关移送文号 {移送文号}，移送日期 {移送日期}）。',
      },
      {
        type: 'paragraph',
        text: '附：案件调查材料、图斑档案（含执法全过程记录及其哈希）。',
      },
      { type: 'signature', text: SIGN },
    ],
  },
};
