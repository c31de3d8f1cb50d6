/**
 * Walks the demo 图斑 through the enforcement lifecycle so every state has something to show:
 * a deterministic plan per polygon (its position in the list picks the target state), steps
 * taken by the demo actors through the real state machine (`applyTransition`), evidence
 * with SHA-256 hashes of small demo photos drawn per step (`photos.ts`; the loader stores
 * them). Pure: the time is a parameter.
 */
import { analyseInputOf } from '../analyze/case-input.ts';
import type { PolygonFigures } from '../analyze/figures.ts';
import {
  applyTransition,
  createPolygonCase,
  type Actor,
  type CasesConfig,
  type EventDraft,
  type PolygonCaseState,
} from '../cases/index.ts';
import { demoPhoto } from './photos.ts';

export interface WalkPolygon {
  id: string;
  code: string;
  jurisdictionCode: string;
  source: string;
  period: string;
  /** Where evidence photos are "taken": a point inside the polygon. */
  point: [number, number];
  /** What changed (新建建筑, 推填土 …): the field report describes that, not always a house. */
  changeType?: string;
  figures: PolygonFigures;
}

export interface WalkActors {
  finder: Actor;
  monitor: Actor;
  reviewer: Actor;
  officerOf(countyCode: string): Actor;
  /**
   * The village of the demo's village field chief (`zz.village`): its first FIELD_TASKS 图斑
   * of 2026-11 wait for the field check whatever their turn in the cycle, so the chief's field
   * app has tasks to show.
   */
  fieldVillage?: string;
}

/** How many 2026-11 图斑 of the field chief's village are left waiting for the field check. */
const FIELD_TASKS = 2;
const PUSHED: Step[] = ['analyse', 'push'];

type Step =
  | 'analyse'
  | 'dismiss'
  | 'push'
  | 'verify'
  | 'determine'
  | 'determine_lawful'
  | 'return'
  | 'dispute'
  | 'accept'
  | 'stop'
  | 'file_case'
  | 'decide'
  | 'enforce'
  | 'rectify'
  | 'recheck_pass'
  | 'close';

const TO_REVIEWED: Step[] = ['analyse', 'push', 'verify', 'determine', 'accept'];
const TO_DECIDED: Step[] = [...TO_REVIEWED, 'stop', 'file_case', 'decide'];

/** Target paths, cycled over the polygons; earlier periods sit further along. */
const PLANS: Step[][] = [
  [],
  ['analyse'],
  ['analyse', 'dismiss'],
  ['analyse', 'push'],
  ['analyse', 'push'],
  ['analyse', 'push', 'verify'],
  ['analyse', 'push', 'verify', 'determine'],
  ['analyse', 'push', 'verify', 'determine', 'return'],
  ['analyse', 'push', 'verify', 'determine', 'return', 'dispute'],
  TO_REVIEWED,
  ['analyse', 'push', 'verify', 'determine_lawful', 'accept', 'close'],
  [...TO_REVIEWED, 'stop'],
  [...TO_REVIEWED, 'stop', 'file_case'],
  TO_DECIDED,
  [...TO_DECIDED, 'enforce'],
  [...TO_DECIDED, 'enforce', 'rectify'],
  [...TO_DECIDED, 'enforce', 'rectify', 'recheck_pass'],
  [...TO_DECIDED, 'enforce', 'rectify', 'recheck_pass', 'close'],
];

/** What the field chief finds on the ground for each change type of the demo (change-polygons.ts). */
const FINDINGS: Record<string, { description: string; projectName: string; use: string }> = {
  新建建筑: {
    description: '现场核查：耕地上新建建筑，正在施工',
    projectName: '自建房',
    use: '住宅',
  },
  推填土: {
    description: '现场核查：耕地被推土填平，地表已无作物',
    projectName: '场地平整',
    use: '待建',
  },
  硬化地面: { description: '现场核查：耕地上浇筑水泥地面', projectName: '晒场硬化', use: '晾晒场' },
  道路: {
    description: '现场核查：占用耕地新修道路，已铺碎石',
    projectName: '田间道路',
    use: '交通',
  },
  堆放物: {
    description: '现场核查：耕地上堆放砂石和建筑材料',
    projectName: '材料堆场',
    use: '堆放',
  },
};

