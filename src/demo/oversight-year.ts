/**
 * The demo's oversight year (严查处): a small round of 2025 图斑 walked through the lifecycle,
 * so the year-end sweep can run honestly — 2025 has ended, 2026 (the demo's imagery periods)
 * has not, and the sweep refuses a year not yet ended. Over it, through the real services:
 * opening balances of the counties' reserve quota ledgers, the 2025 sweep (quota deducted,
 * 补划 duties due 30 June 2026 — some completed with replacement parcels 套合 verified, the rest
 * overdue), a summons, a notice of criticism and a reward; in the cases: an inspectorate lead
 * transferred to the police (receipt and outcome), listed and lifted, a media lead with
 * interference recorded, a verdict overturned on a spot check. Deterministic: fixed times, no
 * randomness; the sites are chosen from the demo's own farmland.
 */
import { analyzePolygons, type Layers } from '../analyze/analyze.ts';
import { analyseInputOf } from '../analyze/case-input.ts';
import type { PolygonFigures } from '../analyze/figures.ts';
import { figureProperties } from '../analyze/properties.ts';
import {
  applyTransition,
  createPolygonCase,
  DEFAULT_CASES_CONFIG,
  type Actor,
  type EventDraft,
  type PolygonCaseState,
} from '../cases/index.ts';
import { bboxOf } from '../geo/bbox.ts';
import { containsPoint } from '../geo/contains.ts';
import type { BBox, Feature, Polygon } from '../geo/types.ts';
import { checkReplacement, DEFAULT_OVERSIGHT_CONFIG } from '../oversight/index.ts';
import { actorOf } from '../services/cases.ts';
import { SanctionService } from '../services/oversight-sanctions.ts';
import { RegisterService } from '../services/registers.ts';
import { seedCaseStates } from '../store/cases.ts';
import type { Db, Queryable } from '../store/db.ts';
import { appendDrafts } from '../store/events.ts';
import { insertPolygons } from '../store/polygons.ts';
import { Scope } from '../store/scope.ts';
import { insertHandover } from '../store/supervision.ts';
import { getUserById, principalOf, type Principal } from '../store/users.ts';
import { demoPhoto } from './photos.ts';
import type { DemoLayerFeature, DemoRegion } from './types.ts';

/** The year the demo's sweep runs for, and its round of 图斑. */
export const DEMO_SWEEP_YEAR = 2025;
const PERIOD = '2025-11';

/** What happens to a site's case in the demo year. */
type Story =
  | 'unrestored' // illegal 新增, decided, not rectified by 31 December → quota deducted (and 补划)
  | 'unrestored_legacy' // illegal 存量, the same
  | 'restored' // illegal 新增, rectified and rechecked in December → no sanction
  | 'lawful' // lawful new construction: the 15 % rule's denominator
  | 'overturned' // lawful verdict overturned by the supervisor's spot check (抽查纠错)
  | 'inspectorate' // a lead from the inspectorate: filed, transferred, listed, restored, lifted
  | 'media'; // a lead from the media: interference recorded, not restored

interface SiteSpec {
  county: string;
  story: Story;
  onPbf: boolean;
  /** 补划 completed in the demo with verified parcels (else it stays open, overdue). */
  redesignated?: boolean;
}

/** The sites, county by county (泽州县 over the 15 % line, 高平市 with a media lead, …). */
const SITES: SiteSpec[] = [
  { county: '140525', story: 'unrestored', onPbf: true, redesignated: true },
  { county: '140525', story: 'unrestored', onPbf: true },
  { county: '140525', story: 'lawful', onPbf: false },
  { county: '140525', story: 'inspectorate', onPbf: false },
  { county: '140581', story: 'unrestored', onPbf: false },
  { county: '140581', story: 'media', onPbf: true },
  { county: '140581', story: 'lawful', onPbf: false },
  { county: '140581', story: 'lawful', onPbf: false },
  { county: '140521', story: 'unrestored_legacy', onPbf: false },
  { county: '140521', story: 'overturned', onPbf: false },
  { county: '140521', story: 'lawful', onPbf: false },
  { county: '140522', story: 'unrestored', onPbf: true, redesignated: true },
  { county: '140522', story: 'lawful', onPbf: false },
  { county: '140522', story: 'lawful', onPbf: false },
  { county: '140522', story: 'lawful', onPbf: false },
  { county: '140524', story: 'restored', onPbf: false },
  { county: '140524', story: 'lawful', onPbf: false },
];

