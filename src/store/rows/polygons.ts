import type { PolygonCaseState } from '../../cases/index.ts';
import { POLYGON_SOURCES, STATUSES } from '../../cases/states.ts';
import { z } from 'zod';
import type { Areal } from '../../geo/types.ts';
import { col, defineTable } from '../table.ts';

/** The outline of a 图斑 (jsonb GeoJSON): large, so list queries read it only when asked. */
const geometry = col.json<Areal>('geometry');
/** The lifecycle's state (projection of the record); null before the case opens. */
const state = col.json<PolygonCaseState>('case_state').orNull();

/** A 图斑 as the store returns it. Areas are ellipsoidal (CGCS2000). */
export const POLYGONS = defineTable('polygons', {
  id: col.int('id'),
  code: col.text('code'),
  source: col.text('source').described(z.enum(POLYGON_SOURCES)),
  period: col.text('period'),
  jurisdictionCode: col.text('jurisdiction_code'),
  bbox: col.box('bbox'),
  areaM2: col.float('area_m2'),
  // numeric(14, 2): both drivers parse it as a number (db.ts); the reader converts text too.
  areaMu: col.numeric('area_mu'),
  status: col.text('status').described(z.enum(STATUSES)),
  version: col.int('version'),
  properties: col.json<Record<string, unknown>>('properties').or(() => ({})),
  createdAt: col.time('created_at'),
  updatedAt: col.time('updated_at'),
  geometry: geometry.whenAsked(),
});

/** A 图斑 as the lifecycle needs it: its state and figures. */
export const CASES = POLYGONS.pick(
  'id',
  'code',
  'jurisdictionCode',
  'status',
  'version',
  'period',
  'source',
  'areaMu',
  'properties',
).extend({ state });

/** A 图斑 as a field check needs it: outline and case state included. */
export const FIELD_TASKS = POLYGONS.pick(
  'id',
  'code',
  'source',
  'period',
  'jurisdictionCode',
  'status',
  'version',
  'areaMu',
  'bbox',
).extend({
  geometry,
  properties: POLYGONS.columns.properties,
  state,
});
