import { boxLiteral, copyRows, type CopyValue } from './copy.ts';
import { equalAreaM2 } from '../geo/equal-area.ts';
import { bboxOf } from '../geo/bbox.ts';
import type { Areal, BBox } from '../geo/types.ts';
import type { Queryable } from './db.ts';
import { BBOX_RECORD, BOX_FROM_RECORD, bboxFields, boxOverlaps, insertRows } from './bulk.ts';
import { REFERENCE_FEATURES, REFERENCE_LAYERS } from './rows/reference.ts';
import type { Scope } from './scope.ts';
import { col, type RecordOf, type Row } from './table.ts';
import { rowsTouching } from './touching.ts';

// One list of layer kinds: 套合's (src/analyze/kinds.ts); the schema's CHECK lists the same.
export { LAYER_KINDS, type LayerKind } from '../analyze/kinds.ts';
import type { LayerKind } from '../analyze/kinds.ts';

/** A layer with the number of its features the reader may see. */
export type ReferenceLayer = RecordOf<typeof REFERENCE_LAYERS.columns> & { featureCount: number };

export type ReferenceFeature = RecordOf<typeof REFERENCE_FEATURES.columns>;

export interface NewReferenceFeature {
  jurisdictionCode: string;
  geometry: Areal;
  properties?: Record<string, unknown>;
}

export interface NewReferenceLayer {
  kind: LayerKind;
  name: string;
  jurisdictionCode: string;
  source: string;
  meta?: Record<string, unknown>;
}

/** Creates an empty layer row; features follow with `insertReferenceFeatures`. */
export async function createReferenceLayer(
  q: Queryable,
  scope: Scope,
  layer: NewReferenceLayer,
): Promise<number> {
  scope.assertCovers(layer.jurisdictionCode, `layer ${layer.name}`);
  const [{ id }] = await q.query<{ id: number }>(
    'INSERT INTO reference_layers (kind, name, jurisdiction_code, source, meta) VALUES ($1,$2,$3,$4,$5::jsonb) RETURNING id',
    [
      layer.kind,
      layer.name,
      layer.jurisdictionCode,
      layer.source,
      JSON.stringify(layer.meta ?? {}),
    ],
  );
  return id;
}

/** The columns of a reference feature's COPY row, in the order `referenceCopyRow` writes them. */
const REFERENCE_COPY_COLUMNS = [
  'layer_id',
  'kind',
  'jurisdiction_code',
  'properties',
  'geometry',
  'bbox',
  'area_m2',
];

/** One reference feature as a COPY row (also written on worker threads by large imports). */
export function referenceCopyRow(
  layer: { id: number; kind: string },
  f: NewReferenceFeature,
): CopyValue[] {
  return [
    layer.id,
    layer.kind,
    f.jurisdictionCode,
    f.properties ?? {},
    f.geometry,
    boxLiteral(bboxOf(f.geometry)),
    equalAreaM2(f.geometry),
  ];
}

/** Loads COPY text of `referenceCopyRow` rows; the caller placed every row inside its scope. */
export async function copyReferenceText(q: Queryable, text: string): Promise<void> {
  if (!q.copyFrom) throw new Error('copyReferenceText needs a driver with COPY');
  await q.copyFrom(
    `COPY reference_features (${REFERENCE_COPY_COLUMNS.join(', ')}) FROM STDIN`,
    text,
  );
}

/** Appends features to a layer (streamed imports call this once per batch). */
export async function insertReferenceFeatures(
  q: Queryable,
  scope: Scope,
  layer: { id: number; kind: LayerKind; name: string },
  features: NewReferenceFeature[],
): Promise<void> {
  for (const f of features)
    scope.assertCovers(f.jurisdictionCode, `a feature of layer ${layer.name}`);
  // COPY where the driver has it: on PGlite 50,000 parcels loaded in 1.1 s by COPY against
  // 5.0 s through jsonb_to_recordset (indexes dropped for the COPY; measured on the shared 2-core VM).
  // Areas by the fast equal-area form (its agreement with GeographicLib is tested in geo/), 13×
  // quicker on 200,000 parcels (0.09 s against 1.2 s). A hand-written outline serializer was
  // tried for the COPY text and was slower than JSON.stringify (246 against 178 ms per 100,000).
  const copied = await copyRows(
    q,
    'reference_features',
    REFERENCE_COPY_COLUMNS,
    features.map((f) => referenceCopyRow(layer, f)),
  );
  if (copied) return;
  await insertRows(
    q,
    {
      table: 'reference_features',
      record: {
        jurisdiction_code: 'text',
        properties: 'jsonb',
        geometry: 'jsonb',
        area_m2: 'float8',
        ...BBOX_RECORD,
      },
      values: {
        layer_id: String(Number(layer.id)),
        kind: `'${layer.kind}'`,
        jurisdiction_code: 'r.jurisdiction_code',
        properties: 'r.properties',
        geometry: 'r.geometry',
        area_m2: 'r.area_m2',
        bbox: BOX_FROM_RECORD,
      },
    },
    features.map((f) => ({
      jurisdiction_code: f.jurisdictionCode,
      properties: f.properties ?? {},
      geometry: f.geometry,
      area_m2: equalAreaM2(f.geometry),
      ...bboxFields(bboxOf(f.geometry)),
    })),
  );
}

