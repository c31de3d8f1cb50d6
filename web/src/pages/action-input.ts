/** The action form's data side: JSON Schema subset and the conversion of form values to an input. */
/** The subset of JSON Schema the action inputs use (zod's `toJSONSchema` output). */
export interface Schema {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  default?: unknown;
}

export type Values = Record<string, string | boolean>;

/** Fields edited as JSON text: arrays, objects and untyped values. */
export const isJsonField = (s: Schema) =>
  s.type === 'array' || s.type === 'object' || (!s.type && !s.enum);

/** Turns the form's strings into the input object: numbers parsed, dates to ISO, JSON fields parsed, blanks left out. */
export function inputFrom(
  schema: Schema,
  values: Values,
  version: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = { version };
  for (const [name, s] of Object.entries(schema.properties ?? {})) {
    if (name === 'version') continue;
    const v = values[name];
    if (s.const !== undefined) out[name] = s.const;
    else if (s.type === 'boolean') out[name] = v === true;
    else if (typeof v !== 'string' || v.trim() === '') continue;
    else if (s.type === 'integer' || s.type === 'number') out[name] = Number(v);
    else if (s.format === 'date-time') out[name] = new Date(v).toISOString();
    else if (isJsonField(s)) out[name] = JSON.parse(v);
    else out[name] = v;
  }
  return out;
}
