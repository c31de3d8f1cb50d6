import { writeFile } from 'node:fs/promises';
import { CGCS2000_PRJ } from '../crs.ts';
import { signedRingArea } from '../repair.ts';
import type { Feature, Ring } from '../types.ts';
import { ChunkedWriter } from './chunked-writer.ts';
import { dbfColumns, dbfHeader, dbfRecord } from './dbf-write.ts';
import type { FieldSpec } from './schema.ts';
import type { TextEncoding } from './text.ts';

const POLYGON = 5;

/** The 100-byte main-file header (ESRI 1998, p. 3), lengths in 16-bit words. */
function shpHeader(fileBytes: number, bbox: number[]): Buffer {
  const b = Buffer.alloc(100);
  b.writeInt32BE(9994, 0);
  b.writeInt32BE(fileBytes / 2, 24);
  b.writeInt32LE(1000, 28);
  b.writeInt32LE(POLYGON, 32);
  for (let i = 0; i < 4; i++) b.writeDoubleLE(Number.isFinite(bbox[i]) ? bbox[i] : 0, 36 + i * 8);
  return b;
}

/** Rings in Shapefile order: outer rings clockwise, holes counter-clockwise (ESRI 1998, p. 8). */
function shapefileRings(f: Feature): Ring[] {
  const g = f.geometry;
  if (!g) return [];
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polys.flatMap((rings) =>
    rings.map((r, i) => {
      const clockwise = signedRingArea(r) < 0;
      return (i === 0) === clockwise ? r : [...r].reverse();
    }),
  );
}

/**
 * Write polygons as a Shapefile: `.shp`, `.shx`, `.dbf` (text in `encoding`, GBK by default as
 * Chinese desktop GIS expects), `.cpg` naming the encoding and `.prj` for CGCS2000 lon/lat.
 * Written by hand: no maintained npm writer supports a GBK DBF (shp-write writes UTF-8 and
 * Latin-1 only), and the byte layout is small and fixed.
 */
export async function writeShapefile(
  basePath: string,
  features: Feature[],
  fields: FieldSpec[],
  opts: { encoding?: TextEncoding; now?: Date } = {},
): Promise<string[]> {
  const encoding = opts.encoding ?? 'gbk';
  const columns = dbfColumns(fields, features, encoding);
  const shp = await ChunkedWriter.create(`${basePath}.shp`);
  const shx = await ChunkedWriter.create(`${basePath}.shx`);
  const dbf = await ChunkedWriter.create(`${basePath}.dbf`);
  const bbox = [Infinity, Infinity, -Infinity, -Infinity];
  try {
    await shp.write(Buffer.alloc(100));
    await shx.write(Buffer.alloc(100));
    await dbf.write(dbfHeader(columns, features.length, encoding, opts.now ?? new Date(0)));
    let n = 0;
    for (const f of features) {
      const rings = shapefileRings(f);
      const points = rings.reduce((s, r) => s + r.length, 0);
      const content = rings.length ? 44 + rings.length * 4 + points * 16 : 4;
      const rec = Buffer.alloc(8 + content);
      rec.writeInt32BE(++n, 0);
      rec.writeInt32BE(content / 2, 4);
      if (rings.length) {
        const box = [Infinity, Infinity, -Infinity, -Infinity];
        rec.writeInt32LE(POLYGON, 8);
        rec.writeInt32LE(rings.length, 44);
        rec.writeInt32LE(points, 48);
        let at = 52 + rings.length * 4;
        let start = 0;
        rings.forEach((r, i) => {
          rec.writeInt32LE(start, 52 + i * 4);
          start += r.length;
          for (const p of r) {
            rec.writeDoubleLE(p[0], at);
            rec.writeDoubleLE(p[1], at + 8);
            at += 16;
            box[0] = Math.min(box[0], p[0]);
            box[1] = Math.min(box[1], p[1]);
            box[2] = Math.max(box[2], p[0]);
            box[3] = Math.max(box[3], p[1]);
          }
        });
        for (let i = 0; i < 4; i++) rec.writeDoubleLE(box[i], 12 + i * 8);
        for (let i = 0; i < 2; i++) bbox[i] = Math.min(bbox[i], box[i]);
        for (let i = 2; i < 4; i++) bbox[i] = Math.max(bbox[i], box[i]);
      }
      const idx = Buffer.alloc(8);
      idx.writeInt32BE(shp.position / 2, 0);
      idx.writeInt32BE(content / 2, 4);
      await shp.write(rec);
      await shx.write(idx);
      await dbf.write(dbfRecord(columns, f.properties ?? {}, encoding));
    }
    await dbf.write(Buffer.from([0x1a]));
    await shp.patch(0, shpHeader(shp.position, bbox));
    await shx.patch(0, shpHeader(shx.position, bbox));
  } finally {
    await Promise.all([shp.close(), shx.close(), dbf.close()]);
  }
  await writeFile(
    `${basePath}.cpg`,
    encoding === 'gbk' ? 'GBK' : encoding === 'utf8' ? 'UTF-8' : 'ISO-8859-1',
  );
  await writeFile(`${basePath}.prj`, CGCS2000_PRJ);
  return ['shp', 'shx', 'dbf', 'cpg', 'prj'].map((e) => `${basePath}.${e}`);
}