/** Creates a layer and its features in the caller's transaction; returns the layer id. */
export async function insertReferenceLayer(
  q: Queryable,
  scope: Scope,
  layer: NewReferenceLayer,
  features: NewReferenceFeature[],
): Promise<number> {
  const id = await createReferenceLayer(q, scope, layer);
  await insertReferenceFeatures(q, scope, { id, kind: layer.kind, name: layer.name }, features);
  return id;
}

export async function listReferenceLayers(q: Queryable, scope: Scope): Promise<ReferenceLayer[]> {
  const params: unknown[] = [];
  // The count runs under the reader's scope, so it is a column of this query only.
  const layers = REFERENCE_LAYERS.extend({
    featureCount: col.int(
      'n',
      `(SELECT count(*)::int FROM reference_features f WHERE f.layer_id = l.id AND ${scope.where('f.jurisdiction_code', params)})`,
    ),
  });
  const rows = await q.query<Row>(
    `SELECT ${layers.select({ alias: 'l' })} FROM reference_layers l ORDER BY l.id`,
    params,
  );
  return rows
    .map(layers.read)
    .filter((l) => l.featureCount > 0 || scope.covers(l.jurisdictionCode));
}

const toFeature = (r: Row): ReferenceFeature => REFERENCE_FEATURES.read(r);

/** Reference features of some kinds overlapping a box, inside the scope, by id; `afterId` pages them. */
export async function referenceFeaturesInBox(
  q: Queryable,
  scope: Scope,
  bbox: BBox,
  opts: { kinds?: LayerKind[]; withGeometry?: boolean; limit?: number; afterId?: number } = {},
): Promise<ReferenceFeature[]> {
  const params: unknown[] = [];
  const where = [scope.where('jurisdiction_code', params), boxOverlaps('bbox', bbox, params)];
  if (opts.kinds?.length) {
    params.push(opts.kinds);
    where.push(`kind = ANY($${params.length}::text[])`);
  }
  if (opts.afterId !== undefined) where.push(`id > $${params.push(opts.afterId)}`);
  const limit = Math.min(opts.limit ?? 10000, 50000);
  const rows = await q.query<Row>(
    `SELECT ${REFERENCE_FEATURES.select({ with: opts.withGeometry ? ['geometry'] : [] })}
       FROM reference_features WHERE ${where.join(' AND ')} ORDER BY id LIMIT ${limit}`,
    params,
  );
  return rows.map(toFeature);
}

/** Every reference feature overlapping a box, in pages by id (bounded memory for big layers). */
export async function* referenceFeatureStream(
  q: Queryable,
  scope: Scope,
  bbox: BBox,
  page = 20000,
): AsyncGenerator<ReferenceFeature[]> {
  let after = 0;
  for (;;) {
    const params: unknown[] = [after];
    const where = [
      'id > $1',
      scope.where('jurisdiction_code', params),
      boxOverlaps('bbox', bbox, params),
    ];
    const rows = await q.query<Row>(
      `SELECT ${REFERENCE_FEATURES.select({ with: ['geometry'] })} FROM reference_features WHERE ${where.join(' AND ')} ORDER BY id LIMIT ${page}`,
      params,
    );
    if (!rows.length) return;
    const batch = rows.map(toFeature);
    yield batch;
    after = batch[batch.length - 1].id;
  }
}

/**
 * The reference features whose box overlaps any of `boxes` (a period's 图斑), inside the
 * scope, by id in batches: what 套合 reads, and nothing of a layer between the 图斑.
 */
export async function* referenceFeaturesTouching(
  q: Queryable,
  scope: Scope,
  boxes: BBox[],
  batch?: number,
): AsyncGenerator<ReferenceFeature[]> {
  const spec = {
    table: 'reference_features',
    key: { column: 'id', type: 'int8' as const },
    select: REFERENCE_FEATURES.select({ with: ['geometry'] }),
    where: (params: unknown[]) => [scope.where('t.jurisdiction_code', params)],
  };
  for await (const rows of rowsTouching(q, spec, boxes, batch)) yield rows.map(toFeature);
}
