/**
 * What each lifecycle action must carry (evidence and fields), as zod schemas. Membership in
 * configured lists (reasons, subtypes) is checked by the transition guards, since the lists
 * are per-province configuration. Every input carries `version`, the polygon version the actor
 * saw (optimistic concurrency: a stale version is a conflict, not a silent overwrite).
 */
import { z } from 'zod';

const Instant = z.iso.datetime({ offset: true });
const Text = z.string().trim().min(1);
const Sha256 = z
  .string()
  .regex(/^[0-9a-f]{64}$/, '照片哈希不正确 / SHA-256 as 64 lowercase hex digits');

/** A GPS-stamped site photo (the file lives in the field evidence store; we keep its hash). */
export const Photo = z.object({
  sha256: Sha256,
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  takenAt: Instant,
  azimuth: z.number().min(0).max(360).optional(),
});

const Party = z.object({
  kind: z.enum(['person', 'organisation']),
  name: Text,
  idNumber: z.string().optional(),
  phone: z.string().optional(),
  address: z.string().optional(),
});

export const MEASURE_KINDS = [
  'demolish',
  'confiscate',
  'restore_land',
  'fine',
  'after_permit',
] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];
const Measure = z
  .object({ kind: z.enum(MEASURE_KINDS), amountYuan: z.number().positive().optional() })
  .refine((m) => m.kind !== 'fine' || m.amountYuan !== undefined, {
    message: '罚款须填写金额 / a fine needs amountYuan',
    path: ['amountYuan'],
  });

/** What became of a transfer: 立案侦查, 不予立案, 提起公诉, 给予处分, 退回, 其他. */
export const TRANSFER_OUTCOMES = [
  'filed',
  'not_filed',
  'prosecuted',
  'sanctioned',
  'returned',
  'other',
] as const;
export type TransferOutcome = (typeof TRANSFER_OUTCOMES)[number];

const base = { version: z.int().min(1) };
const stopFields = {
  ...base,
  method: z.enum(['on_site', 'stop_order']),
  orderNo: z.string().optional(),
  stoppedAt: Instant,
  photos: z.array(Photo).min(1),
};
const stopRefine = (s: { method: string; orderNo?: string }) =>
  s.method !== 'stop_order' || !!s.orderNo?.trim();
const stopMsg = {
  message: '下达通知书须填写文号 / a stop order needs its number',
  path: ['orderNo'],
};

