import type { Status } from '../../src/contract/vocabulary.ts';

/**
 * Work queues are views of 图斑 status (docs/DOMAIN.md "The lifecycle"): what waits for
 * whom. Overdue is not a status: an open 图斑 with a lifecycle deadline that has passed, which
 * the server finds in the case state (GET /api/queues/overdue).
 */
export const QUEUES = {
  to_push: ['found', 'analysed'],
  to_verify: ['pushed'],
  to_determine: ['verified'],
  to_review: ['determined', 'disputed'],
  returned: ['returned'],
  overdue: [],
  all: [],
} as const satisfies Record<string, readonly Status[]>;
export type QueueId = keyof typeof QUEUES;

/** The queues each role works from (who may act, per the lifecycle's transitions), first the one it sees on opening the work page. */
export const ROLE_QUEUES: Record<string, QueueId[]> = {
  county_officer: ['to_determine', 'to_verify', 'returned', 'overdue', 'all'],
  township_chief: ['to_verify', 'returned', 'overdue', 'all'],
  village_chief: ['to_verify', 'returned', 'overdue', 'all'],
  city_reviewer: ['to_review', 'to_push', 'overdue', 'all'],
  province_monitor: ['to_push', 'to_review', 'overdue', 'all'],
  supervisor: ['overdue', 'to_review', 'all'],
  admin: ['to_push', 'to_verify', 'to_determine', 'to_review', 'returned', 'overdue', 'all'],
};

/** The statuses and sources as the server defines them (src/contract/vocabulary.ts). */
export { STATUSES, POLYGON_SOURCES as SOURCES } from '../../src/contract/vocabulary.ts';

/** Map colour of each status: warm while waiting on the office, cool once handled, grey when closed. */
export const STATUS_COLORS: Record<Status, string> = {
  found: '#e53935',
  analysed: '#f4511e',
  pushed: '#fb8c00',
  verified: '#fdd835',
  determined: '#c0ca33',
  returned: '#8e24aa',
  disputed: '#d81b60',
  reviewed: '#43a047',
  stopped: '#00897b',
  case_filed: '#1e88e5',
  decided: '#3949ab',
  enforced: '#5e35b1',
  rectified: '#00acc1',
  rechecked: '#26a69a',
  closed: '#9e9e9e',
};
