import { writeFile } from 'node:fs/promises';
import { CGCS2000_PRJ } from '../crs.ts';
import type { Areal, Feature } from '../types.ts';
import { asText, type FieldSpec } from './schema.ts';
import { sqlite } from './sqlite.ts';
import { writeWkb } from './wkb.ts';

const SRS_ID = 4490;

/** GeoPackage geometry blob: "GP" header, version 0, little-endian, xy envelope, then WKB (OGC 12-128r18 §2.1.3). */
export function gpkgGeometry(g: Areal): Uint8Array {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  const env = [Infinity, -Infinity, Infinity, -Infinity]; // minx, maxx, miny, maxy
  for (const rings of polys)
    for (const p of rings[0] ?? []) {
      env[0] = Math.min(env[0], p[0]);
      env[1] = Math.max(env[1], p[0]);
      env[2] = Math.min(env[2], p[1]);
      env[3] = Math.max(env[3], p[1]);
    }
  const wkb = writeWkb(g);
  const out = new Uint8Array(8 + 32 + wkb.length);
  const dv = new DataView(out.buffer);
  out[0] = 0x47;
  out[1] = 0x50;
  out[2] = 0;
  out[3] = 0x03; // little-endian header, envelope indicator 1 (xy)
  dv.setInt32(4, SRS_ID, true);
  env.forEach((v, i) => dv.setFloat64(8 + i * 8, v, true));
  out.set(wkb, 40);
  return out;
}

const SQL_TYPE = { string: 'TEXT', integer: 'INTEGER', real: 'REAL', boolean: 'BOOLEAN' } as const;

/**
 * Write polygons as a GeoPackage (one feature table, CGCS2000 lon/lat, srs_id 4490), built
 * in SQLite by sql.js (see sqlite.ts for why) and saved in one piece.
 */
export async function writeGeoPackage(
  path: string,
  features: Feature[],
  fields: FieldSpec[],
  opts: { layer?: string; now?: Date } = {},
): Promise<string[]> {
  const SQL = await sqlite();
  const db = new SQL.Database();
  const table = opts.layer ?? 'polygons';
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const multi = features.some((f) => f.geometry?.type === 'MultiPolygon');
  try {
    db.run(`PRAGMA application_id = 1196444487; PRAGMA user_version = 10300;
      CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
        organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
      CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
        description TEXT DEFAULT '', last_change DATETIME NOT NULL, min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
        srs_id INTEGER REFERENCES gpkg_spatial_ref_sys(srs_id));
      CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
        srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, PRIMARY KEY (table_name, column_name));`);
    db.run(
      `INSERT INTO gpkg_spatial_ref_sys VALUES
      ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', NULL),
      ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', NULL),
      ('China Geodetic Coordinate System 2000', ${SRS_ID}, 'EPSG', ${SRS_ID}, ?, 'CGCS2000 longitude/latitude')`,
      [CGCS2000_PRJ],
    );
    const bbox = [Infinity, Infinity, -Infinity, -Infinity];
    db.run(
      `CREATE TABLE ${q(table)} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom ${multi ? 'MULTIPOLYGON' : 'POLYGON'}${fields.map((f) => `, ${q(f.name)} ${SQL_TYPE[f.type]}`).join('')})`,
    );
    const insert = db.prepare(
      `INSERT INTO ${q(table)} (geom${fields.map((f) => `, ${q(f.name)}`).join('')}) VALUES (?${fields.map(() => ', ?').join('')})`,
    );
    db.run('BEGIN');
    for (const f of features) {
      let g: Areal | null = f.geometry ?? null;
      if (g && multi && g.type === 'Polygon')
        g = { type: 'MultiPolygon', coordinates: [g.coordinates] };
      if (g) {
        for (const rings of g.type === 'Polygon' ? [g.coordinates] : g.coordinates)
          for (const p of rings[0] ?? []) {
            bbox[0] = Math.min(bbox[0], p[0]);
            bbox[1] = Math.min(bbox[1], p[1]);
            bbox[2] = Math.max(bbox[2], p[0]);
            bbox[3] = Math.max(bbox[3], p[1]);
          }
      }
      insert.run([
        g ? gpkgGeometry(g) : null,
        ...fields.map((fd) => {
          const v = f.properties?.[fd.name];
          if (v === null || v === undefined) return null;
          if (fd.type === 'boolean') return v ? 1 : 0;
          if (fd.type === 'integer' || fd.type === 'real') return Number(v);
          return asText(v);
        }),
      ]);
    }
    insert.free();
    db.run('COMMIT');
    db.run(`INSERT INTO gpkg_contents VALUES (?, 'features', ?, '', ?, ?, ?, ?, ?, ${SRS_ID})`, [
      table,
      table,
      (opts.now ?? new Date(0)).toISOString(),
      ...bbox.map((v) => (Number.isFinite(v) ? v : null)),
    ]);
    db.run(`INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ${SRS_ID}, 0, 0)`, [
      table,
      multi ? 'MULTIPOLYGON' : 'POLYGON',
    ]);
    await writeFile(path, db.export());
  } finally {
    db.close();
  }
  return [path];
}
