/**
 * The one place where a zod failure becomes a GengbaoError('bad_input') naming the first
 * offending field, so every transition, config loader and sampler reports bad input the same
 * way ("photos: at least 2 required", field "photos").
 */
import type { z } from 'zod';
import { GengbaoError } from '../errors.ts';

/**
 * Parses `value` with `schema`; on failure throws bad_input whose `field` is the dotted path
 * of the first issue (e.g. "court.rulingNo") and whose details list every issue.
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({
    field: i.path.map(String).join('.'),
    message: describe(i),
  }));
  const first = issues[0];
  throw new GengbaoError('bad_input', `${what}: ${first.field || '(root)'}: ${first.message}`, {
    field: first.field || undefined,
    details: issues,
  });
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined'))
    return 'missing required field';
  return issue.message;
}
