import { GengbaoError } from '../errors.ts';
import { covers, prefixAt, type JurisdictionLevel } from '../grid/index.ts';
import {
  ACCOUNTABILITY_LABELS,
  BASIS_ZH,
  CATEGORY_ZH,
  INTERFERENCE_HOW_ZH,
  interferenceRows,
  listingRows,
  overturnedRows,
  STATUS_ZH,
  TRANSFER_OUTCOME_ZH,
  TRANSFER_TO_ZH,
  transferRows,
  weakEnforcement,
  type AccountabilityInput,
  type AccountabilityKind,
  type RegisterCase,
  type WeakEnforcementRow,
} from '../oversight/index.ts';
import type { Db } from '../store/db.ts';
import { appendEvent } from '../store/events.ts';
import { listJurisdictions } from '../store/jurisdictions.ts';
import { listDuties } from '../store/oversight-sanctions.ts';
import {
  insertAccountability,
  listAccountability,
  peopleByIds,
  supervisedCases,
  unitNames,
  type AccountabilityRecord,
} from '../store/supervision.ts';
import type { Principal } from '../store/users.ts';
import { oversightConfigs } from './oversight-config.ts';
import { xlsxSheet, type SheetColumn } from './xlsx-sheet.ts';

/** The registers across cases (from the case record) and of accountability measures (their table). */
export const CASE_REGISTERS = ['interference', 'overturned', 'transfers', 'listings'] as const;
export const MEASURE_REGISTERS = [
  'summons',
  'criticism',
  'referrals',
  'rewards',
  'penalties',
] as const;
export const REGISTERS = [...CASE_REGISTERS, ...MEASURE_REGISTERS] as const;
export type RegisterKind = (typeof REGISTERS)[number];

const MEASURE_KIND: Record<(typeof MEASURE_REGISTERS)[number], AccountabilityKind> = {
  summons: 'summons',
  criticism: 'criticism',
  referrals: 'referral',
  rewards: 'reward',
  penalties: 'penalty',
};

export const REGISTER_TITLES: Record<RegisterKind, string> = {
  interference: '干预执法记录台账',
  overturned: '抽查纠错台账',
  transfers: '移送台账',
  listings: '挂牌督办台账',
  summons: '约谈台账',
  criticism: '通报批评台账',
  referrals: '移交纪检监察台账',
  rewards: '奖励台账',
  penalties: '处罚台账',
};

/** region: the case's (or measure's) unit prefix; unit: the named person's unit prefix; person: part of a name. */
export interface RegisterFilter {
  region?: string;
  period?: string;
  unit?: string;
  person?: string;
}

export type Person = { name: string; unitCode: string; unitName: string | null };

/** Who the record names on each row (ids), for the unit and person filters and the names shown. */
const namedIds = (kind: RegisterKind, r: Record<string, unknown>): string[] =>
  (
    ({
      interference: ['recordedBy'],
      overturned: ['verdictBy', 'checkedBy'],
      transfers: ['transferredBy'],
      listings: ['listedBy'],
    }) as Record<string, string[]>
  )[kind]
    ?.map((k) => r[k])
    .filter((v): v is string => typeof v === 'string') ?? [];

/** The names a row carries in its own fields (interferers, the person of a measure). */
const ownNames = (r: Record<string, unknown>): string[] =>
  ['interfererName', 'personName']
    .map((k) => r[k])
    .filter((v): v is string => typeof v === 'string');

/** Levels the weak-enforcement signs are given at. */
export const WEAKNESS_LEVELS = ['county', 'township', 'city'] as const;
const LENGTH: Record<(typeof WEAKNESS_LEVELS)[number], number> = {
  city: 4,
  county: 6,
  township: 9,
};

/**
 * Registers (docs/DOMAIN.md "Registers"): interference, verdicts overturned on spot checks and
 * who made them, transfers with receipt and outcome, 挂牌督办 with progress and 摘牌 — read from
 * the cases' states, the projection of the record — and the accountability measures (约谈,
 * 通报批评, rewards, penalties) recorded here with an event each. Also the signs of weak
 * enforcement per region.
 */
