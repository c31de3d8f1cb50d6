/**
 * Test helper: case states built through the real state machine (src/cases), from found to
 * an accepted verdict, optionally on to rectification, so oversight tests read states exactly
 * as the lifecycle writes them.
 */
import { DEFAULT_CASES_CONFIG } from '../cases/config.ts';
import { applyTransition, createPolygonCase } from '../cases/lifecycle.ts';
import type { Actor } from '../cases/roles.ts';
import type { PolygonCaseState } from '../cases/states.ts';
import type { OversightCase } from './case-facts.ts';

export interface CaseSpec {
  id: number;
  /** The village (or county) code of the 图斑. */
  code: string;
  period: string;
  verdict: 'illegal_new' | 'illegal_legacy' | 'lawful' | 'other' | 'none';
  farmlandMu: number;
  pbfMu?: number;
  /** Rectification reported at this instant (ISO), then rechecked a day later when `rechecked`. */
  rectifiedAt?: string;
  rechecked?: boolean;
}

const H = '0123456789abcdef'.repeat(4);
const photo = (i: number, at: string) => ({
  sha256: H.slice(i) + H.slice(0, i),
  lon: 112,
  lat: 35,
  takenAt: at,
});

/** The lifecycle inputs of each verdict kind. */
const VERDICTS = {
  illegal_new: { category: 'illegal', illegalSubtype: 'new' },
  illegal_legacy: { category: 'illegal', illegalSubtype: 'legacy' },
  lawful: { category: 'lawful', approvalDocNo: '晋政地〔2026〕1号' },
  other: { category: 'other', otherReason: 'facility_farmland' },
} as const;

/** The state of a case walked to its verdict (and on to rectification when asked). */
export function caseState(
  spec: CaseSpec,
  start = new Date('2026-03-02T02:00:00.000Z'),
): PolygonCaseState {
  const county = spec.code.slice(0, 6);
  const monitor: Actor = { id: '1', role: 'province_monitor', scope: '14' };
  const officer: Actor = { id: '2', role: 'county_officer', scope: county };
  const reviewer: Actor = { id: '3', role: 'city_reviewer', scope: county.slice(0, 4) };
  let t = start.getTime();
  const next = () => new Date((t += 3_600_000));
  let s = createPolygonCase(
    { id: String(spec.id), jurisdictionCode: county, source: 'detection', period: spec.period },
    monitor,
    next(),
  ).state;
  const act = (action: string, input: object, actor: Actor, at = next()) => {
    s = applyTransition(
      s,
      action,
      { version: s.version, ...input },
      actor,
      at,
      DEFAULT_CASES_CONFIG,
    ).state;
  };
  const pbf = spec.pbfMu ?? 0;
  act(
    'analyse',
    {
      totalMu: spec.farmlandMu + 0.5,
      layerMu: { farmland: spec.farmlandMu, pbf },
      preJudgment: {
        approval: 'unapproved',
        onFarmland: spec.farmlandMu > 0,
        onPermanentBasicFarmland: pbf > 0,
      },
    },
    monitor,
  );
  if (spec.verdict === 'none') return s;
  act('push', { unitCode: spec.code, assigneeIds: [], period: spec.period }, monitor);
  const at = new Date(t).toISOString();
  act(
    'verify',
    { photos: [photo(1, at), photo(2, at)], description: '耕地上建房', visitedAt: at },
    officer,
  );
  act('determine', VERDICTS[spec.verdict], officer);
  act('accept', {}, reviewer);
  if (!spec.rectifiedAt) return s;
  act('stop', { method: 'on_site', stoppedAt: at, photos: [photo(3, at)] }, officer);
  act(
    'file_case',
    { mode: 'direct', caseNo: `案${spec.id}`, parties: [{ kind: 'person', name: '张三' }] },
    officer,
  );
  act(
    'decide',
    {
      decisionNo: `决${spec.id}`,
      measures: [{ kind: 'demolish' }, { kind: 'restore_land' }],
      hearing: 'waived',
      investigationReportNo: `查${spec.id}`,
      rectifyBy: '2026-12-31',
    },
    officer,
  );
  act(
    'enforce',
    { method: 'voluntary', measuresDone: ['demolish', 'restore_land'], photos: [photo(4, at)] },
    officer,
  );
  const done = new Date(spec.rectifiedAt);
  act(
    'rectify',
    { restoredToFarming: true, photos: [photo(5, at)], completedAt: spec.rectifiedAt },
    officer,
    done,
  );
  if (spec.rechecked)
    act(
      'recheck_pass',
      { method: 'imagery', imageryDate: spec.rectifiedAt.slice(0, 10) },
      reviewer,
      new Date(done.getTime() + 86_400_000),
    );
  return s;
}

/** An oversight case from a spec (properties empty: the figures come from the record). */
export function oversightCase(spec: CaseSpec): OversightCase {
  return {
    id: spec.id,
    code: `P-${spec.id}`,
    jurisdictionCode: spec.code,
    period: spec.period,
    properties: {},
    state: caseState(spec),
  };
}