export const InputSchemas = {
  analyse: z.object({
    ...base,
    totalMu: z.number().min(0),
    /** 亩 on each reference layer (farmland, permanent_basic_farmland, ecological_red_line, …). */
    layerMu: z.record(z.string(), z.number().min(0)),
    preJudgment: z.object({
      approval: z.enum(['approved', 'unapproved', 'partly_approved']),
      onFarmland: z.boolean(),
      onPermanentBasicFarmland: z.boolean(),
    }),
    repeatOf: z.string().optional(),
  }),
  dismiss: z.object({ ...base, reason: Text, note: z.string().optional() }),
  push: z.object({
    ...base,
    unitCode: z.string().regex(/^\d{6,20}$/, 'a county, township or village code'),
    assigneeIds: z.array(Text),
    period: z.string().optional(),
  }),
  verify: z.object({
    ...base,
    photos: z.array(Photo),
    description: Text,
    visitedAt: Instant,
    projectName: z.string().optional(),
    builder: z.string().optional(),
    buildDate: z.string().optional(),
    use: z.string().optional(),
  }),
  determine: z
    .object({
      ...base,
      category: z.enum(['lawful', 'illegal', 'other']),
      approvalDocNo: z.string().optional(),
      illegalSubtype: z.string().optional(),
      buildYear: z.int().min(1949).max(2200).optional(),
      otherReason: z.string().optional(),
      ruralHousingReasons: z.array(z.string()).default([]),
      note: z.string().optional(),
    })
    .refine((d) => d.category !== 'lawful' || !!d.approvalDocNo?.trim(), {
      message: '判定合法须填写批准文号 / a lawful verdict needs the approval document number',
      path: ['approvalDocNo'],
    })
    .refine((d) => d.category !== 'illegal' || !!d.illegalSubtype, {
      message: '判定违法须选择违法类型 / an illegal verdict needs 新增/存量',
      path: ['illegalSubtype'],
    })
    .refine((d) => d.category !== 'other' || !!d.otherReason, {
      message: '判定其他须选择情形 / an "other" verdict needs its reason',
      path: ['otherReason'],
    }),
  accept: z.object({ ...base, note: z.string().optional() }),
  return: z.object({ ...base, reason: Text }),
  dispute: z.object({ ...base, reason: Text, attachments: z.array(Sha256).default([]) }),
  uphold_dispute: z.object({ ...base, reason: Text }),
  reject_dispute: z.object({ ...base, reason: Text }),
  stop_early: z.object(stopFields).refine(stopRefine, stopMsg),
  stop: z.object(stopFields).refine(stopRefine, stopMsg),
  file_case: z
    .object({
      ...base,
      mode: z.enum(['direct', 'joint', 'supervised']),
      caseNo: Text,
      parties: z.array(Party).min(1),
      jointAgencies: z.array(Text).default([]),
      listing: z.object({ authority: Text, docNo: Text }).optional(),
    })
    .refine((c) => c.mode !== 'joint' || c.jointAgencies.length > 0, {
      message: '联合立案须填写联合办案单位 / joint filing names the other agencies',
      path: ['jointAgencies'],
    })
    .refine((c) => c.mode !== 'supervised' || c.listing !== undefined, {
      message: '挂牌督办须填写督办机关和文号 / 挂牌督办 needs the listing authority and document',
      path: ['listing'],
    }),
  sign_joint_review: z.object({
    ...base,
    opinion: z.enum(['approve', 'object']),
    note: z.string().optional(),
  }),
  decide: z.object({
    ...base,
    decisionNo: Text,
    measures: z.array(Measure).min(1),
    hearing: z.enum(['held', 'waived', 'not_applicable']),
    investigationReportNo: Text,
    /** Local date by which demolition and restoration must be done (required when ordered). */
    rectifyBy: z.iso.date().optional(),
  }),
  amend_decision: z.object({
    ...base,
    decisionNo: Text,
    measures: z.array(Measure).min(1),
    basis: z.enum(['reconsideration', 'court_judgment', 'correction']),
    reason: Text,
    rectifyBy: z.iso.date().optional(),
  }),
  enforce: z
    .object({
      ...base,
      method: z.enum(['voluntary', 'administrative', 'court_ordered']),
      court: z
        .object({
          rulingNo: Text,
          court: Text,
          implementingGovernment: Text,
          courtPresent: z.literal(true),
        })
        .optional(),
      measuresDone: z.array(z.enum(MEASURE_KINDS)).min(1),
      photos: z.array(Photo).min(1),
      finePaidYuan: z.number().min(0).optional(),
    })
    .refine((e) => e.method !== 'court_ordered' || e.court !== undefined, {
      message:
        '申请法院强制执行须填写裁定书、法院、组织实施的政府并确认法院到场 / 法院裁定准予执行 needs the ruling, the court, the implementing government and court presence',
      path: ['court'],
    }),
  transfer: z.object({
    ...base,
    to: z.enum(['police', 'discipline', 'procuratorate']),
    docNo: Text,
    reason: Text,
  }),
  rectify: z.object({
    ...base,
    restoredToFarming: z.literal(true),
    photos: z.array(Photo).min(1),
    completedAt: Instant,
  }),
  recheck_pass: z
    .object({
      ...base,
      method: z.enum(['imagery', 'site']),
      imageryDate: z.iso.date().optional(),
      photos: z.array(Photo).default([]),
      note: z.string().optional(),
    })
    .refine((r) => (r.method === 'imagery' ? !!r.imageryDate : r.photos.length > 0), {
      message:
        '影像复核须填写影像日期，实地复核须有照片 / an imagery recheck names the image date; a site recheck has photos',
      path: ['imageryDate'],
    }),
  recheck_fail: z.object({ ...base, method: z.enum(['imagery', 'site']), reason: Text }),
  spot_check_confirm: z.object({ ...base, sampleSeed: Text, note: z.string().optional() }),
  spot_check_reject: z.object({
    ...base,
    sampleSeed: Text,
    finding: Text,
    correctCategory: z.enum(['lawful', 'illegal', 'other']),
  }),
  report_major: z.object({
    ...base,
    urgent: z.boolean(),
    reportedTo: z.array(z.enum(['same_level_government', 'level_above'])).min(1),
    summary: Text,
  }),
  record_interference: z.object({
    ...base,
    interferer: z.object({
      name: Text,
      position: z.string().optional(),
      organisation: z.string().optional(),
    }),
    occurredAt: Instant,
    how: z.enum(['phone', 'in_person', 'written', 'message', 'intermediary', 'other']),
    description: Text,
  }),
  close: z.object({ ...base, summary: Text }),
  // 挂牌督办 by a higher authority, the county's progress reports, and 摘牌
  // (docs/DOMAIN.md "Registers"): a listing is about one case, so it lives in its record.
  list_case: z.object({
    ...base,
    authority: Text,
    docNo: Text,
    deadline: z.iso.date().optional(),
    requirements: z.string().optional(),
  }),
  report_listing_progress: z.object({
    ...base,
    progress: Text,
    attachments: z.array(Sha256).default([]),
  }),
  lift_listing: z.object({ ...base, docNo: Text, reason: Text }),
  // The re-check on later imagery, taken by Gengbao itself when a new scene covers the 图斑
  // (transitions-recheck.ts): the three dates compared, what the detector measured, the rule's
  // verdict and reasons, and the hashes of the before / violation / now chips.
  imagery_recheck: z.object({
    ...base,
    result: z.enum(['restored', 'not_restored', 'resumed', 'inconclusive']),
    recheckId: z.int().min(1),
    imageryId: z.int().min(1),
    imageryDate: z.iso.date(),
    violationDate: z.iso.date(),
    beforeDate: z.iso.date(),
    gone: z.number().min(0).max(1),
    residual: z.number().min(0).max(1),
    grownM2: z.number().min(0),
    reasons: z.array(Text),
    chips: z.array(Sha256),
  }),
  // What the police, procuratorate or discipline body answered a transfer: its receipt
  // (受理回执) and, later, its outcome; either or both.
  transfer_feedback: z
    .object({
      ...base,
      transferDocNo: Text,
      receiptNo: z.string().trim().min(1).optional(),
      receivedAt: z.iso.date().optional(),
      outcome: z.enum(TRANSFER_OUTCOMES).optional(),
      outcomeNote: z.string().optional(),
    })
    .refine((f) => f.receiptNo !== undefined || f.outcome !== undefined, {
      message: '须填写受理回执或处理结果 / a transfer feedback carries the receipt or the outcome',
      path: ['receiptNo'],
    }),
} as const;

export type Action = keyof typeof InputSchemas;
export const ACTIONS = Object.keys(InputSchemas) as Action[];
export type InputOf<A extends Action> = z.infer<(typeof InputSchemas)[A]>;
export type PhotoEvidence = z.infer<typeof Photo>;
export type Measure = z.infer<typeof Measure>;
export type CaseParty = z.infer<typeof Party>;
