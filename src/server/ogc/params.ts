import { z } from 'zod';
import { POLYGON_SOURCES, STATUSES } from '../../cases/states.ts';
import type { BBox } from '../../geo/types.ts';

/*
 * Query parameters of /ogc/collections/{id}/items (OGC 17-069r4). Unknown parameters
 * are refused with 400 (/req/core/query-param-unknown), invalid values too
 * (/req/core/query-param-invalid).
 */

/** The most features one page carries: a page of farmland outlines stays a few MB. */
export const MAX_LIMIT = 10_000;
export const DEFAULT_LIMIT = 100;

/** minLon,minLat,maxLon,maxLat in CRS84, or the 6-number 3D form with heights ignored (/req/core/fc-bbox-definition). */
const BBoxParam = z.string().transform((s, ctx) => {
  const n = s.split(',').map((v) => (v.trim() === '' ? Number.NaN : Number(v)));
  if ((n.length !== 4 && n.length !== 6) || n.some((v) => !Number.isFinite(v))) {
    ctx.addIssue({
      code: 'custom',
      message: 'bbox must be minLon,minLat,maxLon,maxLat (4 or 6 numbers)',
    });
    return z.NEVER;
  }
  const b: BBox = n.length === 6 ? [n[0], n[1], n[3], n[4]] : [n[0], n[1], n[2], n[3]];
  if (b[1] > b[3] || b[1] < -90 || b[3] > 90 || b[0] < -180 || b[2] > 180 || b[0] > b[2]) {
    ctx.addIssue({
      code: 'custom',
      message:
        'bbox corners out of order or out of range (boxes across the antimeridian are not served)',
    });
    return z.NEVER;
  }
  return b;
});

// RFC 3339 date-time, a date alone, or GDAL's "YYYY-MM-DDT" (what its OAPIF driver sends for a date filter).
const INSTANT =
  /^(\d{4}-\d{2}-\d{2})(?:T(?:(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:\d{2})?)?)?$/i;

function instant(s: string): Date | null | undefined {
  if (s === '' || s === '..') return null;
  const m = INSTANT.exec(s);
  if (!m) return undefined;
  // A date alone stands for that day in China time (periods are China-time months); a time
  // without an offset is read as UTC.
  const text = m[2] ? `${m[1]}T${m[2]}${m[3] ?? 'Z'}` : `${m[1]}T12:00:00+08:00`;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** An instant or a closed interval with `..` (or nothing) for an open end (/req/core/fc-time-definition). */
const DatetimeParam = z.string().transform((s, ctx) => {
  const parts = s.split('/');
  const ends = parts.map(instant);
  if (
    parts.length > 2 ||
    ends.some((e) => e === undefined) ||
    (parts.length === 1 && ends[0] === null)
  ) {
    ctx.addIssue({
      code: 'custom',
      message: 'datetime must be an RFC 3339 instant or an interval a/b with .. for an open end',
    });
    return z.NEVER;
  }
  const start = ends[0] as Date | null;
  const end = (parts.length === 2 ? ends[1] : ends[0]) as Date | null;
  if (start && end && start > end) {
    ctx.addIssue({ code: 'custom', message: 'datetime interval ends before it starts' });
    return z.NEVER;
  }
  return { start, end };
});

/** `f` as some clients send it: only JSON encodings are served. */
const FormatParam = z.enum(['json', 'geojson', 'application/json', 'application/geo+json']);

export const ItemsQuerystring = z
  .object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .default(DEFAULT_LIMIT)
      // Larger limits are served as the maximum (/per/core/limit-override), not refused.
      .transform((n) => Math.min(n, MAX_LIMIT))
      .describe(`features per page, default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT}`),
    bbox: BBoxParam.optional().describe('minLon,minLat,maxLon,maxLat in CRS84'),
    datetime: DatetimeParam.optional().describe(
      'RFC 3339 instant or interval (a/b, ../b, a/..): 图斑 whose monitoring period (China-time month) it touches; ignored by collections without time',
    ),
    cursor: z
      .string()
      .max(20)
      .optional()
      .describe('where the page starts: the value a next link carries'),
    period: z
      .string()
      .regex(/^\d{4}-\d{2}$/, 'period must look like 2026-11')
      .optional()
      .describe('图斑 collections: the monitoring period'),
    status: z.enum(STATUSES).optional().describe('图斑 collections: the lifecycle status'),
    source: z
      .enum(POLYGON_SOURCES)
      .optional()
      .describe('图斑 collections: where the 图斑 came from'),
    f: FormatParam.optional(),
  })
  .strict();

export const JsonQuerystring = z.object({ f: FormatParam.optional() }).strict();