export class RegisterService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  async register(
    p: Principal,
    kind: RegisterKind,
    f: RegisterFilter,
  ): Promise<{
    kind: RegisterKind;
    count: number;
    items: Record<string, unknown>[];
    people: Record<string, Person>;
  }> {
    let items: Record<string, unknown>[];
    if ((CASE_REGISTERS as readonly string[]).includes(kind)) {
      const cases: RegisterCase[] = (
        await supervisedCases(this.db, p.scope, { periodPrefix: f.period })
      ).map((c) => ({
        polygonId: c.id,
        polygonCode: c.code,
        period: c.period,
        jurisdictionCode: c.jurisdictionCode,
        state: c.state,
      }));
      const rows =
        kind === 'interference'
          ? interferenceRows(cases)
          : kind === 'overturned'
            ? overturnedRows(cases)
            : kind === 'transfers'
              ? transferRows(cases)
              : listingRows(cases);
      items = rows as unknown as Record<string, unknown>[];
      if (f.region) items = items.filter((r) => covers(f.region!, String(r.jurisdictionCode)));
    } else {
      const measures = await listAccountability(this.db, p.scope, {
        kind: MEASURE_KIND[kind as keyof typeof MEASURE_KIND],
        year: f.period ? Number(f.period.slice(0, 4)) : undefined,
        unit: f.region,
      });
      items = measures.map((m) => ({ ...m, recordedAt: m.recordedAt.toISOString() }));
    }
    const people = await peopleByIds(
      this.db,
      items.flatMap((r) => namedIds(kind, r)),
    );
    if (f.unit) {
      items = items.filter((r) =>
        (CASE_REGISTERS as readonly string[]).includes(kind)
          ? namedIds(kind, r).some((id) => covers(f.unit!, people.get(id)?.unitCode ?? '-'))
          : covers(f.unit!, String(r.jurisdictionCode)),
      );
    }
    if (f.person) {
      const needle = f.person;
      items = items.filter((r) =>
        [...ownNames(r), ...namedIds(kind, r).map((id) => people.get(id)?.name ?? '')].some((n) =>
          n.includes(needle),
        ),
      );
    }
    return { kind, count: items.length, items, people: Object.fromEntries(people) };
  }

  /** A register as an xlsx file with Chinese headers. */
  async registerXlsx(
    p: Principal,
    kind: RegisterKind,
    f: RegisterFilter,
  ): Promise<{ name: string; bytes: Buffer }> {
    const r = await this.register(p, kind, f);
    const units = await unitNames(this.db, [
      ...r.items.map((i) => String(i.jurisdictionCode)),
      ...Object.values(r.people).map((x) => x.unitCode),
    ]);
    const who = (id: unknown) => {
      const x = typeof id === 'string' ? r.people[id] : undefined;
      return x ? `${x.name}（${x.unitName ?? x.unitCode}）` : typeof id === 'string' ? id : '';
    };
    const at = this.now();
    const bytes = await xlsxSheet(
      REGISTER_TITLES[kind],
      columnsOf(kind, who, (c) => units.get(c) ?? c),
      r.items,
      at,
    );
    return { name: `${REGISTER_TITLES[kind]}-${at.toISOString().slice(0, 10)}.xlsx`, bytes };
  }

  /** Records 约谈, 通报批评, a reward or a penalty about a unit, with its event in the same transaction. */
  async recordMeasure(p: Principal, input: AccountabilityInput): Promise<AccountabilityRecord> {
    if (
      (input.kind === 'summons' || input.kind === 'criticism' || input.kind === 'referral') &&
      input.unitCode.length <= p.scope.prefix.length
    )
      throw new GengbaoError(
        'forbidden',
        `${ACCOUNTABILITY_LABELS[input.kind]}由上级对下级作出 / a ${input.kind} is made by a level above the unit`,
        { field: 'unitCode' },
      );
    const at = this.now();
    return this.db.transaction(async (tx) => {
      const rec = await insertAccountability(tx, p.scope, input, p.id, at);
      await appendEvent(tx, p.scope, {
        actorId: p.id,
        entityType: 'accountability',
        entityId: String(rec.id),
        jurisdictionCode: input.unitCode,
        type: `accountability.${input.kind}`,
        payload: { ...input },
        at,
      });
      return rec;
    });
  }

  /** Signs of weak enforcement per unit of `level` in the scope, for the cases of `year`. */
  async weakness(
    p: Principal,
    year: number,
    level: (typeof WEAKNESS_LEVELS)[number] = 'county',
  ): Promise<{
    year: number;
    level: string;
    items: (WeakEnforcementRow & { name: string | null })[];
  }> {
    const [cases, units, duties, configOf] = await Promise.all([
      supervisedCases(this.db, p.scope, { periodPrefix: String(year) }),
      listJurisdictions(this.db, p.scope, { level: level as JurisdictionLevel }),
      listDuties(this.db, p.scope, { year, kind: 'quota_deduction' }),
      oversightConfigs(this.db, year),
    ]);
    const rows = weakEnforcement(cases, {
      now: this.now().toISOString(),
      unitLength: LENGTH[level],
      notRestoredIds: new Set(duties.map((d) => d.polygonId)),
      units: units.map((u) => u.code),
      configOf,
    });
    const names = new Map(units.map((u) => [prefixAt(u.code, level), u.name]));
    return { year, level, items: rows.map((r) => ({ ...r, name: names.get(r.unit) ?? null })) };
  }
}

