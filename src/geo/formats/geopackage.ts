import type { Database } from 'sql.js';
import { GengbaoError } from '../../errors.ts';
import { crsFromEpsg, crsFromWkt, type Crs } from '../crs.ts';
import type { BBox } from '../types.ts';
import { rtreeNodeTable, rtreeSelect } from './geopackage-rtree.ts';
import {
  BATCH,
  type RawBatch,
  type RawFeature,
  type RawGeometry,
  type RawLayer,
} from './source.ts';
import { openSqlite } from './sqlite.ts';
import { readWkb } from './wkb.ts';

/** Envelope sizes by the GeoPackage header's envelope indicator (OGC 12-128r18, §2.1.3). */
const ENVELOPE_BYTES = [0, 32, 48, 48, 64];

/** A GeoPackage geometry blob (GP header + WKB) → geometry, or null when empty. */
export function readGpkgGeometry(blob: Uint8Array): RawGeometry | null {
  if (blob[0] !== 0x47 || blob[1] !== 0x50)
    throw new GengbaoError('bad_input', 'not a GeoPackage geometry blob (no "GP" magic)', {
      field: 'geometry',
    });
  const flags = blob[3];
  if (flags & 0x10) return null;
  const envelope = ENVELOPE_BYTES[(flags >> 1) & 0x07];
  if (envelope === undefined)
    throw new GengbaoError('bad_input', 'bad GeoPackage envelope indicator', { field: 'geometry' });
  return readWkb(blob, 8 + envelope);
}

function one<T>(db: Database, sql: string, params: Array<string | number> = []): T | undefined {
  const st = db.prepare(sql);
  try {
    st.bind(params);
    return st.step() ? (st.getAsObject() as T) : undefined;
  } finally {
    st.free();
  }
}

/** The CRS of a GeoPackage srs_id: by its EPSG code when it has one we know, else its WKT. */
function crsOfSrs(db: Database, srsId: number): Crs | undefined {
  if (srsId <= 0) return undefined;
  const srs = one<{ organization: string; organization_coordsys_id: number; definition: string }>(
    db,
    'SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?',
    [srsId],
  );
  if (!srs)
    throw new GengbaoError(
      'bad_input',
      `GeoPackage srs_id ${srsId} is not in gpkg_spatial_ref_sys`,
      { field: 'crs' },
    );
  if (String(srs.organization).toUpperCase() === 'EPSG') {
    try {
      return crsFromEpsg(Number(srs.organization_coordsys_id));
    } catch {
      /* fall through to the WKT, which may still be a system we recognise */
    }
  }
  return crsFromWkt(srs.definition);
}

/**
 * Open one feature table of a GeoPackage (the only one, or `layer`). Rows are stepped one at
 * a time; attribute columns keep their names and SQLite values.
 */
export async function openGeoPackage(path: string, layer?: string): Promise<RawLayer> {
  const db = await openSqlite(path);
  try {
    const tables: string[] = [];
    const st = db.prepare(
      "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name",
    );
    while (st.step()) tables.push(String(st.get()[0]));
    st.free();
    if (tables.length === 0)
      throw new GengbaoError('bad_input', `${path} has no feature table`, { field: 'file' });
    const table = layer ?? (tables.length === 1 ? tables[0] : undefined);
    if (!table || !tables.includes(table)) {
      throw new GengbaoError(
        'bad_input',
        `${path} has ${tables.length} feature tables (${tables.join(', ')}); name one as the layer`,
        { field: 'layer' },
      );
    }
    const gc = one<{ column_name: string; srs_id: number }>(
      db,
      'SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?',
      [table],
    )!;
    const crs = crsOfSrs(db, Number(gc.srs_id));
    const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
    // SQLite stores BOOLEAN as 0/1; the declared column type says to give booleans back.
    const booleans: string[] = [];
    let pk: string | undefined;
    const info = db.prepare(`PRAGMA table_info(${quote(table)})`);
    while (info.step()) {
      const col = info.getAsObject();
      if (String(col.type).toUpperCase() === 'BOOLEAN') booleans.push(String(col.name));
      if (Number(col.pk) === 1 && String(col.type).toUpperCase() === 'INTEGER')
        pk = String(col.name);
    }
    info.free();
    const feature = (row: Record<string, unknown>, id: number): RawFeature => {
      const blob = row[gc.column_name] as Uint8Array | null;
      delete row[gc.column_name];
      for (const b of booleans) if (row[b] !== null) row[b] = row[b] === 1;
      return { id, properties: row, geometry: blob ? readGpkgGeometry(blob) : null };
    };
    async function* batches(): AsyncGenerator<RawFeature[]> {
      let batch: RawFeature[] = [];
      const rows = db.prepare(`SELECT * FROM ${quote(table!)}`);
      try {
        let i = 0;
        while (rows.step()) {
          batch.push(feature(rows.getAsObject(), i++));
          if (batch.length === BATCH) {
            yield batch;
            batch = [];
          }
        }
        if (batch.length) yield batch;
      } finally {
        rows.free();
        db.close();
      }
    }
    // Through the R-tree, a feature's id must still be its position in the table (as in the
    // full read): known from the primary key when the keys run without gaps, as GDAL writes them.
    const keys = pk
      ? one<{ n: number; lo: number; hi: number }>(
          db,
          `SELECT count(*) AS n, min(${quote(pk)}) AS lo, max(${quote(pk)}) AS hi FROM ${quote(table)}`,
        )
      : undefined;
    const rtree = pk ? rtreeNodeTable(db, table, gc.column_name) : undefined;
    const indexed =
      rtree && keys && (keys.n === 0 || Number(keys.hi) - Number(keys.lo) + 1 === Number(keys.n));
    async function* select(test: (box: BBox) => boolean): AsyncGenerator<RawBatch> {
      try {
        const ids = rtreeSelect(db, rtree!, test);
        const lo = Number(keys!.lo);
        let filtered = 0;
        let next = 0;
        for (let i = 0; i < ids.length; i += BATCH) {
          const chunk = ids.slice(i, i + BATCH);
          const rows = db.prepare(
            `SELECT * FROM ${quote(table!)} WHERE ${quote(pk!)} IN (${chunk.join(',')}) ORDER BY ${quote(pk!)}`,
          );
          const batch: RawBatch = [];
          try {
            while (rows.step()) {
              const row = rows.getAsObject();
              const at = Number(row[pk!]) - lo;
              filtered += at - next;
              next = at + 1;
              batch.push(feature(row, at));
            }
          } finally {
            rows.free();
          }
          batch.filtered = filtered;
          filtered = 0;
          yield batch;
        }
        const rest: RawBatch = [];
        rest.filtered = Number(keys!.n) - next;
        yield rest;
      } finally {
        db.close();
      }
    }
    return {
      format: 'geopackage',
      crs,
      crsSource: `GeoPackage srs_id ${gc.srs_id}`,
      encoding: 'utf8',
      batches: batches(),
      select: indexed ? select : undefined,
    };
  } catch (e) {
    db.close();
    throw e;
  }
}
