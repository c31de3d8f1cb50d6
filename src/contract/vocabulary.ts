/**
 * The words the server and the browser apps share: statuses, sources, roles, lead and job
 * statuses. Each list is defined once in its domain file and only re-exported here; this file
 * and what it imports hold no node and no zod imports, so the web and field bundles can import
 * it at run time (the lists for filters and menus) without pulling server code.
 */
export { STATUSES, POLYGON_SOURCES, type Status, type PolygonSource } from '../cases/states.ts';
export { ROLES, type Role } from '../cases/role-ids.ts';
export { JURISDICTION_LEVELS, type JurisdictionLevel } from '../grid/levels.ts';
export type { Action } from '../cases/inputs.ts';
/** The words of the action forms, for reading a record (no imports behind it). */
export { ACTION_EN, choiceOf, wordsOf, type Bilingual } from '../cases/form-labels.ts';

/** What became of a public tip or a camera alarm (the CHECK of both tables). */
export const LEAD_STATUSES = ['received', 'accepted', 'rejected'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** A job's life (the CHECK of jobs.status). */
export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
