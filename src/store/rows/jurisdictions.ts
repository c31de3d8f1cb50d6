import type { Areal } from '../../geo/types.ts';
import { z } from 'zod';
import { JURISDICTION_LEVELS } from '../../grid/levels.ts';
import { col, defineTable } from '../table.ts';

/** A unit of the administrative tree; national units and some imports have no outline. */
export const JURISDICTIONS = defineTable('jurisdictions', {
  code: col.text('code'),
  level: col.text('level').described(z.enum(JURISDICTION_LEVELS)),
  parentCode: col.text('parent_code').orNull(),
  name: col.text('name'),
  bbox: col.box('bbox').orNull(),
  areaM2: col.float('area_m2').orNull(),
  meta: col.json<Record<string, unknown>>('meta').or(() => ({})),
  geometry: col.json<Areal>('geometry').orNull().whenAsked(),
});
