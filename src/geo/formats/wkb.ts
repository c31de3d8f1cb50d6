import { GengbaoError } from '../../errors.ts';
import type { Areal, Position, Ring } from '../types.ts';
import type { RawGeometry } from './source.ts';

/** OGC Simple Features geometry type codes (ISO 19125-1; +1000 Z, +2000 M, +3000 ZM). */
const NAMES = [
  'Geometry',
  'Point',
  'LineString',
  'Polygon',
  'MultiPoint',
  'MultiLineString',
  'MultiPolygon',
  'GeometryCollection',
];

/**
 * Read one WKB geometry (ISO and EWKB-style Z/M flags; only x and y are kept). Hand-written:
 * the format is a dozen lines of spec and the npm parsers (wkx) are unmaintained.
 */
export function readWkb(buf: Uint8Array, offset = 0): RawGeometry {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let o = offset;
  const geom = (): RawGeometry => {
    const le = dv.getUint8(o) === 1;
    o += 1;
    let code = dv.getUint32(o, le);
    o += 4;
    let dims = 2;
    if (code & 0x80000000) dims++; // EWKB Z
    if (code & 0x40000000) dims++; // EWKB M
    if (code & 0x20000000) o += 4; // EWKB SRID
    code &= 0x0fffffff;
    const iso = Math.floor(code / 1000);
    if (iso === 1 || iso === 2) dims = 3;
    if (iso === 3) dims = 4;
    const base = code % 1000;
    const u32 = () => {
      const v = dv.getUint32(o, le);
      o += 4;
      return v;
    };
    const point = (): Position => {
      const p = [dv.getFloat64(o, le), dv.getFloat64(o + 8, le)];
      o += 8 * dims;
      return p;
    };
    const line = (): Position[] => Array.from({ length: u32() }, point);
    const poly = (): Ring[] => Array.from({ length: u32() }, line);
    switch (base) {
      case 1:
        return { type: 'Point', coordinates: point() };
      case 2:
        return { type: 'LineString', coordinates: line() };
      case 3:
        return { type: 'Polygon', coordinates: poly() };
      case 4:
      case 5:
      case 6:
      case 7: {
        const parts = Array.from({ length: u32() }, geom);
        if (base === 7) return { type: 'GeometryCollection', geometries: parts };
        return { type: NAMES[base], coordinates: parts.map((p) => p.coordinates) };
      }
      default:
        throw new GengbaoError('unsupported', `WKB geometry type ${code} is not supported`, {
          field: 'geometry',
        });
    }
  };
  return geom();
}

/** Little-endian ISO WKB of a Polygon or MultiPolygon (2D). */
export function writeWkb(g: Areal): Uint8Array {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let size = g.type === 'Polygon' ? 9 : 9 + polys.length * 9;
  for (const rings of polys) for (const r of rings) size += 4 + r.length * 16;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  let o = 0;
  const head = (type: number, n: number) => {
    dv.setUint8(o, 1);
    dv.setUint32(o + 1, type, true);
    dv.setUint32(o + 5, n, true);
    o += 9;
  };
  const polygon = (rings: Ring[]) => {
    head(3, rings.length);
    for (const r of rings) {
      dv.setUint32(o, r.length, true);
      o += 4;
      for (const p of r) {
        dv.setFloat64(o, p[0], true);
        dv.setFloat64(o + 8, p[1], true);
        o += 16;
      }
    }
  };
  if (g.type === 'Polygon') polygon(g.coordinates);
  else {
    head(6, polys.length);
    for (const rings of polys) polygon(rings);
  }
  return out;
}
