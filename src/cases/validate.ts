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

/**
 * A zod issue as "中文 / English": the Chinese is what the office app shows beside the field
 * (the API's messages are Chinese first, English second); the English is zod's own or ours.
 * Refinement messages (inputs.ts) are already written that way and pass through.
 */
function describe(issue: z.core.$ZodIssue): string {
  const i = issue as z.core.$ZodIssue & {
    minimum?: number | bigint;
    maximum?: number | bigint;
    origin?: string;
    format?: string;
  };
  switch (issue.code) {
    case 'invalid_type':
      if (issue.message.endsWith('received undefined')) return '必填 / missing required field';
      return `格式不正确 / ${issue.message}`;
    case 'too_small':
      if (i.origin === 'array') return `至少 ${i.minimum} 项 / ${issue.message}`;
      if (i.origin === 'string') return `必填 / ${issue.message}`;
      return `不能小于 ${i.minimum} / ${issue.message}`;
    case 'too_big':
      if (i.origin === 'array') return `最多 ${i.maximum} 项 / ${issue.message}`;
      if (i.origin === 'string') return `最多 ${i.maximum} 字 / ${issue.message}`;
      return `不能大于 ${i.maximum} / ${issue.message}`;
    case 'invalid_format':
      if (i.format === 'date') return `日期格式不正确 / ${issue.message}`;
      if (i.format === 'datetime') return `时间格式不正确 / ${issue.message}`;
      return `格式不正确 / ${issue.message}`;
    case 'invalid_value':
      return `不是可选的值 / ${issue.message}`;
    case 'unrecognized_keys':
      return `含有无法识别的项 / ${issue.message}`;
    default:
      return /[\u4e00-\u9fff]/.test(issue.message) ? issue.message : `填写有误 / ${issue.message}`;
  }
}

/**
 * Limits on what an action's input may be before it reaches the append-only record, where it
 * stays for ever: a 10 MB string or a 200,000-key object was accepted and stored. Generous
 * for any real form (a description, a list of photo hashes, a ruling), far below abuse.
 */
export const INPUT_LIMITS = {
  /** Nesting of objects and arrays. */
  depth: 8,
  /** Keys and array items, all levels together. */
  entries: 2_000,
  /** Characters of one string (a key or a value). */
  stringLength: 20_000,
  /** Characters of the whole input as JSON. */
  totalChars: 256 * 1024,
} as const;

/**
 * Throws bad_input, naming where, when `value` exceeds a limit; walks the value once and
 * stops at the first excess, so an oversized input costs no more than reading up to it.
 */
export function assertBoundedInput(value: unknown, what: string, limits = INPUT_LIMITS): void {
  let entries = 0;
  let chars = 0;
  const fail = (path: string, zh: string, en: string): never => {
    throw new GengbaoError('bad_input', `${what}: ${path || '(root)'}: ${zh} / ${en}`, {
      field: path || undefined,
    });
  };
  const walk = (v: unknown, path: string, depth: number): void => {
    if (typeof v === 'string') {
      if (v.length > limits.stringLength)
        fail(
          path,
          `文字过长（上限 ${limits.stringLength} 字）`,
          `text too long (at most ${limits.stringLength} characters)`,
        );
      chars += v.length + 2;
    } else if (v !== null && typeof v === 'object') {
      if (depth >= limits.depth)
        fail(
          path,
          `嵌套过深（上限 ${limits.depth} 层）`,
          `nested too deeply (at most ${limits.depth} levels)`,
        );
      const keys = Array.isArray(v) ? null : Object.keys(v);
      entries += keys ? keys.length : (v as unknown[]).length;
      if (entries > limits.entries)
        fail(
          path,
          `条目过多（上限 ${limits.entries} 个）`,
          `too many keys or items (at most ${limits.entries} in all)`,
        );
      chars += 2;
      if (keys)
        for (const k of keys) {
          if (k.length > limits.stringLength) fail(path, '键名过长', 'key too long');
          chars += k.length + 3;
          walk((v as Record<string, unknown>)[k], path ? `${path}.${k}` : k, depth + 1);
        }
      else
        (v as unknown[]).forEach((item, i) =>
          walk(item, path ? `${path}.${i}` : String(i), depth + 1),
        );
    } else chars += 8;
    if (chars > limits.totalChars)
      fail(
        path,
        `内容过大（上限 ${limits.totalChars} 字符）`,
        `input too large (at most ${limits.totalChars} characters as JSON)`,
      );
  };
  walk(value, '', 0);
}