/** 图斑 the demo year adds to the region's (the start test counts them). */
export const DEMO_YEAR_POLYGONS = SITES.length;

/** Opening balances of the reserve supplementary-farmland quota (亩), imported in January 2025. */
const OPENING_MU: Record<string, number> = {
  '140502': 12,
  '140521': 65,
  '140522': 48,
  '140524': 40,
  '140525': 120,
  '140581': 85,
};

export interface DemoYearSite extends SiteSpec {
  code: string;
  source: 'detection' | 'inspectorate' | 'media';
  villageCode: string;
  geometry: Polygon;
  figures: PolygonFigures;
  lead?: { docNo: string; docDate: string; issuingBody: string; summary: string };
}

export interface DemoYearPlan {
  sites: DemoYearSite[];
  /** Replacement parcels (whole farmland parcels, not PBF) per site index: the demo's 补划 … */
  replacements: Map<number, Polygon>;
  /** … and one more per open 补划 duty, for a person (or the browser test) to register. */
  spares: Map<number, Polygon>;
}

const HALF_M = 14; // a 图斑 of 28 m × 28 m, about 1.2 亩
const centroid = (p: Polygon): [number, number] => {
  const ring = p.coordinates[0].slice(0, -1);
  return [
    ring.reduce((s, q) => s + q[0], 0) / ring.length,
    ring.reduce((s, q) => s + q[1], 0) / ring.length,
  ];
};
const squareAt = ([x, y]: [number, number]): Polygon => {
  const dx = HALF_M / (111_320 * Math.cos((y * Math.PI) / 180));
  const dy = HALF_M / 110_574;
  const r = (v: number) => Math.round(v * 1e7) / 1e7;
  return {
    type: 'Polygon',
    coordinates: [
      [
        [r(x - dx), r(y - dy)],
        [r(x + dx), r(y - dy)],
        [r(x + dx), r(y + dy)],
        [r(x - dx), r(y + dy)],
        [r(x - dx), r(y - dy)],
      ],
    ],
  };
};
const overlaps = (a: BBox, b: BBox) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
const grow = (b: BBox, d: number): BBox => [b[0] - d, b[1] - d, b[2] + d, b[3] + d];
const asFeature = (f: DemoLayerFeature): Feature => ({
  type: 'Feature',
  geometry: f.geometry,
  properties: f.properties,
});

/**
 * Where the demo year's 图斑 lie and what replaces the permanent basic farmland they took:
 * pure and deterministic, so the browser test can find the spare parcels the loader left.
 * A site is a small square in the middle of a farmland parcel of its county — inside a PBF
 * block when the story needs PBF, outside every block when not — away from the village of
 * the demo's village chief (whose 图斑 the start test counts).
 */
