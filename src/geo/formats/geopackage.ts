import type { Database } from 'sql.js';
import { GengbaoError } from '../../errors.ts';
import { crsFromEpsg, crsFromWkt, type Crs } from '../crs.ts';
import { BATCH, type RawFeature, type RawGeometry, type RawLayer } from './source.ts';
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
    const info = db.prepare(`PRAGMA table_info(${quote(table)})`);
    while (info.step()) {
      const col = info.getAsObject();
      if (String(col.type).toUpperCase() === 'BOOLEAN') booleans.push(String(col.name));
    }
    info.free();
    async function* batches(): AsyncGenerator<RawFeature[]> {
      let batch: RawFeature[] = [];
      const rows = db.prepare(`SELECT * FROM ${quote(table!)}`);
      try {
        let i = 0;
        while (rows.step()) {
          const row: Record<string, unknown> = rows.getAsObject();
          const blob = row[gc.column_name] as Uint8Array | null;
          delete row[gc.column_name];
          for (const b of booleans) if (row[b] !== null) row[b] = row[b] === 1;
          batch.push({ id: i++, properties: row, geometry: blob ? readGpkgGeometry(blob) : null });
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
    return {
      format: 'geopackage',
      crs,
      crsSource: `GeoPackage srs_id ${gc.srs_id}`,
      encoding: 'utf8',
      batches: batches(),
    };
  } catch (e) {
    db.close();
    throw e;
  }
}