type Who = (id: unknown) => string;
type Unit = (code: string) => string;
type Row = Record<string, unknown>;
const s = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const caseColumns = (unit: Unit): SheetColumn<Row>[] => [
  { header: '图斑编号', value: (r) => s(r.polygonCode), width: 18 },
  { header: '监测期', value: (r) => s(r.period) },
  { header: '所在单位', value: (r) => unit(s(r.jurisdictionCode)), width: 20 },
];

function columnsOf(kind: RegisterKind, who: Who, unit: Unit): SheetColumn<Row>[] {
  switch (kind) {
    case 'interference':
      return [
        ...caseColumns(unit),
        { header: '干预人', value: (r) => s(r.interfererName) },
        { header: '职务', value: (r) => s(r.interfererPosition) },
        { header: '单位', value: (r) => s(r.interfererOrganisation) },
        { header: '干预方式', value: (r) => INTERFERENCE_HOW_ZH[s(r.how)] ?? s(r.how) },
        { header: '发生时间', value: (r) => s(r.occurredAt), width: 24 },
        { header: '情况', value: (r) => s(r.description), width: 40 },
        { header: '记录人', value: (r) => who(r.recordedBy), width: 24 },
        { header: '记录时间', value: (r) => s(r.recordedAt), width: 24 },
      ];
    case 'overturned':
      return [
        ...caseColumns(unit),
        { header: '原判定', value: (r) => CATEGORY_ZH[s(r.verdictCategory)] ?? '' },
        { header: '判定人（单位）', value: (r) => who(r.verdictBy), width: 28 },
        { header: '判定时间', value: (r) => s(r.verdictAt), width: 24 },
        {
          header: '应判定为',
          value: (r) => CATEGORY_ZH[s(r.correctCategory)] ?? s(r.correctCategory),
        },
        { header: '抽查发现', value: (r) => s(r.finding), width: 40 },
        { header: '抽查人', value: (r) => who(r.checkedBy), width: 24 },
        { header: '抽查时间', value: (r) => s(r.checkedAt), width: 24 },
      ];
    case 'transfers':
      return [
        ...caseColumns(unit),
        { header: '移送机关', value: (r) => TRANSFER_TO_ZH[s(r.to)] ?? s(r.to) },
        { header: '移送文号', value: (r) => s(r.docNo), width: 22 },
        { header: '移送理由', value: (r) => s(r.reason), width: 30 },
        { header: '移送时间', value: (r) => s(r.transferredAt), width: 24 },
        { header: '移送人', value: (r) => who(r.transferredBy), width: 24 },
        { header: '回执文号', value: (r) => s(r.receiptNo), width: 22 },
        { header: '受理日期', value: (r) => s(r.receivedAt) },
        { header: '办理结果', value: (r) => TRANSFER_OUTCOME_ZH[s(r.outcome)] ?? '' },
        { header: '结果说明', value: (r) => s(r.outcomeNote), width: 30 },
      ];
    case 'listings':
      return [
        ...caseColumns(unit),
        { header: '督办机关', value: (r) => s(r.authority), width: 22 },
        { header: '督办文号', value: (r) => s(r.docNo), width: 22 },
        { header: '挂牌时间', value: (r) => s(r.listedAt), width: 24 },
        { header: '办结期限', value: (r) => s(r.deadline) },
        { header: '督办要求', value: (r) => s(r.requirements), width: 30 },
        { header: '案件状态', value: (r) => STATUS_ZH[s(r.status)] ?? s(r.status) },
        {
          header: '办理进展',
          value: (r) =>
            (r.progress as { at: string; progress: string }[])
              .map((x) => `${x.at.slice(0, 10)} ${x.progress}`)
              .join('；'),
          width: 40,
        },
        { header: '摘牌时间', value: (r) => s(r.liftedAt), width: 24 },
        { header: '摘牌文号', value: (r) => s(r.liftedDocNo), width: 22 },
      ];
    default:
      return [
        { header: '被问责单位', value: (r) => unit(s(r.jurisdictionCode)), width: 20 },
        { header: '姓名', value: (r) => s(r.personName) },
        { header: '职务', value: (r) => s(r.personPosition) },
        { header: '年度', value: (r) => Number(r.year) },
        { header: '依据', value: (r) => BASIS_ZH[s(r.basis)] ?? s(r.basis) },
        { header: '文号', value: (r) => s(r.docNo), width: 22 },
        { header: '日期', value: (r) => s(r.issuedOn) },
        { header: '作出机关', value: (r) => s(r.issuingBody), width: 22 },
        { header: '事由', value: (r) => s(r.reason), width: 40 },
        { header: '备注', value: (r) => s(r.note), width: 30 },
      ];
  }
}
