import { GengbaoError } from '../errors.ts';
import { validityProblems, type Invalidity } from './repair.ts';
import type { Areal } from './types.ts';

/**
 * The one check every write path runs on a geometry a person or a file hands in (tip triage,
 * patrol findings, polygon batches): shape, size, coordinate range and validity, before
 * anything is stored. Stored geometries must be valid (a self-intersecting or unclosed ring
 * was stored with area 0), bounded (one polygon of a million vertices stalled every user for
 * seconds) and on the globe (out-of-range coordinates gave a 500 deep in the store).
 * Errors say what is wrong in Chinese and English and name the field; nothing is changed.
 */

/** Vertices one feature may have: a hand-drawn or surveyed 图斑 has tens to thousands. */
export const MAX_VERTICES = 10_000;
/** Rings (shells and holes) one feature may have. */
export const MAX_RINGS = 1_000;

const PROBLEM_ZH: Record<Invalidity, string> = {
  'unclosed ring': '环未闭合',
  'too few points': '环的点数不足 4 个',
  'self-intersection': '边自相交',
  'hole outside its shell': '洞不在外环之内',
  'overlapping parts': '多个部分相互重叠',
  'non-finite coordinate': '坐标不是有限数',
};

export interface InputGeometryOptions {
  /** Field named in the error (default `geometry`). */
  field?: string;
  maxVertices?: number;
}

function bad(field: string, zh: string, en: string): GengbaoError {
  return new GengbaoError('bad_input', `${zh} / ${en}`, { field });
}

/**
 * Returns `g` as an Areal when it is a valid Polygon or MultiPolygon in longitude/latitude of
 * bounded size; otherwise throws bad_input naming the problem. Pure; cheap on valid input
 * (the crossing test is a sweep over the edges, run only once the size is known bounded).
 */
export function checkInputGeometry(g: unknown, opts: InputGeometryOptions = {}): Areal {
  const field = opts.field ?? 'geometry';
  const maxVertices = opts.maxVertices ?? MAX_VERTICES;
  const o = g as { type?: unknown; coordinates?: unknown } | null;
  if (!o || typeof o !== 'object' || (o.type !== 'Polygon' && o.type !== 'MultiPolygon'))
    throw bad(
      field,
      '图形必须是 Polygon 或 MultiPolygon',
      'geometry must be a Polygon or MultiPolygon',
    );
  if (!Array.isArray(o.coordinates) || o.coordinates.length === 0)
    throw bad(field, '图形没有坐标', 'geometry has no coordinates');
  const polygons = (o.type === 'Polygon' ? [o.coordinates] : o.coordinates) as unknown[];
  let vertices = 0;
  let rings = 0;
  for (const poly of polygons) {
    if (!Array.isArray(poly) || poly.length === 0)
      throw bad(field, '多边形没有环', 'a polygon has no rings');
    for (const ring of poly) {
      if (!Array.isArray(ring))
        throw bad(field, '环必须是坐标数组', 'a ring must be an array of positions');
      rings += 1;
      vertices += ring.length;
      // Counted before any per-vertex work, so an oversized input costs nothing more.
      if (vertices > maxVertices)
        throw bad(
          field,
          `顶点过多（上限 ${maxVertices} 个）`,
          `too many vertices (at most ${maxVertices} per feature)`,
        );
      if (rings > MAX_RINGS)
        throw bad(
          field,
          `环过多（上限 ${MAX_RINGS} 个）`,
          `too many rings (at most ${MAX_RINGS} per feature)`,
        );
      for (const p of ring) {
        if (
          !Array.isArray(p) ||
          p.length < 2 ||
          typeof p[0] !== 'number' ||
          typeof p[1] !== 'number' ||
          !Number.isFinite(p[0]) ||
          !Number.isFinite(p[1])
        )
          throw bad(
            field,
            '坐标必须是有限数 [经度, 纬度]',
            'each position must be [lon, lat] of finite numbers',
          );
        if (p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90)
          throw bad(
            field,
            `坐标 [${p[0]}, ${p[1]}] 超出经纬度范围（经度 −180…180，纬度 −90…90）`,
            `coordinate [${p[0]}, ${p[1]}] is outside longitude −180…180 / latitude −90…90`,
          );
      }
    }
  }
  const problems = validityProblems(o as Areal);
  if (problems.length)
    throw bad(
      field,
      `图形无效：${problems.map((p) => PROBLEM_ZH[p]).join('、')}`,
      `invalid geometry: ${problems.join(', ')}`,
    );
  return o as Areal;
}