export function demoYearPlan(region: DemoRegion, avoidVillage?: string): DemoYearPlan {
  const farmland = region.layers.filter((f) => f.layerKind === 'farmland');
  const pbf = region.layers.filter((f) => f.layerKind === 'pbf');
  const pbfBoxes = pbf.map((f) => ({ f, box: bboxOf(f.geometry) }));
  const inPbf = (pt: [number, number]) =>
    pbfBoxes.some(
      ({ f, box }) =>
        pt[0] >= box[0] &&
        pt[0] <= box[2] &&
        pt[1] >= box[1] &&
        pt[1] <= box[3] &&
        containsPoint(f.geometry, pt[0], pt[1]),
    );
  const villages = region.jurisdictions.filter((j) => j.level === 'village' && j.geometry);
  const layersNear = (box: BBox): Layers => {
    const near = (fs: DemoLayerFeature[]) =>
      fs.filter((f) => overlaps(bboxOf(f.geometry), grow(box, 0.002))).map(asFeature);
    return { farmland: near(farmland), pbf: near(pbf) };
  };
  const villageFeatures = (box: BBox): Feature[] =>
    villages
      .filter((v) => overlaps(bboxOf(v.geometry!), box))
      .map((v) => ({
        type: 'Feature',
        id: v.code,
        geometry: v.geometry!,
        properties: { code: v.code, name: v.name },
      }));

  const used = new Set<DemoLayerFeature>();
  const sites: DemoYearSite[] = [];
  const seqOf = new Map<string, number>();
  for (const spec of SITES) {
    // Every 7th parcel of the county, in the generator's order: spread over its villages.
    const candidates = farmland.filter(
      (f, i) =>
        f.jurisdictionCode.startsWith(spec.county) &&
        f.jurisdictionCode !== avoidVillage &&
        i % 7 === sites.length % 7 &&
        !used.has(f),
    );
    let placed: DemoYearSite | null = null;
    for (const f of candidates) {
      const c = centroid(f.geometry);
      if (!containsPoint(f.geometry, c[0], c[1]) || inPbf(c) !== spec.onPbf) continue;
      const geometry = squareAt(c);
      const box = bboxOf(geometry);
      const [figures] = analyzePolygons(
        [{ type: 'Feature', id: 0, geometry, properties: {} }],
        layersNear(box),
        villageFeatures(box),
      );
      const onPbf = figures.layers.pbf.mu > 0;
      if (figures.layers.farmland.mu < 1 || onPbf !== spec.onPbf || !figures.jurisdiction) continue;
      if (figures.jurisdiction.code === avoidVillage) continue;
      used.add(f);
      const seq = (seqOf.get(spec.county) ?? 0) + 1;
      seqOf.set(spec.county, seq);
      const source: DemoYearSite['source'] =
        spec.story === 'inspectorate' || spec.story === 'media' ? spec.story : 'detection';
      const lead = LEADS[source as 'inspectorate' | 'media'];
      const code = lead
        ? `${spec.county}202511${source === 'inspectorate' ? 'DC' : 'MT'}${String(seq).padStart(4, '0')}`
        : `${spec.county}202511${String(seq).padStart(4, '0')}`;
      placed = {
        ...spec,
        code,
        source,
        villageCode: figures.jurisdiction.code!,
        geometry,
        figures,
        ...(lead ? { lead } : {}),
      };
      break;
    }
    if (!placed) throw new Error(`demo year: no farmland parcel for ${spec.county} ${spec.story}`);
    sites.push(placed);
  }

  // 补划 parcels: whole farmland parcels of the same county, outside every PBF block, that
  // the server's own check accepts for the PBF the case took.
  const replacements = new Map<number, Polygon>();
  const spares = new Map<number, Polygon>();
  const taken = new Set<DemoLayerFeature>(used);
  const pick = (site: DemoYearSite): Polygon => {
    for (const f of farmland) {
      if (taken.has(f) || !f.jurisdictionCode.startsWith(site.county)) continue;
      if (inPbf(centroid(f.geometry))) continue;
      const check = checkReplacement(
        [f.geometry],
        layersNear(bboxOf(f.geometry)) as { farmland: Feature[]; pbf: Feature[] },
        site.figures.layers.pbf.mu,
        DEFAULT_OVERSIGHT_CONFIG,
      );
      if (!check.accepted) continue;
      taken.add(f);
      return f.geometry;
    }
    throw new Error(`demo year: no replacement parcel in ${site.county}`);
  };
  sites.forEach((s, i) => {
    if (!s.onPbf || !isUnrestored(s.story)) return;
    if (s.redesignated) replacements.set(i, pick(s));
    else spares.set(i, pick(s));
  });
  return { sites, replacements, spares };
}

const isUnrestored = (s: Story) => s === 'unrestored' || s === 'unrestored_legacy' || s === 'media';

const LEADS = {
  inspectorate: {
    docNo: '国自然资督太〔2025〕31号',
    docDate: '2025-11-03',
    issuingBody: '国家自然资源总督察太原局',
    summary: '卫片执法检查发现泽州县耕地上新建厂房，请核查处理',
  },
  media: {
    docNo: '晋自然资交〔2025〕88号',
    docDate: '2025-11-06',
    issuingBody: '山西省自然资源厅（转媒体曝光线索）',
    summary: '山西日报报道高平市村民在永久基本农田上建房',
  },
};

