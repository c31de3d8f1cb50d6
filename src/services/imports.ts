import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import type { Actor } from '../cases/index.ts';
import { GengbaoError } from '../errors.ts';
import { readFeatures, type ImportReport, type ReadOptions } from '../geo/formats/read.ts';
import type { Feature } from '../geo/types.ts';
import { checkInputGeometry } from '../geo/validate-input.ts';
import type { Db } from '../store/db.ts';
import { withForeignKeysTrusted, withIndexesAfter } from '../store/bulk-indexes.ts';
import { appendEvents } from '../store/events.ts';
import { insertPolygons, type PolygonSource } from '../store/polygons.ts';
import { storedPolygonCodes } from '../store/polygon-upkeep.ts';
import { topJurisdictionCode } from '../store/system.ts';
import {
  createReferenceLayer,
  insertReferenceFeatures,
  type LayerKind,
} from '../store/reference.ts';
import { analyzeReferenceFeatures, setReferenceLayerMeta } from '../store/reference-upkeep.ts';
import type { Scope } from '../store/scope.ts';
import { locateIn } from '../grid/index.ts';
import { gridCellsOf, gridOf } from './grid.ts';
import { loadLayerInParts } from './layer-load.ts';
import { openCases } from './cases.ts';

export { mapFields } from './field-map.ts';
import { mapFields } from './field-map.ts';

export interface LayerImportOptions {
  kind: LayerKind;
  path: string;
  name?: string;
  /** The unit that owns the layer (default: the caller's own jurisdiction). */
  jurisdictionCode: string;
  read?: ReadOptions;
  fieldMap?: Record<string, string>;
  onProgress?: (features: number) => void;
  /** Who imports it, for the record: a user's id, or null for the system (the CLI)… */
  actorId?: number | null;
  /** … and in words (e.g. `cli (operator)`); default `system`. */
  importedBy?: string;
}

/**
 * Imports a reference layer file in ONE transaction: a bad file, a feature outside the
 * caller's jurisdiction or a killed process leaves the database as it was. Features stream in
 * batches (bounded memory); each is assigned to the grid cell it lies in so field chiefs see
 * their village's parcels. Returns the layer id and the import report (read, repaired,
 * rejected and why), which is also stored in the layer's metadata.
 */
export async function importLayer(
  db: Db,
  scope: Scope,
  opts: LayerImportOptions,
  now: () => Date = () => new Date(),
): Promise<{ layerId: number; report: ImportReport; outsideGrid: number }> {
  scope.assertCovers(opts.jurisdictionCode, 'the layer');
  const reader = readFeatures(opts.path, opts.read);
  // A large file loads with the table's secondary indexes built after (store/bulk-indexes.ts),
  // and GeoJSON lines in lon/lat are prepared in parts on worker threads (layer-load.ts).
  const size = (await stat(opts.path).catch(() => null))?.size ?? 0;
  const large = size >= INDEXES_AFTER_BYTES;
  const inParts =
    large &&
    !!db.copyFrom &&
    !opts.read?.crs &&
    /\.(geojsonl|geojsons|ndjson|jsonl)$/i.test(opts.path);
  const result = await db.transaction(async (tx) => {
    const grid = await gridOf(tx, scope);
    const name = opts.name ?? basename(opts.path);
    const layerId = await createReferenceLayer(tx, scope, {
      kind: opts.kind,
      name,
      jurisdictionCode: opts.jurisdictionCode,
      source: basename(opts.path),
    });
    let n = 0;
    let outsideGrid = 0;
    let partsReport: ImportReport | null = null;
    const load = async () => {
      if (inParts) {
        const r = await loadLayerInParts(tx, {
          path: opts.path,
          size,
          read: opts.read,
          grid: await gridCellsOf(tx, scope),
          scopePrefix: scope.prefix,
          layer: { id: layerId, kind: opts.kind },
          fallbackCode: opts.jurisdictionCode,
          fieldMap: opts.fieldMap,
          onProgress: opts.onProgress,
          threads: db.kind === 'postgres' ? availableParallelism() : undefined,
        });
        [n, outsideGrid, partsReport] = [r.rows, r.outsideGrid, r.report];
        return;
      }
      for await (const batch of reader.batches()) {
        const rows = batch.map((f) => {
          let code = locateIn(grid, f.geometry);
          if (!code) {
            outsideGrid++;
            code = opts.jurisdictionCode;
          }
          return {
            jurisdictionCode: code,
            geometry: f.geometry,
            properties: mapFields(f.properties ?? {}, opts.fieldMap),
          };
        });
        await insertReferenceFeatures(tx, scope, { id: layerId, kind: opts.kind, name }, rows);
        n += rows.length;
        opts.onProgress?.(n);
      }
    };
    // A large load: indexes built after it, and the features' layer id (written here) not checked row by row.
    await (large
      ? withIndexesAfter(tx, 'reference_features', () => withForeignKeysTrusted(tx, load))
      : load());
    const report = partsReport ?? reader.report;
    await setReferenceLayerMeta(tx, layerId, {
      report,
      fieldMap: opts.fieldMap ?? {},
      outsideGrid,
    });
    // The layers decide what counts as farmland: which file, who and what it held is recorded,
    // in the same transaction, so a layer never exists without its entry in the record.
    await appendEvents(tx, scope, [
      {
        actorId: opts.actorId ?? null,
        entityType: 'reference_layer',
        entityId: String(layerId),
        jurisdictionCode: opts.jurisdictionCode,
        type: 'reference_layer.imported',
        payload: {
          importedBy: opts.importedBy ?? 'system',
          file: basename(opts.path),
          name,
          kind: opts.kind,
          crs: report.crs ?? null,
          counts: {
            read: report.read,
            accepted: report.accepted,
            repaired: report.repaired,
            rejected: report.rejected,
            stored: n,
            outsideGrid,
          },
        },
        at: now(),
      },
    ]);
    return { layerId, report, outsideGrid };
  });
  await analyzeReferenceFeatures(db);
  return result;
}

