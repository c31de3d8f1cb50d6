import { GengbaoError } from '../errors.ts';
import { analyzePeriodJob } from './definitions/analyze-period.ts';
import { monitoringMonthJob } from './definitions/monitoring-month.ts';
import { monitoringRecheckJob } from './definitions/monitoring-recheck.ts';
import { detectPeriodJob } from './definitions/detect-period.ts';
import { detectionLearnJob } from './definitions/detection-learn.ts';
import { oversightYearEndJob } from './definitions/oversight-year-end.ts';
import { probeJob } from './definitions/probe.ts';
import { recomputeAreasJob } from './definitions/recompute-areas.ts';
import type { Role } from '../store/users.ts';
import type { JobDefinition } from './types.ts';

/** Every job type Gengbao knows: one file each under definitions/, one line here. */
export const jobDefinitions: JobDefinition[] = [
  probeJob,
  recomputeAreasJob,
  analyzePeriodJob,
  detectPeriodJob,
  oversightYearEndJob,
  monitoringMonthJob,
  monitoringRecheckJob,
  detectionLearnJob,
];

/** A job's payload checked against its definition's schema, or bad_input naming the field. */
export function parseJobPayload(def: JobDefinition, payload: unknown): Record<string, unknown> {
  const parsed = def.payload.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GengbaoError('bad_input', `invalid payload for ${def.type}: ${issue.message}`, {
      field: `payload.${issue.path.join('.')}`,
    });
  }
  return parsed.data as Record<string, unknown>;
}

export function findJobDefinition(type: string): JobDefinition {
  const def = jobDefinitions.find((d) => d.type === type);
  if (!def)
    throw new GengbaoError(
      'bad_input',
      `unknown job type ${type}; known: ${jobDefinitions.map((d) => d.type).join(', ')}`,
      { field: 'type' },
    );
  return def;
}

/** 403 unless `role` may submit this type; absent role: the system itself (tests, operators' scripts). */
export function assertMaySubmit(def: JobDefinition, role: Role | undefined): void {
  if (role === undefined || def.roles.includes(role)) return;
  throw new GengbaoError(
    'forbidden',
    `角色 ${role} 无权提交 ${def.type} 任务（限 ${def.roles.join('、')}）/ role ${role} may not submit ${def.type} jobs; allowed: ${def.roles.join(', ')}`,
    { field: 'type' },
  );
}