/** The demo clock of each step of the year (UTC; China time is 8 hours ahead). */
const AT = {
  opening: '2025-01-06T02:00:00.000Z',
  addition: '2025-09-15T02:00:00.000Z',
  found: '2025-11-10T01:00:00.000Z',
  sweep: '2026-01-05T02:00:00.000Z',
  summons: '2026-02-10T02:00:00.000Z',
  criticism: '2026-02-24T02:00:00.000Z',
  reward: '2026-03-02T02:00:00.000Z',
  redesignation: ['2026-03-16T02:00:00.000Z', '2026-04-08T02:00:00.000Z'],
};

const H = (s: string, k: number) => demoPhoto(`demo-year:${s}:${k}`).sha256;

/**
 * Loads the demo year into the demo's transaction: the sites as 图斑 of 2025-11 with their
 * cases, the leads' documents, then the ledgers, the sweep, 补划 and measures through the
 * services (bound to the same transaction, each on its own demo clock).
 */
export async function loadOversightYear(
  tx: Queryable,
  region: DemoRegion,
  userIds: Map<string, number>,
  avoidVillage: string,
): Promise<{ polygons: number }> {
  const plan = demoYearPlan(region, avoidVillage);
  const system = Scope.system();
  const principal = async (username: string): Promise<Principal> =>
    principalOf((await getUserById(tx, userIds.get(username)!))!);
  const monitor = await principal('sx.monitor');
  const supervisor = await principal('sx.supervisor');
  const reviewer = await principal('jc.reviewer');
  const officers = new Map<string, Principal>();
  for (const [u, c] of [
    ['zz.officer', '140525'],
    ['gp.officer', '140581'],
    ['qs.officer', '140521'],
    ['yc.officer', '140522'],
    ['lc.officer', '140524'],
    ['cq.officer', '140502'],
  ] as const)
    officers.set(c, await principal(u));

  const ids = await insertPolygons(
    tx,
    system,
    plan.sites.map((s) => ({
      code: s.code,
      source: s.source,
      period: PERIOD,
      jurisdictionCode: s.villageCode,
      geometry: s.geometry,
      properties: {
        ...figureProperties(s.figures),
        villageCode: s.villageCode,
        demo: true,
        ...(s.lead
          ? { lead: { kind: s.source, ...s.lead, fileSha256: null, receivedBy: supervisor.id } }
          : {}),
      },
    })),
  );

  const drafts: EventDraft[] = [];
  const states: { id: number; state: PolygonCaseState }[] = [];
  plan.sites.forEach((site, i) => {
    const officer = actorOf(officers.get(site.county)!);
    const r = walkSite(site, ids[i], i, {
      monitor: actorOf(monitor),
      supervisor: actorOf(supervisor),
      reviewer: actorOf(reviewer),
      officer,
    });
    drafts.push(...r.events);
    states.push({ id: ids[i], state: r.state });
  });
  drafts.sort((a, b) => a.at.localeCompare(b.at));
  await appendDrafts(tx, system, drafts);
  await seedCaseStates(tx, states);
  for (const [i, site] of plan.sites.entries()) {
    if (!site.lead) continue;
    await insertHandover(tx, system, {
      polygonId: ids[i],
      source: site.source as 'inspectorate' | 'media',
      jurisdictionCode: site.villageCode,
      ...site.lead,
      fileSha256: null,
      fileName: null,
      fileMediaType: null,
      receivedBy: supervisor.id,
      receivedAt: new Date(AT.found),
    });
    await appendDrafts(tx, system, [
      {
        at: AT.found,
        actorId: String(supervisor.id),
        entityType: 'lead_handover',
        entityId: String(ids[i]),
        jurisdictionCode: site.villageCode,
        type: 'lead.handed_over',
        payload: { source: site.source, polygonCode: site.code, ...site.lead, file: null },
      },
    ]);
  }

  // The services, bound to this transaction, each call on the demo clock of its step.
  let clock = new Date(AT.opening);
  const now = () => clock;
  const db: Db = {
    kind: 'postgres',
    query: (sql, params) => tx.query(sql, params),
    exec: (sql) => tx.exec(sql),
    transaction: (fn) => fn(tx),
    close: async () => undefined,
  };
  const sanctions = new SanctionService(db, now);
  const registers = new RegisterService(db, now);
  for (const [county, mu] of Object.entries(OPENING_MU))
    await sanctions.book(monitor, county, {
      kind: 'opening',
      mu,
      grade: null,
      note: '2024 年末储备补充耕地指标（导入）',
    });
  clock = new Date(AT.addition);
  await sanctions.book(monitor, '140522', {
    kind: 'addition',
    mu: 15.6,
    grade: '6 等',
    note: '土地整治项目新增耕地验收入库',
  });

  clock = new Date(AT.sweep);
  await sanctions.runYearEnd(
    { jobId: null, scope: monitor.scope, actorId: monitor.id, progress: async () => undefined },
    DEMO_SWEEP_YEAR,
  );

  const duties = await sanctions.duties(monitor, {
    year: DEMO_SWEEP_YEAR,
    kind: 'pbf_redesignation',
  });
  let k = 0;
  for (const [i, parcel] of plan.replacements) {
    const duty = duties.find((d) => d.polygonId === ids[i])!;
    clock = new Date(AT.redesignation[k++ % AT.redesignation.length]);
    await sanctions.registerReplacement(officers.get(plan.sites[i].county)!, duty.id, [parcel]);
  }

  const measure = { year: DEMO_SWEEP_YEAR, issuingBody: '', note: '' };
  clock = new Date(AT.summons);
  await registers.recordMeasure(supervisor, {
    ...measure,
    kind: 'summons',
    unitCode: '140525',
    personName: '县长（演示）',
    personPosition: '泽州县人民政府县长',
    basis: 'illegal_ratio',
    docNo: '晋自然资约〔2026〕3号',
    issuedOn: '2026-02-10',
    issuingBody: '山西省自然资源厅',
    reason: '2025 年度违法占用耕地面积比例超过 15%，年末仍有违法用地未整改到位',
  });
  clock = new Date(AT.criticism);
  await registers.recordMeasure(reviewer, {
    ...measure,
    kind: 'criticism',
    unitCode: '140581',
    basis: 'weak_enforcement',
    docNo: '晋市自然资通〔2026〕5号',
    issuedOn: '2026-02-24',
    issuingBody: '晋城市自然资源局',
    reason: '媒体曝光的永久基本农田建房案件查处中存在干预执法，年末未消除违法状态',
  });
  clock = new Date(AT.reward);
  const township = plan.sites
    .find((s) => s.county === '140525' && s.story === 'lawful')!
    .villageCode.slice(0, 9);
  await registers.recordMeasure(officers.get('140525')!, {
    ...measure,
    kind: 'reward',
    unitCode: township,
    basis: 'scorecard',
    docNo: '泽自然资奖〔2026〕1号',
    issuedOn: '2026-03-02',
    issuingBody: '泽州县自然资源局',
    reason: '2025 年度田长制考核排名第一，巡田和核查按期完成',
  });
  return { polygons: plan.sites.length };
}