/**
 * From this file size a layer loads with the indexes built after: about 250,000 parcels of
 * GeoJSON lines, where rebuilding over the demo's ~40,000 stored features costs less than
 * growing the indexes row by row.
 */
const INDEXES_AFTER_BYTES = 64 << 20;

/** Fields that carry a 图斑's own monitoring id in batches from above, most specific first. */
const CODE_FIELDS = ['JCBH', 'TBBH', 'jcbh', 'tbbh', 'BSM', 'code', 'CODE', 'id', 'ID'];

export interface PolygonBatchOptions {
  path: string;
  period: string;
  source?: PolygonSource;
  codeField?: string;
  read?: ReadOptions;
  onProgress?: (features: number) => void;
}

/**
 * Imports a batch of 图斑 pushed from above (e.g. a ministry Shapefile) as polygons of source
 * `batch`, keeping every original attribute under `properties.original`, each assigned to the
 * grid cell it lies in, each with its case opened. All or nothing: one polygon outside the
 * caller's jurisdiction, or a duplicate monitoring id, refuses the whole batch.
 */
export async function importPolygonBatch(
  db: Db,
  scope: Scope,
  actor: Actor,
  opts: PolygonBatchOptions,
  now: () => Date = () => new Date(),
): Promise<{ ids: number[]; report: ImportReport }> {
  if (!/^\d{4}-\d{2}$/.test(opts.period))
    throw new GengbaoError('bad_input', 'period must look like 2026-11', { field: 'period' });
  const reader = readFeatures(opts.path, opts.read);
  const features: Feature[] = [];
  for await (const f of reader) features.push(f);
  return db.transaction(async (tx) => {
    const grid = await gridOf(tx, scope);
    const items = features.map((f, i) => {
      const props = f.properties ?? {};
      const field = opts.codeField ?? CODE_FIELDS.find((k) => props[k] != null && props[k] !== '');
      const code =
        field && props[field] != null
          ? String(props[field])
          : `${opts.period.replace('-', '')}-${basename(opts.path)}-${i + 1}`;
      // The reader repaired what it could; the batch still gets the bounds every write path has.
      try {
        checkInputGeometry(f.geometry);
      } catch (e) {
        throw new GengbaoError(
          'bad_input',
          `图斑 ${code} (feature ${i + 1}): ${(e as Error).message}; nothing was imported`,
          { field: 'geometry' },
        );
      }
      const jurisdictionCode = locateIn(grid, f.geometry);
      if (!jurisdictionCode) {
        throw new GengbaoError(
          'forbidden_jurisdiction',
          `图斑 ${code} (feature ${i + 1}) lies outside your jurisdiction (${scope.prefix || 'all'}); nothing was imported`,
          { field: 'geometry' },
        );
      }
      return {
        code,
        source: opts.source ?? ('batch' as const),
        period: opts.period,
        jurisdictionCode,
        geometry: f.geometry,
        properties: { original: props, file: basename(opts.path) },
      };
    });
    const seen = new Set<string>();
    for (const p of items) {
      if (seen.has(p.code))
        throw new GengbaoError(
          'bad_input',
          `monitoring id ${p.code} appears twice in ${basename(opts.path)}; nothing was imported`,
          { field: 'code' },
        );
      seen.add(p.code);
    }
    const dup = await storedPolygonCodes(
      tx,
      items.map((p) => p.code),
    );
    if (dup.length)
      throw new GengbaoError(
        'conflict',
        `图斑 already stored: ${dup.join(', ')}; nothing was imported`,
        { field: 'code' },
      );
    const ids = await insertPolygons(tx, scope, items);
    await openCases(
      tx,
      scope,
      actor,
      ids.map((id, i) => ({
        id,
        jurisdictionCode: items[i].jurisdictionCode,
        source: items[i].source,
        period: items[i].period,
      })),
      now(),
    );
    opts.onProgress?.(ids.length);
    return { ids, report: reader.report };
  });
}

/** The file imports of one installation (CLI and server share them), bound to its database and clock. */
export class ImportService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  layer(scope: Scope, opts: LayerImportOptions) {
    return importLayer(this.db, scope, opts, this.now);
  }

  polygonBatch(scope: Scope, actor: Actor, opts: PolygonBatchOptions) {
    return importPolygonBatch(this.db, scope, actor, opts, this.now);
  }

  /** The unit a layer belongs to when none is named: the top of the stored grid. */
  async defaultLayerOwner(): Promise<string> {
    const code = await topJurisdictionCode(this.db);
    if (!code)
      throw new GengbaoError(
        'bad_input',
        'no jurisdictions yet: load the grid (or the demo) first',
        { field: '--jurisdiction' },
      );
    return code;
  }
}