function inputOf(
  step: Step,
  p: WalkPolygon,
  at: Date,
): { action: string; input: Record<string, unknown> } {
  const iso = at.toISOString();
  const photos = (n: number) =>
    Array.from({ length: n }, (_, k) => ({
      sha256: demoPhoto(`demo-photo:${p.code}:${step}:${k}`).sha256,
      lon: p.point[0],
      lat: p.point[1],
      takenAt: iso,
      azimuth: (k * 90) % 360,
    }));
  const f = p.figures;
  const year = Number(p.period.slice(0, 4));
  switch (step) {
    case 'analyse':
      return { action: 'analyse', input: analyseInputOf(f) };
    case 'dismiss':
      return {
        action: 'dismiss',
        input: { reason: 'seasonal_crop', note: '影像复核为季节性作物变化' },
      };
    case 'push':
      return {
        action: 'push',
        input: {
          unitCode: f.jurisdiction?.code ?? p.jurisdictionCode,
          assigneeIds: [],
          period: p.period,
        },
      };
    case 'verify':
      return {
        action: 'verify',
        input: {
          photos: photos(2),
          ...(FINDINGS[p.changeType ?? '新建建筑'] ?? FINDINGS['新建建筑']),
          visitedAt: iso,
          builder: '村民（演示）',
          buildDate: `${year}-08`,
        },
      };
    case 'determine':
      return {
        action: 'determine',
        input: {
          category: 'illegal',
          illegalSubtype: 'new',
          buildYear: year,
          ruralHousingReasons: ['on_contracted_farmland'],
        },
      };
    case 'determine_lawful':
      return {
        action: 'determine',
        input: {
          category: 'lawful',
          approvalDocNo: `晋政地〔${year}〕${100 + (Number(p.id) % 800)}号`,
        },
      };
    case 'return':
      return { action: 'return', input: { reason: '举证照片未体现建筑全貌，请补充' } };
    case 'dispute':
      return {
        action: 'dispute',
        input: { reason: '已补充全景照片，原判定无误', attachments: [] },
      };
    case 'accept':
      return { action: 'accept', input: { note: '审核通过' } };
    case 'stop':
      return {
        action: 'stop',
        input: {
          method: 'stop_order',
          orderNo: `责停〔${year}〕${p.id}号`,
          stoppedAt: iso,
          photos: photos(1),
        },
      };
    case 'file_case':
      return {
        action: 'file_case',
        input: {
          mode: 'direct',
          caseNo: `自然资罚立〔${year}〕${p.id}号`,
          parties: [
            {
              kind: 'person',
              name: '王某某',
              idNumber: '140525199001011234',
              phone: '13900000000',
            },
          ],
        },
      };
    case 'decide':
      return {
        action: 'decide',
        input: {
          decisionNo: `自然资罚〔${year}〕${p.id}号`,
          measures: [{ kind: 'demolish' }, { kind: 'restore_land' }],
          hearing: 'waived',
          investigationReportNo: `调查〔${year}〕${p.id}号`,
          rectifyBy: `${year}-12-31`,
        },
      };
    case 'enforce':
      return {
        action: 'enforce',
        input: {
          method: 'voluntary',
          measuresDone: ['demolish', 'restore_land'],
          photos: photos(1),
        },
      };
    case 'rectify':
      return {
        action: 'rectify',
        input: { restoredToFarming: true, photos: photos(1), completedAt: iso },
      };
    case 'recheck_pass':
      return {
        action: 'recheck_pass',
        input: { method: 'imagery', imageryDate: iso.slice(0, 10) },
      };
    case 'close':
      return { action: 'close', input: { summary: '已整改到位，结案销号' } };
  }
}

function actorFor(step: Step, p: WalkPolygon, a: WalkActors): Actor {
  if (step === 'analyse' || step === 'dismiss' || step === 'push') return a.monitor;
  if (step === 'accept' || step === 'return' || step === 'recheck_pass') return a.reviewer;
  return a.officerOf(p.jurisdictionCode.slice(0, 6));
}

/**
 * The case of every polygon after its planned steps, and all their events in time order.
 * A period's steps start at its `start` and take its `stepHours` each.
 */
export function walkDemoCases(
  polygons: WalkPolygon[],
  actors: WalkActors,
  schedule: Record<string, { start: Date; stepHours: number }>,
  config: CasesConfig,
): { states: PolygonCaseState[]; events: EventDraft[] } {
  const states: PolygonCaseState[] = [];
  const events: EventDraft[] = [];
  const fieldTasks = new Set(
    polygons
      .filter((p) => p.jurisdictionCode === actors.fieldVillage && p.period >= '2026-11')
      .slice(0, FIELD_TASKS)
      .map((p) => p.id),
  );
  polygons.forEach((p, i) => {
    const plan = fieldTasks.has(p.id)
      ? PUSHED
      : PLANS[p.period < '2026-11' ? PLANS.length - 1 - (i % 9) : i % PLANS.length];
    const { start, stepHours } = schedule[p.period];
    let t = start.getTime() + (i % 24) * 3_600_000;
    // Patrols and cameras are reported by the county; the other sources by the monitor.
    const finder =
      p.source === 'patrol' || p.source === 'video'
        ? actors.officerOf(p.jurisdictionCode.slice(0, 6))
        : actors.finder;
    const found = createPolygonCase(
      { id: p.id, jurisdictionCode: p.jurisdictionCode, source: p.source, period: p.period },
      finder,
      new Date(t),
    );
    let state = found.state;
    events.push(found.event);
    for (const step of plan) {
      // A major case (重大案件) is decided only after 集体审议 by more people than one county
      // of the demo has: it stays filed, awaiting the joint review, as such a case would.
      if (step === 'decide' && state.caseFile?.major) break;
      t += stepHours * 3_600_000;
      const { action, input } = inputOf(step, p, new Date(t));
      const r = applyTransition(
        state,
        action,
        { version: state.version, ...input },
        actorFor(step, p, actors),
        new Date(t),
        config,
      );
      state = r.state;
      events.push(r.event);
    }
    states.push(state);
  });
  events.sort((a, b) => a.at.localeCompare(b.at));
  return { states, events };
}
