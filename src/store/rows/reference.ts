import type { LayerKind } from '../../analyze/kinds.ts';
import type { Areal } from '../../geo/types.ts';
import { col, defineTable } from '../table.ts';

/** A reference layer; its feature count depends on the reader's scope, so queries add it. */
export const REFERENCE_LAYERS = defineTable('reference_layers', {
  id: col.int('id'),
  kind: col.text<LayerKind>('kind'),
  name: col.text('name'),
  jurisdictionCode: col.text('jurisdiction_code'),
  source: col.text('source'),
  importedAt: col.time('imported_at'),
  meta: col.json<Record<string, unknown>>('meta'),
});

export const REFERENCE_FEATURES = defineTable('reference_features', {
  id: col.int('id'),
  layerId: col.int('layer_id'),
  kind: col.text<LayerKind>('kind'),
  jurisdictionCode: col.text('jurisdiction_code'),
  properties: col.json<Record<string, unknown>>('properties'),
  bbox: col.box('bbox'),
  areaM2: col.float('area_m2'),
  geometry: col.json<Areal>('geometry').whenAsked(),
});