interface YearActors {
  monitor: Actor;
  supervisor: Actor;
  reviewer: Actor;
  officer: Actor;
}

/** One site's case through the real state machine: found on 10 November 2025, a step a day. */
function walkSite(
  site: DemoYearSite,
  id: number,
  index: number,
  a: YearActors,
): { state: PolygonCaseState; events: EventDraft[] } {
  let t = new Date(AT.found).getTime() + index * 3_600_000;
  const events: EventDraft[] = [];
  const finder = site.source === 'detection' ? a.monitor : a.supervisor;
  const found = createPolygonCase(
    { id: String(id), jurisdictionCode: site.villageCode, source: site.source, period: PERIOD },
    finder,
    new Date(t),
  );
  let state = found.state;
  events.push(found.event);
  const iso = () => new Date(t).toISOString();
  const photos = (n: number, step: string) =>
    Array.from({ length: n }, (_, k) => {
      const [lon, lat] = site.geometry.coordinates[0][0];
      return {
        sha256: H(`${site.code}:${step}`, k),
        lon,
        lat,
        takenAt: iso(),
        azimuth: (k * 90) % 360,
      };
    });
  const act = (action: string, input: Record<string, unknown>, actor: Actor, at?: string) => {
    t = at ? new Date(at).getTime() : t + 86_400_000;
    const r = applyTransition(
      state,
      action,
      { version: state.version, ...input },
      actor,
      new Date(t),
      DEFAULT_CASES_CONFIG,
    );
    state = r.state;
    events.push(r.event);
  };
  const n = 200 + index;
  act('analyse', analyseInputOf(site.figures), a.monitor);
  act('push', { unitCode: site.villageCode, assigneeIds: [], period: PERIOD }, a.monitor);
  act(
    'verify',
    {
      photos: photos(2, 'verify'),
      description: '现场核查：耕地上新建建筑',
      visitedAt: iso(),
      projectName: '自建房',
      builder: '（演示）',
      buildDate: site.story === 'unrestored_legacy' ? '2019-05' : '2025-09',
      use: '住宅',
    },
    a.officer,
  );
  const lawful = site.story === 'lawful' || site.story === 'overturned';
  act(
    'determine',
    lawful
      ? { category: 'lawful', approvalDocNo: `晋政地〔2025〕${n}号` }
      : {
          category: 'illegal',
          illegalSubtype: site.story === 'unrestored_legacy' ? 'legacy' : 'new',
          buildYear: site.story === 'unrestored_legacy' ? 2019 : 2025,
        },
    a.officer,
  );
  act('accept', { note: '审核通过' }, a.reviewer);
  if (site.story === 'overturned') {
    act(
      'spot_check_reject',
      {
        sampleSeed: 's-2025-11',
        finding: '批文范围外新建厂房，应判定为违法',
        correctCategory: 'illegal',
      },
      a.supervisor,
    );
    return { state, events };
  }
  if (lawful) return { state, events };
  act(
    'stop',
    {
      method: 'stop_order',
      orderNo: `责停〔2025〕${n}号`,
      stoppedAt: iso(),
      photos: photos(1, 'stop'),
    },
    a.officer,
  );
  act(
    'file_case',
    {
      mode: 'direct',
      caseNo: `自然资罚立〔2025〕${n}号`,
      parties: [{ kind: 'person', name: '李某某' }],
    },
    a.officer,
  );
  if (site.story === 'inspectorate') {
    act(
      'transfer',
      { to: 'police', docNo: `泽自然资移〔2025〕${n}号`, reason: '涉嫌非法占用农用地罪' },
      a.officer,
    );
    act(
      'transfer_feedback',
      {
        transferDocNo: `泽自然资移〔2025〕${n}号`,
        receiptNo: `泽公受〔2025〕${n}号`,
        receivedAt: '2025-11-20',
      },
      a.officer,
    );
    act(
      'list_case',
      {
        authority: '国家自然资源总督察太原局',
        docNo: '国自然资督太〔2025〕33号',
        deadline: '2025-12-31',
        requirements: '依法拆除，恢复耕种条件',
      },
      a.supervisor,
    );
    act('report_listing_progress', { progress: '已立案并移送公安机关，拆除方案已制定' }, a.officer);
  }
  act(
    'decide',
    {
      decisionNo: `自然资罚〔2025〕${n}号`,
      measures: [{ kind: 'demolish' }, { kind: 'restore_land' }],
      hearing: 'waived',
      investigationReportNo: `调查〔2025〕${n}号`,
      rectifyBy: '2025-12-31',
    },
    a.officer,
  );
  // After the decision: interference before it would make the case major (joint review).
  if (site.story === 'media')
    act(
      'record_interference',
      {
        interferer: { name: '赵某某', position: '副镇长', organisation: '（演示）镇人民政府' },
        occurredAt: iso(),
        how: 'phone',
        description: '电话要求暂缓立案查处',
      },
      a.officer,
    );
  if (site.story !== 'restored' && site.story !== 'inspectorate') return { state, events };
  act(
    'enforce',
    {
      method: 'voluntary',
      measuresDone: ['demolish', 'restore_land'],
      photos: photos(1, 'enforce'),
    },
    a.officer,
  );
  act(
    'rectify',
    { restoredToFarming: true, photos: photos(1, 'rectify'), completedAt: iso() },
    a.officer,
  );
  act('recheck_pass', { method: 'imagery', imageryDate: iso().slice(0, 10) }, a.reviewer);
  if (site.story === 'inspectorate') {
    act(
      'transfer_feedback',
      {
        transferDocNo: `泽自然资移〔2025〕${n}号`,
        outcome: 'filed',
        outcomeNote: '公安机关已立案侦查',
      },
      a.officer,
    );
    act(
      'lift_listing',
      { docNo: '国自然资督太〔2025〕41号', reason: '已拆除复耕，复核通过' },
      a.supervisor,
    );
  }
  return { state, events };
}
