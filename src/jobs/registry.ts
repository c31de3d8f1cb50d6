import { GengbaoError } from '../errors.ts';
import { analyzePeriodJob } from './definitions/analyze-period.ts';
import { detectPeriodJob } from './definitions/detect-period.ts';
import { probeJob } from './definitions/probe.ts';
import { recomputeAreasJob } from './definitions/recompute-areas.ts';
import type { JobDefinition } from './types.ts';

/** Every job type Gengbao knows: one file each under definitions/, one line here. */
export const jobDefinitions: JobDefinition[] = [probeJob, recomputeAreasJob, analyzePeriodJob, detectPeriodJob];

export function findJobDefinition(type: string): JobDefinition {
  const def = jobDefinitions.find((d) => d.type === type);
  if (!def) throw new GengbaoError('bad_input', `unknown job type ${type}; known: ${jobDefinitions.map((d) => d.type).join(', ')}`, { field: 'type' });
  return def;
}
