/**
 * Shared fixtures for the cases tests: actors at each level of one county (Shanxi 140525,
 * 泽州县) and valid inputs for every action, so each test changes only what it is about.
 */
import { GengbaoError } from '../errors.ts';
import type { Actor } from './roles.ts';
import type { PolygonCaseState } from './states.ts';
import { applyTransition, createPolygonCase } from './lifecycle.ts';
import { DEFAULT_CASES_CONFIG, type CasesConfig } from './config.ts';

export const COUNTY = '140525';
export const VILLAGE = '140525100201';

export const monitor: Actor = { id: 'u-monitor', role: 'province_monitor', scope: '14' };
export const reviewer: Actor = { id: 'u-reviewer', role: 'city_reviewer', scope: '1405' };
export const reviewer2: Actor = { id: 'u-reviewer2', role: 'city_reviewer', scope: '1405' };
export const officer: Actor = { id: 'u-officer', role: 'county_officer', scope: COUNTY };
export const officer2: Actor = { id: 'u-officer2', role: 'county_officer', scope: COUNTY };
export const officer3: Actor = { id: 'u-officer3', role: 'county_officer', scope: COUNTY };
export const villageChief: Actor = { id: 'u-village', role: 'village_chief', scope: VILLAGE };
export const supervisor: Actor = { id: 'u-supervisor', role: 'supervisor', scope: '' };
export const admin: Actor = { id: 'u-admin', role: 'admin', scope: '' };
export const otherCountyOfficer: Actor = { id: 'u-other', role: 'county_officer', scope: '140521' };

/** Clock for the tests: day `n` of the scenario at 10:00 China time (02:00 UTC), from 2026-11-20. */
export const day = (n: number): Date => new Date(Date.UTC(2026, 10, 20 + n, 2, 0, 0));

export const photo = (i: number) => ({
  sha256: i.toString(16).padStart(64, 'a'),
  lon: 112.85 + i * 1e-5,
  lat: 35.49,
  takenAt: '2026-11-22T03:00:00.000Z',
});

export const stopInput = {
  method: 'stop_order',
  orderNo: '泽自然资停字〔2026〕12号',
  stoppedAt: '2026-11-25T02:00:00.000Z',
  photos: [photo(9)],
};

/** Valid inputs (without version) for the main path. */
export const INPUTS = {
  analyse: {
    totalMu: 3.2,
    layerMu: { farmland: 3.1, permanent_basic_farmland: 1.2 },
    preJudgment: { approval: 'unapproved', onFarmland: true, onPermanentBasicFarmland: true },
  },
  push: { unitCode: VILLAGE, assigneeIds: ['u-village'], period: '2026-11' },
  verify: {
    photos: [photo(1), photo(2)],
    description: '新建砖混结构房屋一处',
    visitedAt: '2026-11-22T03:00:00.000Z',
    builder: '张三',
  },
  determineIllegal: {
    category: 'illegal',
    illegalSubtype: 'new',
    buildYear: 2026,
    ruralHousingReasons: ['on_permanent_basic_farmland'],
  },
  fileCase: {
    mode: 'direct',
    caseNo: '泽自然资立〔2026〕7号',
    parties: [
      { kind: 'person', name: '张三丰', idNumber: '140525198801011234', phone: '13812345678' },
    ],
  },
  decide: {
    decisionNo: '泽自然资罚〔2026〕7号',
    measures: [{ kind: 'demolish' }, { kind: 'restore_land' }, { kind: 'fine', amountYuan: 12000 }],
    hearing: 'waived',
    investigationReportNo: '调查〔2026〕7号',
    rectifyBy: '2027-01-31',
  },
  enforce: {
    method: 'voluntary',
    measuresDone: ['demolish', 'restore_land', 'fine'],
    photos: [photo(3)],
    finePaidYuan: 12000,
  },
  rectify: { restoredToFarming: true, photos: [photo(4)], completedAt: '2026-12-20T02:00:00.000Z' },
  recheckPass: { method: 'imagery', imageryDate: '2027-02-10' },
} as const;

/** Takes one action with the state's current version. */
export function act(
  s: PolygonCaseState,
  action: string,
  input: object,
  actor: Actor,
  now: Date,
  config: CasesConfig = DEFAULT_CASES_CONFIG,
) {
  return applyTransition(s, action, { version: s.version, ...input }, actor, now, config);
}

/** A polygon walked from found to `until` (inclusive) along the illegal path; returns every step. */
export function walk(until: string, config: CasesConfig = DEFAULT_CASES_CONFIG) {
  const steps = [
    createPolygonCase(
      { id: 'p-1', jurisdictionCode: COUNTY, source: 'detection' },
      monitor,
      day(0),
    ),
  ];
  const plan: [string, object, Actor, number][] = [
    ['analyse', INPUTS.analyse, monitor, 0],
    ['push', INPUTS.push, monitor, 0],
    ['verify', INPUTS.verify, villageChief, 2],
    ['determine', INPUTS.determineIllegal, officer, 5],
    ['accept', {}, reviewer, 8],
    ['stop', stopInput, villageChief, 9],
    ['file_case', INPUTS.fileCase, officer, 10],
    ['decide', INPUTS.decide, officer, 20],
    ['enforce', INPUTS.enforce, officer, 25],
    ['rectify', INPUTS.rectify, villageChief, 30],
    ['recheck_pass', INPUTS.recheckPass, reviewer, 80],
    ['close', { summary: '已拆除复耕，结案' }, officer, 81],
  ];
  for (const [action, input, actor, d] of until === 'found' ? [] : plan) {
    steps.push(act(steps[steps.length - 1].state, action, input, actor, day(d), config));
    if (action === until) break;
  }
  return steps;
}

/** The state of a polygon walked along the illegal path up to `until` (inclusive). */
export function stateAfter(until: string): PolygonCaseState {
  const steps = walk(until);
  return steps[steps.length - 1].state;
}

/** The GengbaoError `fn` throws (fails the test if it throws nothing or something else). */
export function thrown(fn: () => unknown): GengbaoError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GengbaoError) return e;
    throw e;
  }
  throw new Error('expected a GengbaoError');
}
