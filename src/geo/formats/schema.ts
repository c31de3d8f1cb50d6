import type { Feature } from '../types.ts';

export type FieldType = 'string' | 'integer' | 'real' | 'boolean';

/** One attribute column of an export. */
export interface FieldSpec {
  name: string;
  type: FieldType;
}

/**
 * Columns of a set of features, in first-seen order: a column is integer if every value is a
 * safe integer, real if every value is a number, boolean if every value is a boolean, else
 * string (dates and objects are written as text). Nulls do not vote.
 */
export function inferFields(features: Iterable<Feature>): FieldSpec[] {
  const kinds = new Map<string, Set<FieldType>>();
  for (const f of features) {
    for (const [k, v] of Object.entries(f.properties ?? {})) {
      const set = kinds.get(k) ?? new Set<FieldType>();
      kinds.set(k, set);
      if (v === null || v === undefined) continue;
      if (typeof v === 'boolean') set.add('boolean');
      else if (typeof v === 'number') set.add(Number.isSafeInteger(v) ? 'integer' : 'real');
      else set.add('string');
    }
  }
  return [...kinds].map(([name, set]) => {
    let type: FieldType = 'string';
    if (set.size === 0) type = 'string';
    else if ([...set].every((t) => t === 'integer')) type = 'integer';
    else if ([...set].every((t) => t === 'integer' || t === 'real')) type = 'real';
    else if ([...set].every((t) => t === 'boolean')) type = 'boolean';
    return { name, type };
  });
}

/** A value as text for string columns (objects as JSON). */
export function asText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
